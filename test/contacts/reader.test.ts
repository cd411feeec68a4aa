import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readContactBatches, readContactRows, sniffContactFile, type ReadOptions, type ReadStats } from '../../src/contacts/reader.js';
import { HygieneError } from '../../src/errors.js';

const fixture = (name: string) => path.join(__dirname, '../../fixtures', name);

async function readAll(file: string, options: ReadOptions = {}) {
  const info = await sniffContactFile(file, options);
  const stats: ReadStats = { raggedCount: 0, raggedLines: [], blankLines: 0 };
  const rows = [];
  for await (const row of readContactRows(info, options, stats)) rows.push(row);
  return { info, rows, stats };
}

async function failure(file: string, options: ReadOptions = {}): Promise<HygieneError> {
  try {
    await readAll(file, options);
  } catch (error) {
    if (error instanceof HygieneError) return error;
    throw error;
  }
  throw new Error(`expected ${file} to fail`);
}

describe('sniffing a contact file', () => {
  it('reads a Windows-1252 file with ";" and finds the "Courriel" column', async () => {
    const { info, rows } = await readAll(fixture('contacts/semicolon-latin1.csv'));
    expect(info.encoding).toBe('windows-1252');
    expect(info.delimiter).toBe(';');
    expect(info.emailColumn.name).toBe('Courriel');
    expect(rows[0]!.values).toEqual(['Durand', 'Zoé', 'zoe.durand@example.fr', 'Orléans']);
  });

  it('reads UTF-16 LE with BOM and tabs, and the "E-mail" header', async () => {
    const { info, rows } = await readAll(fixture('contacts/utf16le-bom-tab.csv'));
    expect(info.encoding).toBe('utf-16le');
    expect(info.delimiter).toBe('\t');
    expect(info.emailColumn.index).toBe(1);
    expect(rows[1]!.values).toEqual(['Jürgen Weiß', 'juergen@example.de', 'Köln']);
  });

  it('strips a UTF-8 BOM and reads "|" files; email_address is the column', async () => {
    const { info, rows } = await readAll(fixture('contacts/utf8-bom-pipe.csv'));
    expect(info.header[0]).toBe('id');
    expect(info.delimiter).toBe('|');
    expect(info.emailColumn.name).toBe('email_address');
    expect(rows).toHaveLength(3);
  });

  it('recognises a bare address list without header', async () => {
    const { info, rows } = await readAll(fixture('contacts/no-header.csv'));
    expect(info.hasHeader).toBe(false);
    expect(rows.map((r) => r.values[0])).toEqual(['ann@example.com', 'bob@example.org', 'not-an-address', 'ann@example.com']);
    expect(rows[0]!.line).toBe(1);
  });

  it('numbers rows by the line where they start, across quoted multi-line fields and CRLF', async () => {
    const { rows } = await readAll(fixture('contacts/multiline.csv'));
    expect(rows.map((r) => r.line)).toEqual([2, 4, 5]);
    expect(rows[0]!.values[1]).toBe('line one\r\nline two');
  });

  it('reads a file that puts a blank after each delimiter as its writer meant, however the chunks fall', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-blanks-'));
    const file = path.join(dir, 'list.csv');
    const rows = Array.from({ length: 3000 }, (_, i) => `Person ${i}, "Lee, P${i}",   person.${i}@example.com`);
    writeFileSync(file, `Name, Full name, Email\n${rows.join('\n')}\n`);
    const { info, rows: read, stats } = await readAll(file);
    expect(info.blanksAfterDelimiter).toBe(true);
    expect(info.header).toEqual(['Name', 'Full name', 'Email']);
    expect(stats.raggedCount).toBe(0);
    expect(read).toHaveLength(3000);
    expect(read[2999]!.values).toEqual(['Person 2999', 'Lee, P2999', 'person.2999@example.com']);
    // No raw bytes: the rows are written out as RFC 4180, which strict readers split as meant.
    expect(read.every((row) => row.raw === null || row.raw === undefined)).toBe(true);
  });

  it('keeps the blanks of a file that only has some: there they are data', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-blanks-'));
    const file = path.join(dir, 'list.csv');
    writeFileSync(file, 'Name,Email\nAnn, ann@example.com\nBob,bob@example.com\n');
    const { info, rows } = await readAll(file);
    expect(info.blanksAfterDelimiter).toBe(false);
    expect(rows[0]!.values).toEqual(['Ann', ' ann@example.com']);
  });

  it('finds the address column by content when no header names it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-'));
    const file = path.join(dir, 'list.csv');
    writeFileSync(file, 'who,contact,city\nAnn,ann@example.com,Oslo\nBob,bob@example.org,Rome\n');
    const { info } = await readAll(file);
    expect(info.emailColumn.index).toBe(1);
    expect(info.emailColumn.by).toBe('content');
  });

  it('takes --email-column by name or by number, and refuses an unknown one', async () => {
    expect((await readAll(fixture('bad/duplicate-headers.csv'), { emailColumn: '3' })).info.emailColumn.index).toBe(2);
    expect((await readAll(fixture('contacts/multiline.csv'), { emailColumn: 'EMAIL' })).info.emailColumn.index).toBe(2);
    const error = await failure(fixture('contacts/multiline.csv'), { emailColumn: 'mail_addr' });
    expect(error.code).toBe('EMAIL_COLUMN_NOT_FOUND');
    expect(error.message).toMatch(/1="name"/);
  });

  it('uses the first of duplicate header names', async () => {
    const { info } = await readAll(fixture('bad/duplicate-headers.csv'));
    expect(info.emailColumn.index).toBe(0);
  });

  it('recovers UTF-16 without BOM', async () => {
    const { info, rows } = await readAll(fixture('bad/utf16-nobom.csv'));
    expect(info.encoding).toBe('utf-16le');
    expect(rows[2]!.values[0]).toBe('Zoë Faure');
  });

  it('reads a header-only file as zero rows', async () => {
    const { rows } = await readAll(fixture('bad/header-only.csv'));
    expect(rows).toEqual([]);
  });
});

