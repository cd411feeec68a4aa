import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mboxFormat, readWholeMailbox } from '../../../src/bounces/formats/mbox.js';
import { lineByLine as readLines, whole as readWhole } from './whole-or-lines.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/bounces');
const context = { file: 'bounces/x.mbox' };

const lineByLine = (bytes: Buffer) => readLines(mboxFormat, bytes, context);
const whole = (bytes: Buffer) => readWhole(readWholeMailbox, bytes, context);

describe('a small mailbox read whole', () => {
  const mailbox = readFileSync(path.join(fixtures, 'mbox/bounces.mbox'), 'latin1').replace(/\r\n?/g, '\n');
  const messages = readdirSync(path.join(fixtures, 'eml')).map((name) => readFileSync(path.join(fixtures, 'eml', name), 'latin1'));
  // Messages of every kind behind separators, with quoted From lines, a preamble and no blank line before a dated separator.
  const built =
    'junk before the first separator\n\n' +
    messages
      .slice(0, 12)
      .map(
        (text, index) =>
          `From MAILER-DAEMON Thu Apr 29 23:34:${String(index).padStart(2, '0')} 2010\n${text.replace(/\r\n?/g, '\n')}\n>From the body\n>>From quoted\n`,
      )
      .join('');

  it('gives the lines and items of reading it line by line, whatever its line ends', async () => {
    for (const text of [mailbox, built]) {
      for (const variant of [
        text,
        text.replace(/\n/g, '\r\n'),
        text.replace(/\n/g, '\r'),
        `${text}\r`,
        text.replace(/\n$/, ''),
        `${text}\n\n\n`,
        text.replace(/\n/g, (_, at: number) => (at % 3 === 0 ? '\r\n' : at % 3 === 1 ? '\n' : '\r\r\n')),
        '',
        '\n\n\n',
      ]) {
        const bytes = Buffer.from(variant, 'latin1');
        expect(await whole(bytes)).toEqual(await lineByLine(bytes));
      }
    }
  });

  it('reads every message of the fixture mailbox', async () => {
    const read = await whole(Buffer.from(mailbox, 'latin1'));
    expect(read.items.filter((item) => item.kind === 'record').length).toBeGreaterThan(1);
  });
});
