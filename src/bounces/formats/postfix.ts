/**
 * Postfix mail logs (syslog, BSD or RFC 3339 stamps, optional Solaris `[ID n mail.info]`).
 *
 * Delivery lines: `postfix/<service>[pid]: QID: to=<rcpt>, [orig_to=<..>,] relay=host[ip]:port,
 * ..., [dsn=X.Y.Z,] status=word (text)` from smtp, lmtp, local, virtual, pipe, error, ... Each
 * becomes one record. `dsn=` goes to `status` as logged (often generic 5.0.0: the classifier
 * reads the real code from the text); the parenthesised text, which may itself hold parentheses,
 * runs from the first `(` after the status word to the LAST `)` of the line.
 *
 * `qmgr ... QID: from=<sender>, status=expired, returned to sender` names the sender only: it is
 * joined on the queue ID to the recipients still deferred earlier in the same input, and yields
 * one failed record each. The map of pending queue IDs is bounded (about 100k); IDs leave it when
 * removed, when all their recipients reached a final status, or when they are the least recently
 * deferred over the bound.
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
import { readAddressValue } from './fields/address.js';
import { createSyslogClock, readSyslogHeader, readSyslogTag } from './fields/syslog-time.js';
import { RecentMap, clip, detectSyslogMta, fieldValue, readQueueId } from './fields/log-fields.js';
import { LineReader } from './fields/line-reader.js';
import { SkippedRun } from './fields/skipped-run.js';

/** Postfix status words and the RFC 3464 action they mean. */
const STATUS_ACTIONS: ReadonlyMap<string, DeliveryAction> = new Map([
  ['sent', 'delivered'],
  ['bounced', 'failed'],
  ['deferred', 'delayed'],
  ['expired', 'failed'],
  // Address verification probes (verify(8)).
  ['undeliverable', 'failed'],
  ['deliverable', 'delivered'],
]);

/** Phrases after which Postfix quotes the remote server's reply. */
const REPLY_MARKERS: readonly string[] = [' said: ', ' refused to talk to me: '];

/** `(in reply to X command)`: what X names, as the SMTP verb. */
const REPLY_COMMANDS: readonly (readonly [string, string])[] = [
  ['RCPT TO', 'RCPT'],
  ['end of DATA', 'DATA'],
  ['DATA', 'DATA'],
  ['MAIL FROM', 'MAIL'],
  ['EHLO', 'EHLO'],
  ['HELO', 'HELO'],
  ['LHLO', 'LHLO'],
  ['STARTTLS', 'STARTTLS'],
  ['AUTH', 'AUTH'],
];

/** Only this much of a diagnostic is searched for codes: remote text is hostile. */
const SCAN_LIMIT = 4096;
/** Bound of the expired-join map (queue IDs with deferred recipients). */
const MAX_PENDING_QUEUE_IDS = 100_000;

const DELIVERY_MARK = 'to=';
const ORIGINAL_FIELD = ', orig_to=';
/** A delivery result word, wherever it is on the line. */
const RESULT_WORD = /\bstatus=(?:sent|bounced|deferred|undeliverable|deliverable|expired)\b/;

/**
 * Does the line report a delivery result? Such a line that cannot be read is listed as
 * unparsed, never skipped. `status=expired` without `to=` is qmgr's note about the sender.
 */
function hasDeliveryResult(text: string): boolean {
  const match = RESULT_WORD.exec(text.length > 8192 ? text.slice(0, 8192) : text);
  return match !== null && (!match[0].endsWith('expired') || text.includes('to=<') || text.includes(' to='));
}
const STATUS_FIELD = ', status=';
const EXPIRED_FIELD = ', status=expired';

interface Delivery {
  /** orig_to= when logged (the address before aliasing: the one on the sender's list), else to=. */
  recipient: string;
  /** to= when orig_to= named another address, else null. */
  finalRecipient: string | null;
  statusWord: string;
  action: DeliveryAction;
  status: string | null;
  smtpCode: string | null;
  diagnostic: string | null;
  remoteMta: string | null;
  command: string | null;
}

/** What the latest deferred line said for one recipient of a queued message. */
interface DeferredNote {
  status: string | null;
  diagnostic: string | null;
  remoteMta: string | null;
}

/** Is `tag` a Postfix program (`postfix/smtp`, `postfix-out/smtp`, `postfix/submission/smtpd`)? */
function isPostfixTag(name: string): boolean {
  return name.startsWith('postfix') && name.includes('/');
}

