/**
 * Done-when of CSV fidelity: random exports (every delimiter, encoding, quoting style and mix of
 * line endings; values with CR, LF, quotes, BOMs and formulas) go through the built CLI, and all
 * three lists are read back with a strict RFC 4180 reader told the record delimiter that
 * report.json says was written. Every input row must be in exactly one list, values equal.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../reliability/cli-process.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = ['email', 'name', 'note'];
const ENCODINGS = ['utf-8', 'utf-8-bom', 'windows-1252', 'utf-16le'] as const;
type Encoding = (typeof ENCODINGS)[number];
const LINE_ENDINGS = ['\r\n', '\n', '\r'] as const;

const piece = fc.constantFrom(
  'a',
  'Zoë',
  ' ',
  '"',
  ',',
  ';',
  '\t',
  '|',
  '\r',
  '\n',
  '\r\n',
  '=1+1',
  '@x',
  '-2',
  '+3',
  '€',
  'ß',
  '\uFEFF',
  '日本',
  "'",
  '',
);
const text = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));
const address = fc.constantFrom(
  'ann@example.com',
  'ANN@example.com',
  'bo@gmial.com',
  'not an address',
  '',
  ' cy@example.org ',
  'dee@example.org',
  '=1+1@example.com',
  'zoë@example.de',
);
const row = fc.tuple(address, text, text);

const testCase = fc.record({
  rows: fc.array(row, { minLength: 1, maxLength: 12 }),
  encoding: fc.constantFrom(...ENCODINGS),
  delimiter: fc.constantFrom(',', ';', '\t', '|'),
  quoteAll: fc.boolean(),
  /** One line ending per record (the header's first): any mix. */
  endings: fc.array(fc.constantFrom(...LINE_ENDINGS), { minLength: 13, maxLength: 13 }),
  finalEnding: fc.boolean(),
  outEncoding: fc.constantFrom(null, 'utf-8', 'utf-8-bom', 'utf-16le'),
});

/** A field as a writer of that style would put it: quoted when it must be, or always. */
function field(value: string, delimiter: string, quoteAll: boolean): string {
  const must = /["\r\n]/.test(value) || value.includes(delimiter) || value.startsWith('\uFEFF');
  return quoteAll || must ? `"${value.replaceAll('"', '""')}"` : value;
}

function encode(content: string, encoding: Encoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(content, 'utf8');
  if (encoding === 'utf-8-bom') return Buffer.from(`\uFEFF${content}`, 'utf8');
  if (encoding === 'utf-16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, 'utf16le')]);
  return iconv.encode(content, 'win1252');
}

function decode(bytes: Buffer, encoding: string): string {
  const content =
    encoding === 'utf-16le'
      ? bytes.toString('utf16le')
      : encoding === 'windows-1252'
        ? iconv.decode(bytes, 'win1252')
        : bytes.toString('utf8');
  return content.startsWith('\uFEFF') ? content.slice(1) : content;
}

type CaseOf<T> = T extends fc.Arbitrary<infer V> ? V : never;

const RECORD_DELIMITER: Record<string, string> = { crlf: '\r\n', lf: '\n', cr: '\r' };
let counter = 0;

describe('random exports through the built CLI read back with a strict RFC 4180 reader', () => {
  it('every input row is in exactly one list, its values unchanged', async () => {
    await fc.assert(
      // Three cases per property run, run side by side: CLI runs spend much of their time starting.
      fc.asyncProperty(fc.array(testCase, { minLength: 3, maxLength: 3 }), async (cases) => {
        // A list whose chosen email column holds no "@" at all is refused (exit 2): another test.
        fc.pre(cases.every((c) => c.rows.some((row) => (row[0] ?? '').includes('@'))));
        await Promise.all(cases.map(checkCase));
      }),
      { numRuns: 14 },
    );
  }, 120_000);
});

async function checkCase(c: CaseOf<typeof testCase>): Promise<void> {
  let rows = c.rows.map((r) => [...r]);
  // Windows-1252 has no BOM character or Japanese: such values cannot come from that encoding.
  if (c.encoding === 'windows-1252')
    rows = rows.map((r) => r.map((v) => v.replaceAll('\uFEFF', '').replaceAll('日本', 'Noël').replaceAll('zoë@', 'zoe@')));
  const records = [HEADER, ...rows].map((values) => values.map((v) => field(v, c.delimiter, c.quoteAll)).join(c.delimiter));
  let content = '';
  records.forEach((record, i) => {
    content += record;
    if (i < records.length - 1 || c.finalEnding) content += c.endings[i]!;
  });
  const name = `case-${++counter}`;
  const input = path.join(dir, `${name}.csv`);
  writeFileSync(input, encode(content, c.encoding));
  const args = ['clean', input, '-o', path.join(dir, name), '--no-state', '-q', '--delimiter', c.delimiter, '--email-column', 'email'];
  if (c.encoding === 'windows-1252') args.push('--encoding', 'windows-1252');
  if (c.outEncoding) args.push('--out-encoding', c.outEncoding);
  const result = await runCliAsync(args);
  expect(result.status, `${result.stderr}\n${JSON.stringify(content)}`).toBe(0);

  const report = JSON.parse(readFileSync(path.join(dir, name, 'report.json'), 'utf8'));
  expect(report.output.encoding).toBe(c.outEncoding ?? c.encoding);
  const recordDelimiter = RECORD_DELIMITER[report.output.lineEnding]!;
  const read = (file: string) =>
    parse(decode(readFileSync(path.join(dir, name, file)), report.output.encoding), {
      delimiter: c.delimiter,
      record_delimiter: recordDelimiter,
      relax_quotes: false,
      relax_column_count: false,
    }) as string[][];
  const cleaned = read('cleaned.csv');
  const suppressed = read('suppressed.csv');
  const retry = read('retry-later.csv');
  expect(cleaned[0]).toEqual(HEADER);
  expect(suppressed[0]!.slice(0, 3)).toEqual(HEADER);
  expect(retry[0]!.slice(0, 3)).toEqual(HEADER);
  const out = [...cleaned.slice(1), ...suppressed.slice(1).map((r) => r.slice(0, 3)), ...retry.slice(1).map((r) => r.slice(0, 3))];
  const key = (values: string[]) => JSON.stringify(values);
  expect(out.map(key).sort()).toEqual(rows.map(key).sort());
  expect(report.input.rows).toBe(rows.length);
  rmSync(path.join(dir, name), { recursive: true, force: true });
}
