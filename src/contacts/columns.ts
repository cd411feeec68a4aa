/** Finding the email column of a contact list: by header name, else by content. */

import { HygieneError } from '../errors.js';

/** Header names (lower-case, letters and digits only) that mean "the email address". */
const EMAIL_HEADER_NAMES: readonly string[] = [
  'email',
  'emailaddress',
  'emailaddr',
  'email1',
  'email1value',
  'email1address',
  'email1adresse',
  'primaryemail',
  'workemail',
  'businessemail',
  'personalemail',
  'contactemail',
  'useremail',
  'customeremail',
  'subscriberemail',
  'emails',
  'mail',
  'mailaddress',
  'emailadresse',
  'adresseemail',
  'adressemail',
  'courriel',
  'adressecourriel',
  'correo',
  'correoelectronico',
  'posta',
  'postaelettronica',
  'epost',
  'epostadresse',
  'sähköposti'.normalize('NFC'),
  'recipient',
  'address',
];

/** Header names that mean email only sometimes. */
const AMBIGUOUS_NAMES: ReadonlySet<string> = new Set(['address', 'recipient', 'mail']);

export function normalizeHeaderName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * Any header that names a contact's own address: `E-mail 2 Address` (Outlook), `E-mail 2 - Value`
 * (Google), `E-Mail 2: Adresse` (German Outlook), `Secondary Email`, `Home Email`, ... once
 * normalised: qualifiers (a number, other, home, ...) around `email` or `mail`, then maybe
 * `address`/`value`. `E-mail 1 - Type` or `Email Opt Out` are not addresses and do not match.
 */
const QUALIFIER =
  '(?:primary|secondary|other|alternate|alternative|additional|alt|home|work|personal|business|private|office|second|third|\\d{1,2}(?!\\d))';
/** What a CRM may name first in a column (Pipedrive's `Person - Email - Work`, `Contact: Email 2`), normalised. */
export const RECORD_KINDS: readonly string[] = ['person', 'contact', 'lead', 'customer', 'client', 'subscriber', 'member', 'user'];
const RECORD_KIND = `(?:${RECORD_KINDS.join('|')})?`;
const ADDRESS_HEADER = new RegExp(
  `^${RECORD_KIND}${QUALIFIER}*(?:e?mail|emails|courriel|correo)${QUALIFIER}*(?:address|addr|value|adresse)?${QUALIFIER}*$`,
);
const MAX_HEADER_NAME = 60;
/** Columns holding somebody else's address (the record's owner, a manager): never the contact's. */
const SOMEONE_ELSE = /owner|manager|assistant|createdby|modifiedby|sender|replyto|referr|from|rep$|agent/;
/** A value that is one address, maybe wrapped (display name, brackets). Bounded: linear. */
const ADDRESS_VALUE = /^[^@\s]{1,256}@[^@\s]{1,253}\.[^@\s]{1,63}$|<[^<>@\s]{1,256}@[^<>@\s]{1,253}>/;

export interface EmailColumnChoice {
  index: number;
  by: 'header' | 'content' | 'option';
  /** How it was chosen, said to the user: `header "Email Address"`, `content: 97% of values contain @`. */
  how: string;
}

/**
 * Picks the email column. An explicit choice (name or 1-based number) wins; then the first header
 * whose name means email (earlier names in the list rank higher); then the column where most
 * sampled values contain `@`.
 */
export function findEmailColumn(
  header: readonly string[],
  sampleRows: readonly (readonly string[])[],
  override: string | undefined,
  file: string,
): EmailColumnChoice {
  if (override !== undefined && override !== '') return resolveOverride(header, override, file);
  const normalized = header.map(normalizeHeaderName);
  let bestRank = Infinity;
  let bestIndex = -1;
  normalized.forEach((name, index) => {
    const rank = EMAIL_HEADER_NAMES.indexOf(name);
    if (rank >= 0 && rank < bestRank) {
      bestRank = rank;
      bestIndex = index;
    }
  });
  const byContent = () => columnByContent(header.length, sampleRows);
  if (bestIndex >= 0) {
    // "Address" or "Recipient" may be a postal address or a name: without any "@" in them, the
    // column whose values hold addresses is meant. A name that says email always wins.
    if (AMBIGUOUS_NAMES.has(normalized[bestIndex]!) && sampleRows.length > 0 && !anyValueHasAt(sampleRows, bestIndex)) {
      const instead = byContent();
      if (instead) return instead;
    }
    return { index: bestIndex, by: 'header', how: 'found by header name' };
  }
  const found = columnByContent(header.length, sampleRows);
  if (found) return found;
  throw new HygieneError({
    code: 'NO_EMAIL_COLUMN',
    file,
    line: 1,
    message: `${file}:1: no email column: no header is named like an email column (${header
      .slice(0, 12)
      .map(shownName)
      .join(', ')}${header.length > 12 ? ', ...' : ''}) and no column holds mostly values with "@"`,
    hint: 'Name the column with --email-column NAME or --email-column NUMBER (1-based).',
  });
}

/**
 * Every address column: the explicit ones (`--email-column`, repeatable; the first is the
 * primary), else the primary found by `findEmailColumn` and then the other columns whose name
 * means a contact's address or whose sampled values are mostly addresses. A chosen column
 * with no `@` in any sampled value is an error naming the columns that have some.
 */