/** `mx.example.org[192.0.2.7]:25` -> `mx.example.org`; `none`, `local`, ... -> null. */
function relayHost(relay: string | null): string | null {
  if (relay === null) return null;
  const bracket = relay.indexOf('[');
  if (bracket <= 0) return null;
  const host = relay.slice(0, bracket);
  return host === 'none' ? null : host;
}

/** The SMTP reply code after `said: ` (or `refused to talk to me: `), or null. */
function replyCodeOf(diagnostic: string): string | null {
  const head = diagnostic.length > SCAN_LIMIT ? diagnostic.slice(0, SCAN_LIMIT) : diagnostic;
  for (const marker of REPLY_MARKERS) {
    const at = head.indexOf(marker);
    if (at < 0) continue;
    const code = head.slice(at + marker.length, at + marker.length + 3);
    const next = head.charCodeAt(at + marker.length + 3);
    if (/^[2-5]\d\d$/.test(code) && (Number.isNaN(next) || next === 32 || next === 45)) return code;
  }
  return null;
}

function commandOf(diagnostic: string): string | null {
  const at = diagnostic.lastIndexOf('(in reply to ');
  if (at < 0 || diagnostic.length - at > 64) return null;
  const phrase = diagnostic.slice(at + 13);
  for (const [words, verb] of REPLY_COMMANDS) if (phrase.startsWith(words)) return verb;
  return null;
}

/** Reads a delivery line from `to=` on; returns the delivery or why it cannot be read. */
function readDelivery(text: string, toAt: number): Delivery | string {
  const { address, end } = readAddressValue(text, toAt + DELIVERY_MARK.length);
  if (address === null) return 'delivery line without a readable to= address';
  const statusAt = text.indexOf(STATUS_FIELD, end);
  if (statusAt < 0) return 'delivery line without status=';
  const wordStart = statusAt + STATUS_FIELD.length;
  let wordEnd = text.indexOf(' ', wordStart);
  if (wordEnd < 0) wordEnd = text.length;
  const statusWord = text.slice(wordStart, wordEnd);
  const action = STATUS_ACTIONS.get(statusWord);
  if (action === undefined) return `unknown Postfix status "${statusWord.slice(0, 32)}"`;

  let diagnostic: string | null = null;
  if (text.charCodeAt(wordEnd + 1) === 40 /* ( */) {
    const close = text.lastIndexOf(')');
    if (close > wordEnd + 1) diagnostic = clip(text.slice(wordEnd + 2, close));
  }
  const relay = fieldValue(text, ', relay=', end, statusAt, ',');
  const dsn = fieldValue(text, ', dsn=', end, statusAt, ',');
  const originalAt = text.startsWith(ORIGINAL_FIELD, end) ? end + ORIGINAL_FIELD.length : -1;
  const original = originalAt < 0 ? null : readAddressValue(text, originalAt).address;
  const usable = original !== null && original.includes('@') && original.toLowerCase() !== address.toLowerCase();
  return {
    recipient: usable ? original : address,
    finalRecipient: usable ? address : null,
    statusWord,
    action,
    status: dsn,
    smtpCode: diagnostic === null ? null : replyCodeOf(diagnostic),
    diagnostic,
    remoteMta: relayHost(relay),
    command: diagnostic === null ? null : commandOf(diagnostic),
  };
}

/** Recipients of queued messages that were deferred, for joining `status=expired` lines. */
class DeferredQueue {
  private readonly byQueueId: RecentMap<Map<string, DeferredNote>>;

  constructor(limit: number) {
    this.byQueueId = new RecentMap(limit);
  }

  noteDeferred(queueId: string, recipient: string, note: DeferredNote): void {
    const recipients = this.byQueueId.get(queueId) ?? new Map<string, DeferredNote>();
    recipients.set(recipient, note);
    this.byQueueId.set(queueId, recipients);
  }

  noteFinal(queueId: string, recipient: string): void {
    const recipients = this.byQueueId.get(queueId);
    if (recipients === undefined) return;
    recipients.delete(recipient);
    if (recipients.size === 0) this.byQueueId.delete(queueId);
  }

  take(queueId: string): Map<string, DeferredNote> | undefined {
    const recipients = this.byQueueId.get(queueId);
    this.byQueueId.delete(queueId);
    return recipients;
  }

  forget(queueId: string): void {
    this.byQueueId.delete(queueId);
  }
}

