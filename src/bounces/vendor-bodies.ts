/**
 * Plain-text bounce bodies without a delivery-status part: qmail, Exim, old Sendmail, Postfix
 * without DSN, Exchange, Domino, Gmail, Yahoo and many appliances. Instead of one parser per
 * vendor this reads them the same general way:
 *   1. cut off the returned original message (a table of the markers vendors put before it, or
 *      the first embedded header block);
 *   2. in what remains, a line that starts with an address (`<ann@example.org>:`,
 *      `  ann@example.org`, `* ann@example.org`, `ann@example.org on <date>`) or names one after
 *      `to` / `recipient` (`There was an error delivering your mail to <ann@...>`, `>>> RCPT
 *      To:<ann@...>`) starts that recipient's block; the lines up to the next block are its
 *      diagnostic (codes and text are read by the classifier);
 *   3. when no line names a recipient, the whole text is the diagnostic of the original
 *      message's recipient.
 */
import type { DeliveryAction } from './types.js';

export interface BodyFailure {
  recipient: string;
  /** The lines about this recipient, joined with single blanks. */
  diagnostic: string;
  remoteMta: string | null;
  action: DeliveryAction;
}

export interface BounceBody {
  failures: BodyFailure[];
  /** The text of the returned original message (or its headers), when the body holds it. */
  original: string | null;
  /** The text before the original message: what the bounce says. */
  report: string;
  /** A known bounce phrase or marker was found. */
  recognized: boolean;
  /** `delayed` when the text is a warning that delivery is still being tried. */
  action: DeliveryAction;
}

export interface BodyContext {
  /**
   * Addresses that are normally not recipients: the bounce's own From/To (the original sender).
   * They are dropped when the text names other addresses (a message sent to oneself keeps them).
   */
  exclude?: readonly string[];
}

/** A bounce body is read only this far: real ones say what they have to say early. */
const MAX_BODY = 256 * 1024;
const MAX_BLOCK_LINES = 24;
const MAX_DIAGNOSTIC = 3000;
const MAX_RECIPIENTS = 1000;

const ADDRESS_SOURCE = "[A-Za-z0-9._%+'=/!#$&*?^`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\\.){1,8}[A-Za-z]{2,63}";
/**
 * A line that starts with an address, optionally bulleted, quoted, in angle brackets, or after
 * the reply code of a transcript line (`554 <ann@example.org>... Remote protocol error`).
 */
