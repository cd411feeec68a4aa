/**
 * The field readers every ESP parser shares: the remote reply (`smtp; 550 5.1.1 ...`), enhanced
 * codes, recipients, the vendor's verdict, the record builder, and the rows of a CSV export.
 */
import type { BounceClass, BounceReason, NumberedLine, ParsedRecord, ParseItem } from '../../types.js';
import { asJsonObject as asObject } from '../../../text/json.js';
import { columnLookup, readCsvRecords } from './csv-records.js';

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
  if (fields.unreadTime !== undefined) record.unreadTime = fields.unreadTime;
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
