import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readContactRows, sniffContactFile, type ReadOptions, type ReadStats } from '../../src/contacts/reader.js';
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