describe('bad contact files fail with file, line and a hint', () => {
  const cases: [string, string, number | undefined, RegExp][] = [
    ['bad/empty.csv', 'INPUT_EMPTY', 1, /empty/],
    ['bad/binary.csv', 'INPUT_BINARY', 3, /binary/],
    ['bad/nul-bytes.csv', 'INPUT_BINARY', 3, /binary|NUL/],
    ['bad/mixed-encodings.csv', 'INPUT_ENCODING', 8, /mixes encodings/],
    ['bad/unterminated-quote.csv', 'CSV_UNTERMINATED_QUOTE', 3, /never closed/],
    ['bad/no-email-column.csv', 'NO_EMAIL_COLUMN', 1, /no email column/],
    // Read as CSV these gave "1 invalid address" (JSON) or "no email column" (vCard).
    ['bad/contacts.json', 'INPUT_NOT_CSV', 1, /this is JSON/],
    ['bad/contacts.vcf', 'INPUT_NOT_CSV', 1, /this is a vCard address book/],
    ['bad/saved-page.html', 'INPUT_NOT_CSV', 1, /this is an HTML or XML document/],
  ];
  for (const [file, code, line, message] of cases) {
    it(`${file} -> ${code}`, async () => {
      const error = await failure(fixture(file));
      expect(error.code).toBe(code);
      expect(error.exitCode).toBe(2);
      expect(error.line).toBe(line);
      expect(error.message).toContain(fixture(file));
      expect(error.message).toMatch(message);
      expect(error.hint).toBeTruthy();
    });
  }

  it('collects ragged rows with their lines', async () => {
    const { stats } = await readAll(fixture('bad/ragged.csv'));
    expect(stats.raggedCount).toBe(2);
    expect(stats.raggedLines).toEqual([3, 4]);
  });

  it('stops at a single line longer than 4 MB', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-'));
    const file = path.join(dir, 'huge.csv');
    writeFileSync(file, `name,email\nAnn,ann@example.com\n${'x'.repeat(50 * 1024 * 1024)}\n`);
    const error = await failure(file);
    expect(error.code).toBe('CSV_RECORD_TOO_LONG');
    expect(error.line).toBe(3);
  });
});

