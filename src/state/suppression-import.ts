import { parse } from 'csv-parse/sync';
import { HygieneError } from '../errors.js';
import { historyKey, type SuppressionEntry, type SuppressionReason } from '../policy/history-model.js';
import { looksLikeAddress } from '../text/address-shape.js';
import { numericDateToIso } from '../text/numeric-date.js';
import { asJsonObject, isJsonObject } from '../text/json.js';

export { looksLikeAddress };

export type { SuppressionEntry, SuppressionReason } from '../policy/history-model.js';

/**
 * Reads the suppression exports of ESPs (Amazon SES, SendGrid, Mailgun, Postmark, SparkPost,
 * Mandrill, Mailchimp), other exports that give a "Suppression Reason" per address, and plain lists of
 * addresses, detected by content (and, for SendGrid's look-alike CSVs, by file name).
 */

export type SuppressionProvider =
  'ses' | 'sendgrid' | 'mailgun' | 'postmark' | 'sparkpost' | 'mailchimp' | 'mandrill' | 'reasoned' | 'plain';

export interface ParseOptions {
  /** List rows without a valid-looking address in `bad` and read the rest, instead of failing. */
  skipBad?: boolean;
}

export interface SuppressionImport {
  provider: SuppressionProvider;
  entries: SuppressionEntry[];
  /** Rows read but deliberately not suppressed (e.g. SendGrid blocks), with why. */
  skipped: Array<{ location: string; address: string; why: string }>;
  /** With `skipBad`: rows without a valid-looking address, not imported. */
  bad: Array<{ location: string; line: number | null; why: string }>;
}

type Row = Record<string, string>;

/** Turns one export row into an entry; null address means "no address column value". */
interface RowReading {
  address: string | undefined;
  reason: SuppressionReason | 'skip';
  note: string | null;
  at: unknown;
}

const NOTE_MAX = 200;

// Which kind of SendGrid / Mailgun list a file is, from words in its name ("spam_reports.csv").
const LIST_BY_FILE_NAME: ReadonlyArray<readonly [RegExp, SuppressionReason | 'skip']> = [
  [/block/i, 'skip'],
  [/spam|complain/i, 'complaint'],
  [/unsub/i, 'unsubscribe'],
  [/invalid/i, 'invalid'],
  [/bounce/i, 'hard-bounce'],
];

const SES_REASONS: ReadonlyMap<string, SuppressionReason> = new Map([
  ['BOUNCE', 'hard-bounce'],
  ['COMPLAINT', 'complaint'],
]);

const POSTMARK_REASONS: ReadonlyMap<string, SuppressionReason> = new Map([
  ['hardbounce', 'hard-bounce'],
  ['spamcomplaint', 'complaint'],
  ['manualsuppression', 'manual'],
]);

/**
 * The words other services' suppression exports put in a "Suppression Reason" column (Klaviyo,
 * HubSpot, CRMs), squashed: what each says.
 */
const REASON_WORDS: ReadonlyArray<readonly [RegExp, SuppressionReason]> = [
  [/bounce|bounced|undeliverable/, 'hard-bounce'],
  [/spam|complain|abuse/, 'complaint'],
  [/unsub|optout|optedout/, 'unsubscribe'],
  [/invalid/, 'invalid'],
  [/manual/, 'manual'],
];

/** SparkPost's `source`: what put the address on its suppression list. */
const SPARKPOST_SOURCES: ReadonlyMap<string, SuppressionReason> = new Map([
  ['bouncerule', 'hard-bounce'],
  ['spamcomplaint', 'complaint'],
  ['unsubscribe', 'unsubscribe'],
  ['listunsubscribe', 'unsubscribe'],
  ['manuallyadded', 'manual'],
]);

const MANDRILL_REASONS: ReadonlyMap<string, SuppressionReason> = new Map([
  ['hard-bounce', 'hard-bounce'],
  ['spam', 'complaint'],
  ['unsub', 'unsubscribe'],
  ['custom', 'manual'],
]);

const SENDGRID_BLOCK_WHY = 'SendGrid blocks refuse the sender, not the address; they are not suppressed';

/**
 * Parses a suppression export. Throws HygieneError (SUPPRESSION_INVALID, exit 2) naming
 * `file:line` (or `file#n` for the n-th JSON entry) for a row without a valid-looking address,
 * and for a file whose shape is not recognised.
 */
