/**
 * Haraka logs (outbound delivery results), as written by Haraka 3.x `logger.js` and
 * `outbound/hmail.js`. There is no separate delivery log: results are ordinary log lines.
 *
 * Line shapes (log.ini `format`), each optionally after an ISO time stamp (`timestamps=true`)
 * or a syslog header (`Dec 11 10:00:24 mx1 haraka[123]: `):
 *   DEFAULT  `[NOTICE] [<uuid>] [outbound] recipient <a@b> rejected: 550 5.1.1 No such user`
 *   JSON     `{"level":"NOTICE","uuid":"...","origin":"outbound","message":"recipient <a@b> ..."}`
 *   LOGFMT   `level=NOTICE uuid=... origin=outbound message="recipient <a@b> rejected: ..."`
 *
 * Outbound messages we read (uuid `<connection>.<transaction>.<n>`, one queued item per domain):
 *   `recipient <a@b> rejected: <reply>`   RCPT/LMTP 5xx for one recipient -> failed
 *   `recipient <a@b> deferred: <reply>`   RCPT/LMTP 4xx for one recipient -> delayed
 *   `bouncing mail: <error>`              the whole item failed -> failed, for its recipients
 *   `Temp failing <file> for <n> seconds: <error>` the whole item deferred -> delayed
 *   `delivered file=<f> domain=<d> host=<mx> ip=<ip> ... response="..." rcpts=ok/fail/bounce`
 *                                          -> delivered, for its recipients not failed this attempt
 *   `MX Lookup for <d> failed: <error>`   names the item's domain (a bounce or deferral follows)
 * Whole-item lines do not name recipients. They are taken from the inbound
 * `[core] recipient <a@b> code=OK ...` lines of the same transaction (uuid without the last
 * `.n`), narrowed to the item's domain (named by its own lines, else the n-th domain of the
 * transaction), plus the recipients the item's own lines named. Mail injected by plugins has no
 * inbound lines: only its per-recipient lines count. With `always_split` (one item per
 * recipient, not the default) the n-th-domain rule can be wrong for multi-recipient domains.
 * When nothing can be attributed the line is skipped. `bouncing mail: Some recipients failed: ...` and
 * `Temp failing ...: Some recipients temp failed: ...` repeat per-recipient lines: skipped.
 * `Too many failures (...)` is Haraka's queue expiry: status 4.4.7.
 */
import {
  EXPIRED_STATUS,
  type DeliveryAction,
  type FormatParser,
  type NumberedLine,
  type ParseContext,
  type ParseItem,
  type ParsedRecord,
} from '../types.js';
import { cleanAddress, domainOf } from './fields/address.js';
import { createSyslogClock, instantOf, readDateTime, readSyslogHeader, readSyslogTag, type SyslogClock } from './fields/syslog-time.js';
import type { TimeZone } from '../time-zone.js';
import { RecentMap, clip } from './fields/log-fields.js';
import { asJsonObject } from '../../text/json.js';

const LEVELS: ReadonlySet<string> = new Set(['DATA', 'PROTOCOL', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'ERROR', 'CRIT', 'ALERT', 'EMERG']);

const RECIPIENT_RESULTS: readonly (readonly [string, DeliveryAction])[] = [
  ['> rejected: ', 'failed'],
  ['> deferred: ', 'delayed'],
];

/** Whole-item errors that only repeat the per-recipient lines logged just before. */
const REPEATED_ERRORS: readonly string[] = ['Some recipients failed:', 'Some recipients temp failed:'];
/** Prefixes of error texts in front of the remote reply. */
const REPLY_PREFIXES: readonly string[] = ['Upstream error: ', 'Too many failures (Upstream error: '];
const EXPIRY_PREFIX = 'Too many failures';

const BOUNCING = 'bouncing mail: ';
const TEMP_FAILING = 'Temp failing ';
const MX_LOOKUP = 'MX Lookup for ';
const DELIVERED_KEY = 'delivered file';

