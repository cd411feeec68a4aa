import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mboxFormat, readWholeMailbox } from '../../../src/bounces/formats/mbox.js';
import { bytesToLines } from '../../../src/bounces/input.js';
import type { ParseItem } from '../../../src/bounces/types.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/bounces');
const context = { file: 'bounces/x.mbox' };

/** What the reader gets from a mailbox line by line, as read-bounces.ts reads a big one. */
async function lineByLine(bytes: Buffer): Promise<{ lines: number; items: ParseItem[] }> {
  const crOnly = !bytes.includes(0x0a) && bytes.includes(0x0d);
  let lines = 0;
  async function* oneChunk() {
    yield bytes;
  }
  const items: ParseItem[] = [];
  for await (const item of mboxFormat.parse(
    bytesToLines(oneChunk(), 'latin1', crOnly, () => lines++),
    context,
  ))
    items.push(item);
  return { lines, items };
}

async function whole(bytes: Buffer): Promise<{ lines: number; items: ParseItem[] }> {
  const read = readWholeMailbox(bytes, context);
  return { lines: read.lines, items: await read.items };
}

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