export function parseSuppressionExport(text: string, fileName: string, options: ParseOptions = {}): SuppressionImport {
  const content = text.replace(/^\uFEFF/, '');
  const start = content.trimStart()[0];
  const skipBad = options.skipBad === true;
  if (start === '{' || start === '[') return parseJsonExport(content, fileName, skipBad);
  return parseDelimitedExport(content, fileName, skipBad);
}

// ---------------------------------------------------------------------------------------------
// JSON: `aws sesv2 list-suppressed-destinations`, Postmark's API, SendGrid's and Mailgun's APIs.

function parseJsonExport(text: string, fileName: string, skipBad: boolean): SuppressionImport {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw invalid(`${fileName}: looks like JSON but does not parse (${(error as Error).message.slice(0, 120)})`, fileName);
  }
  const object = asJsonObject(data);
  if (object !== null && Array.isArray(object['SuppressedDestinationSummaries'])) {
    return fromJsonItems('ses', object['SuppressedDestinationSummaries'], fileName, skipBad, (item) => ({
      address: stringOrUndefined(item['EmailAddress']),
      reason: SES_REASONS.get(String(item['Reason']).toUpperCase()) ?? 'other',
      note: null,
      at: item['LastUpdateTime'],
    }));
  }
  if (object !== null && Array.isArray(object['Suppressions'])) {
    return fromJsonItems('postmark', object['Suppressions'], fileName, skipBad, (item) => ({
      address: stringOrUndefined(item['EmailAddress']),
      reason: POSTMARK_REASONS.get(squash(String(item['SuppressionReason']))) ?? 'other',
      note: item['Origin'] === undefined ? null : `origin ${String(item['Origin'])}`,
      at: item['CreatedAt'],
    }));
  }
  // SparkPost's API (`/api/v1/suppression-list`): `results`, one entry per address and type.
  if (object !== null && Array.isArray(object['results']) && object['results'].every((item) => isJsonObject(item) && 'recipient' in item)) {
    return fromJsonItems('sparkpost', object['results'], fileName, skipBad, (item) => sparkpostReading(item));
  }
  if (object !== null && Array.isArray(object['items'])) {
    const listReason = listFromFileName(fileName);
    return fromJsonItems('mailgun', object['items'], fileName, skipBad, (item) => ({
      address: stringOrUndefined(item['address']),
      reason: listReason ?? mailgunReason(new Set(Object.keys(item).map(squash))),
      note: joinNote(item['code'], item['error']),
      at: item['created_at'],
    }));
  }
  // Mandrill's rejection list (`rejects/list`): SendGrid-like, but with the expiry of each entry.
  if (
    Array.isArray(data) &&
    data.every((item) => isJsonObject(item) && 'email' in item && ('expires_at' in item || 'last_event_at' in item))
  ) {
    return fromJsonItems('mandrill', data, fileName, skipBad, (item) =>
      mandrillReading(item['email'], item['reason'], item['detail'], item['created_at']),
    );
  }
  if (Array.isArray(data) && data.every((item) => isJsonObject(item) && 'email' in item)) {
    const listReason = listFromFileName(fileName);
    return fromJsonItems('sendgrid', data, fileName, skipBad, (item) => ({
      address: stringOrUndefined(item['email']),
      reason: listReason ?? sendgridReason(new Set(Object.keys(item).map(squash))),
      note: joinNote(item['status'], item['reason']),
      at: item['created'],
    }));
  }
  throw invalid(`${fileName}: JSON of an unknown shape`, fileName, SUPPORTED_HINT);
}

function fromJsonItems(
  provider: SuppressionProvider,
  items: unknown[],
  fileName: string,
  skipBad: boolean,
  read: (item: Record<string, unknown>) => RowReading,
): SuppressionImport {
  const result: SuppressionImport = { provider, entries: [], skipped: [], bad: [] };
  items.forEach((item, index) => {
    const location = `${fileName}#${index + 1}`;
    if (!isJsonObject(item)) throw invalid(`${location}: entry is not an object`, fileName);
    addReading(result, read(item), location, fileName, undefined, skipBad);
  });
  return result;
}

// ---------------------------------------------------------------------------------------------
// CSV exports and plain lists.