describe('UTF-8 read as bytes, checked on the way', () => {
  const fresh = (name: string) => path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-')), name);
  // Names with two-, three- and four-byte characters, so chunk boundaries cut characters.
  const NAMES = ['Zoë', 'Łukasz', '美咲', 'Дмитрий', 'Ann 😀', 'Søren'];
  /** A list of `count` rows (well past the 64 KiB sample), one line each. */
  const rowsOf = (count: number) => Array.from({ length: count }, (_, i) => `${NAMES[i % NAMES.length]} ${i},user${i}@example.com,Köln`);
  const header = 'name,email,city';

  it('reads every multi-byte character whole, however the chunks fall', async () => {
    const rows = rowsOf(20_000);
    const file = fresh('list.csv');
    writeFileSync(file, `${[header, ...rows].join('\n')}\n`);
    const read = await readAll(file);
    expect(read.rows.map((row) => row.values.join(','))).toEqual(rows);
    expect(read.rows[19_999]!.line).toBe(20_001);
  });

  it('skips a BOM and keeps rows and lines exact', async () => {
    const rows = rowsOf(5_000);
    const file = fresh('bom.csv');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${[header, ...rows].join('\r\n')}\r\n`)]));
    const read = await readAll(file);
    expect(read.info.header).toEqual(['name', 'email', 'city']);
    expect(read.rows).toHaveLength(5_000);
    expect(read.rows[4_999]).toMatchObject({ values: rows[4_999]!.split(','), line: 5_001 });
  });

  it('stops at invalid UTF-8 far past the sample, naming its line', async () => {
    const rows = rowsOf(10_000);
    const file = fresh('mixed.csv');
    const before = Buffer.from(`${[header, ...rows.slice(0, 8_000)].join('\n')}\n`);
    // "Zoé" saved as Windows-1252 on line 8002.
    const bad = Buffer.from([0x5a, 0x6f, 0xe9, 0x2c, 0x7a, 0x40, 0x65, 0x78, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x78, 0x0a]);
    writeFileSync(file, Buffer.concat([before, bad, Buffer.from(`${rows.slice(8_000).join('\n')}\n`)]));
    expect(before.length).toBeGreaterThan(64 * 1024);
    const error = await failure(file);
    expect(error.code).toBe('INPUT_ENCODING');
    expect(error.line).toBe(8_002);
    expect(error.message).toMatch(/after 8001 lines/);
  });

  it('stops at a NUL byte far past the sample, naming its line', async () => {
    const rows = rowsOf(10_000);
    rows[6_000] = `Ann\u0000,ann@example.com,Oslo`;
    const file = fresh('nul.csv');
    writeFileSync(file, `${[header, ...rows].join('\n')}\n`);
    const error = await failure(file);
    expect(error.code).toBe('INPUT_BINARY');
    expect(error.line).toBe(6_002);
  });

  it('stops at a character cut short at the end of the file', async () => {
    const rows = rowsOf(5_000);
    const file = fresh('cut.csv');
    writeFileSync(file, Buffer.concat([Buffer.from(`${[header, ...rows].join('\n')}\nBo`), Buffer.from('😀').subarray(0, 2)]));
    const error = await failure(file);
    expect(error.code).toBe('INPUT_ENCODING');
    expect(error.line).toBe(5_002);
  });

  it('hands rows over in batches, with the bytes read so far', async () => {
    const rows = rowsOf(30_000);
    const file = fresh('batches.csv');
    writeFileSync(file, `${[header, ...rows].join('\n')}\n`);
    const info = await sniffContactFile(file, {});
    expect(info.estimatedRows).toBeGreaterThan(25_000);
    expect(info.estimatedRows).toBeLessThan(35_000);
    const stats: ReadStats = { raggedCount: 0, raggedLines: [], blankLines: 0 };
    const progress: number[] = [];
    let count = 0;
    let batches = 0;
    for await (const batch of readContactBatches(info, {}, stats)) {
      batches++;
      count += batch.rows.length;
      progress.push(batch.bytesRead);
    }
    expect(count).toBe(30_000);
    expect(batches).toBeGreaterThan(1);
    expect(batches).toBeLessThan(count / 100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(info.size);
  });
});
