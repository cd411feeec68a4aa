/**
 * PowerMTA accounting CSV. A header row (`type,timeLogged,...,rcpt,...`) names the fields, and
 * records are read by that header, never by position: sites configure `record-fields` freely.
 * One file may hold several record types with different headers: a header row that has
 * `feedbackType` applies to later `f` records, any other header to the other types; without
 * such a split the latest header applies.
 *
 * Types: `d` delivered, `b` bounce, `t`/`tq` transient (delayed), `rb`/`rs` remote bounce or
 * status (read like `b`, but their `dsnAction` says what happened), `f` feedback loop complaint;
 * other types (`r` receipt, ...) are skipped. `dsnStatus` (`5.1.1 (bad destination mailbox
 * address)`) gives the code, `dsnDiag` (`smtp;550 5.1.1 ...`) the diagnostic, `dsnMta` the remote
 * MTA, and `bounceCat` is PowerMTA's own verdict, passed on as `vendorReason`.
 * Quoted fields may contain commas, and (rarely) line breaks: an open quote joins the next line.
 */
import { parseCsvSync } from './fields/lazy-csv-parse.js';
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
import { cleanAddress } from './fields/address.js';
import { instantOf, readDateTime } from './fields/syslog-time.js';
import type { TimeZone } from '../time-zone.js';
import { clip } from './fields/log-fields.js';

const TYPE_ACTIONS: ReadonlyMap<string, DeliveryAction | null> = new Map<string, DeliveryAction | null>([
  ['d', 'delivered'],
  ['b', 'failed'],
  ['rb', 'failed'],
  ['rs', 'failed'],
  ['t', 'delayed'],
  ['tq', 'delayed'],
  ['f', null],
]);

/** Types whose `dsnAction` field, when present, says more than the type. */
const DSN_ACTION_TYPES: ReadonlySet<string> = new Set(['rb', 'rs']);
const DSN_ACTIONS: ReadonlySet<string> = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/** PowerMTA `bounceCat` -> Sisimai reason, and our class where the category alone settles it. */
const BOUNCE_CATEGORIES: ReadonlyMap<string, readonly [BounceReason, BounceClass | null]> = new Map<
  string,
  readonly [BounceReason, BounceClass | null]
>([
  ['bad-mailbox', ['userunknown', 'hard']],
  ['bad-domain', ['hostunknown', 'hard']],
  ['inactive-mailbox', ['suspend', null]],
  ['quota-issues', ['mailboxfull', null]],
  ['spam-related', ['spamdetected', 'block']],
  ['policy-related', ['policyviolation', 'block']],
  ['message-expired', ['expired', null]],
  ['no-answer-from-host', ['networkerror', null]],
  ['routing-errors', ['systemerror', null]],
  ['bad-connection', ['networkerror', null]],
  ['protocol-errors', ['syntaxerror', null]],
  ['content-related', ['contenterror', null]],
  ['virus-related', ['virusdetected', null]],
  ['relaying-issues', ['norelaying', null]],
]);

/** Header names that carry a message identity, best first (matched lower-cased). */
const MESSAGE_ID_FIELDS: readonly string[] = ['header_message-id', 'msgid', 'message-id', 'messageid'];

const STATUS_CODE = /^([245]\.\d{1,3}\.\d{1,3})(?![\d.])/;
const REPLY_CODE = /^([2-5]\d\d)(?![\d])/;
/** Longest logical record we join across lines before giving up on an unclosed quote. */
const MAX_RECORD_LENGTH = 256 * 1024;
const MAX_JOINED_LINES = 50;

type Header = ReadonlyMap<string, number>;

/** Is this CSV row a header (its first field is `type`)? */
function isHeaderRow(fields: readonly string[]): boolean {
  return fields[0]?.trim().toLowerCase() === 'type';
}

function headerOf(fields: readonly string[]): Header {
  const map = new Map<string, number>();
  fields.forEach((name, index) => {
    const key = name.trim().toLowerCase();
    if (!map.has(key)) map.set(key, index);
  });
  return map;
}