function parseDelimitedExport(text: string, fileName: string, skipBad: boolean): SuppressionImport {
  const firstLine = firstContentLine(text);
  if (firstLine === null) return { provider: 'plain', entries: [], skipped: [], bad: [] };
  const delimiter = likelyDelimiter(firstLine.text);
  const header = delimiter === null ? [squash(firstLine.text)] : firstLine.text.split(delimiter).map((cell) => squash(unquote(cell)));
  const columns = new Set(header);
  if (columns.has('emailaddress') && columns.has('optintime') && !columns.has('unsubtime') && !columns.has('cleantime')) {
    throw invalid(
      `${fileName}:${firstLine.line}: a Mailchimp export of subscribed members: nobody in it is to be suppressed`,
      fileName,
      'Import the unsubscribed or cleaned members export (Audience > Export audience: unsubscribed_members_export, cleaned_members_export).',
      firstLine.line,
    );
  }
  const provider = delimiter === null ? null : providerOfColumns(columns);
  if (provider === null) {
    if (delimiter === null || header.length === 1) return parsePlainList(text, fileName, skipBad);
    throw invalid(
      `${fileName}:${firstLine.line}: unknown export columns (${header.slice(0, 8).join(', ')})`,
      fileName,
      SUPPORTED_HINT,
      firstLine.line,
    );
  }

  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, {
      from_line: firstLine.line,
      delimiter: delimiter ?? ',',
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw invalid(`${fileName}${line === undefined ? '' : `:${line}`}: ${(error as Error).message}`, fileName, undefined, line);
  }
  const [headerRecord, ...rows] = records;
  const names = (headerRecord?.record ?? []).map(squash);
  const result: SuppressionImport = { provider, entries: [], skipped: [], bad: [] };
  const listReason = listFromFileName(fileName);
  for (const { record, info } of rows) {
    const row: Row = {};
    names.forEach((name, index) => (row[name] = record[index] ?? ''));
    const location = `${fileName}:${info.lines}`;
    addReading(result, READ_CSV_ROW[provider](row, columns, listReason), location, fileName, info.lines, skipBad);
  }
  return result;
}

const READ_CSV_ROW: Readonly<
  Record<
    Exclude<SuppressionProvider, 'plain'>,
    (row: Row, columns: ReadonlySet<string>, listReason: SuppressionReason | 'skip' | null) => RowReading
  >
> = {
  ses: (row) => ({
    address: row['emailaddress'] ?? row['email'],
    reason: SES_REASONS.get((row['reason'] ?? '').toUpperCase()) ?? 'other',
    note: null,
    at: row['lastupdatetime'],
  }),
  postmark: (row) => ({
    address: row['emailaddress'] ?? row['email'],
    reason: POSTMARK_REASONS.get(squash(row['reason'] ?? row['suppressionreason'] ?? '')) ?? 'other',
    note: row['origin'] ? `origin ${row['origin']}` : null,
    at: row['createdat'],
  }),
  mailgun: (row, columns, listReason) => ({
    address: row['address'],
    reason: listReason ?? mailgunReason(columns),
    note: joinNote(row['code'], row['error']),
    at: row['createdat'],
  }),
  mailchimp: (row) => {
    const cleaned = row['cleantime'] !== undefined;
    return {
      address: row['emailaddress'],
      reason: cleaned ? 'hard-bounce' : 'unsubscribe',
      note: cleaned
        ? joinNote('cleaned by Mailchimp', row['cleancampaigntitle'] ? `(campaign ${row['cleancampaigntitle']})` : '')
        : joinNote('unsubscribed in Mailchimp', row['unsubreason'] ? `: ${row['unsubreason']}` : '', row['unsubreasonother']),
      at: cleaned ? row['cleantime'] : row['unsubtime'],
    };
  },
  sparkpost: (row) => sparkpostReading(row),
  mandrill: (row) => mandrillReading(row['email'], row['reason'], row['detail'], row['createdat']),
  reasoned: (row) => {
    const said = row['suppressionreason'] ?? row['suppressiontype'] ?? '';
    return {
      address: row['email'] ?? row['emailaddress'],
      reason: REASON_WORDS.find(([words]) => words.test(squash(said)))?.[1] ?? 'other',
      note: said === '' ? null : said,
      at: row['suppresseddate'] ?? row['suppressedat'] ?? row['dateadded'] ?? row['date'],
    };
  },
  sendgrid: (row, columns, listReason) => ({
    address: row['email'],
    reason: listReason ?? sendgridReason(columns),
    note: joinNote(row['status'], row['reason']),
    at: row['created'],
  }),
};

