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
import type { DeliveryAction } from '../../types.js';

export interface BodyFailure {
  /** The address the sender used (for a redirected address, the one it was generated from). */
  recipient: string;
  /** The address delivery was finally tried to, when the text names both; else null. */
  finalRecipient: string | null;
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
  /** Whether a known bounce phrase is in the text (`outsideQuotes`: in a line that is not quoted). */
  recognized: (options?: { outsideQuotes?: boolean }) => boolean;
  /**
   * No line names a recipient outright: the failures only name excluded addresses (the bounce's
   * own sender or addressee), addresses on quoted header lines, or a postmaster-like address the
   * text mentions. Kept for want of better, but weaker than a header naming the failed recipient.
   */
  weak: boolean;
  /** `delayed` when the text is a warning that delivery is still being tried. */
  action: DeliveryAction;
  /**
   * Bare mailbox names listed where failed recipients are (`screenname` under "The following
   * addresses had permanent fatal errors", AOL's screen names): without a domain they are not
   * addresses, but the returned message may name the address they stand for.
   */
  localParts: string[];
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
/** An address ends where no address character follows; a sentence's full stop may. */
const ADDRESS_END = '(?![A-Za-z0-9-]|\\.[A-Za-z0-9])';
/**
 * A line that is a label and an address (`Unknown user: ann@example.org`, `Mailbox full:
 * <ann@...>`, IMail and many small systems): the label says what went wrong with it. Labels that
 * name the sender or a contact (`Original sender:`, `Reply to:`) are not failures.
 */
const LABELLED_ADDRESS = new RegExp(`^\\s{0,8}([A-Za-z][A-Za-z0-9 '-]{2,40}?)\\s{0,4}:\\s{0,8}<?(${ADDRESS_SOURCE})>?[.,;]?\\s*$`);
/**
 * `To: ann@example.org` quoted in a report. Its first group, empty, stands where LABELLED_ADDRESS
 * has the label: `To` is not a failure label, and the line is weak evidence (HEADER_FIELD_LINE).
 */
const QUOTED_TO_LINE = new RegExp(`^\\s{0,8}(?:>\\s?)*To\\s{0,4}:\\s{0,8}()<?(${ADDRESS_SOURCE})>?\\s*$`, 'i');
const NOT_A_FAILURE_LABEL =
  /\b(?:from|sender|reply|return|to|cc|bcc|by|errors|postmaster|contact|report|owner|admin|abuse|help|mailbox of|envelope)\b|^(?:message-id|in-reply-to|references|(?:x|resent|content|list)-[A-Za-z-]+)$/i;
/**
 * A line that starts with an address, optionally bulleted, quoted, in angle brackets, or after
 * the reply code of a transcript line (`554 <ann@example.org>... Remote protocol error`).
 */
const LEADING_ADDRESS = new RegExp(
  `^\\s{0,16}(?:<<<\\s{1,4})?(?:(?:[*•]|-{1,2})\\s{1,4}|[45]\\d\\d[ -](?:[45]\\.\\d{1,3}\\.\\d{1,3} )?)?["'<]?(${ADDRESS_SOURCE})${ADDRESS_END}`,
);
/**
 * Phrases after which a text names the failed address (lower-case; a blank between words stands
 * for any run of blanks, as in `undeliverable  to ann@...`).
 */
const ADDRESS_PHRASES: readonly string[] = [
  'rcpt to',
  'recipient address',
  'recipient',
  'undeliverable to',
  'delivered to',
  'delivery to',
  'deliver to',
  'deliver your message to',
  'delivering your mail to',
  'message to',
  'generated by',
  'generated from',
  'originally addressed to',
  'addressed to',
  'local mailbox',
];
/**
 * `... to <ann@example.org>`, `recipient <ann@...>`, `RCPT To:<ann@...>`, `undeliverable to
 * ann@...`, `addressed to 'ann@...'`, and the address forms of Exchange and MailEnable reports
 * (`Recipient: [SMTP:ann@...]`, the X.400 `dda:SMTP=ann@...;`).
 */
const NAMED_ADDRESS = new RegExp(
  `(?:(?:^|[\\s:])(?:to|recipient|address|user|list)\\s{0,4}:?\\s{0,4}<(${ADDRESS_SOURCE})>` +
    `|(?:${ADDRESS_PHRASES.map((phrase) => phrase.replace(/ /g, '\\s{1,4}')).join('|')})\\s{0,4}:?\\s{0,4}(?:\\[smtp:|['"])?(${ADDRESS_SOURCE})${ADDRESS_END}` +
    `|(?:^|[\\s;:])(?:dda:)?smtp=(${ADDRESS_SOURCE})${ADDRESS_END})`,
  'i',
);
/**
 * `  generated by ann@example.org`, `(generated from ann@example.org)`, Sendmail's `(expanded
 * from: <ann@example.org>)`: the address a redirected one came from, named under it; that
 * original is the address on the sender's list.
 */
const GENERATED_FROM = new RegExp(
  `^\\s{0,16}\\(?(?:(?:ultimately )?generated (?:by|from)|expanded from:?)\\s{1,4}<?(${ADDRESS_SOURCE})`,
  'i',
);
/** `ann@final.example <ann@list.example>: ...`: the address in brackets is the one written first. */
const BRACKETED_AFTER = new RegExp(`^\\s{1,4}<(${ADDRESS_SOURCE})>`);
/**
 * A header field quoted in the report (`To: <ann@...>`, `From: ...`, the returned message's
 * header lines when no marker set them apart): an address there is the message's, not
 * necessarily the failed one, so such lines count only when no other line names a recipient.
 */
const HEADER_FIELD_LINE =
  /^\s{0,8}(?:>\s?)*(?:To|Cc|Bcc|From|Reply-To|Sender|Return-Path|Delivered-To|Envelope-To|Errors-To|Resent-[A-Za-z]{2,8}|X-[A-Za-z0-9-]{1,60})\s{0,4}:/i;
/** Mailboxes a bounce text names for help or replies, not as the failed recipient. */
const SERVICE_MAILBOX = /^(?:postmaster|mailer-daemon|abuse|hostmaster|webmaster|helpdesk|support|noreply|no-reply)@/i;
const SEPARATOR_LINE = /^[\s=_*#~+-]{0,200}$/;
const HEADER_LINE =
  /^(?:Return-Path|Received|Message-I[Dd]|From|To|Subject|Date|MIME-Version|Content-Type|DKIM-Signature|X-[A-Za-z0-9-]{1,60}):\s/i;
const REMOTE_HOST = /\b(?:host|from|by|server|talking to)\s{1,4}\[?([A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,63})\]?/i;

/**
 * Lines (lower-case, trimmed start) after which the returned original message follows. Checked
 * with `startsWith` unless marked `*` (anywhere in the line).
 */
const ORIGINAL_MARKERS: readonly string[] = [
  '------ this is a copy of the message',
  '--- below this line is a copy of the message',
  '---below this line is a copy of the message',
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
  "couldn't be delivered",
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
  "wasn't able to deliver",
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
  'will continue to try to deliver',
  'has been postponed',
];

/**
 * One pattern for a list of phrases: it finds the first place any of them occurs, in one pass
 * where looking for each phrase in turn takes one pass per phrase.
 */
function anyOf(phrases: readonly string[]): RegExp {
  return new RegExp(phrases.map((phrase) => phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
}

const ANY_BOUNCE_PHRASE = anyOf(BOUNCE_PHRASES);
const ANY_LIST_MARKER = anyOf(LIST_MARKERS);
const ANY_DELAY_PHRASE = anyOf(DELAY_PHRASES);

export function parseBounceBody(text: string, context: BodyContext = {}): BounceBody {
  return bounceBodyOf(readBounceText(text), context);
}

/** What a bounce text says before the addresses to leave out are known (see `bounceBodyOf`). */
export interface BounceText {
  report: string;
  original: string | null;
  /** The report's lines. */
  lines: readonly string[];
  /** The report, lower-case. */
  lower: string;
  action: DeliveryAction;
  blocks: Block[];
  /** The line after which failed recipients are listed, or -1. */
  listAt: number;
}

/**
 * Reads a bounce text once, for `bounceBodyOf` to read with one list of addresses to leave out
 * and then, when the returned message turns up in the text, with a longer one.
 */
export function readBounceText(text: string): BounceText {
  const body = text.slice(0, MAX_BODY);
  // Without CR, a plain split gives the lines, and the report and the original are slices of the text.
  const plain = !body.includes('\r');
  const lines = plain ? body.split('\n') : body.split(/\r\n|\r|\n/);
  const originalAt = findOriginalStart(lines);
  const reportLines = lines.slice(0, originalAt);
  let report: string;
  let original: string | null = null;
  if (plain) {
    // The report is the start of the text itself, the original what follows the marker line.
    let markerStart = 0;
    for (let i = 0; i < originalAt; i++) markerStart += lines[i]!.length + 1;
    report = originalAt === lines.length ? body : body.slice(0, Math.max(0, markerStart - 1));
    if (originalAt < lines.length) original = body.slice(markerStart + lines[originalAt]!.length + 1);
  } else {
    report = reportLines.join('\n');
    if (originalAt < lines.length) original = lines.slice(originalAt + 1).join('\n');
  }
  const lower = report.toLowerCase();
  const delayed = ANY_DELAY_PHRASE.test(lower);
  const listAt = firstLineWithMarker(lower);
  return {
    report,
    original,
    lines: reportLines,
    lower,
    action: delayed ? 'delayed' : 'failed',
    blocks: findBlocks(reportLines, listAt),
    listAt,
  };
}

/** The bounce body of a text read by `readBounceText`, leaving out `context.exclude`. */
export function bounceBodyOf(text: BounceText, context: BodyContext = {}): BounceBody {
  const { report, original, action } = text;
  const excluded = new Set((context.exclude ?? []).map((address) => address.toLowerCase()));

  // A quoted header line that names the bounce's own sender or addressee says nothing of who failed.
  const blocks = text.blocks.filter((block) => !(block.weak && excluded.has(block.recipient.toLowerCase())));
  const others = blocks.filter((block) => !excluded.has(block.recipient.toLowerCase()));
  const failures: BodyFailure[] = (others.length > 0 ? others : blocks).map((block) => {
    const diagnostic = block.lines.join(' ').slice(0, MAX_DIAGNOSTIC);
    return { recipient: block.recipient, finalRecipient: block.finalRecipient, diagnostic, remoteMta: remoteHostOf(diagnostic), action };
  });
  const weak = blocks.length > 0 && (others.length === 0 || others.every((block) => block.weak));
  const localParts = blocks.every((block) => block.weak) ? listedLocalParts(text.lines, text.listAt) : [];
  return {
    failures,
    original,
    report,
    // Looked for only when asked: a message that is plainly a bounce never asks. (A method, not a
    // getter: V8 makes an object literal with a getter twenty times slower.)
    recognized: (options = {}) => ANY_BOUNCE_PHRASE.test(options.outsideQuotes ? withoutQuotedLines(text.lower) : text.lower),
    weak,
    action,
    localParts,
  };
}

/** The text without its quoted lines (`> ...`, as a reply quotes what it answers). */
function withoutQuotedLines(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*>/.test(line))
    .join('\n');
}

/**
 * The first line of a lower-case text that holds a LIST_MARKERS phrase, or -1: the line of the
 * first place any of them occurs (no phrase spans lines).
 */
function firstLineWithMarker(lower: string): number {
  const first = ANY_LIST_MARKER.exec(lower)?.index ?? -1;
  if (first === -1) return -1;
  let line = 0;
  for (let at = lower.indexOf('\n'); at !== -1 && at < first; at = lower.indexOf('\n', at + 1)) line++;
  return line;
}

/**
 * The failure of a bounce whose text names no recipient: the whole report is the diagnostic of
 * the recipient the caller knows from elsewhere (the returned message's To).
 */
export function wholeReportFailure(body: BounceBody, recipient: string): BodyFailure {
  const lines = body.report.split('\n');
  const diagnostic = meaningfulLines(lines, 0, lines.length).join(' ').slice(0, MAX_DIAGNOSTIC);
  return { recipient, finalRecipient: null, diagnostic, remoteMta: remoteHostOf(diagnostic), action: body.action };
}

/** The lines about one bare mailbox name of `localParts`, as a failure of `recipient`. */
export function localPartFailure(body: BounceBody, localPart: string, recipient: string): BodyFailure {
  const lines = body.report.split('\n');
  const at = lines.findIndex((line) => line.trim().replace(/^<|>$/g, '') === localPart);
  const diagnostic = meaningfulLines(lines, at + 1, Math.min(lines.length, at + 1 + 6))
    .join(' ')
    .slice(0, MAX_DIAGNOSTIC);
  return {
    recipient,
    finalRecipient: null,
    diagnostic: diagnostic || wholeReportFailure(body, recipient).diagnostic,
    remoteMta: remoteHostOf(diagnostic),
    action: body.action,
  };
}

const BARE_LOCAL_PART = /^\s{0,16}<?([A-Za-z0-9][A-Za-z0-9._+-]{0,63})>?\s*$/;

/** Single-word lines right after the line that says failed recipients follow. */
function listedLocalParts(lines: readonly string[], listAt: number): string[] {
  if (listAt === -1) return [];
  const found: string[] = [];
  for (let i = listAt + 1; i < lines.length && i <= listAt + 12 && found.length < 20; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const match = BARE_LOCAL_PART.exec(line);
    if (match) found.push(match[1]!);
    else if (found.length > 0 && !/^\s/.test(line)) break;
  }
  return found;
}

/** The index of the marker line before the returned message, or `lines.length`. */
function findOriginalStart(lines: readonly string[]): number {
  let sawText = false;
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i]!.trimStart();
    if (trimmed === '') continue;
    if (mayHoldOriginalMarker(trimmed)) {
      const line = trimmed.toLowerCase();
      for (const marker of ORIGINAL_MARKERS) {
        const hit = marker.startsWith('*') ? line.includes(marker.slice(1)) : line.startsWith(marker);
        if (hit) return i;
      }
    }
    // An embedded header block after some text is the original message without a marker.
    if (sawText && startsHeaderBlock(lines, i)) return i - 1;
    sawText = true;
  }
  return lines.length;
}

/** ASCII letters (any case) and dashes the ORIGINAL_MARKERS that are not `*` start with. */
const MARKER_FIRST_CHARACTERS = new Set(['-', 'm', 'o', 'c', 'r', 'f'].map((character) => character.charCodeAt(0)));
/** What every `*` marker (lower-case) holds. */
const MARKER_WORDS = /original|copy of the/i;

/**
 * Whether a line (its start trimmed) may hold one of ORIGINAL_MARKERS, before it is lower-cased
 * to look for them: it starts with one of their first characters, or holds one of the words all
 * the others hold. No other character lower-cases to these ASCII letters (the Kelvin sign makes
 * a `k` and `İ` an `i` with a dot, neither of use here), so no line with a marker is passed over.
 */
function mayHoldOriginalMarker(line: string): boolean {
  return MARKER_FIRST_CHARACTERS.has(line.charCodeAt(0) | 0x20) || MARKER_WORDS.test(line);
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

export interface Block {
  recipient: string;
  finalRecipient: string | null;
  lines: string[];
  /** Named only on quoted header lines. */
  weak: boolean;
}

interface BlockStart {
  line: number;
  recipient: string;
  finalRecipient: string | null;
  rest: string;
  /**
   * Found on a quoted header line, or a postmaster-like address named in passing (`contact
   * <postmaster@...>`): used only when no other line names a recipient.
   */
  weak: boolean;
}

/** A line of an SMTP session as a bounce quotes it (`>>> RCPT TO:<...>`, `Received >>> 550 ...`). */
const TRANSCRIPT_LINE = /^\s{0,8}(?:(?:Sent|Received)\s{1,4})?(?:>>>|<<<)/;
/** How far above the list of failed recipients a transcript is still that session's. */
const TRANSCRIPT_BEFORE_LIST = 8;
/** A server's reply quoted on a line of its own: `550 5.1.1 User unknown`, `554 Rejected`. */
const REPLY_LINE = /^\s{0,8}[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3}\s)?\s{0,4}[A-Za-z<]/;
/** How many lines above a recipient with no words of its own may hold its reason. */
const REASON_ABOVE_LINES = 3;

/** Each recipient with its lines, in the order recipients first appear. */
function findBlocks(lines: readonly string[], listAt: number): Block[] {
  let starts = blockStarts(lines);
  if (starts.some((start) => !start.weak)) starts = starts.filter((start) => !start.weak);

  const firstListed = listAt === -1 ? -1 : starts.findIndex((start) => start.line >= listAt);
  if (firstListed > 0) starts = starts.slice(firstListed);

  // SMTP transcript lines before the first recipient line are that recipient's session when the
  // server refused before RCPT (`>>> MAIL From:<...>` / `<<< 550 Insecure Mail Relay`, then
  // `554 <ann@...>... Remote protocol error`), or when the recipient is named after the reply
  // (InterScan's `Sent <<< RCPT TO:<ann@...>` / `Received >>> 550 5.1.1 unknown user.`, then
  // `Unable to deliver message to <ann@...>`).
  const transcript: string[] = [];
  const firstLine = starts.length > 0 ? starts[0]!.line : 0;
  for (let i = Math.max(listAt - TRANSCRIPT_BEFORE_LIST, 0); i < firstLine; i++) {
    if (TRANSCRIPT_LINE.test(lines[i]!)) transcript.push(lines[i]!.trim());
  }
  // A reply quoted above the line that announces the list is the cause of every recipient listed
  // (MailMarshal: "Could not be delivered because of" / "550 5.1.1 User unknown" / "The following
  // recipients were affected:" / the addresses).
  const sharedReply: string[] = [];
  for (let i = Math.max(listAt - TRANSCRIPT_BEFORE_LIST, 0); i < listAt; i++) {
    if (REPLY_LINE.test(lines[i]!) && !TRANSCRIPT_LINE.test(lines[i]!)) sharedReply.push(lines[i]!.trim());
  }

  // Keyed by the lower-cased address; a recipient named again (transcript lines) adds its lines,
  // and so does the final address of a redirected one (`RCPT TO:<final>` under `generated from`).
  const blocks = new Map<string, Block>();
  const finals = new Map<string, string>();
  for (const start of starts) {
    if (start.finalRecipient) finals.set(start.finalRecipient.toLowerCase(), start.recipient.toLowerCase());
  }
  /** The block a start adds to: its recipient's, or the original's of a redirected address. */
  const keyOf = (start: BlockStart) => finals.get(start.recipient.toLowerCase()) ?? start.recipient.toLowerCase();
  for (let s = 0; s < starts.length; s++) {
    const start = starts[s]!;
    const end = s + 1 < starts.length ? starts[s + 1]!.line : lines.length;
    // The transcript before the first block, the block's own line and what follows it, trimmed,
    // without blanks. Built with push: spreading arrays of several kinds into one made V8
    // compile this function again as each kind came.
    const text: string[] = [];
    const keep = (part: string) => {
      const trimmed = part.trim();
      if (trimmed !== '') text.push(trimmed);
    };
    if (s === 0) for (const part of transcript) keep(part);
    for (const part of sharedReply) keep(part);
    keep(start.rest);
    for (const part of meaningfulLines(lines, start.line + 1, Math.min(end, start.line + 1 + MAX_BLOCK_LINES))) keep(part);
    const key = keyOf(start);
    const known = blocks.get(key);
    if (known) {
      if (known.lines.length < MAX_BLOCK_LINES * 4) known.lines.push(...text);
      known.finalRecipient ??= start.finalRecipient;
    } else if (blocks.size < MAX_RECIPIENTS) {
      blocks.set(key, { recipient: start.recipient, finalRecipient: start.finalRecipient, lines: text, weak: start.weak });
    }
  }
  // A first recipient with no words of its own anywhere, in a report without a line that
  // announces the list, has its reason on the lines just above it (Notes: "------- Failure
  // Reasons --------" / "User not listed in public Name & Address Book" / the address). Lines
  // between recipients are the earlier one's, and after an announcing line they are its preamble.
  const first = starts[0];
  const firstBlock = first ? blocks.get(keyOf(first)) : undefined;
  if (first && firstBlock && firstBlock.lines.length === 0 && listAt === -1 && !first.weak) {
    for (const part of meaningfulLines(lines, Math.max(first.line - REASON_ABOVE_LINES, 0), first.line)) {
      if (part !== '' && !part.endsWith(':') && !HEADER_LINE.test(part)) firstBlock.lines.push(part);
    }
  }
  return [...blocks.values()];
}

/** The lines that name a recipient, with what follows the address on that line. */
function blockStarts(lines: readonly string[]): BlockStart[] {
  const starts: BlockStart[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 2000 || !line.includes('@')) continue;

    const generated = GENERATED_FROM.exec(line);
    const previous = starts[starts.length - 1];
    if (generated && previous && i - previous.line <= 2) {
      // The address above was generated from this one (an alias or forward of it).
      const original = cleanRecipient(generated[1]!);
      if (original.toLowerCase() !== previous.recipient.toLowerCase()) {
        previous.finalRecipient = previous.recipient.includes('@') ? previous.recipient : null;
        previous.recipient = original;
      }
      continue;
    }

    let match = LEADING_ADDRESS.exec(line);
    // After a reply code (`550 5.1.1 <ann@...>... User unknown`) the whole line is the reply.
    let rest = match ? (/^\s*\d/.test(line) ? line : line.slice(match.index + match[0].length)) : '';
    let finalRecipient: string | null = null;
    let recipient: string | null = match ? cleanRecipient(match[1]!) : null;
    if (match) {
      const bracketed = BRACKETED_AFTER.exec(line.slice(match.index + match[0].length).replace(/^>/, ''));
      if (bracketed) {
        finalRecipient = recipient;
        recipient = cleanRecipient(bracketed[1]!);
        rest = line.slice(line.indexOf(bracketed[0]) + bracketed[0].length);
      }
    } else {
      match = NAMED_ADDRESS.exec(line);
      if (!match) {
        // A quoted `To: ann@...` (the returned message's addressee, summed up in the report) is
        // weak evidence, as `To: <ann@...>` is: used only when no other line names a recipient.
        match = LABELLED_ADDRESS.exec(line) ?? QUOTED_TO_LINE.exec(line);
        if (!match || NOT_A_FAILURE_LABEL.test(match[1]!)) continue;
        rest = match[1]!;
        recipient = cleanRecipient(match[2]!);
      } else {
        rest = line;
        recipient = cleanRecipient(match[1] ?? match[2] ?? match[3]!);
      }
    }
    if (recipient === null) continue;
    // A postmaster-like address named in a sentence (not heading its own line) is help, not a failure.
    const weak = HEADER_FIELD_LINE.test(line) || (rest === line && SERVICE_MAILBOX.test(recipient));
    starts.push({ line: i, recipient, finalRecipient, rest: rest.replace(/^[>"':\s]+/, ''), weak });
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
