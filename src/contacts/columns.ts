/** Finding the email column of a contact list: by header name, else by content. */

import { HygieneError } from '../errors.js';

/** Header names (lower-case, letters and digits only) that mean "the email address". */
const EMAIL_HEADER_NAMES: readonly string[] = [
  'email',
  'emailaddress',
  'emailaddr',
  'email1',
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

export function normalizeHeaderName(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

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
  if (bestIndex >= 0) return { index: bestIndex, by: 'header', how: 'found by header name' };
  const byContent = columnByContent(header.length, sampleRows);
  if (byContent) return byContent;
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
