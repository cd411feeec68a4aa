/**
 * Exim main log: `YYYY-MM-DD HH:MM:SS[.mmm] [+HHMM] [[pid]] <message-id> <flag> <address> ...`.
 *
 * Flags: `=>` delivered, `->` further address of that delivery, `**` failed, `==` deferred;
 * `<=` arrival, `*>` fake delivery (`-N`, nothing was sent), `Completed` and all other message
 * lines are skipped, as are lines without a message id (queue runs, SMTP connections).
 * The address may be followed by `<original>`, the address the message was sent to before
 * routing (aliases, forwards); that is the one a contact list holds, so it is the recipient.
 * Fields follow (`R=router T=transport H=host [ip] C="..."`); on failures and deferrals the
 * diagnostic is the text after the first `: ` (`T=remote_smtp: SMTP error from remote mail
 * server after RCPT TO:<a@b>: host h [ip]: 550 5.1.1 ...`, `defer (110): Connection timed out`).
 * `** ... retry timeout exceeded` is Exim's expiry: status 4.4.7. Exim logs local time: a time
 * without an offset (`log_timezone` adds one) is read in the context's zone.
 */
import { EXPIRED_STATUS, type DeliveryAction, type FormatParser, type NumberedLine, type ParseContext, type ParseItem } from '../types.js';
import { cleanAddress } from './fields/address.js';
import { instantOf, readDateTime } from './fields/syslog-time.js';
import { clip, fieldValue, mayHoldDatedLine } from './fields/log-fields.js';
import { LineReader } from './fields/line-reader.js';
import { SkippedRun } from './fields/skipped-run.js';

const FLAG_ACTIONS: ReadonlyMap<string, DeliveryAction> = new Map([
  ['=>', 'delivered'],
  ['->', 'delivered'],
  ['**', 'failed'],
  ['==', 'delayed'],
]);

/** `after X`: the SMTP verb X names. */
const AFTER_COMMANDS: readonly (readonly [string, string])[] = [
  ['RCPT TO', 'RCPT'],
  ['pipelined RCPT TO', 'RCPT'],
  ['MAIL FROM', 'MAIL'],
  ['pipelined MAIL FROM', 'MAIL'],
  ['end of data', 'DATA'],
  ['DATA', 'DATA'],
  ['pipelined DATA', 'DATA'],
  ['EHLO', 'EHLO'],
  ['HELO', 'HELO'],
  ['STARTTLS', 'STARTTLS'],
  ['AUTH', 'AUTH'],
  ['initial connection', 'CONNECT'],
];

const SMTP_ERROR = 'SMTP error from remote mail';
const RETRY_TIMEOUT = 'retry timeout exceeded';
const SCAN_LIMIT = 4096;
const DATE_OPTIONS = { spaceSeparator: true, spaceBeforeZone: true } as const;
const REPLY_CODE = /^([2-5]\d\d)(?:[ -]([245]\.\d{1,3}\.\d{1,3})(?=[ ,;:)]|$))?/;

function isIdChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Exim message ids: old `1cImN5-0001OE-3r` (6-6-2), new `10HmbC-000000005vi-0000` (6-11-4). */
function readMessageId(text: string, index: number): { messageId: string; end: number } | null {
  const parts: number[] = [];
  let position = index;
  let runLength = 0;
  const limit = Math.min(text.length, index + 24);
  for (; position < limit; position++) {
    const code = text.charCodeAt(position);
    if (isIdChar(code)) runLength++;
    else if (code === 45 /* - */ && parts.length < 2) {
      parts.push(runLength);
      runLength = 0;
    } else break;
  }
  parts.push(runLength);
  const shape = parts.join('-');
  if (shape !== '6-6-2' && shape !== '6-11-4') return null;
  if (position < text.length && text.charCodeAt(position) !== 32) return null;
  return { messageId: text.slice(index, position), end: position };
}

/** Index after the time stamp, an optional ` [pid]`, and the following space; or -1. */
function skipStampAndPid(text: string, stampEnd: number): number {
  if (text.charCodeAt(stampEnd) !== 32) return -1;
  let position = stampEnd + 1;
  if (text.charCodeAt(position) === 91 /* [ */) {
    const close = text.indexOf('] ', position);
    if (close < 0 || close - position > 12) return -1;
    position = close + 2;
  }
  return position;
}

/** `C="250 2.0.0 OK ..."`: the confirmation of a delivery, without its quotes. */
function confirmationOf(text: string, from: number): string | null {
  const at = text.indexOf(' C="', from);
  if (at < 0) return null;
  const close = text.indexOf('"', at + 4);
  return text.slice(at + 4, close < 0 ? text.length : close);
}

