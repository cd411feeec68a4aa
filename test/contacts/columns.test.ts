import { describe, expect, it } from 'vitest';
import { findAddressColumns } from '../../src/contacts/columns.js';

const names = (header: string[], rows: string[][] = [], override?: string | string[]) =>
  findAddressColumns(header, rows, override, 'list.csv').map((choice) => header[choice.index]);

describe('findAddressColumns', () => {
  it('finds the address columns of common exports by name, the primary first', () => {
    expect(names(['First Name', 'E-mail Address', 'E-mail Type', 'E-mail Display Name', 'E-mail 2 Address', 'E-mail 3 Address'])).toEqual([
      'E-mail Address',
      'E-mail 2 Address',
      'E-mail 3 Address',
    ]);
    expect(names(['Name', 'E-mail 1 - Type', 'E-mail 1 - Value', 'E-mail 2 - Type', 'E-mail 2 - Value'])).toEqual([
      'E-mail 1 - Value',
      'E-mail 2 - Value',
    ]);
    expect(names(['Vorname', 'E-Mail-Adresse', 'E-Mail 2: Adresse', 'E-Mail 3: Adresse'])).toEqual([
      'E-Mail-Adresse',
      'E-Mail 2: Adresse',
      'E-Mail 3: Adresse',
    ]);
    expect(names(['Email Address', 'First Name', 'Address', 'MEMBER_RATING'])).toEqual(['Email Address']);
    expect(names(['Record ID', 'Email', 'Secondary Email', 'Email Opt Out', 'Contact owner'])).toEqual(['Email', 'Secondary Email']);
    // Pipedrive names the record first; its empty "Other" column is still an address column.
    const pipedrive = ['Person - Name', 'Person - Email - Work', 'Person - Email - Home', 'Person - Email - Other', 'Person - Owner'];
    expect(names(pipedrive, [['Ann Lee', 'ann@acme.example', 'ann@home.example', '', 'Sam']])).toEqual([
      'Person - Email - Work',
      'Person - Email - Home',
      'Person - Email - Other',
    ]);
  });

  it("leaves out columns of somebody else's address, found by name or by content", () => {
    const rows = [['Ann', 'ann@example.com', 'sam@seller.example', 'boss@example.com']];
    expect(names(['Name', 'Email', 'Owner Email', 'Manager Email'], rows)).toEqual(['Email']);
  });

  it('adds other columns whose values are mostly one address each', () => {
    const rows = [
      ['Ann', 'ann@example.com', 'ann.b@example.org', 'call ann@x.example'],
      ['Bob', 'bob@example.com', '', 'n/a'],
      ['Cy', 'cy@example.com', 'Cy <cy@home.example>', ''],
    ];
    expect(names(['Name', 'Email', 'Private', 'Notes'], rows)).toEqual(['Email', 'Private']);
  });

  it('takes every --email-column in order, and refuses one without any "@"', () => {
    const header = ['Name', 'Email', 'Other'];
    const rows = [['Ann', 'ann@example.com', 'a@example.org']];
    expect(names(header, rows, ['Other', '2'])).toEqual(['Other', 'Email']);
    expect(() => names(header, rows, ['Name'])).toThrow(
      /--email-column "Name": no sampled value in that column contains "@"; the columns with "@" are 2="Email", 3="Other"/,
    );
  });
});
