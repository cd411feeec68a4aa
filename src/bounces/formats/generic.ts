/**
 * Generic bounce exports (any CSV or JSON/JSONL with an address column and some of status, SMTP
 * code, diagnostic, time, type), plus the field readers every ESP parser shares: the remote
 * reply (`smtp; 550 5.1.1 ...`), enhanced codes, recipients, and the record builder.
 */
import type {
  BounceClass,
  BounceReason,
  DeliveryAction,
  FormatParser,
  NumberedLine,
  ParseContext,
  ParseItem,
  ParsedRecord,
} from '../types.js';
import { columnLookup, foldColumnName, readCsvRecords, sniffCsvHeader } from './csv-records.js';
import { mapJsonRecords, startsLikeJson } from './json-records.js';
import { toIsoUtc } from './time.js';
import { asJsonObject as asObject } from '../../text/json.js';

// ---------------------------------------------------------------------------------------------
// Shared field readers

/** Remote text beyond this is not looked at (hostile input must not cost more than this). */
export const MAX_DIAGNOSTIC = 4096;
const MAX_ADDRESS = 512;

/** The vendor's explicit verdict on one event, in our vocabularies. */
export interface VendorVerdict {
  vendorReason: BounceReason | null;
  vendorClass: BounceClass | null;
}

export const NO_VERDICT: VendorVerdict = { vendorReason: null, vendorClass: null };

export function verdict(vendorReason: BounceReason | null, vendorClass: BounceClass | null): VendorVerdict {
  return { vendorReason, vendorClass };
}

export interface RemoteReply {
  smtpCode: string | null;
  status: string | null;
  /** The text flattened to one line, without an RFC 3464 diagnostic-type prefix (`smtp;`). */
  diagnostic: string | null;
}

const DIAGNOSTIC_TYPE = /^(?:smtp|x-[a-z0-9-]{1,32})[ \t]{0,8};\s*/i;
const LEADING_REPLY_CODE = /^([2-5]\d\d)(?:[ -]+|$)/;
const LEADING_STATUS = /^([245]\.\d{1,3}\.\d{1,3})(?![\d.])/;
const ENHANCED_CODE = /(?:^|[^\d.])([245]\.\d{1,3}\.\d{1,3})(?![\d.])/;
const REPLY_CODE_ONLY = /^([2-5]\d\d)$/;

/**
 * Reads a remote reply as ESPs store it (`smtp; 550 5.1.1 <a@b>: user unknown`, `550-5.7.1 ...`,
 * `5.1.1 The email account ...`): the leading reply code and enhanced code, and the text itself.
 * Codes later in the text are left to the classifier.
 */
export function readReply(value: unknown): RemoteReply {
  const diagnostic = flatText(value);
  if (diagnostic === null) return { smtpCode: null, status: null, diagnostic: null };
  const text = diagnostic.replace(DIAGNOSTIC_TYPE, '');
  const code = LEADING_REPLY_CODE.exec(text);
  const afterCode = code ? text.slice(code[0].length) : text;
  const status = LEADING_STATUS.exec(afterCode);
  return {
    smtpCode: code?.[1] ?? null,
    status: status?.[1] ?? null,
    diagnostic: text === '' ? null : text,
  };
}

/** Text of a field, flattened to one line and cut at MAX_DIAGNOSTIC; null when empty. */
export function flatText(value: unknown): string | null {
  const raw = fieldText(value);
  if (raw === null) return null;
  const flat = raw.slice(0, MAX_DIAGNOSTIC).replace(/\s+/g, ' ').trim();
  return flat === '' ? null : flat;
}

/** A string or number field as trimmed text; null for anything else or an empty value. */
export function fieldText(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}

/** The enhanced status code in a short field (`5.1.1`, `5.1.1 (bad destination mailbox)`). */
export function enhancedCode(value: unknown): string | null {
  const text = fieldText(value);
  if (text === null) return null;
  return ENHANCED_CODE.exec(text.slice(0, 64))?.[1] ?? null;
}

/** An SMTP reply code field (`550`, 550); null for anything that is not a 2xx-5xx code. */
export function smtpCodeOf(value: unknown): string | null {
  const text = fieldText(value);
  if (text === null || text.length > 3) return null;
  return REPLY_CODE_ONLY.exec(text)?.[1] ?? null;
}

const ADDRESS_TYPE = /^(?:rfc822[ \t]{0,8};|mailto:)\s*/i;
const ANGLE_ADDRESS = /<([^<>]{1,320})>/;