export function findAddressColumns(
  header: readonly string[],
  sampleRows: readonly (readonly string[])[],
  overrides: string | readonly string[] | undefined,
  file: string,
): EmailColumnChoice[] {
  const explicit = (typeof overrides === 'string' ? [overrides] : (overrides ?? [])).filter((o) => o !== '');
  if (explicit.length > 0) {
    const chosen = uniqueColumns(explicit.map((override) => resolveOverride(header, override, file)));
    const withoutAt = chosen.filter((choice) => !anyValueHasAt(sampleRows, choice.index));
    if (withoutAt.length > 0 && sampleRows.length > 0) throw noAtError(header, sampleRows, withoutAt, file);
    return chosen;
  }
  const primary = findEmailColumn(header, sampleRows, undefined, file);
  const columns = [primary];
  header.forEach((name, index) => {
    if (index === primary.index) return;
    const normalized = normalizeHeaderName(name);
    if (SOMEONE_ELSE.test(normalized)) return;
    if (normalized.length <= MAX_HEADER_NAME && ADDRESS_HEADER.test(normalized)) {
      columns.push({ index, by: 'header', how: 'found by header name' });
      return;
    }
    const share = addressShare(sampleRows, index);
    if (share >= 0.5)
      columns.push({ index, by: 'content', how: `found by content: ${Math.round(share * 100)}% of sampled values are addresses` });
  });
  return columns;
}

function uniqueColumns(choices: EmailColumnChoice[]): EmailColumnChoice[] {
  const seen = new Set<number>();
  return choices.filter((choice) => !seen.has(choice.index) && seen.add(choice.index));
}

function anyValueHasAt(rows: readonly (readonly string[])[], column: number): boolean {
  return rows.some((row) => (row[column] ?? '').includes('@'));
}

/** The share of the non-empty sampled values of a column that are one address; 0 when all are empty. */
function addressShare(rows: readonly (readonly string[])[], column: number): number {
  let filled = 0;
  let addresses = 0;
  for (const row of rows) {
    const value = (row[column] ?? '').trim();
    if (value === '') continue;
    filled++;
    if (value.length <= 600 && ADDRESS_VALUE.test(value)) addresses++;
  }
  return filled === 0 ? 0 : addresses / filled;
}

function noAtError(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  withoutAt: readonly EmailColumnChoice[],
  file: string,
): HygieneError {
  const named = withoutAt.map((choice) => shownName(header[choice.index] ?? `column ${choice.index + 1}`)).join(', ');
  const candidates = header
    .map((name, index) => ({ name, index }))
    .filter(({ index }) => anyValueHasAt(rows, index))
    .map(({ name, index }) => `${index + 1}=${shownName(name)}`);
  return new HygieneError({
    code: 'EMAIL_COLUMN_HAS_NO_ADDRESSES',
    file,
    line: 1,
    message: `${file}:1: --email-column ${named}: no sampled value in ${withoutAt.length > 1 ? 'these columns' : 'that column'} contains "@"; ${
      candidates.length > 0
        ? `the columns with "@" are ${candidates.slice(0, SHOWN_COLUMNS).join(', ')}`
        : 'no column holds a value with "@"'
    }`,
    hint:
      candidates.length > 0
        ? 'Pass --email-column with one of those columns (name or 1-based number).'
        : 'Check that this is the contact list you meant.',
  });
}

function columnByContent(width: number, rows: readonly (readonly string[])[]): EmailColumnChoice | null {
  if (rows.length === 0) return null;
  let best = -1;
  let bestShare = 0;
  for (let column = 0; column < width; column++) {
    let withAt = 0;
    for (const row of rows) if ((row[column] ?? '').includes('@')) withAt++;
    const share = withAt / rows.length;
    if (share > bestShare) {
      bestShare = share;
      best = column;
    }
  }
  if (best < 0 || bestShare < 0.5) return null;
  return { index: best, by: 'content', how: `found by content: ${Math.round(bestShare * 100)}% of sampled values contain "@"` };
}

function resolveOverride(header: readonly string[], override: string, file: string): EmailColumnChoice {
  const exact = header.indexOf(override);
  if (exact >= 0) return { index: exact, by: 'option', how: `--email-column "${override}"` };
  const wanted = normalizeHeaderName(override);
  const loose = header.findIndex((name) => normalizeHeaderName(name) === wanted);
  if (loose >= 0) return { index: loose, by: 'option', how: `--email-column "${override}"` };
  if (/^\d+$/.test(override)) {
    const number = Number(override);
    if (number >= 1 && number <= header.length) return { index: number - 1, by: 'option', how: `--email-column ${number}` };
  }
  throw new HygieneError({
    code: 'EMAIL_COLUMN_NOT_FOUND',
    file,
    line: 1,
    message: `${file}:1: --email-column ${shownName(override)} matches no column; the columns are ${header
      .slice(0, SHOWN_COLUMNS)
      .map((h, i) => `${i + 1}=${shownName(h)}`)
      .join(', ')}${header.length > SHOWN_COLUMNS ? `, ... (${header.length} columns)` : ''}`,
    hint: 'Give a header name exactly as in the file, or a column number from 1.',
  });
}

const SHOWN_COLUMNS = 50;
const SHOWN_NAME_CHARS = 60;

/** A header name quoted for a message; a "header" that is really a 50 MB line is cut. */
function shownName(name: string): string {
  return JSON.stringify(name.length > SHOWN_NAME_CHARS ? `${name.slice(0, SHOWN_NAME_CHARS)}…` : name);
}

/** A first row that holds an address where the email column is: the file has no header row. */
export function looksLikeDataRow(row: readonly string[]): boolean {
  return row.some((value) => value.length <= 320 && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value.trim()));
}