/** A Mandrill rejection-list entry (API item or CSV row): its reason, and the reply that put it there. */
function mandrillReading(address: unknown, reason: unknown, detail: unknown, at: unknown): RowReading {
  return {
    address: stringOrUndefined(address),
    reason: MANDRILL_REASONS.get(String(reason)) ?? 'other',
    note: joinNote(reason, detail),
    at,
  };
}

/** A SparkPost suppression entry (CSV row or API item): `source` says why, `type` for which mail. */
function sparkpostReading(item: Record<string, unknown>): RowReading {
  return {
    address: stringOrUndefined(item['recipient']),
    reason: SPARKPOST_SOURCES.get(squash(String(item['source'] ?? ''))) ?? 'other',
    note: joinNote(item['source'], item['type'], item['description']),
    at: item['updated'] ?? item['created'],
  };
}

function providerOfColumns(columns: ReadonlySet<string>): Exclude<SuppressionProvider, 'plain'> | null {
  if (columns.has('recipient') && columns.has('source') && (columns.has('type') || columns.has('description'))) return 'sparkpost';
  // Mailchimp's member exports: unsubscribed_members_export (UNSUB_TIME), cleaned_members_export (CLEAN_TIME).
  if (columns.has('emailaddress') && (columns.has('unsubtime') || columns.has('cleantime'))) return 'mailchimp';
  if (columns.has('lastupdatetime')) return 'ses';
  if (columns.has('email') && columns.has('reason') && (columns.has('expiresat') || columns.has('lasteventat'))) return 'mandrill';
  if (columns.has('emailaddress') && (columns.has('origin') || columns.has('createdat') || columns.has('suppressionreason'))) {
    return 'postmark';
  }
  // Any other export that says why each address is suppressed.
  if ((columns.has('email') || columns.has('emailaddress')) && (columns.has('suppressionreason') || columns.has('suppressiontype'))) {
    return 'reasoned';
  }
  // SES console/CLI CSVs; SendGrid's look-alike lists always carry `created`.
  if ((columns.has('emailaddress') || columns.has('email')) && columns.has('reason') && !columns.has('created')) return 'ses';
  if (columns.has('address') && columns.size > 1) return 'mailgun';
  if (columns.has('email') && columns.has('created')) return 'sendgrid';
  return null;
}

/** One address a line; `#` starts a comment; a first line "email" or "address" is a header. */
function parsePlainList(text: string, fileName: string, skipBad: boolean): SuppressionImport {
  const result: SuppressionImport = { provider: 'plain', entries: [], skipped: [], bad: [] };
  let seenContent = false;
  let lineNumber = 0;
  for (const rawLine of text.split(/\r\n|\r|\n/)) {
    lineNumber++;
    const line = stripComment(rawLine).trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!seenContent && PLAIN_HEADERS.has(squash(line))) {
      seenContent = true;
      continue;
    }
    seenContent = true;
    addReading(
      result,
      { address: line, reason: 'manual', note: null, at: null },
      `${fileName}:${lineNumber}`,
      fileName,
      lineNumber,
      skipBad,
    );
  }
  return result;
}

const PLAIN_HEADERS: ReadonlySet<string> = new Set(['email', 'emailaddress', 'address', 'recipient']);

/** A comment after an address needs whitespace before the `#` (a `#` inside a local part is legal). */
function stripComment(line: string): string {
  const match = /\s#/.exec(line);
  return match === null ? line : line.slice(0, match.index);
}

// ---------------------------------------------------------------------------------------------