/** A recipient as ESPs write it (`a@b`, `"Ann" <a@b>`, `rfc822; a@b`); null when there is none. */
export function cleanRecipient(value: unknown): string | null {
  const text = fieldText(value);
  if (text === null || text.length > MAX_ADDRESS) return null;
  const bare = text.replace(ADDRESS_TYPE, '');
  const address = (ANGLE_ADDRESS.exec(bare)?.[1] ?? bare).trim();
  return address.includes('@') ? address : null;
}

/** The fields a parser knows for one record; everything else defaults to null. */
export type RecordFields = Partial<ParsedRecord> & { recipient: string; source: string };

export function buildRecord(fields: RecordFields): ParsedRecord {
  const record: ParsedRecord = {
    recipient: fields.recipient,
    action: fields.action ?? null,
    status: fields.status ?? null,
    smtpCode: fields.smtpCode ?? null,
    diagnostic: fields.diagnostic ?? null,
    remoteMta: fields.remoteMta ?? null,
    at: fields.at ?? null,
    queueId: fields.queueId ?? null,
    source: fields.source,
    messageKey: fields.messageKey ?? null,
    vendorReason: fields.vendorReason ?? null,
    vendorClass: fields.vendorClass ?? null,
    feedbackType: fields.feedbackType ?? null,
  };
  if (fields.autoReply) record.autoReply = true;
  return record;
}

export function recordItem(fields: RecordFields): ParseItem {
  return { kind: 'record', record: buildRecord(fields) };
}

/** The JSON-object guard, under the name the ESP parsers use. */
export { asObject };

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

const NO_ADDRESS = 'event without a recipient address';

export function missingAddress(line: number, what = NO_ADDRESS): ParseItem {
  return { kind: 'malformed', line, message: what };
}

/** A row of an ESP's CSV export, its recipient found. */
export interface ExportRow {
  kind: 'row';
  line: number;
  recipient: string;
  /** The value of a column by folded name (`foldColumnName`), or undefined without that column. */
  field(name: string): string | undefined;
}

/**
 * The rows of an ESP's CSV export, each with its recipient from the first of `emailColumns`
 * (folded names) that the export has. Malformed rows and rows without an address come through as
 * items to pass on, the latter with `missing` as the message.
 */
export async function* readExportRows(
  lines: AsyncIterable<NumberedLine>,
  emailColumns: readonly string[],
  missing?: string,
): AsyncIterable<ExportRow | ParseItem> {
  let lookup: ReturnType<typeof columnLookup> | null = null;
  for await (const item of readCsvRecords(lines)) {
    if (item.kind === 'malformed') {
      yield item;
      continue;
    }
    lookup ??= columnLookup(Object.keys(item.fields));
    const read = lookup;
    const field = (name: string): string | undefined => read(item.fields, name);
    const recipient = cleanRecipient(emailColumns.map(field).find((value) => value !== undefined));
    if (recipient === null) {
      yield missingAddress(item.line, missing);
      continue;
    }
    yield { kind: 'row', line: item.line, recipient, field };
  }
}

// ---------------------------------------------------------------------------------------------
// Generic CSV / JSONL

type Role = 'recipient' | 'status' | 'smtpCode' | 'diagnostic' | 'time' | 'type' | 'messageKey' | 'remoteMta';

/** Column names (folded) per role; earlier names win when a file has several for one role. */
const COLUMN_NAMES: ReadonlyArray<readonly [Role, readonly string[]]> = [
  [
    'recipient',
    ['email', 'emailaddress', 'recipient', 'recipientemail', 'recipientaddress', 'rcpt', 'rcptto',
      'finalrecipient', 'address', 'to', 'mail', 'emailaddr'],
  ],
  ['status', ['status', 'enhancedstatus', 'enhancedcode', 'enhancedstatuscode', 'dsn', 'dsnstatus', 'statuscode']],
  ['smtpCode', ['smtpcode', 'replycode', 'responsecode', 'code', 'errorcode', 'smtpstatus', 'smtpreplycode']],
  [
    'diagnostic',
    ['diagnostic', 'diagnosticcode', 'diagnostictext', 'smtpresponse', 'response', 'reason', 'bouncereason',
      'error', 'errormessage', 'message', 'details', 'description'],
  ],
  ['time', ['timestamp', 'time', 'datetime', 'date', 'eventtime', 'created', 'createdat', 'bouncedat', 'loggedat',
    'timelogged', 'occurredat', 'at']],
  ['type', ['event', 'eventtype', 'type', 'bouncetype', 'class', 'bounceclass', 'category', 'classification', 'kind',
    'severity', 'result', 'outcome']],
  ['messageKey', ['messageid', 'msgid', 'queueid', 'mailid']],
  ['remoteMta', ['remotemta', 'mx', 'mxhost', 'remotehost', 'relay']],
];

const ROLE_OF_NAME = new Map<string, { role: Role; rank: number }>(
  COLUMN_NAMES.flatMap(([role, names]) => names.map((name, rank) => [name, { role, rank }] as const)),
);

