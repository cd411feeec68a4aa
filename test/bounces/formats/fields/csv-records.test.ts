import { describe, expect, it } from 'vitest';
import { numberLines } from '../../../number-lines.js';
import { readCsvRecords, sniffCsvHeader, type CsvItem } from '../../../../src/bounces/formats/fields/csv-records.js';

async function read(text: string): Promise<CsvItem[]> {
  const items: CsvItem[] = [];
  for await (const item of readCsvRecords(numberLines(text))) items.push(item);
  return items;
}

describe('sniffCsvHeader', () => {
  it('finds the delimiter and column names', () => {
    expect(sniffCsvHeader('created,email,reason,status\n1,a@b,x,5.1.1')).toEqual({
      delimiter: ',',
      columns: ['created', 'email', 'reason', 'status'],
    });
    expect(sniffCsvHeader('\uFEFFEmail;Status;"Reason; why"\r\n')?.columns).toEqual(['Email', 'Status', 'Reason; why']);
    expect(sniffCsvHeader('\n\nemail\tcode\n')?.delimiter).toBe('\t');
  });

  it('is null for JSON, single columns and log lines without delimiters', () => {
    expect(sniffCsvHeader('[{"email":"a@b","status":"5.1.1"}]')).toBeNull();
    expect(sniffCsvHeader('email\na@example.com')).toBeNull();
    expect(sniffCsvHeader('From: a@example.com\nTo: b@example.com')).toBeNull();
    expect(sniffCsvHeader('')).toBeNull();
  });
});

describe('readCsvRecords', () => {
  it('keys rows by header name and numbers them by the line where they start', async () => {
    const items = await read('email,reason\na@example.com,"one\ntwo\nthree"\n\nb@example.com,ok\n');
    expect(items).toEqual([
      { kind: 'row', line: 2, fields: { email: 'a@example.com', reason: 'one\ntwo\nthree' } },
      { kind: 'row', line: 6, fields: { email: 'b@example.com', reason: 'ok' } },
    ]);
  });

  it('reads semicolon and tab files, CRLF endings, a BOM, and leading blank lines', async () => {
    const semicolon = await read('\uFEFFemail;code\r\na@example.com;550\r\n');
    expect(semicolon).toEqual([{ kind: 'row', line: 2, fields: { email: 'a@example.com', code: '550' } }]);
    const tab = await read('\n\nemail\tcode\na@example.com\t421\n');
    expect(tab).toEqual([{ kind: 'row', line: 4, fields: { email: 'a@example.com', code: '421' } }]);
  });

  it('tolerates short and long rows (counting the values past the header), stray quotes, and keeps the first of repeated names', async () => {
    const items = await read('email,note,email\na@example.com\nb@example.com,say "hi",c@example.com,extra\n');
    expect(items).toEqual([
      { kind: 'row', line: 2, fields: { email: 'a@example.com', note: '' } },
      { kind: 'row', line: 3, fields: { email: 'b@example.com', note: 'say "hi"' }, extraFields: 1 },
    ]);
  });

  it('reports a quote left open at the line where its record starts, after the good rows', async () => {
    const items = await read('email,reason\na@example.com,ok\nb@example.com,"never closed\nc@example.com,x\n');
    expect(items[0]).toMatchObject({ kind: 'row', line: 2 });
    expect(items[1]).toMatchObject({ kind: 'malformed', line: 3 });
    expect(items).toHaveLength(2);
  });

  it('skips rows that are only delimiters, and yields nothing for a header alone', async () => {
    expect(await read('email,reason\n,,\n')).toEqual([]);
    expect(await read('email,reason\n')).toEqual([]);
    expect(await read('')).toEqual([]);
  });
});