function field(row: readonly string[], header: Header, name: string): string | null {
  const index = header.get(name.toLowerCase());
  if (index === undefined) return null;
  const value = row[index]?.trim();
  return value === undefined || value.length === 0 ? null : value;
}

/** Drops an RFC 3464 type prefix: `smtp;550 ...` -> `550 ...`, `dns;mx.example.com` -> `mx...`. */
function withoutTypePrefix(value: string): string {
  const semicolon = value.indexOf(';');
  return semicolon > 0 && semicolon < 12 && !value.slice(0, semicolon).includes(' ') ? value.slice(semicolon + 1).trim() : value;
}

/** `mx.example.com (192.0.2.1)` or `dns;mx.example.com` -> `mx.example.com`. */
function mtaHost(value: string | null): string | null {
  if (value === null) return null;
  const host = withoutTypePrefix(value).split(' ', 1)[0] ?? '';
  return host.length === 0 ? null : host.replace(/\.$/, '');
}

/** `2026-11-02 10:00:24+0100` -> ISO UTC (a time without offset is read in `zone`); null when unreadable. */
function timeOf(value: string | null, zone: TimeZone | undefined): string | null {
  if (value === null) return null;
  const stamp = readDateTime(value, 0, { spaceSeparator: true, spaceBeforeZone: true });
  return stamp === null ? null : new Date(instantOf(stamp, zone)).toISOString();
}

function messageKeyOf(row: readonly string[], header: Header): string | null {
  for (const name of MESSAGE_ID_FIELDS) {
    const value = field(row, header, name);
    if (value !== null) return value;
  }
  const job = field(row, header, 'jobId');
  const envelope = field(row, header, 'envId');
  if (job === null && envelope === null) return null;
  return `${job ?? ''}/${envelope ?? ''}`;
}

function recordOf(type: string, row: readonly string[], header: Header, source: string, zone?: TimeZone): ParsedRecord | string {
  const recipient = cleanAddress(field(row, header, 'rcpt') ?? '');
  if (recipient === null) return `PowerMTA "${type}" record without rcpt`;
  let action = TYPE_ACTIONS.get(type) ?? null;
  const dsnAction = field(row, header, 'dsnAction')?.toLowerCase();
  if (DSN_ACTION_TYPES.has(type) && dsnAction !== undefined && DSN_ACTIONS.has(dsnAction)) {
    action = dsnAction as DeliveryAction;
  }
  const diagnosticField = field(row, header, 'dsnDiag');
  const diagnostic = diagnosticField === null ? null : clip(withoutTypePrefix(diagnosticField));
  const category = BOUNCE_CATEGORIES.get(field(row, header, 'bounceCat')?.toLowerCase() ?? '');
  const record: ParsedRecord = {
    recipient,
    action,
    status: STATUS_CODE.exec(field(row, header, 'dsnStatus') ?? '')?.[1] ?? null,
    smtpCode: diagnostic === null ? null : (REPLY_CODE.exec(diagnostic)?.[1] ?? null),
    diagnostic,
    remoteMta: mtaHost(field(row, header, 'dsnMta')),
    at: timeOf(field(row, header, 'timeLogged'), zone),
    queueId: null,
    messageKey: messageKeyOf(row, header),
    source,
  };
  if (type === 'f') {
    record.feedbackType = field(row, header, 'feedbackType') ?? 'abuse';
    record.vendorReason = 'feedback';
    record.vendorClass = 'complaint';
  } else if (action !== 'delivered' && category !== undefined) {
    record.vendorReason = category[0];
    record.vendorClass = category[1];
  }
  return record;
}

/** Quotes in a CSV text are balanced when their count is even (`""` escapes count twice). */
function hasOpenQuote(text: string): boolean {
  let count = 0;
  for (let index = text.indexOf('"'); index >= 0; index = text.indexOf('"', index + 1)) count++;
  return count % 2 === 1;
}