interface RemoteReply {
  smtpCode: string | null;
  status: string | null;
  command: string | null;
  host: string | null;
}

/**
 * Reads `SMTP error from remote mail server after <command>: [host <h> [ip]: ]<code> <x.y.z> ...`
 * (older Exims say "remote mailer"), or a bare `<code> <x.y.z>` at the start of a confirmation.
 */
function remoteReplyOf(diagnostic: string): RemoteReply {
  const head = diagnostic.length > SCAN_LIMIT ? diagnostic.slice(0, SCAN_LIMIT) : diagnostic;
  const none: RemoteReply = { smtpCode: null, status: null, command: null, host: null };
  const errorAt = head.indexOf(SMTP_ERROR);
  if (errorAt < 0) return none;
  const afterAt = head.indexOf(' after ', errorAt);
  const colon = afterAt < 0 ? -1 : head.indexOf(': ', afterAt);
  if (colon < 0) return none;
  const afterPhrase = head.slice(afterAt + 7, colon);
  const command = AFTER_COMMANDS.find(([words]) => afterPhrase.startsWith(words))?.[1] ?? null;
  let replyStart = colon + 2;
  let host: string | null = null;
  if (head.startsWith('host ', replyStart)) {
    const hostEnd = head.indexOf(' ', replyStart + 5);
    host = hostEnd < 0 ? null : head.slice(replyStart + 5, hostEnd);
    const next = head.indexOf(': ', replyStart);
    if (next < 0) return { ...none, command, host };
    replyStart = next + 2;
  }
  const match = REPLY_CODE.exec(head.slice(replyStart, replyStart + 16));
  return { smtpCode: match?.[1] ?? null, status: match?.[2] ?? null, command, host };
}

function hostOf(hostField: string | null): string | null {
  if (hostField === null || hostField.length === 0 || hostField.startsWith('[')) return null;
  return hostField;
}

async function* parseExim(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  const skipped = new SkippedRun();
  const reader = new LineReader(lines);
  try {
    for (let next = reader.ready() ?? (await reader.next()); next !== null; next = reader.ready() ?? (await reader.next())) {
      const { line, text } = next;
      const stamp = readDateTime(text, 0, DATE_OPTIONS);
      const idStart = stamp === null ? -1 : skipStampAndPid(text, stamp.end);
      const id = idStart < 0 ? null : readMessageId(text, idStart);
      if (stamp === null || id === null) {
        skipped.add(line);
        continue;
      }
      const flagStart = id.end + 1;
      const flagEnd = text.indexOf(' ', flagStart);
      const action = flagEnd < 0 ? undefined : FLAG_ACTIONS.get(text.slice(flagStart, flagEnd));
      if (action === undefined) {
        // <= arrivals, *> fake deliveries, Completed, Frozen, rejections, ...
        skipped.add(line);
        continue;
      }
      const addressStart = flagEnd + 1;
      // A quoted local part may hold blanks: `** "ann smith"@b.example: Unrouteable address`.
      const quoteEnd = text.charCodeAt(addressStart) === 34 ? text.indexOf('"', addressStart + 1) : -1;
      let addressEnd = text.indexOf(' ', quoteEnd > 0 ? quoteEnd : addressStart);
      if (addressEnd < 0) addressEnd = text.length;
      // `** a@b: Unrouteable address`: the colon ends the address and starts the diagnostic.
      const rawAddress = text.slice(addressStart, addressEnd).replace(/:$/, '');
      let recipient = cleanAddress(rawAddress);
      let finalRecipient: string | null = null;
      let fieldsStart = addressEnd;
      if (text.startsWith(' <', addressEnd)) {
        // `** final@x <original@y>: ...`: the address before routing is the one on the list.
        const close = text.indexOf('>', addressEnd + 2);
        if (close > 0) {
          const original = cleanAddress(text.slice(addressEnd + 2, close));
          if (original !== null && original.includes('@')) {
            if (recipient !== null && recipient.includes('@') && recipient.toLowerCase() !== original.toLowerCase())
              finalRecipient = recipient;
            recipient = original;
          }
          fieldsStart = close + 1;
        }
      }
      if (recipient === null) {
        if (skipped.lines > 0) yield skipped.take();
        yield { kind: 'malformed', line, message: 'Exim delivery line without a readable address' };
        continue;
      }

      let diagnostic: string | null;
      let fieldsEnd: number;
      if (action === 'delivered') {
        diagnostic = confirmationOf(text, fieldsStart);
        fieldsEnd = text.length;
      } else {
        const colon = text.indexOf(': ', quoteEnd > 0 ? quoteEnd : addressStart);
        diagnostic = colon < 0 ? null : text.slice(colon + 2);
        fieldsEnd = colon < 0 ? text.length : colon;
        if (diagnostic === null) {
          // `== a@b R=r T=t defer (-53) retry time not reached`: keep what follows the fields.
          const tail = text.slice(fieldsStart).trim();
          diagnostic = tail.length > 0 ? tail : null;
        }
      }
      if (diagnostic !== null) diagnostic = clip(diagnostic);

      let status: string | null = null;
      let smtpCode: string | null = null;
      let command: string | null = null;
      let remoteMta = hostOf(fieldValue(text, ' H=', fieldsStart, fieldsEnd, ' '));
      if (diagnostic !== null) {
        if (action === 'delivered') {
          const match = REPLY_CODE.exec(diagnostic.slice(0, 16));
          smtpCode = match?.[1] ?? null;
          status = match?.[2] ?? null;
        } else {
          const reply = remoteReplyOf(diagnostic);
          smtpCode = reply.smtpCode;
          status = reply.status;
          command = reply.command;
          remoteMta ??= reply.host;
          const head = diagnostic.length > SCAN_LIMIT ? diagnostic.slice(0, SCAN_LIMIT) : diagnostic;
          if (action === 'failed' && head.includes(RETRY_TIMEOUT)) status = EXPIRED_STATUS;
        }
      }

      if (skipped.lines > 0) yield skipped.take();
      yield {
        kind: 'record',
        record: {
          recipient,
          ...(finalRecipient === null ? {} : { finalRecipient }),
          action,
          status,
          smtpCode,
          diagnostic,
          remoteMta,
          command,
          at: new Date(instantOf(stamp, context.timeZone)).toISOString(),
          queueId: id.messageId,
          messageKey: id.messageId,
          source: `${context.file}:${line}`,
        },
      };
    }
    if (skipped.lines > 0) yield skipped.take();
  } finally {
    await reader.close();
  }
}