function addReading(
  result: SuppressionImport,
  reading: RowReading,
  location: string,
  fileName: string,
  line: number | undefined,
  skipBad: boolean,
): void {
  const address = (reading.address ?? '').trim();
  if (!looksLikeAddress(address)) {
    const shown = address === '' ? 'no address' : JSON.stringify(address.length > 80 ? `${address.slice(0, 80)}…` : address);
    if (skipBad) {
      result.bad.push({ location, line: line ?? null, why: `not an email address: ${shown}` });
      return;
    }
    throw invalid(
      `${location}: not an email address: ${shown}`,
      fileName,
      'Fix or remove the row and import again, or pass --skip-bad to import the other rows and list the bad ones.',
      line,
    );
  }
  if (reading.reason === 'skip') {
    result.skipped.push({ location, address: historyKey(address), why: SENDGRID_BLOCK_WHY });
    return;
  }
  result.entries.push({
    address: historyKey(address),
    reason: reading.reason,
    note: reading.note === null ? null : reading.note.slice(0, NOTE_MAX),
    origin: `import:${result.provider} ${location}`,
    at: exportDate(reading.at),
  });
}

/** Export timestamps: ISO 8601, "YYYY-MM-DD HH:MM:SS" (UTC), RFC 2822, Unix seconds or ms. */
export function exportDate(value: unknown): string | null {
  let time = Number.NaN;
  if (typeof value === 'number') {
    time = value > 1e11 ? value : value * 1000;
  } else if (typeof value === 'string') {
    const text = value.trim().slice(0, 64);
    if (/^\d{9,13}(?:\.\d{1,6})?$/.test(text)) {
      const number = Number(text);
      time = number > 1e11 ? number : number * 1000;
    } else if (/^\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/.test(text)) {
      // No zone: exports write UTC; never let the machine's time zone decide.
      time = Date.parse(`${text.replace(' ', 'T')}${text.length === 10 ? 'T00:00:00' : ''}Z`);
    } else if (text !== '') {
      // 14/11/2026 or 11/14/2026: read by its numbers, as bounce exports are (text/numeric-date.ts).
      const numeric = numericDateToIso(text, undefined);
      time = numeric === undefined ? Date.parse(text) : numeric === null ? Number.NaN : Date.parse(numeric);
    }
  }
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}

function mailgunReason(columns: ReadonlySet<string>): SuppressionReason {
  if (columns.has('code') || columns.has('error')) return 'hard-bounce';
  if (columns.has('tags') || columns.has('tag')) return 'unsubscribe';
  return 'complaint';
}

function sendgridReason(columns: ReadonlySet<string>): SuppressionReason {
  if (columns.has('status')) return 'hard-bounce';
  if (columns.has('ip')) return 'complaint';
  if (columns.has('reason')) return 'invalid';
  return 'unsubscribe';
}

function listFromFileName(fileName: string): SuppressionReason | 'skip' | null {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  for (const [pattern, reason] of LIST_BY_FILE_NAME) if (pattern.test(base)) return reason;
  return null;
}

function firstContentLine(text: string): { line: number; text: string } | null {
  let line = 0;
  for (const raw of text.split(/\r\n|\r|\n/, 200)) {
    line++;
    const trimmed = raw.trim();
    if (trimmed !== '' && !trimmed.startsWith('#')) return { line, text: trimmed };
  }
  return null;
}

function likelyDelimiter(line: string): string | null {
  let best: string | null = null;
  let bestCount = 0;
  for (const candidate of [',', ';', '\t']) {
    const count = line.split(candidate).length - 1;
    if (count > bestCount) {
      best = candidate;
      bestCount = count;
    }
  }
  return best;
}

function joinNote(...parts: unknown[]): string | null {
  const text = parts
    .filter((part) => part !== undefined && part !== null && String(part).trim() !== '')
    .map((part) => String(part).trim())
    .join(' ');
  return text === '' ? null : text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

const SUPPORTED_HINT =
  'Supported: SES (list-suppressed-destinations JSON or CSV), SendGrid CSV/JSON, Mailgun CSV/JSON, Postmark CSV/JSON, SparkPost CSV/JSON, Mandrill rejection list JSON or CSV, a CSV with an email and a "Suppression Reason" column, or one address per line.';

function squash(text: string): string {
  return text.toLowerCase().replace(/[\s_-]/g, '');
}

function unquote(cell: string): string {
  const trimmed = cell.trim();
  return trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function invalid(message: string, file: string, hint?: string, line?: number): HygieneError {
  return new HygieneError({
    code: 'SUPPRESSION_INVALID',
    message,
    hint: hint ?? 'Fix the file and import it again.',
    file,
    ...(line === undefined ? {} : { line }),
  });
}
