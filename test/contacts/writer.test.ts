import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createRowEncoder, CsvOutput } from '../../src/contacts/writer.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Characters that decide quoting, plus ordinary and non-ASCII text.
const piece = fc.constantFrom('"', ',', ';', '\t', '|', ':', '\n', '\r', '\r\n', ' ', 'a', 'Zoë', '日本', '=1', "'", '');
const value = fc.array(piece, { maxLength: 6 }).map((parts) => parts.join(''));
const row = fc.array(value, { minLength: 1, maxLength: 6 });

const utf8Crlf = { delimiter: ',', lineEnding: '\r\n', encoding: { name: 'utf-8', bom: false } } as const;
const utf8Lf = { ...utf8Crlf, lineEnding: '\n' } as const;

describe('createRowEncoder writes what csv-stringify writes when told to quote CR and LF', () => {
  const delimiters = [',', ';', '\t', '|', '::', ':;'];
  for (const delimiter of delimiters) {
    for (const recordDelimiter of ['\n', '\r\n'] as const) {
      it(`delimiter ${JSON.stringify(delimiter)}, record delimiter ${JSON.stringify(recordDelimiter)}`, () => {
        const encode = createRowEncoder(delimiter, recordDelimiter);
        const options = { delimiter, record_delimiter: recordDelimiter === '\r\n' ? 'windows' : 'unix', quoted_match: /[\r\n]/ } as const;
        fc.assert(
          fc.property(row, (values) => {
            expect(encode(values)).toBe(stringify([values], options));
          }),
          { numRuns: 300 },
        );
      });
    }
  }

  it('quotes what a spreadsheet would misread, and only that', () => {
    const encode = createRowEncoder(',', '\r\n');
    expect(encode(['Ann', 'ann@example.com', ''])).toBe('Ann,ann@example.com,\r\n');
    expect(encode(['Durand, Zoé', 'say "hi"', 'two\r\nlines'])).toBe('"Durand, Zoé","say ""hi""","two\r\nlines"\r\n');
    // A value ending in the first half of a two-character delimiter would merge with it.
    expect(createRowEncoder('::', '\n')(['a:', 'b'])).toBe('"a:"::b\n');
  });

  it('quotes a CR or LF whatever the record delimiter (Excel and Python split rows at any of them)', () => {
    expect(createRowEncoder(',', '\r\n')(['a\nb', 'c'])).toBe('"a\nb",c\r\n');
    expect(createRowEncoder(',', '\n')(['a\rb', 'c'])).toBe('"a\rb",c\n');
    expect(createRowEncoder(';', '\r')(['a\r\nb', 'c'])).toBe('"a\r\nb";c\r');
  });
});

describe('CsvOutput', () => {
  it('writes every row, in order, to the temporary file; rows larger than its buffer too', async () => {
    const output = new CsvOutput(path.join(dir, 'out.csv'), utf8Crlf);
    const rows: string[][] = [['id', 'note']];
    for (let i = 0; i < 20_000; i++) rows.push([String(i), i % 1000 === 0 ? 'x'.repeat(300_000) : `note, ${i} "quoted"`]);
    for (const [i, values] of rows.entries()) {
      output.write(values);
      if (i % 512 === 0) await output.flush();
    }
    await output.close();
    expect(readFileSync(output.tempPath, 'utf8')).toBe(stringify(rows, { record_delimiter: 'windows', quoted_match: /[\r\n]/ }));
    expect(output.rows).toBe(rows.length);
  });

  it('writes nothing at all for no rows, and discards its temporary file', async () => {
    const empty = new CsvOutput(path.join(dir, 'empty.csv'), utf8Lf);
    await empty.close();
    expect(readFileSync(empty.tempPath, 'utf8')).toBe('');
    const dropped = new CsvOutput(path.join(dir, 'dropped.csv'), utf8Lf);
    dropped.write(['a']);
    await dropped.discard();
    expect(readdirSync(dir).some((name) => name.includes('dropped.csv'))).toBe(false);
  });
});