/** What a generic type word (`hard`, `deferred`, `complaint`, `delivered`, ...) says. */
interface TypeWord {
  action?: DeliveryAction;
  vendorClass?: BounceClass;
  vendorReason?: BounceReason;
  autoReply?: boolean;
  /** Not about delivery (opens, clicks, unsubscribes, ...). */
  skip?: boolean;
}

const TYPE_WORDS: ReadonlyArray<readonly [readonly string[], TypeWord]> = [
  [['hard', 'hardbounce', 'permanent', 'permanentfailure', 'perm'], { action: 'failed', vendorClass: 'hard' }],
  [['soft', 'softbounce', 'temporary', 'transient', 'tempfail'], { action: 'failed', vendorClass: 'soft' }],
  [['deferred', 'deferral', 'delayed', 'delay'], { action: 'delayed' }],
  [['bounce', 'bounced', 'failed', 'failure', 'fail', 'rejected', 'reject', 'undeliverable', 'dropped'],
    { action: 'failed' }],
  [['block', 'blocked'], { action: 'failed', vendorClass: 'block' }],
  [['complaint', 'complained', 'spam', 'spamreport', 'spamcomplaint', 'abuse', 'fbl', 'feedback'],
    { vendorClass: 'complaint', vendorReason: 'feedback' }],
  [['delivered', 'delivery', 'sent', 'success', 'ok'],
    { action: 'delivered', vendorClass: 'delivered', vendorReason: 'delivered' }],
  [['autoreply', 'autoresponder', 'vacation', 'outofoffice'],
    { vendorClass: 'auto-reply', vendorReason: 'vacation', autoReply: true }],
  [['open', 'opened', 'click', 'clicked', 'unsubscribe', 'unsubscribed', 'subscribe', 'processed', 'send',
    'accepted', 'queued', 'injection'], { skip: true }],
];

const TYPE_WORD = new Map<string, TypeWord>(
  TYPE_WORDS.flatMap(([words, meaning]) => words.map((word) => [word, meaning] as const)),
);

/** The action a bare code implies when no type says it. */
const ACTION_OF_CODE_CLASS: Readonly<Record<string, DeliveryAction>> = {
  '2': 'delivered',
  '4': 'delayed',
  '5': 'failed',
};

/** For each role, the field names of one input that play it (type may have several). */
type FieldRoles = Partial<Record<Exclude<Role, 'type'>, string>> & { type: string[] };

/** Maps field names to roles: the best-ranked name per role, every type-like name for `type`. */
function fieldRoles(names: readonly string[]): FieldRoles {
  const roles: FieldRoles = { type: [] };
  const ranks = new Map<Role, number>();
  const typeNames: Array<{ name: string; rank: number }> = [];
  for (const name of names) {
    const found = ROLE_OF_NAME.get(foldColumnName(name));
    if (found === undefined) continue;
    if (found.role === 'type') {
      typeNames.push({ name, rank: found.rank });
      continue;
    }
    const best = ranks.get(found.role);
    if (best === undefined || found.rank < best) {
      ranks.set(found.role, found.rank);
      roles[found.role] = name;
    }
  }
  roles.type = typeNames.sort((a, b) => a.rank - b.rank).map((entry) => entry.name);
  return roles;
}

/** A generic input is worth a low score when it has an address field and some bounce field. */
function looksLikeBounceFields(names: readonly string[]): boolean {
  const roles = fieldRoles(names);
  return (
    roles.recipient !== undefined &&
    (roles.status !== undefined ||
      roles.smtpCode !== undefined ||
      roles.diagnostic !== undefined ||
      roles.type.length > 0)
  );
}

/** Reads the meaning of the type fields; several combine (`event=bounce`, `type=hard`). */
function readTypeWords(values: readonly unknown[]): TypeWord & { known: boolean } {
  const merged: TypeWord & { known: boolean } = { known: false };
  let onlySkips = true;
  for (const value of values) {
    const text = fieldText(value);
    if (text === null || text.length > 40) continue;
    const meaning = TYPE_WORD.get(text.toLowerCase().replace(/[^a-z]/g, ''));
    if (meaning === undefined) continue;
    merged.known = true;
    if (!meaning.skip) onlySkips = false;
    merged.action ??= meaning.action;
    merged.vendorClass ??= meaning.vendorClass;
    merged.vendorReason ??= meaning.vendorReason;
    merged.autoReply ||= meaning.autoReply;
  }
  merged.skip = merged.known && onlySkips;
  return merged;
}