const REPLY_CODE = /^([2-5]\d\d)(?:[ -]([245]\.\d{1,3}\.\d{1,3})(?=[ ,;:)]|$))?/;
/** JSON lines longer than this are not parsed: no real log record is near it. */
const MAX_JSON_LINE = 256 * 1024;
/** Bound of the per-transaction and per-item maps. */
const MAX_TRACKED = 100_000;

interface Entry {
  level: string;
  uuid: string;
  origin: string;
  message: string;
  fields: Record<string, string>;
}

interface ItemState {
  domain: string | null;
  /** Recipients the item's own lines named. */
  named: Set<string>;
  /** Recipients that reached a final result (delivered or failed). */
  finished: Set<string>;
  /** Recipients already reported in the current attempt (rejected or deferred at RCPT). */
  reportedThisAttempt: Set<string>;
  /** The latest temporary reply per recipient, to explain a later expiry. */
  lastDeferral: Map<string, string>;
}

/**
 * Reads Haraka's logfmt (`key=value key="quoted \" value"`), tolerating bare words: a bare word
 * before a key joins it, which recovers keys with a space such as `delivered file=...`.
 */
function readLogfmt(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const length = text.length;
  let position = 0;
  let bare = '';
  while (position < length) {
    while (position < length && text.charCodeAt(position) === 32) position++;
    const start = position;
    while (position < length && text.charCodeAt(position) !== 32 && text.charCodeAt(position) !== 61) position++;
    const word = text.slice(start, position);
    if (position >= length || text.charCodeAt(position) === 32) {
      bare = bare.length > 0 ? `${bare} ${word}` : word;
      continue;
    }
    const key = bare.length > 0 ? `${bare} ${word}` : word;
    bare = '';
    position++; // '='
    let value = '';
    if (text.charCodeAt(position) === 34) {
      position++;
      let chunkStart = position;
      while (position < length && text.charCodeAt(position) !== 34) {
        if (text.charCodeAt(position) === 92 && position + 1 < length) {
          value += text.slice(chunkStart, position);
          const escaped = text[position + 1];
          value += escaped === 'n' ? '\n' : escaped === 'r' ? '\r' : (escaped ?? '');
          position += 2;
          chunkStart = position;
          continue;
        }
        position++;
      }
      value += text.slice(chunkStart, position);
      position++;
    } else {
      const valueStart = position;
      while (position < length && text.charCodeAt(position) !== 32) position++;
      value = text.slice(valueStart, position);
    }
    if (key.length > 0) fields[key] = value;
  }
  return fields;
}

/** Reads `[LEVEL] [uuid] [origin] message` at `index`. */
function readDefault(text: string, index: number): Entry | null {
  if (text.charCodeAt(index) !== 91) return null;
  const levelEnd = text.indexOf('] [', index);
  if (levelEnd < 0 || levelEnd - index > 10) return null;
  const level = text.slice(index + 1, levelEnd);
  if (!LEVELS.has(level)) return null;
  const uuidStart = levelEnd + 3;
  const uuidEnd = text.indexOf('] [', uuidStart);
  if (uuidEnd < 0 || uuidEnd - uuidStart > 128) return null;
  const originStart = uuidEnd + 3;
  const originEnd = text.indexOf(']', originStart);
  if (originEnd < 0 || originEnd - originStart > 128) return null;
  const message = text.slice(originEnd + 2);
  return { level, uuid: text.slice(uuidStart, uuidEnd), origin: text.slice(originStart, originEnd), message, fields: {} };
}

function readJson(text: string, index: number): Entry | 'unreadable' | null {
  if (text.charCodeAt(index) !== 123) return null;
  if (text.length - index > MAX_JSON_LINE) return 'unreadable';
  let value: unknown;
  try {
    value = JSON.parse(text.slice(index));
  } catch {
    return 'unreadable';
  }
  const object = asJsonObject(value);
  if (object === null) return null;
  if (typeof object.level !== 'string' || typeof object.origin !== 'string' || !LEVELS.has(object.level)) return null;
  const fields: Record<string, string> = {};
  for (const [key, fieldValue] of Object.entries(object)) {
    if (typeof fieldValue === 'string' || typeof fieldValue === 'number') fields[key] = String(fieldValue);
  }
  return {
    level: object.level,
    uuid: typeof object.uuid === 'string' ? object.uuid : '-',
    origin: object.origin,
    message: typeof object.message === 'string' ? object.message : '',
    fields,
  };
}

