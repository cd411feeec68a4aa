import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runClean } from '../../src/pipeline/clean.js';

const localPart = fc.stringMatching(/^[a-z0-9._+-]{1,12}$/);
const domainPart = fc.constantFrom('example.com', 'gmail.com', 'gmial.com', 'mailinator.com', 'example', 'EXAMPLE.org', 'yahoo.cmo');
const address = fc.oneof(
  fc.tuple(localPart, domainPart).map(([l, d]) => `${l}@${d}`),
  fc.constantFrom('', ' ann@example.com', 'Ann <ann@example.com>', 'info@example.com', 'ann@example.com', 'ANN@example.com'),
  fc.string({ maxLength: 20 }),
);
// Values a spreadsheet export can hold: delimiters, quotes, line breaks, non-ASCII, formulas.
const value = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('a,b', 'say "hi"', 'line\nbreak', 'crlf\r\nbreak', 'Zoë', '=SUM(A1)', '  padded  ', '日本語'),
);
const row = fc.tuple(value, address, value);

describe('clean keeps every row, once, and cleaned values unchanged', () => {
  it('conserves rows and copies cleaned rows byte for byte (random CSVs)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-prop-'));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 25 }), fc.constantFrom(',', ';', '\t'), async (rows, delimiter) => {
          const input = path.join(dir, 'in.csv');
          const outDir = path.join(dir, 'out');
          rmSync(outDir, { recursive: true, force: true });
          // Blank-only rows are not contacts; keep the property about real rows.
          const data = rows.filter((r) => !(r[0] === '' && r[1] === '' && r[2] === '') && !(r.join('') === ''));
          fc.pre(data.length > 0);
          // A list whose address column holds no "@" at all is refused (exit 2): that is another test.
          fc.pre(data.some((r) => (r[1] ?? '').includes('@')));
          writeFileSync(input, stringify([['name', 'email', 'notes'], ...data], { delimiter }));
          const report = await runClean({ input, outDir, emailColumn: 'email', relaxColumns: true });
          const read = (name: string) =>
            parse(readFileSync(path.join(outDir, name), 'utf8'), { delimiter, relax_column_count: true }) as string[][];
          const cleaned = read('cleaned.csv').slice(1);
          const suppressed = read('suppressed.csv').slice(1);
          const retry = read('retry-later.csv').slice(1);
          expect(report.input.rows).toBe(data.length);
          expect(cleaned.length + suppressed.length + retry.length).toBe(data.length);
          expect(report.counts.cleaned + report.counts.suppressed + report.counts.retryLater).toBe(data.length);
          // Every cleaned row is an input row, unchanged, in input order.
          let cursor = 0;
          for (const out of cleaned) {
            while (cursor < data.length && JSON.stringify(data[cursor]) !== JSON.stringify(out)) cursor++;
            expect(cursor).toBeLessThan(data.length);
            cursor++;
          }
          // Suppressed rows keep the input columns unchanged before the added ones.
          for (const out of suppressed) {
            expect(data.some((r) => JSON.stringify(r) === JSON.stringify(out.slice(0, 3)))).toBe(true);
            expect(out[3]).toMatch(/^[a-z-]+$/);
          }
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
