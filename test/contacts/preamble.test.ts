import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPreamble } from '../../src/contacts/preamble.js';
import { readContactRows, sniffContactFile, type ReadStats } from '../../src/contacts/reader.js';
import { HygieneError } from '../../src/errors.js';

const LINKEDIN_NOTE =
  '"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email."';

function file(name: string, text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-preamble-'));
  const target = path.join(dir, name);
  writeFileSync(target, text);
  return target;
}

async function read(target: string) {
  const info = await sniffContactFile(target, {});
  const stats: ReadStats = { raggedCount: 0, raggedLines: [], blankLines: 0 };
  const rows = [];
  for await (const row of readContactRows(info, {}, stats)) rows.push(row);
  return { info, rows, stats };
}

describe('findPreamble: notes above the header', () => {
  it("finds LinkedIn's notes, and where the header starts", () => {
    const text = `Notes:\n${LINKEDIN_NOTE}\n\nFirst Name,Last Name,Email Address\nAnn,Lee,ann@example.org\n`;
    const found = findPreamble(text);
    expect(found).toMatchObject({ headerLine: 4, lines: 3 });
    expect(found!.text).toEqual(['Notes:', LINKEDIN_NOTE.slice(1, -1)]);
    expect(found!.rest.startsWith('First Name,')).toBe(true);
  });

  it('reads a note spread over several lines inside quotes as one, and counts the lines after it', () => {
    const found = findPreamble('"Contacts report\nexported 2024-05-01"\r\n\r\nName;E-mail\r\nAnn;ann@example.org\r\n');
    expect(found).toMatchObject({ headerLine: 4, lines: 2, text: ['Contacts report\nexported 2024-05-01'] });
  });

  it('takes a row of empty cells for the blank line a spreadsheet saved it as', () => {
    expect(findPreamble('Notes:,,,\n,,,\nName,Email\nAnn,ann@example.org\n')).toMatchObject({ headerLine: 3, lines: 2, text: ['Notes:'] });
  });

  it.each([
    ['a first line that is blank', '\nName,Email\nAnn,ann@example.org\n'],
    ['no blank line', 'Name,Company\nAnn,Acme\n'],
    ['an address before the blank line', 'Sent by ann@example.org\n\nName,Email\nBob,bob@example.org\n'],
    ['nothing after the blank line', 'Notes:\n\n'],
    ['more lines than a note', `${'a line of text\n'.repeat(11)}\nName,Email\nAnn,ann@example.org\n`],
  ])('finds none with %s', (_what, text) => {
    expect(findPreamble(text)).toBeNull();
  });
});

describe('a contact file with notes above the header', () => {
  it('reads the rows after the header, with their own line numbers, and reports the notes', async () => {
    const target = file(
      'Connections.csv',
      `Notes:\n${LINKEDIN_NOTE}\n\nFirst Name,Last Name,Email Address\nAnn,Lee,ann@example.org\nBob,Ray,\n`,
    );
    const { info, rows } = await read(target);
    expect(info).toMatchObject({ hasHeader: true, headerLine: 4, preamble: { lines: 3 } });
    expect(info.header).toEqual(['First Name', 'Last Name', 'Email Address']);
    expect(info.emailColumn.name).toBe('Email Address');
    expect(rows.map((row) => [row.line, row.values])).toEqual([
      [5, ['Ann', 'Lee', 'ann@example.org']],
      [6, ['Bob', 'Ray', '']],
    ]);
  });

  it('finds the delimiter of the rows, not of the notes', async () => {
    const { info, rows } = await read(file('report.csv', 'Contacts, all regions\n\nName;E-mail;City\nAnn;ann@example.org;Lyon\n'));
    expect(info.delimiter).toBe(';');
    expect(rows[0]!.values).toEqual(['Ann', 'ann@example.org', 'Lyon']);
  });

  it('leaves a file whose first line is its header as it was', async () => {
    const { info } = await read(file('plain.csv', 'Name,Email\n\nAnn,ann@example.org\n'));
    expect(info).toMatchObject({ headerLine: 1, preamble: { lines: 0, text: [] } });
  });

  it('still fails, naming the first line, when no line after the notes names an address column', async () => {
    const target = file('no-address.csv', 'Notes:\n\nName,Company\nAnn,Acme\n');
    const error = await read(target).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HygieneError);
    expect((error as HygieneError).line).toBe(1);
  });
});
