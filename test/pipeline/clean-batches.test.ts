import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { runClean, type CleanProgress, type RoutedRow } from '../../src/pipeline/clean.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-batches-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * 30,000 rows (the reader hands them over in batches of a few hundred to a few thousand): every
 * 7th row repeats the mailbox of a row far earlier, in another case, and some notes span lines.
 */
function writeList(file: string): { lines: number[]; firstLineOf: Map<number, number> } {
  const out = ['id,email,notes'];
  const lines: number[] = [];
  const firstLineOf = new Map<number, number>();
  let line = 2;
  for (let i = 0; i < 30_000; i++) {
    const repeat = i % 7 === 6 && i > 10_000;
    const person = repeat ? i - 10_000 : i;
    const email = repeat ? `Person${person}@Example.com` : `person${person}@example.com`;
    const note = i % 101 === 0 ? '"first line\r\nsecond line"' : `note ${i}`;
    out.push(`r${i},${email},${note}`);
    lines.push(line);
    if (!repeat) firstLineOf.set(person, line);
    line += i % 101 === 0 ? 2 : 1;
  }
  writeFileSync(file, `${out.join('\r\n')}\r\n`);
  return { lines, firstLineOf };
}

describe('clean over many batches', () => {
  it('finds duplicates across batches, naming the first row, and routes every row once', async () => {
    const input = path.join(dir, 'list.csv');
    const { lines, firstLineOf } = writeList(input);
    const routed: RoutedRow[] = [];
    const progress: CleanProgress[] = [];
    const outDir = path.join(dir, 'out');
    const report = await runClean({ input, outDir, onRow: (row) => routed.push(row), onProgress: (state) => progress.push(state) });

    expect(report.input.rows).toBe(30_000);
    expect(routed.map((row) => row.line)).toEqual(lines);
    const duplicates = routed.filter((row) => row.reason === 'duplicate');
    expect(duplicates).toHaveLength(report.reasons.duplicate!);
    expect(duplicates.length).toBe(lines.length - firstLineOf.size);
    for (const row of duplicates) {
      const person = Number(/^Person(\d+)@/.exec(row.address)![1]);
      expect(row.detail).toBe(`same mailbox as row ${firstLineOf.get(person)}`);
    }

    const read = (name: string) => parse(readFileSync(path.join(outDir, name), 'utf8')) as string[][];
    const cleaned = read('cleaned.csv');
    const suppressed = read('suppressed.csv');
    expect(cleaned.length - 1 + suppressed.length - 1).toBe(30_000);
    expect(cleaned[1]).toEqual(['r0', 'person0@example.com', 'first line\r\nsecond line']);
    expect(suppressed[1]!.slice(0, 5)).toEqual(['r10002', 'Person2@Example.com', 'note 10002', 'duplicate', 'same mailbox as row 5']); // r0's note spans two lines

    // Progress every 4096 rows, with the bytes read so far out of the file's size.
    const size = statSync(input).size;
    expect(progress.map((state) => state.rows)).toEqual([4096, 8192, 12288, 16384, 20480, 24576, 28672]);
    for (const state of progress) {
      expect(state.totalBytes).toBe(size);
      expect(state.bytesRead).toBeGreaterThan(0);
      expect(state.bytesRead).toBeLessThanOrEqual(size);
    }
    expect(progress.map((state) => state.bytesRead)).toEqual(progress.map((state) => state.bytesRead).sort((a, b) => a - b));
  });

  it('routes a list with opt-out columns in one pass while no later row marks an earlier mailbox', async () => {
    const input = path.join(dir, 'marked.csv');
    const rows = Array.from({ length: 12_000 }, (_, i) => `r${i},user${i}@example.com,${i === 11_999 ? 'true' : 'false'}`);
    writeFileSync(input, `id,email,Email Opt Out\n${rows.join('\n')}\nr0b,user0@example.com,false\n`);
    const progress: CleanProgress[] = [];
    const report = await runClean({ input, outDir: path.join(dir, 'marked-out'), onProgress: (state) => progress.push(state) });
    expect(report.reasons).toEqual({ 'opted-out': 1, duplicate: 1 });
    expect(progress.map((state) => [state.phase ?? 'rows', state.rows])).toEqual([
      ['rows', 4096],
      ['rows', 8192],
    ]);
  });

  it('at a later row that marks an earlier mailbox, reads the marks as a phase of its own and routes the rows again', async () => {
    const input = path.join(dir, 'marked-late.csv');
    const rows = Array.from({ length: 12_000 }, (_, i) => `r${i},user${i}@example.com,false`);
    writeFileSync(input, `id,email,Email Opt Out\n${rows.join('\n')}\nr0b,user0@example.com,true\n`);
    const progress: CleanProgress[] = [];
    let restarts = 0;
    const outDir = path.join(dir, 'marked-late-out');
    const report = await runClean({ input, outDir, onProgress: (state) => progress.push(state), onRestart: () => restarts++ });
    expect(restarts).toBe(1);
    expect(report.reasons).toEqual({ 'opted-out': 2 });
    expect(report.counts).toEqual({ cleaned: 11_999, suppressed: 2, retryLater: 0 });
    const suppressed = parse(readFileSync(path.join(outDir, 'suppressed.csv'), 'utf8')) as string[][];
    expect(suppressed.slice(1).map((row) => [row[0], row[3]])).toEqual([
      ['r0', 'opted-out'],
      ['r0b', 'opted-out'],
    ]);
    // The first pass's rows, then the marks read to the file's end, then the rows again.
    const marks = progress.filter((state) => state.phase === 'marks');
    const firstMark = progress.indexOf(marks[0]!);
    expect(progress.slice(firstMark, firstMark + marks.length)).toEqual(marks);
    expect(marks.at(-1)!.rows).toBe(12_001);
    expect(marks.at(-1)!.bytesRead).toBe(statSync(input).size);
    expect(progress.slice(firstMark + marks.length).map((state) => state.rows)).toEqual([4096, 8192]);
  });

  it('writes --fix corrections and the rows that need them in row order', async () => {
    const input = path.join(dir, 'fix.csv');
    const rows = Array.from({ length: 12_000 }, (_, i) => `r${i},${i % 1000 === 0 ? `user${i}@gmial.com` : `user${i}@example.com`}`);
    writeFileSync(input, `id,email\n${rows.join('\n')}\n`);
    const outDir = path.join(dir, 'fix-out');
    const report = await runClean({ input, outDir, fix: true });
    expect(report.fixes).toBe(12);
    const fixes = parse(readFileSync(path.join(outDir, 'fixes.csv'), 'utf8')) as string[][];
    expect(fixes.slice(1).map((row) => row.slice(0, 3))).toEqual(
      Array.from({ length: 12 }, (_, k) => [String(k * 1000 + 2), `user${k * 1000}@gmial.com`, `user${k * 1000}@gmail.com`]),
    );
    const cleaned = parse(readFileSync(path.join(outDir, 'cleaned.csv'), 'utf8')) as string[][];
    expect(cleaned).toHaveLength(12_001);
    expect(cleaned[1001]).toEqual(['r1000', 'user1000@gmail.com']);
  });
});