function readLogfmtEntry(text: string, index: number): Entry | null {
  if (!text.startsWith('level=', index)) return null;
  const fields = readLogfmt(text.slice(index));
  const level = fields.level;
  if (level === undefined || !LEVELS.has(level) || fields.origin === undefined) return null;
  return { level, uuid: fields.uuid ?? '-', origin: fields.origin, message: fields.message ?? '', fields };
}

/** Strips an ISO or syslog prefix; returns where the Haraka text starts and the time, if any. */
function readPrefix(text: string, clock: SyslogClock, zone?: TimeZone): { start: number; at: string | null } {
  const iso = readDateTime(text, 0);
  if (iso !== null && text.charCodeAt(iso.end) === 32) {
    return { start: iso.end + 1, at: new Date(instantOf(iso, zone)).toISOString() };
  }
  const header = readSyslogHeader(text);
  const tag = header === null ? null : readSyslogTag(text, header.bodyStart);
  if (header !== null && tag !== null) return { start: tag.messageStart, at: clock.toIso(header.stamp) };
  return { start: 0, at: null };
}

function readEntry(text: string, start: number): Entry | 'unreadable' | null {
  return readDefault(text, start) ?? readJson(text, start) ?? readLogfmtEntry(text, start);
}

/** The reply code and enhanced status at the start of `text` (or after `Upstream error: `). */
function replyOf(text: string): { smtpCode: string | null; status: string | null } {
  let start = 0;
  for (const prefix of REPLY_PREFIXES) if (text.startsWith(prefix)) start = prefix.length;
  const match = REPLY_CODE.exec(text.slice(start, start + 16));
  return { smtpCode: match?.[1] ?? null, status: match?.[2] ?? null };
}

/** `recipient <a@b> rejected: 550 ...` -> address, action, reply text. */
function readRecipientResult(message: string): { recipient: string | null; action: DeliveryAction; reply: string } | null {
  if (!message.startsWith('recipient <')) return null;
  for (const [marker, action] of RECIPIENT_RESULTS) {
    const at = message.indexOf(marker);
    if (at < 0 || at > 1024) continue;
    return { recipient: cleanAddress(message.slice(10, at + 1)), action, reply: message.slice(at + marker.length) };
  }
  return null;
}

/** The 1-based item number of an outbound item uuid (`CONN.1.2` -> 2), or 0. */
function itemIndexOf(itemUuid: string): number {
  const number = Number(itemUuid.slice(itemUuid.lastIndexOf('.') + 1));
  return Number.isInteger(number) && number > 0 ? number : 0;
}

/** The k-th distinct domain (1-based) among `recipients`, in order of first appearance. */
function nthDomain(recipients: readonly string[], k: number): string | null {
  const seen = new Set<string | null>();
  for (const recipient of recipients) {
    const domain = domainOf(recipient);
    if (seen.has(domain)) continue;
    seen.add(domain);
    if (seen.size === k) return domain;
  }
  return null;
}

/** The transaction uuid of an outbound item uuid (`CONN.1.2` -> `CONN.1`). */
function transactionOf(itemUuid: string): string | null {
  const dot = itemUuid.lastIndexOf('.');
  return dot > 0 ? itemUuid.slice(0, dot) : null;
}