const LEADING_ADDRESS = new RegExp(
  `^\\s{0,16}(?:[*\\-•]\\s{1,4}|[45]\\d\\d[ -](?:[45]\\.\\d{1,3}\\.\\d{1,3} )?)?["'<]?(${ADDRESS_SOURCE})(?![A-Za-z0-9.-])`,
);
/** `... to <ann@example.org>`, `recipient <ann@...>`, `RCPT To:<ann@...>`, `undeliverable to ann@...`. */
const NAMED_ADDRESS = new RegExp(
  `(?:(?:^|[\\s:])(?:to|recipient|address|user|list)\\s{0,4}:?\\s{0,4}<(${ADDRESS_SOURCE})>` +
    `|(?:rcpt to|recipient address|recipient|undeliverable to|delivered to|delivery to|deliver to|deliver your message to|delivering your mail to|message to)\\s{0,4}:?\\s{0,4}(${ADDRESS_SOURCE})(?![A-Za-z0-9.-]))`,
  'i',
);
const SEPARATOR_LINE = /^[\s=_*#~+-]{0,200}$/;
const HEADER_LINE = /^(?:Return-Path|Received|Message-I[Dd]|From|To|Subject|Date|MIME-Version|Content-Type|DKIM-Signature|X-[A-Za-z0-9-]{1,60}):\s/i;
const REMOTE_HOST = /\b(?:host|from|by|server|talking to)\s{1,4}\[?([A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,63})\]?/i;

/**
 * Lines (lower-case, trimmed start) after which the returned original message follows. Checked
 * with `startsWith` unless marked `*` (anywhere in the line).
 */
const ORIGINAL_MARKERS: readonly string[] = [
  '------ this is a copy of the message',
  '--- below this line is a copy of the message',
  '----- original message -----',
  '--- original message follows',
  '----- original message follows -----',
  '------ original message ------',
  '----- unsent message follows -----',
  '----- message header follows -----',
  '------ the header of the original message',
  '----- the header of original message is following',
  '--- the header of the original message is following',
  'message headers follow',
  'original message:',
  'original message headers:',
  '-------- original message --------',
  'content-type: message/rfc822',
  'content-type: text/rfc822-headers',
  '*** original message ***',
  '*below is a copy of the original message',
  '*below is a copy of the message',
  '*copy of the original message',
  '*the original message was:',
  '*original message follows',
  '*included is a copy of the message header',
  '*the attachment contains the original mail headers',
  '*------ original message header',
  'reporting-mta:',
  'final-recipient:',
  'original-recipient:',
];

/** Phrases that say the text is a bounce (lower-case, anywhere). */
const BOUNCE_PHRASES: readonly string[] = [
  'could not be delivered',
  'could not deliver',
  'couldn\'t be delivered',
  'unable to deliver',
  'was not delivered',
  'delivery has failed',
  'delivery failed',
  'delivery to the following recipient',
  'delivery status notification',
  'did not reach the following recipient',
  'undeliverable',
  'undelivered mail',
  'returned mail',
  'permanent fatal errors',
  'permanent error',
  'following address(es) failed',
  'following addresses had',
  'wasn\'t able to deliver',
  'this is the qmail-send program',
  'this is the mail system at host',
  'mail delivery failed',
  'failure notice',
  'message could not be',
  'error delivering your mail',
  'rejected by a remote mail server',
  'there was an error sending your mail',
  'trouble delivering your message',
  'has not yet been delivered',
  'delivery to the following recipients failed',
  'your message was not delivered',
  'not be delivered',
  'cannot be delivered',
  'not member',
  'not a member',
  'group you tried to contact',
  'was automatically rejected',
  'non remis',
  'non recapitabile',
  'unzustellbar',
  'no se ha podido entregar',
  '配信',
  '送信できません',
  'あて先',
];

/**
 * Lines (lower-case) after which the failed recipients are listed. Addresses before such a line
 * (`A message sent by <ann@...>`) are the sender's, so they are ignored when one is found.
 */
const LIST_MARKERS: readonly string[] = [
  'address(es) failed',
  'following address',
  'following recipient',
  'to the following',
  'permanent fatal errors',
  'had delivery errors',
  'delivery errors',
  'did not reach the following',
  'was not delivered to',
  'could not be delivered to',
  'delivery has failed to these recipients',
  'unable to deliver message to',
  'delivery to the following',
];

const DELAY_PHRASES: readonly string[] = [
  'delivery attempts will continue',
  'has not yet been delivered',
  'will be retried',
  'warning message only',
  'delay reason',
  'delivery to the following recipient has been delayed',
  'this is a warning',
  'still being retried',
];

export function parseBounceBody(text: string, context: BodyContext = {}): BounceBody {
  const lines = text.slice(0, MAX_BODY).split(/\r\n|\r|\n/);
  const originalAt = findOriginalStart(lines);
  const reportLines = lines.slice(0, originalAt);
  const report = reportLines.join('\n');
  const original = originalAt < lines.length ? lines.slice(originalAt + 1).join('\n') : null;
  const lower = report.toLowerCase();
  const recognized = BOUNCE_PHRASES.some((phrase) => lower.includes(phrase));
  const delayed = DELAY_PHRASES.some((phrase) => lower.includes(phrase));
  const action: DeliveryAction = delayed ? 'delayed' : 'failed';
  const excluded = new Set((context.exclude ?? []).map((address) => address.toLowerCase()));

  const blocks = findBlocks(reportLines);
  const others = [...blocks.keys()].filter((recipient) => !excluded.has(recipient.toLowerCase()));
  const failures: BodyFailure[] = [...blocks]
    .filter(([recipient]) => others.length === 0 || !excluded.has(recipient.toLowerCase()))
    .map(([recipient, block]) => {
      const diagnostic = block.join(' ').slice(0, MAX_DIAGNOSTIC);
      return { recipient, diagnostic, remoteMta: remoteHostOf(diagnostic), action };
    });
  return { failures, original, report, recognized, action };
}

/**
 * The failure of a bounce whose text names no recipient: the whole report is the diagnostic of
 * the recipient the caller knows from elsewhere (the returned message's To).
 */
export function wholeReportFailure(body: BounceBody, recipient: string): BodyFailure {
  const lines = body.report.split('\n');
  const diagnostic = meaningfulLines(lines, 0, lines.length).join(' ').slice(0, MAX_DIAGNOSTIC);
  return { recipient, diagnostic, remoteMta: remoteHostOf(diagnostic), action: body.action };
}

/** The index of the marker line before the returned message, or `lines.length`. */
function findOriginalStart(lines: readonly string[]): number {
  let sawText = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trimStart().toLowerCase();
    if (line === '') continue;
    for (const marker of ORIGINAL_MARKERS) {
      const hit = marker.startsWith('*') ? line.includes(marker.slice(1)) : line.startsWith(marker);
      if (hit) return i;
    }
    // An embedded header block after some text is the original message without a marker.
    if (sawText && startsHeaderBlock(lines, i)) return i - 1;
    sawText = true;
  }
  return lines.length;
}