const DETECT_LINES = 2000;
const DETECT_LINE_PREFIX = 256;
const ANY_FLAG: ReadonlySet<string> = new Set(['<=', '=>', '->', '**', '==', '*>', 'Completed']);
/**
 * What Exim writes after the date on the lines that are not about one message: connections,
 * queue runs, refusals of incoming mail, authentication failures. A quiet day's log may hold
 * only these; it is still Exim's log, with nothing about delivery in it.
 */
const EXIM_EVENT =
  /^(?:H=|SMTP (?:connection|call|protocol|command|data timeout|syntax)|Start queue run|End queue run|no (?:host name|IP address) found for|TLS error on|unexpected disconnection|exim \d|daemon started|[\w-]{1,40} authenticator failed for |rejected (?:EHLO|HELO|MAIL|RCPT))/;
/** The same after a message id: a message refused, frozen or scanned, not delivered. */
const EXIM_MESSAGE_EVENT = /^(?:[HFUPI]=|SA: |rejected |Warning: |Frozen|Unfrozen|Message is frozen|removed by )/;
/** The score of a log of Exim's own events only: enough to be read as Exim, below any delivery log. */
const EVENTS_ONLY_SCORE = 0.6;

function detectExim(sample: string): number {
  // Every Exim line starts with its date: a sample without such a line is not Exim's.
  if (!mayHoldDatedLine(sample)) return 0;
  let lines = 0;
  let flagged = 0;
  let events = 0;
  for (const raw of sample.split('\n', DETECT_LINES)) {
    const text = raw.length > DETECT_LINE_PREFIX ? raw.slice(0, DETECT_LINE_PREFIX) : raw;
    if (text.trim().length === 0) continue;
    lines++;
    const stamp = readDateTime(text, 0, DATE_OPTIONS);
    const idStart = stamp === null ? -1 : skipStampAndPid(text, stamp.end);
    const id = idStart < 0 ? null : readMessageId(text, idStart);
    if (id === null) {
      if (idStart >= 0 && EXIM_EVENT.test(text.slice(idStart))) events++;
      continue;
    }
    const flagEnd = text.indexOf(' ', id.end + 1);
    const flag = text.slice(id.end + 1, flagEnd < 0 ? text.length : flagEnd);
    if (ANY_FLAG.has(flag)) flagged++;
    else if (EXIM_MESSAGE_EVENT.test(text.slice(id.end + 1))) events++;
  }
  // Without a delivery line: a third of the lines Exim's own events, two at least in a longer sample.
  if (flagged === 0) return events >= Math.min(2, lines) && events * 3 >= lines ? EVENTS_ONLY_SCORE : 0;
  return 0.9 + 0.09 * (flagged / lines);
}

export const eximFormat: FormatParser = {
  name: 'exim',
  description: 'Exim main log: one line per delivery, deferral or failure (=>, ==, **)',
  detect: (sample: string) => detectExim(sample),
  parse: parseExim,
};