async function* parseHaraka(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  const clock = createSyslogClock(context);
  /** Inbound transaction uuid -> accepted recipients. */
  const transactions = new RecentMap<string[]>(MAX_TRACKED);
  /** Outbound item uuid -> what its lines said so far. */
  const items = new RecentMap<ItemState>(MAX_TRACKED);

  function itemState(uuid: string): ItemState {
    const state = items.get(uuid) ?? {
      domain: null,
      named: new Set<string>(),
      finished: new Set<string>(),
      reportedThisAttempt: new Set<string>(),
      lastDeferral: new Map<string, string>(),
    };
    // Writing back keeps an item that is still being retried among the recent ones.
    return items.set(uuid, state);
  }

  /**
   * Recipients a whole-item line is about: those the item's own lines named, plus the accepted
   * recipients of its transaction in the item's domain. Haraka queues one item per domain, in
   * the order the domains first appear among the recipients (outbound `get_deliveries`), so item
   * `T.k` is the k-th domain when no line of the item named its domain.
   */
  function recipientsOf(uuid: string, state: ItemState): string[] {
    const candidates = new Set(state.named);
    const transaction = transactionOf(uuid);
    const accepted = transaction === null ? undefined : transactions.get(transaction);
    if (transaction !== null && accepted !== undefined) {
      transactions.set(transaction, accepted);
      const domain = state.domain ?? nthDomain(accepted, itemIndexOf(uuid));
      for (const recipient of accepted) if (domain !== null && domainOf(recipient) === domain) candidates.add(recipient);
    }
    return [...candidates].filter((recipient) => !state.finished.has(recipient));
  }

  for await (const { line, text } of lines) {
    const prefix = readPrefix(text, clock, context.timeZone);
    const entry = readEntry(text, prefix.start);
    if (entry === 'unreadable') {
      yield { kind: 'malformed', line, message: 'Haraka JSON log line that is not valid JSON' };
      continue;
    }
    if (entry === null) {
      yield { kind: 'skipped', line };
      continue;
    }
    const source = `${context.file}:${line}`;
    const base = { at: prefix.at, queueId: entry.uuid, messageKey: entry.uuid, source };

    if (entry.origin === 'core') {
      // Inbound acceptance: remember who the transaction is for; not a delivery result.
      const result = entry.message.startsWith('recipient <') ? entry.message.indexOf('>') : -1;
      if (result > 0) {
        const code = entry.fields.code ?? readLogfmt(entry.message.slice(result + 1)).code;
        const recipient = cleanAddress(entry.message.slice(10, result + 1));
        if (code === 'OK' && recipient !== null) {
          const accepted = transactions.get(entry.uuid) ?? transactions.set(entry.uuid, []);
          if (!accepted.includes(recipient)) accepted.push(recipient);
        }
      }
      yield { kind: 'skipped', line };
      continue;
    }
    if (entry.origin !== 'outbound') {
      yield { kind: 'skipped', line };
      continue;
    }

    const message = entry.message;
    const perRecipient = readRecipientResult(message);
    if (perRecipient !== null) {
      if (perRecipient.recipient === null) {
        yield { kind: 'malformed', line, message: 'Haraka recipient result without a readable address' };
        continue;
      }
      const state = itemState(entry.uuid);
      state.named.add(perRecipient.recipient);
      state.domain ??= domainOf(perRecipient.recipient);
      state.reportedThisAttempt.add(perRecipient.recipient);
      const diagnostic = clip(perRecipient.reply);
      if (perRecipient.action === 'failed') state.finished.add(perRecipient.recipient);
      else state.lastDeferral.set(perRecipient.recipient, diagnostic);
      yield {
        kind: 'record',
        record: {
          recipient: perRecipient.recipient,
          action: perRecipient.action,
          ...replyOf(diagnostic),
          diagnostic,
          remoteMta: null,
          command: 'RCPT',
          ...base,
        },
      };
      continue;
    }

    if (message.startsWith(MX_LOOKUP)) {
      const domainEnd = message.indexOf(' failed', MX_LOOKUP.length);
      if (domainEnd > 0) itemState(entry.uuid).domain = message.slice(MX_LOOKUP.length, domainEnd).toLowerCase();
      yield { kind: 'skipped', line };
      continue;
    }

    let action: DeliveryAction | null = null;
    let diagnostic: string | null = null;
    let remoteMta: string | null = null;
    const logfmt = entry.fields[DELIVERED_KEY] !== undefined ? entry.fields : readDeliveredFields(message);
    if (logfmt !== null) {
      action = 'delivered';
      diagnostic = logfmt.response ?? null;
      remoteMta = logfmt.host ?? null;
      if (logfmt.domain !== undefined) itemState(entry.uuid).domain = logfmt.domain.toLowerCase();
    } else if (message.startsWith(BOUNCING)) {
      action = 'failed';
      diagnostic = message.slice(BOUNCING.length);
    } else if (message.startsWith(TEMP_FAILING)) {
      const colon = message.indexOf(': ', TEMP_FAILING.length);
      action = 'delayed';
      diagnostic = colon < 0 ? '' : message.slice(colon + 2);
    }
    if (action === null || diagnostic === null) {
      yield { kind: 'skipped', line };
      continue;
    }
    if (REPEATED_ERRORS.some((prefix) => diagnostic?.startsWith(prefix))) {
      // The attempt is over; its recipients were reported by their own lines.
      itemState(entry.uuid).reportedThisAttempt.clear();
      yield { kind: 'skipped', line };
      continue;
    }

    const state = itemState(entry.uuid);
    // Recipients rejected or deferred at RCPT in this attempt were reported by their own lines;
    // a failure of the whole item still turns the deferred ones into failures (expiry).
    const alreadyReported = action === 'failed' ? state.finished : state.reportedThisAttempt;
    const recipients = recipientsOf(entry.uuid, state).filter((recipient) => !alreadyReported.has(recipient));
    state.reportedThisAttempt.clear();
    if (recipients.length === 0) {
      yield { kind: 'skipped', line };
      continue;
    }
    diagnostic = clip(diagnostic);
    const expired = action === 'failed' && diagnostic.startsWith(EXPIRY_PREFIX);
    for (const recipient of recipients) {
      const lastDeferral = state.lastDeferral.get(recipient);
      const explanation = expired && lastDeferral !== undefined ? clip(`message expired in queue: ${lastDeferral}`) : diagnostic;
      const reply = replyOf(diagnostic);
      if (action === 'delayed') state.lastDeferral.set(recipient, diagnostic);
      else state.finished.add(recipient);
      const record: ParsedRecord = {
        recipient,
        action,
        status: expired ? EXPIRED_STATUS : reply.status,
        smtpCode: expired ? null : reply.smtpCode,
        diagnostic: explanation,
        remoteMta,
        ...base,
      };
      yield { kind: 'record', record };
    }
  }
}

