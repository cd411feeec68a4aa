/**
 * Log parsers take lines already split without an await (LineReader): the items must be those
 * of reading every line through the async iterator, however the bytes arrive, and a parser that
 * is stopped early must still stop its source.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineReader } from '../../../../src/bounces/formats/fields/line-reader.js';
import { eximFormat } from '../../../../src/bounces/formats/exim.js';
import { postfixFormat } from '../../../../src/bounces/formats/postfix.js';
import { sendmailFormat } from '../../../../src/bounces/formats/sendmail.js';
import { bytesToLines } from '../../../../src/bounces/input.js';
import type { FormatParser, NumberedLine, ParseItem } from '../../../../src/bounces/types.js';
import { numberLines } from '../../../number-lines.js';

const FIXTURES = path.resolve(__dirname, '../../../../fixtures/bounces');

async function* inPieces(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function itemsOf(format: FormatParser, lines: AsyncIterable<NumberedLine>): Promise<ParseItem[]> {
  const items: ParseItem[] = [];
  for await (const item of format.parse(lines, { file: 'log', year: 2026 })) items.push(item);
  return items;
}

describe('LineReader', () => {
  it('hands out every line once, in order, whichever way each one comes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 30 }), { maxLength: 60 }), fc.integer({ min: 1, max: 50 }), async (texts, size) => {
        const clean = texts.map((text) => text.replace(/[\r\n]/g, ' '));
        const bytes = Buffer.from(clean.map((text) => `${text}\n`).join(''));
        const reader = new LineReader(bytesToLines(inPieces(bytes, size), 'utf-8', false));
        const got: NumberedLine[] = [];
        for (let next = reader.ready() ?? (await reader.next()); next !== null; next = reader.ready() ?? (await reader.next()))
          got.push(next);
        expect(got).toEqual(clean.map((text, index) => ({ line: index + 1, text })));
        expect(await reader.next()).toBeNull();
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['postfix', postfixFormat, 'postfix/mail.log'],
    ['exim', eximFormat, 'exim/mainlog'],
    ['sendmail', sendmailFormat, 'sendmail/maillog'],
  ] as const)('%s gives the same items from split lines as from awaited ones', async (_name, format, file) => {
    const bytes = readFileSync(path.join(FIXTURES, file));
    const awaited = await itemsOf(format, numberLines(bytes.toString('utf-8')));
    expect(awaited.some((item) => item.kind === 'record')).toBe(true);
    for (const size of [7, 300, 1 << 20]) {
      expect(await itemsOf(format, bytesToLines(inPieces(bytes, size), 'utf-8', false))).toEqual(awaited);
    }
  });

  it('stops its source when the parser is left early', async () => {
    const bytes = readFileSync(path.join(FIXTURES, 'postfix/mail.log'));
    let stopped = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield* inPieces(bytes, 64);
      } finally {
        stopped = true;
      }
    }
    for await (const item of postfixFormat.parse(bytesToLines(source(), 'utf-8', false), { file: 'log', year: 2026 })) {
      if (item.kind === 'record') break;
    }
    expect(stopped).toBe(true);
  });
});