async function* parsePostfix(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  const clock = createSyslogClock(context);
  const deferred = new DeferredQueue(MAX_PENDING_QUEUE_IDS);
  const skipped = new SkippedRun();

  const reader = new LineReader(lines);
  try {
    for (let next = reader.ready() ?? (await reader.next()); next !== null; next = reader.ready() ?? (await reader.next())) {
      const { line, text } = next;
      const header = readSyslogHeader(text);
      const tag = header === null ? null : readSyslogTag(text, header.bodyStart);
      if (header === null || tag === null || !isPostfixTag(tag.name)) {
        if (header === null && text.includes('postfix') && hasDeliveryResult(text)) {
          if (skipped.lines > 0) yield skipped.take();
          yield { kind: 'malformed', line, message: 'Postfix delivery line without a readable syslog time stamp' };
        } else if (header !== null && tag === null && text.includes('postfix') && hasDeliveryResult(text)) {
          if (skipped.lines > 0) yield skipped.take();
          yield { kind: 'malformed', line, message: 'Postfix delivery line without a readable program name' };
        } else {
          skipped.add(line);
        }
        continue;
      }
      // Queue IDs are as short as the queue directory's hash allows on some systems (`4B2A1:`).
      const queue = readQueueId(text, tag.messageStart, 1);
      if (queue === null || queue.queueId === 'NOQUEUE') {
        if (hasDeliveryResult(text)) {
          if (skipped.lines > 0) yield skipped.take();
          yield { kind: 'malformed', line, message: 'Postfix delivery line without a readable queue ID' };
        } else {
          // connect/disconnect, warnings, NOQUEUE rejects of incoming mail, statistics, ...
          skipped.add(line);
        }
        continue;
      }
      const { queueId } = queue;
      const source = `${context.file}:${line}`;

      if (text.startsWith(DELIVERY_MARK, queue.end)) {
        const delivery = readDelivery(text, queue.end);
        if (typeof delivery === 'string') {
          if (skipped.lines > 0) yield skipped.take();
          yield { kind: 'malformed', line, message: delivery };
          continue;
        }
        if (delivery.action === 'delayed') {
          deferred.noteDeferred(queueId, delivery.recipient, {
            status: delivery.status,
            diagnostic: delivery.diagnostic,
            remoteMta: delivery.remoteMta,
          });
        } else {
          deferred.noteFinal(queueId, delivery.recipient);
        }
        const record: ParsedRecord = {
          recipient: delivery.recipient,
          ...(delivery.finalRecipient === null ? {} : { finalRecipient: delivery.finalRecipient }),
          action: delivery.action,
          status: delivery.status,
          smtpCode: delivery.smtpCode,
          diagnostic: delivery.diagnostic,
          remoteMta: delivery.remoteMta,
          command: delivery.command,
          at: clock.toIso(header.stamp),
          queueId,
          messageKey: queueId,
          source,
        };
        if (skipped.lines > 0) yield skipped.take();
        yield { kind: 'record', record };
        continue;
      }

      if (text.startsWith('removed', queue.end)) {
        deferred.forget(queueId);
        skipped.add(line);
        continue;
      }

      if (text.startsWith('from=', queue.end) && text.includes(EXPIRED_FIELD, queue.end)) {
        const recipients = deferred.take(queueId);
        if (recipients === undefined) {
          skipped.add(line);
          continue;
        }
        const at = clock.toIso(header.stamp);
        if (skipped.lines > 0) yield skipped.take();
        for (const [recipient, note] of recipients) {
          const last = note.diagnostic ?? 'no reason logged';
          yield {
            kind: 'record',
            record: {
              recipient,
              action: 'failed',
              status: EXPIRED_STATUS,
              smtpCode: null,
              diagnostic: clip(`message expired in queue: ${last}`),
              remoteMta: note.remoteMta,
              at,
              queueId,
              messageKey: queueId,
              source,
            },
          };
        }
        continue;
      }

      if (hasDeliveryResult(text)) {
        if (skipped.lines > 0) yield skipped.take();
        yield { kind: 'malformed', line, message: 'Postfix delivery result that cannot be read (to= is not where it belongs)' };
        continue;
      }
      // cleanup message-id=, qmgr from= (queue entry), smtpd client=, bounce notifications, ...
      skipped.add(line);
    }
    if (skipped.lines > 0) yield skipped.take();
  } finally {
    await reader.close();
  }
}

function detectPostfix(sample: string): number {
  return detectSyslogMta(
    sample,
    isPostfixTag,
    1,
    (text, _raw, afterQueueId) => text.startsWith(DELIVERY_MARK, afterQueueId) && text.includes(STATUS_FIELD, afterQueueId),
  );
}

export const postfixFormat: FormatParser = {
  name: 'postfix',
  description: 'Postfix mail log (syslog): one line per delivery attempt and recipient',
  detect: (sample: string) => detectPostfix(sample),
  parse: parsePostfix,
};