/** The fields of a DEFAULT-format `delivered file=... domain=...` message, or null. */
function readDeliveredFields(message: string): Record<string, string> | null {
  const trimmed = message.trimStart();
  if (!trimmed.startsWith(`${DELIVERED_KEY}=`)) return null;
  return readLogfmt(trimmed);
}

const DETECT_LINES = 2000;
const DETECT_LINE_PREFIX = 2048;

/**
 * Every Haraka line has one of these (a default line's `[LEVEL] [uuid] [origin]`, logfmt, JSON):
 * a sample without any is not Haraka's, and its lines need not be read one by one.
 */
export function mayBeHaraka(sample: string): boolean {
  return sample.includes('] [') || sample.includes('level=') || sample.includes('{"level":"');
}

function detectHaraka(sample: string): number {
  if (!mayBeHaraka(sample)) return 0;
  const clock = createSyslogClock({});
  let harakaLines = 0;
  let outboundLines = 0;
  for (const raw of sample.split('\n', DETECT_LINES)) {
    const text = raw.length > DETECT_LINE_PREFIX ? raw.slice(0, DETECT_LINE_PREFIX) : raw;
    const start = readPrefix(text, clock).start;
    // Only the shape of the line matters here: JSON is checked by its keys, not parsed whole.
    const entry =
      readDefault(text, start) ??
      readLogfmtEntry(text, start) ??
      (/^\{"level":"[A-Z]+","uuid":"[^"]{0,128}","origin":"/.test(text.slice(start, start + 200))
        ? { origin: text.slice(start).includes('"origin":"outbound"') ? 'outbound' : 'core' }
        : null);
    if (entry === null) continue;
    harakaLines++;
    if (entry.origin === 'outbound') outboundLines++;
  }
  if (harakaLines === 0) return 0;
  return outboundLines > 0 ? 0.9 : 0.5;
}

export const harakaFormat: FormatParser = {
  name: 'haraka',
  description: 'Haraka log (default, JSON or logfmt lines): outbound delivery results',
  detect: (sample: string) => detectHaraka(sample),
  detectCeiling: 0.9,
  parse: parseHaraka,
};