function parseRow(text: string): string[] | string {
  try {
    const rows = parseCsvSync(text, { relax_column_count: true, skip_empty_lines: true });
    const row = rows[0];
    if (rows.length !== 1 || row === undefined) return 'not a single CSV record';
    return row;
  } catch (error) {
    return `unreadable CSV: ${error instanceof Error ? error.message.slice(0, 120) : 'parse error'}`;
  }
}

async function* parsePowermta(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  let latestHeader: Header | null = null;
  let feedbackHeader: Header | null = null;
  let otherHeader: Header | null = null;
  let pending: { line: number; text: string; joined: number } | null = null;

  for await (const numbered of lines) {
    let { line, text } = numbered;
    if (pending !== null) {
      // A quoted field that spans lines: the record started on `pending.line`.
      text = `${pending.text}\n${text}`;
      line = pending.line;
      if (hasOpenQuote(text) && text.length < MAX_RECORD_LENGTH && pending.joined < MAX_JOINED_LINES) {
        pending = { line, text, joined: pending.joined + 1 };
        continue;
      }
      pending = null;
    } else if (hasOpenQuote(text) && text.length < MAX_RECORD_LENGTH) {
      pending = { line, text, joined: 1 };
      continue;
    }
    if (text.trim().length === 0) {
      yield { kind: 'skipped', line };
      continue;
    }
    const row = parseRow(text);
    if (typeof row === 'string') {
      yield { kind: 'malformed', line, message: row };
      continue;
    }
    if (isHeaderRow(row)) {
      const header = headerOf(row);
      latestHeader = header;
      if (header.has('feedbacktype')) feedbackHeader = header;
      else otherHeader = header;
      yield { kind: 'skipped', line };
      continue;
    }
    const type = row[0]?.trim().toLowerCase() ?? '';
    if (!TYPE_ACTIONS.has(type)) {
      yield { kind: 'skipped', line };
      continue;
    }
    const header = (type === 'f' ? feedbackHeader : otherHeader) ?? latestHeader;
    if (header === null) {
      yield { kind: 'malformed', line, message: 'PowerMTA record before any header row' };
      continue;
    }
    const record = recordOf(type, row, header, `${context.file}:${line}`, context.timeZone);
    if (typeof record === 'string') {
      yield { kind: 'malformed', line, message: record };
      continue;
    }
    yield { kind: 'record', record };
  }
  if (pending !== null) {
    yield { kind: 'malformed', line: pending.line, message: 'unclosed quote at the end of the input' };
  }
}

const DETECT_LINES = 2000;

const HEADER_START_ANYWHERE = /type"?,/i;

/** Whether `sample` may hold a header row: else PowerMTA scores 0. */
export function mayBePowermta(sample: string): boolean {
  return HEADER_START_ANYWHERE.test(sample);
}

/** A header row: `type,` first, and the field names PowerMTA accounting always has. */
function detectPowermta(sample: string): number {
  // The header row's `type,` somewhere in the sample, before each line is trimmed and matched.
  if (!mayBePowermta(sample)) return 0;
  for (const raw of sample.split('\n', DETECT_LINES)) {
    const text = raw.replace(/^\uFEFF/, '').trim();
    if (!/^"?type"?,/i.test(text) || text.length > 8192) continue;
    const names = new Set(
      text
        .toLowerCase()
        .split(',')
        .map((name) => name.replace(/"/g, '').trim()),
    );
    if (names.has('rcpt') && (names.has('timelogged') || names.has('dsnstatus') || names.has('bouncecat'))) {
      return 0.95;
    }
  }
  return 0;
}

export const powermtaFormat: FormatParser = {
  name: 'powermta',
  description: 'PowerMTA accounting CSV (header row type,timeLogged,...,rcpt,...)',
  detect: (sample: string) => detectPowermta(sample),
  detectCeiling: 0.95,
  parse: parsePowermta,
};
