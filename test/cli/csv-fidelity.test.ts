import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-fidelity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

function write(name: string, bytes: string | Buffer): string {
  const file = path.join(dir, `${++counter}-${name}`);
  writeFileSync(file, bytes);
  return file;
}

function clean(file: string, ...args: string[]) {
  const out = path.join(dir, `out-${++counter}`);
  const result = runCli(['clean', file, '-o', out, '--no-state', ...args]);
  const report = result.status === 0 ? JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')) : null;
  return { ...result, out, report };
}

/** A strict RFC 4180 reading: the record delimiter given, no relaxing of quotes or columns. */
function strictRows(text: string, recordDelimiter: string, delimiter = ','): string[][] {
  return parse(text, { record_delimiter: recordDelimiter, delimiter, relax_column_count: false, relax_quotes: false }) as string[][];
}

describe('line endings and quoting (built CLI)', () => {
  it('an Excel CRLF export with multi-line notes gives lists a strict reader splits into the same rows', () => {
    const file = write(
      'notes.csv',
      'email,name,notes\r\nann@example.com,Ann,"first line\r\nsecond line"\r\nbo@example.com,Bo,"lone\nLF and lone\rCR"\r\n',
    );
    const result = clean(file);
    expect(result.status, result.stderr).toBe(0);
    const rows = strictRows(readFileSync(path.join(result.out, 'cleaned.csv'), 'utf8'), '\r\n');
    expect(rows).toEqual([
      ['email', 'name', 'notes'],
      ['ann@example.com', 'Ann', 'first line\r\nsecond line'],
      ['bo@example.com', 'Bo', 'lone\nLF and lone\rCR'],
    ]);
  });

  it('a value with a lone CR in an LF file is quoted, so readers that end rows at CR keep it whole', () => {
    // The input's row is not strict RFC 4180 (a quote inside an unquoted field), so it is re-encoded.
    const file = write('cr.csv', 'email,note\nann@example.com,"a\rb"\nbo@example.com,say "hi"\n');
    const result = clean(file);
    expect(result.status, result.stderr).toBe(0);
    const text = readFileSync(path.join(result.out, 'cleaned.csv'), 'utf8');
    expect(text).toBe('email,note\nann@example.com,"a\rb"\nbo@example.com,"say ""hi"""\n');
    expect(strictRows(text, '\n')).toEqual([
      ['email', 'note'],
      ['ann@example.com', 'a\rb'],
      ['bo@example.com', 'say "hi"'],
    ]);
  });

  it('header CRLF, rows LF (one column): every row is a contact, not one merged value', () => {
    const addresses = Array.from({ length: 1000 }, (_, i) => `user${i}@example.com`);
    const result = clean(write('crlf-then-lf.csv', `email\r\n${addresses.join('\n')}\n`));
    expect(result.status, result.stderr).toBe(0);
    expect(result.report.input.rows).toBe(1000);
    expect(result.report.counts.cleaned).toBe(1000);
    expect(result.report.input.lineEndings).toEqual({ crlf: 1, lf: 1000, cr: 0, mixed: true });
    expect(result.stderr).toMatch(/note: the file mixes line endings \(1 CRLF, 1000 LF\); each one ended a row, and the lists use LF/);
  });

  it('header LF, rows CRLF (`echo header > f; cat windows.csv >> f`): no address keeps a trailing CR', () => {
    const addresses = Array.from({ length: 1000 }, (_, i) => `user${i}@example.com`);
    const result = clean(write('lf-then-crlf.csv', `email\n${addresses.join('\r\n')}\r\n`));
    expect(result.status, result.stderr).toBe(0);
    expect(result.report.counts).toEqual({ cleaned: 1000, suppressed: 0, retryLater: 0 });
    const text = readFileSync(path.join(result.out, 'cleaned.csv'), 'utf8');
    expect(text).not.toMatch(/\r(?!\n)/);
    expect(
      strictRows(text, '\r\n')
        .slice(1)
        .map((row) => row[0]),
    ).toEqual(addresses);
  });

  it('a CR-only file (old Mac export) is read row by row and written with CR', () => {
    const result = clean(write('cr-only.csv', 'email,name\rann@example.com,Ann\rbo@example.com,Bo\r'));
    expect(result.status, result.stderr).toBe(0);
    expect(result.report.input.rows).toBe(2);
    expect(result.report.output.lineEnding).toBe('cr');
    expect(readFileSync(path.join(result.out, 'cleaned.csv'), 'utf8')).toBe('email,name\rann@example.com,Ann\rbo@example.com,Bo\r');
  });

  it('unchanged rows are written as their input bytes, odd but valid quoting included', () => {
    const input = 'email;"name";city\r\n"ann@example.com";"Ann";""\r\nbo@example.com;"Bo ""B""";Köln\r\n';
    const result = clean(write('quoted.csv', input));
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(path.join(result.out, 'cleaned.csv'), 'utf8')).toBe(input);
  });

  it('column counts that disagree name the likely cause', () => {
    const mixed = clean(write('ragged-mixed.csv', 'email,name,city\r\nann@example.com,Ann,Paris\nbo@example.com,Bo\r\n'));
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toMatch(/do not have 3 fields like the header .*The file mixes line endings/);
    const delimiter = clean(write('ragged-delimiter.csv', 'email,name,city\nann@example.com;Ann;Paris\nbo@example.com,Bo,Rome\n'));
    expect(delimiter.status).toBe(2);
    expect(delimiter.stderr).toMatch(
      /1 row\(s\) do not have 3 fields like the header \(lines 2\)\. Likely causes: a wrong delimiter \(read with ","\)/,
    );
    expect(delimiter.stderr).toMatch(/hint: .*--delimiter/);
  });
});