/** Three header lines in a row (folded continuations allowed between them) start at `at`. */
function startsHeaderBlock(lines: readonly string[], at: number): boolean {
  let headers = 0;
  for (let i = at; i < lines.length && i < at + 40; i++) {
    const line = lines[i]!;
    if (HEADER_LINE.test(line)) headers++;
    else if (!(headers > 0 && /^[ \t]+\S/.test(line))) break;
    if (headers >= 3) return true;
  }
  return false;
}

/** Recipient -> its lines, in the order recipients first appear. */
function findBlocks(lines: readonly string[]): Map<string, string[]> {
  let starts = blockStarts(lines);

  const listAt = lines.findIndex((line) => {
    const lower = line.toLowerCase();
    return LIST_MARKERS.some((marker) => lower.includes(marker));
  });
  const firstListed = listAt === -1 ? -1 : starts.findIndex((start) => start.line >= listAt);
  if (firstListed > 0) starts = starts.slice(firstListed);

  // SMTP transcript lines before the first recipient line are that recipient's session when the
  // server refused before RCPT (`>>> MAIL From:<...>` / `<<< 550 Insecure Mail Relay`, then
  // `554 <ann@...>... Remote protocol error`).
  const transcript: string[] = [];
  const firstLine = starts.length > 0 ? starts[0]!.line : 0;
  for (let i = Math.max(listAt, 0); i < firstLine; i++) {
    if (/^\s{0,8}(?:>>>|<<<)/.test(lines[i]!)) transcript.push(lines[i]!.trim());
  }

  // Keyed by the lower-cased address; a recipient named again (transcript lines) adds its lines.
  const blocks = new Map<string, { recipient: string; lines: string[] }>();
  for (let s = 0; s < starts.length; s++) {
    const start = starts[s]!;
    const end = s + 1 < starts.length ? starts[s + 1]!.line : lines.length;
    const before = s === 0 ? transcript : [];
    const text = [...before, start.rest, ...meaningfulLines(lines, start.line + 1, Math.min(end, start.line + 1 + MAX_BLOCK_LINES))]
      .map((part) => part.trim())
      .filter((part) => part !== '');
    const key = start.recipient.toLowerCase();
    const known = blocks.get(key);
    if (known) {
      if (known.lines.length < MAX_BLOCK_LINES * 4) known.lines.push(...text);
    } else if (blocks.size < MAX_RECIPIENTS) {
      blocks.set(key, { recipient: start.recipient, lines: text });
    }
  }
  return new Map([...blocks.values()].map((block) => [block.recipient, block.lines]));
}

/** The lines that name a recipient, with what follows the address on that line. */
function blockStarts(lines: readonly string[]): Array<{ line: number; recipient: string; rest: string }> {
  const starts: Array<{ line: number; recipient: string; rest: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 2000 || !line.includes('@')) continue;
    let match = LEADING_ADDRESS.exec(line);
    // After a reply code (`550 5.1.1 <ann@...>... User unknown`) the whole line is the reply.
    let rest = match ? (/^\s*\d/.test(line) ? line : line.slice(match.index + match[0].length)) : '';
    if (!match) {
      match = NAMED_ADDRESS.exec(line);
      rest = match ? line : '';
    }
    if (!match) continue;
    const recipient = cleanRecipient(match[1] ?? match[2]!);
    starts.push({ line: i, recipient, rest: rest.replace(/^[>"':\s]+/, '') });
  }
  return starts;
}

function meaningfulLines(lines: readonly string[], from: number, to: number): string[] {
  const kept: string[] = [];
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (SEPARATOR_LINE.test(line)) continue;
    kept.push(line.trim());
  }
  return kept;
}

function cleanRecipient(address: string): string {
  const trimmed = address.replace(/[.,;:]+$/, '');
  const at = trimmed.lastIndexOf('@');
  return at > 0 ? trimmed.slice(0, at + 1) + trimmed.slice(at + 1).toLowerCase() : trimmed;
}

function remoteHostOf(text: string): string | null {
  const match = REMOTE_HOST.exec(text.slice(0, 2000));
  return match ? match[1]!.toLowerCase() : null;
}