/** One generic row or object (by field name) -> a parse item. */
function genericItem(
  get: (name: string | undefined) => unknown,
  roles: FieldRoles,
  line: number,
  source: string,
): ParseItem {
  const statusField = get(roles.status);
  const status = enhancedCode(statusField);
  // A `status` column often holds the outcome (`bounced`, `hard`) rather than a code.
  const typeValues = roles.type.map((name) => get(name));
  if (status === null && statusField !== undefined) typeValues.push(statusField);
  const type = readTypeWords(typeValues);
  if (type.skip) return { kind: 'skipped', line };

  const recipient = cleanRecipient(get(roles.recipient));
  if (recipient === null) return missingAddress(line);
  const codeField = get(roles.smtpCode);
  const reply = readReply(get(roles.diagnostic));
  const codeReply = smtpCodeOf(codeField) === null ? readReply(codeField) : null;
  const finalStatus = status ?? reply.status ?? codeReply?.status ?? null;
  const smtpCode = smtpCodeOf(codeField) ?? codeReply?.smtpCode ?? reply.smtpCode;
  const codeClass = (finalStatus ?? smtpCode ?? '').charAt(0);
  const messageKey = fieldText(get(roles.messageKey));
  return recordItem({
    recipient,
    action: type.action ?? ACTION_OF_CODE_CLASS[codeClass] ?? null,
    status: finalStatus,
    smtpCode,
    diagnostic: reply.diagnostic,
    remoteMta: fieldText(get(roles.remoteMta)),
    at: toIsoUtc(get(roles.time)),
    queueId: messageKey,
    messageKey,
    source,
    vendorReason: type.vendorReason ?? null,
    vendorClass: type.vendorClass ?? null,
    feedbackType: type.vendorClass === 'complaint' ? 'abuse' : null,
    autoReply: type.autoReply ?? false,
  });
}

const GENERIC_SCORE = 0.3;
const MAX_SAMPLE = 64 * 1024;
const JSON_KEY = /"([^"\\\n]{1,64})"\s*:/g;
const MAX_SAMPLE_KEYS = 2000;

/** Field names seen in a JSON sample (which may be cut off mid-document). */
export function jsonSampleKeys(sample: string): Set<string> {
  const keys = new Set<string>();
  let count = 0;
  for (const match of sample.slice(0, MAX_SAMPLE).matchAll(JSON_KEY)) {
    if (match[1] !== undefined) keys.add(match[1]);
    if (++count >= MAX_SAMPLE_KEYS) break;
  }
  return keys;
}

function detectGenericCsv(sample: string): number {
  const header = sniffCsvHeader(sample);
  if (header === null) return 0;
  const plausibleNames = header.columns.every((name) => name.length <= 64 && !name.includes('@'));
  return plausibleNames && looksLikeBounceFields(header.columns) ? GENERIC_SCORE : 0;
}

function detectGenericJson(sample: string): number {
  if (!startsLikeJson(sample)) return 0;
  return looksLikeBounceFields([...jsonSampleKeys(sample)]) ? GENERIC_SCORE : 0;
}

export const genericCsvFormat: FormatParser = {
  name: 'generic-csv',
  description: 'Any CSV bounce export with an address column and status/code/diagnostic/type columns',
  detect: (sample) => detectGenericCsv(sample),
  async *parse(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
    let roles: FieldRoles | null = null;
    for await (const item of readCsvRecords(lines)) {
      if (item.kind === 'malformed') {
        yield item;
        continue;
      }
      const fields = item.fields;
      roles ??= fieldRoles(Object.keys(fields));
      const get = (name: string | undefined): unknown => (name === undefined ? undefined : fields[name]);
      yield genericItem(get, roles, item.line, `${context.file}:${item.line}`);
    }
  },
};

/** Objects of one export usually share their keys: remember the roles per key list. */
const MAX_CACHED_SHAPES = 64;

export const genericJsonlFormat: FormatParser = {
  name: 'generic-jsonl',
  description: 'Any JSON or JSONL bounce export with an address field and status/code/diagnostic/type fields',
  detect: (sample) => detectGenericJson(sample),
  parse(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
    const shapes = new Map<string, FieldRoles>();
    return mapJsonRecords(lines, context, function* (value, line, source) {
      const object = asObject(value);
      if (object === null) {
        yield { kind: 'malformed', line, message: 'not a JSON object' };
        return;
      }
      const names = Object.keys(object);
      const shape = names.join('\u0000');
      let roles = shapes.get(shape);
      if (roles === undefined) {
        roles = fieldRoles(names);
        if (shapes.size < MAX_CACHED_SHAPES) shapes.set(shape, roles);
      }
      const get = (name: string | undefined): unknown =>
        name === undefined || !Object.hasOwn(object, name) ? undefined : object[name];
      yield genericItem(get, roles, line, source);
    });
  },
};