describe('output encoding (built CLI)', () => {
  const german = 'Name;E-Mail;Ort\r\nMüller;mueller@example.de;Köln\r\nBär;baer@@example.de;Straße\r\n';

  it('Windows-1252 in, Windows-1252 out; report.json says so', () => {
    const result = clean(write('de-1252.csv', iconv.encode(german, 'win1252')));
    expect(result.status, result.stderr).toBe(0);
    expect(result.report.input.encoding).toBe('windows-1252');
    expect(result.report.output.encoding).toBe('windows-1252');
    const cleaned = readFileSync(path.join(result.out, 'cleaned.csv'));
    expect(cleaned.equals(iconv.encode('Name;E-Mail;Ort\r\nMüller;mueller@example.de;Köln\r\n', 'win1252'))).toBe(true);
    const suppressed = iconv.decode(readFileSync(path.join(result.out, 'suppressed.csv')), 'win1252');
    expect(suppressed).toMatch(/^Bär;baer@@example\.de;Straße;invalid-syntax;/m);
  });

  it('a UTF-8 file with BOM gives lists with a BOM; --out-encoding overrides', () => {
    const withBom = write('bom.csv', `\uFEFF${german}`);
    const result = clean(withBom);
    expect(result.status, result.stderr).toBe(0);
    expect(result.report.output.encoding).toBe('utf-8-bom');
    expect(readFileSync(path.join(result.out, 'cleaned.csv'), 'utf8')).toBe('\uFEFFName;E-Mail;Ort\r\nMüller;mueller@example.de;Köln\r\n');
    const plain = clean(withBom, '--out-encoding', 'utf-8');
    expect(plain.report.output.encoding).toBe('utf-8');
    expect(readFileSync(path.join(plain.out, 'cleaned.csv'), 'utf8')).toBe('Name;E-Mail;Ort\r\nMüller;mueller@example.de;Köln\r\n');
    const utf16 = clean(withBom, '--out-encoding', 'utf-16le');
    const bytes = readFileSync(path.join(utf16.out, 'cleaned.csv'));
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(bytes.subarray(2).toString('utf16le')).toBe('Name;E-Mail;Ort\r\nMüller;mueller@example.de;Köln\r\n');
    const latin = clean(withBom, '--out-encoding', 'windows-1252');
    expect(iconv.decode(readFileSync(path.join(latin.out, 'cleaned.csv')), 'win1252')).toBe(
      'Name;E-Mail;Ort\r\nMüller;mueller@example.de;Köln\r\n',
    );
  });

  it('a value the chosen encoding cannot hold stops the run (values are never changed); an unknown name is exit 2', () => {
    const result = clean(
      write('polish.csv', 'email,name\nann@example.com,Ann\nlukasz@example.pl,Łukasz\n'),
      '--out-encoding',
      'windows-1252',
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /error: line 3 of the input holds "Ł" \(U\+0141\), which windows-1252 cannot hold; hygiene never changes your values/,
    );
    expect(result.stderr).toMatch(/hint: Write UTF-8 instead: --out-encoding utf-8/);
    const unknown = clean(write('x.csv', 'email\na@example.com\n'), '--out-encoding', 'ebcdic');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(
      /--out-encoding "ebcdic" is not supported.*\nhint: Use one of: utf-8, utf-8-bom, windows-1252, utf-16le/,
    );
  });

  it("text hygiene adds that Windows-1252 lacks is transliterated in hygiene's columns only", () => {
    const list = write('de.csv', iconv.encode('E-Mail;Name\r\nanna@example.de;Anna\r\nbo@example.de;Bö\r\n', 'win1252'));
    const log = write(
      'mail.log',
      'Nov 20 10:00:00 mx postfix/smtp[123]: ABC123: to=<anna@example.de>, relay=mx.example.de[192.0.2.1]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 ユーザー不明 → user unknown)\n',
    );
    const result = clean(list, '--bounces', log, '--now', '2026-11-21T00:00:00Z');
    expect(result.status, result.stderr).toBe(0);
    const suppressed = iconv.decode(readFileSync(path.join(result.out, 'suppressed.csv')), 'win1252');
    expect(suppressed).toMatch(/^anna@example\.de;Anna;hard-bounce;[^\r\n]*\?\?\?\?\?\?[^\r\n]*-> user unknown/m);
    expect(iconv.decode(readFileSync(path.join(result.out, 'cleaned.csv')), 'win1252')).toBe('E-Mail;Name\r\nbo@example.de;Bö\r\n');
  });
});

describe('--now (built CLI)', () => {
  for (const bad of ['2026-02-31', '', '2026-11-23T24:00:00Z', 'yesterday', '2026-11-23T09:00:00+25:00']) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      const result = clean(write('now.csv', 'email\na@example.com\n'), '--now', bad);
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`error: --now ${JSON.stringify(bad)} is not a real ISO 8601 date or time`);
    });
  }
  it('takes a real date, a date-time with offset, and a leap day', () => {
    for (const good of ['2026-11-23', '2026-11-23T10:00:00+01:00', '2024-02-29T00:00:00Z']) {
      expect(clean(write('now.csv', 'email\na@example.com\n'), '--now', good).status).toBe(0);
    }
  });
});
