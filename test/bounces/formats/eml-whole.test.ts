import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { emlFormat, readWholeMessage } from '../../../src/bounces/formats/eml.js';
import { lineByLine as readLines, whole as readWhole } from './whole-or-lines.js';
import { randomText, seededRandom } from '../../helpers.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/bounces/eml');
const context = { file: 'bounces/x.eml' };

const lineByLine = (bytes: Buffer) => readLines(emlFormat, bytes, context);
const whole = (bytes: Buffer) => readWhole(readWholeMessage, bytes, context);

describe('a message file read whole', () => {
  const messages = readdirSync(fixtures).map((name) => readFileSync(path.join(fixtures, name)));

  it('gives the lines and items of reading it line by line, whatever its line ends', async () => {
    for (const message of messages) {
      const text = message.toString('latin1').replace(/\r\n?/g, '\n');
      for (const variant of [
        text,
        text.replace(/\n/g, '\r\n'),
        text.replace(/\n/g, '\r'),
        `${text}\r`,
        `${text.replace(/\n/g, '\r\n')}\r\r`,
        text.replace(/\n$/, ''),
        `${text}\n\n\n`,
        text.replace(/\n/g, (_, at: number) => (at % 3 === 0 ? '\r\n' : at % 3 === 1 ? '\n' : '\r\r\n')),
      ]) {
        const bytes = Buffer.from(variant, 'latin1');
        expect(await whole(bytes)).toEqual(await lineByLine(bytes));
      }
    }
  });

  it('counts lines of files made of line ends alone like the line reader', async () => {
    const random = seededRandom(7);
    const alphabet = ['\r', '\n', '\r\n', 'a', ' ', 'To: a@b.example', 'From: c@d.example'];
    for (let round = 0; round < 2000; round++) {
      const text = randomText(random, alphabet, 1, 12);
      const bytes = Buffer.from(text, 'latin1');
      expect(await whole(bytes), JSON.stringify(text)).toEqual(await lineByLine(bytes));
    }
  });
});
