/**
 * One mail message (the bytes of an .eml file, or of one message of an mbox) -> parse items.
 * MIME is decoded by postal-mime; this module decides what kind of message it is and gathers the
 * evidence for each recipient:
 *   - ARF complaint (`message/feedback-report`, Hotmail's JMRP, Apple Mail's unsubscribe):
 *     one record per reported recipient with `feedbackType`;
 *   - delivery status report (RFC 3464, `message/delivery-status`, also when a broken MIME
 *     structure leaves its fields in the text): one record per recipient group, completed from
 *     the human-readable part when the DSN lacks the diagnostic;
 *   - plain-text bounce (qmail, Exim, Exchange, Gmail, ...; see vendor-bodies.ts), or a bounce
 *     forwarded inside another message;
 *   - RFC 3834 auto-reply: one record for the sender of the reply, `autoReply: true`.
 * Anything else is `skipped`; a message that cannot be read is `malformed`.
 */
import type PostalMimeModule from 'postal-mime';
import type { Attachment, Email } from 'postal-mime';
import { addressOf, parseDeliveryStatus, type DsnRecipient } from './dsn.js';
import { parseLeanMime } from './lean-mime.js';
import { DSN_TYPES, FEEDBACK_TYPES, ORIGINAL_TYPES } from './part-types.js';
import { replyFactsOf } from './reply-facts.js';
import type { DeliveryAction, ParseItem, ParsedRecord } from '../../types.js';
import { bounceBodyOf, localPartFailure, parseBounceBody, readBounceText, wholeReportFailure, type BodyFailure } from './vendor-bodies.js';
import { isJsonObject } from '../../../text/json.js';
import { afterLineBreak, lineBreakFinder } from '../../../text/line-breaks.js';

export interface MessageOptions {
  /** mbox: the line of the message's `From ` separator; sources become `file:LINE#n`. */
  line?: number;
  /**
   * Reads a JSON document that is the body of a message (an Amazon SES notification sent by SNS
   * e-mail). The formats supply it, so that such a document has one reader, whichever way it came.
   */
  readJsonBody?: JsonBodyReader;
}

/** A JSON document -> its parse items; record `source`s are replaced by the message's own. */
export type JsonBodyReader = (document: unknown) => ParseItem[];

/**
 * Only this much of a message is parsed: what a bounce says comes first, and what may follow is
 * the returned original with its attachments, of which the headers are all we need. The MIME
 * parser's time grows with the number of lines, so this also bounds what a hostile message costs.
 */
export const MAX_MESSAGE_BYTES = 512 * 1024;
/** A bounce forwarded inside a message is looked into, but not a chain of them. */
const MAX_NESTING = 2;
const POSTAL_OPTIONS = {
  attachmentEncoding: 'arraybuffer',
  forceRfc822Attachments: true,
  maxNestingDepth: 32,
  maxHeadersSize: 1024 * 1024,
} as const;

let postalMimeLoaded: Promise<typeof PostalMimeModule> | null = null;

/** The MIME parser, loaded at the first message: runs that read no mail do not pay for it. */
function postalMime(): Promise<typeof PostalMimeModule> {
  postalMimeLoaded ??= import('postal-mime').then((module) => module.default);
  return postalMimeLoaded;
}

/** A message has at least one of these; text without any is not a message. */
const MESSAGE_HEADERS = new Set(['from', 'to', 'date', 'subject', 'received', 'return-path', 'message-id', 'content-type', 'mime-version']);

const DAEMON_SENDER =
  /^(?:mailer-daemon|mailer_daemon|mail-daemon|post_?master|mailerdaemon|mmdf|mail\.delivery\.system|maildelivery|mail-delivery|bounce|bounces|double-bounce|sysadmin|mailadmin|mdaemon|microsoftexchange[0-9a-f]{32})(?:[@+.-]|$)/i;
// Exchange's "Undeliverable:" comes in the language of the sender's mailbox: its prefixes are
// read at the start of the subject only. "rejected" alone is a news headline as often as a bounce: only a mail, message or delivery
// rejected ("Your email to ... has been rejected"), or a subject that starts with it (Exchange's
// "Rejected: ..."), says the message came back.
const BOUNCE_SUBJECT =
  /^\s*(?:onbestelbaar|no se puede entregar|n[ãa]o [ée] poss[íi]vel entregar|n[ãa]o entregue|kan inte levereras|olevererbart|kan ikke leveres|ei voitu toimittaa|niedostarczalne|nedoru[čc]iteln[ée]|k[ée]zbes[íi]thetetlen|teslim edilemedi|недоставляемое сообщение|не удается доставить|配信不能|无法投递|無法傳遞|배달되지 않음)|undeliver|returned mail|delivery status notification|failure notice|delivery fail|mail delivery|delivery problem|non remis|non recapitabile|unzustellbar|could not be delivered|not delivered|undelivered|delivery notification|error sending|could not send|mail system error|permanent error|delivery report|returned to sender|^\s*rejected\b|\b(?:mail|message|e-?mail|delivery)\s+(?:was\s+|has\s+been\s+)?rejected\b|\b(?:mail|message|e-?mail)\b[^\n]{0,80}\b(?:was|has\s+been|is)\s+rejected\b/i;
// The automatic reply's subject prefix in the languages Outlook and Exchange write it in (the
// message may carry no Auto-Submitted header when a client forwarded or saved it).
const AUTO_REPLY_SUBJECT =
  /^\s*(?:auto(?:matic|matische)?[ -]?(?:reply|response|antwort)|out of (?:the )?office|abwesenheitsnotiz|abwesend|r[ée]ponse automatique|absente? du bureau|absence|respuesta autom[áa]tica|fuera de la oficina|resposta autom[áa]tica|risposta automatica|fuori ufficio|automatisch antwoord|afwezig|automatiskt svar|automatisk svar|automaattinen vastaus|automatyczna odpowied[źz]|odpowied[źz] automatyczna|automatick[áa] odpov[ěe][dď]|automatikus v[áa]lasz|r[ăa]spuns automat|otomatik (?:yan[ıi]t|cevap)|автоответ|автоматический ответ|автоматична відповідь|αυτόματη απάντηση|on vacation|vacation|away from (?:the )?office|autoreply|autoresponse|不在|自動応答|自動返信|自动回复|自動回覆|자동 회신|부재중)/i;

interface MessageParts {
  email: Email;
  /** Human-readable text: the body text, text attachments, or the HTML made plain. */
  text: string;
  deliveryStatus: string[];
  feedbackReport: string | null;
  /** The returned original message or its headers. */
  original: string | null;
  /** Attached messages, which may themselves be bounces. */
  attachedMessages: Uint8Array[];
}

/** Evidence for one recipient, before it gets its `source`. */
type Evidence = Omit<ParsedRecord, 'source'>;

type Reading = { kind: 'records'; records: Evidence[] } | { kind: 'skipped' } | { kind: 'malformed'; message: string };

/**
 * Parses one message. `file` names it in `source` (`file#n`, or `file:LINE#n` with
 * `options.line` for mbox); `line` is also the line reported with skipped/malformed items.
 */
export async function parseMessage(bytes: Buffer | Uint8Array, file: string, options: MessageOptions = {}): Promise<ParseItem[]> {
  const line = options.line ?? 1;
  let reading: Reading;
  try {
    reading = await readMessage(bytes, 0, options.readJsonBody ?? null);
  } catch (error) {
    reading = { kind: 'malformed', message: `cannot read the message: ${messageOf(error)}` };
  }
  if (reading.kind === 'skipped') return [{ kind: 'skipped', line }];
  if (reading.kind === 'malformed') return [{ kind: 'malformed', line, message: reading.message }];
  const prefix = options.line === undefined ? file : `${file}:${options.line}`;
  // Each evidence object is this reading's own: it takes its source in place (a copy made by
  // spreading it cost more than reading the message's headers).
  return reading.records.map((evidence, index) => {
    const record = evidence as ParsedRecord;
    record.source = `${prefix}#${index + 1}`;
    return { kind: 'record', record };
  });
}

async function readMessage(bytes: Buffer | Uint8Array, depth: number, readJsonBody: JsonBodyReader | null): Promise<Reading> {
  const input = withLineFeeds(
    withoutLeadingBlankLines(withoutMboxSeparator(bytes.length > MAX_MESSAGE_BYTES ? bytes.subarray(0, MAX_MESSAGE_BYTES) : bytes)),
  );
  if (input.length === 0) return { kind: 'malformed', message: 'empty message' };
  let email: Email;
  try {
    // The lean reader gives postal-mime's result faster, and null for what it leaves to it.
    email = parseLeanMime(input) ?? (await (await postalMime()).parse(input, POSTAL_OPTIONS));
  } catch (error) {
    return { kind: 'malformed', message: `cannot parse MIME: ${messageOf(error)}` };
  }
  if (!email.headers.some((header) => MESSAGE_HEADERS.has(header.key))) {
    return { kind: 'malformed', message: 'no message headers (From, Date, Subject, Received...)' };
  }
  const parts = collectParts(email, input);
  const headers = headerMap(email);
  const looksLikeBounce = isBounceMessage(email, headers);

  let reading = readParts(parts, headers, looksLikeBounce);
  // A forwarded bounce arrives quoted (`> `): read it unquoted when the text as is says little.
  // Not in a message whose headers do not say bounce: there, quoted text is a conversation's.
  if (looksLikeBounce && (reading === null || reading.guessed)) {
    const unquoted = unquote(parts.text);
    const again = unquoted === null ? null : readParts({ ...parts, text: unquoted }, headers, looksLikeBounce);
    if (again !== null && (reading === null || !again.guessed)) reading = again;
  }
  if (reading !== null && !reading.guessed) return { kind: 'records', records: reading.records };

  // A bounce forwarded as an attachment says more than a guess from the outer text.
  if (depth < MAX_NESTING) {
    for (const attached of parts.attachedMessages) {
      const nested = await readMessage(attached, depth + 1, readJsonBody);
      if (nested.kind === 'records') return nested;
    }
  }
  // A guess is taken only from a message that says it is a bounce (its sender, type, headers
  // or subject): an ordinary message that mentions an "undeliverable" address in passing, or
  // quotes a bounce in a reply, is not one, and a guess would pin a failure on its own To.
  if (reading !== null && looksLikeBounce) return { kind: 'records', records: reading.records };

  const notification = readJsonBody ? readJsonDocument(parts.text, email, readJsonBody) : null;
  if (notification) return { kind: 'records', records: notification };

  // Only the message itself can be an auto-reply; one attached to it is just content.
  if (depth === 0 && !looksLikeBounce && isAutoReply(email, headers)) {
    const from = mailboxOf(email.from);
    if (from) return { kind: 'records', records: [autoReply(from, email)] };
  }
  if (looksLikeBounce) return { kind: 'malformed', message: 'a bounce message that names no recipient' };
  // A complaint that cannot be pinned on an address is still a complaint: listed, not passed over.
  if (isFeedbackReport(parts, headers)) return { kind: 'malformed', message: 'a complaint (feedback report) that names no recipient' };
  return { kind: 'skipped' };
}

/**
 * Complaint, delivery report, or plain-text bounce, from the parts with the given text.
 * `guessed` is set when the text named nobody but the bounce's own sender or addressee, or
 * nobody at all and the returned message stands in: another reading (the text unquoted, an
 * attached bounce) is preferred to it.
 *
 * Who failed, from the most to the least direct evidence: the DSN's recipient groups; the lines
 * of the text that name a recipient (other than the bounce's own From/To, the returned message's
 * sender and the bounce's list/service addresses); the X-Failed-Recipients header; the envelope
 * recipient the returned message was received for (`Received: ... for <ann@...>`); its To.
 */
function readParts(
  parts: MessageParts,
  headers: Map<string, string>,
  looksLikeBounce: boolean,
): { records: Evidence[]; guessed: boolean } | null {
  const email = parts.email;
  const attachedOriginal = parseHeaderBlock(parts.original ?? '');

  const complaint = readComplaint(parts, headers, attachedOriginal);
  if (complaint) return { records: complaint, guessed: false };

  let exclude = excludedAddresses(email, headers, attachedOriginal);
  const failedHeader = addressList(headers.get('x-failed-recipients'));
  const report = readDeliveryStatus(parts, attachedOriginal, exclude, failedHeader);
  if (report) return { records: report, guessed: false };

  const bounceText = readBounceText(parts.text);
  let body = bounceBodyOf(bounceText, { exclude });
  // Without a bounce's headers, the text must say it is one in its own words: a phrase in a
  // quoted line ("> ... undeliverable ...") is a reply quoting somebody, not a report.
  if (!looksLikeBounce && !body.recognized({ outsideQuotes: true })) return null;
  const originalText = parts.original ?? body.original;
  const original = parts.original === null && body.original ? parseHeaderBlock(body.original) : attachedOriginal;
  if (original !== attachedOriginal) {
    // The returned message was in the text: its sender and list are not recipients either.
    exclude = excludedAddresses(email, headers, original);
    body = bounceBodyOf(bounceText, { exclude });
  }
  if (body.failures.length > 0 && !body.weak) {
    return { records: body.failures.map((failure) => fromBody(failure, email, original)), guessed: false };
  }
  if (failedHeader.length > 0) {
    return { records: failedHeader.map((recipient) => fromBody(wholeReportFailure(body, recipient), email, original)), guessed: false };
  }
  // The returned message stands in, unless it only names the sender (a message sent to oneself,
  // with the failed recipients in Bcc, says nothing of them).
  const excluded = new Set(exclude.map((address) => address.toLowerCase()));
  const usable = (candidate: string | null): candidate is string => candidate !== null && !excluded.has(candidate.toLowerCase());
  // Bare mailbox names in the list of failures, completed from the returned message's addresses.
  const completed = body.localParts.flatMap((localPart) => {
    const address = addressWithLocalPart(originalText, localPart);
    return usable(address) ? [fromBody(localPartFailure(body, localPart, address), email, original)] : [];
  });
  if (completed.length > 0) return { records: completed, guessed: false };
  const envelope = envelopeRecipientOf(originalText);
  if (usable(envelope)) return { records: [fromBody(wholeReportFailure(body, envelope), email, original)], guessed: true };
  // Weak candidates (quoted header lines): never the list a returned posting was sent to.
  const candidates = body.failures.filter((failure) => !isListAddress(failure.recipient, original));
  if (candidates.length > 0) {
    return { records: candidates.map((failure) => fromBody(failure, email, original)), guessed: true };
  }
  const to = firstAddress(original.get('to'));
  if (!usable(to) || isListAddress(to, original)) return null;
  return { records: [fromBody(wholeReportFailure(body, to), email, original)], guessed: true };
}

/**
 * Is `address` the mailing list the returned message was posted to (its List-Post address, or
 * the address its List-Id names: `<members.list.example>` for members@list.example)? A list
 * posting's To is the list, not the member whose copy bounced.
 */
function isListAddress(address: string, original: Map<string, string>): boolean {
  const lower = address.toLowerCase();
  const post = mailtoAddress(original.get('list-post'));
  if (post !== null && post.toLowerCase() === lower) return true;
  const listId = /<([^<>\s]{1,255})>/.exec(original.get('list-id') ?? '')?.[1]?.toLowerCase();
  return listId !== undefined && listId === lower.replace('@', '.');
}

/** The one address in the returned message's headers whose local part is `localPart`. */
function addressWithLocalPart(originalText: string | null, localPart: string): string | null {
  if (!originalText) return null;
  const headerEnd = originalText.search(/\n\s*\n/);
  const headers = originalText.slice(0, headerEnd === -1 ? 64 * 1024 : Math.min(headerEnd, 64 * 1024));
  const found = new Set<string>();
  let address: string | null = null;
  const pattern = /[A-Za-z0-9._%+'=-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z]{2,63}/g;
  for (const match of headers.matchAll(pattern)) {
    const candidate = match[0];
    if (candidate.slice(0, candidate.lastIndexOf('@')).toLowerCase() !== localPart.toLowerCase()) continue;
    found.add(candidate.toLowerCase());
    address ??= addressOf(candidate);
  }
  return found.size === 1 ? address : null;
}

/**
 * The one envelope recipient the returned message's Received lines name (`by mx ... for
 * <ann@example.org>; date`): unlike its To, this is where that copy was going. Null when they
 * name none or several.
 */
function envelopeRecipientOf(originalText: string | null): string | null {
  if (!originalText) return null;
  const found = new Set<string>();
  let recipient: string | null = null;
  for (const received of parseHeaderFields(originalText.slice(0, 64 * 1024)).get('received') ?? []) {
    const match = /\bfor\s{1,4}<?([^\s<>;@]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63})>?\s{0,4}(?:;|$|\()/i.exec(received);
    if (!match) continue;
    const address = addressOf(match[1]!);
    if (address === null) continue;
    found.add(address.toLowerCase());
    recipient ??= address;
  }
  return found.size === 1 ? recipient : null;
}

/** A message saved with its mbox `From ` line still on top. */
function withoutMboxSeparator(bytes: Buffer | Uint8Array): Uint8Array {
  if (bytes.length < 5 || bytes[0] !== 0x46 || Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== 'From ') return bytes;
  const newline = bytes.indexOf(0x0a);
  return newline === -1 ? new Uint8Array(0) : bytes.subarray(newline + 1);
}

/**
 * A message saved with blank or whitespace-only lines before its headers (some bounce handlers
 * dump them that way): the MIME parser would take the first blank line for the end of an empty
 * header block.
 */
function withoutLeadingBlankLines(bytes: Uint8Array): Uint8Array {
  let start = 0;
  for (let i = 0; i < bytes.length && i < 64 * 1024; i++) {
    const byte = bytes[i]!;
    if (byte === 0x0a) {
      start = i + 1;
    } else if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) {
      break;
    }
  }
  return start === 0 ? bytes : bytes.subarray(start);
}

/**
 * A message written with bare CR line ends (old gateways) as LF lines: the MIME parser only
 * knows LF and CRLF. Only a message without any LF near its start is rewritten.
 */
function withLineFeeds(bytes: Uint8Array): Uint8Array {
  const head = bytes.subarray(0, 4096);
  if (head.includes(0x0a) || !head.includes(0x0d)) return bytes;
  const copy = Uint8Array.from(bytes);
  for (let i = 0; i < copy.length; i++) if (copy[i] === 0x0d) copy[i] = 0x0a;
  return copy;
}

/** The text with one level of `> ` quoting removed, or null when it is not mostly quoted. */
function unquote(text: string): string | null {
  const lines = text.split('\n');
  const quoted = lines.filter((line) => line.startsWith('>')).length;
  if (quoted < 5) return null;
  return lines.map((line) => line.replace(/^> ?/, '')).join('\n');
}

// ---------------------------------------------------------------------------------------------
// MIME parts

function collectParts(email: Email, bytes: Uint8Array): MessageParts {
  const texts: string[] = [];
  const deliveryStatus: string[] = [];
  let feedbackReport: string | null = null;
  let original: string | null = null;
  const attachedMessages: Uint8Array[] = [];
  for (const attachment of email.attachments) {
    const type = attachment.mimeType.toLowerCase().split(/[\s;]/, 1)[0] ?? '';
    if (DSN_TYPES.has(type)) deliveryStatus.push(decodeText(attachment));
    else if (FEEDBACK_TYPES.has(type)) feedbackReport ??= decodeText(attachment);
    else if (ORIGINAL_TYPES.has(type)) {
      original ??= decodeText(attachment);
      if (type === 'message/rfc822' || type === 'message/global') attachedMessages.push(bytesOf(attachment));
    } else if (type === 'text/plain' && attachment.disposition !== 'attachment') texts.push(decodeText(attachment));
  }
  let body = email.text ?? (email.html ? htmlToText(email.html) : '');
  if (body.trim() === '' && texts.length === 0 && deliveryStatus.length === 0 && feedbackReport === null) {
    // A MIME structure the parser could not follow (a boundary that never appears, a part
    // header broken across lines): read the raw body, the bounce text is usually plain ASCII.
    body = rawBody(bytes);
  }
  return {
    email,
    text: [body, ...texts].filter((part) => part !== '').join('\n'),
    deliveryStatus,
    feedbackReport,
    original,
    attachedMessages,
  };
}

/** Everything after the header block, as text. */
function rawBody(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString('latin1');
  const match = /\r?\n\r?\n|\r\r/.exec(text);
  return match ? text.slice(match.index + match[0].length) : '';
}

function bytesOf(attachment: Attachment): Uint8Array {
  const content = attachment.content;
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}

/** One for every attachment: a decode without `stream` starts afresh, also after an error. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Attachment bytes -> text: ISO-2022-JP when it has escape sequences, UTF-8, else Windows-1252. */
function decodeText(attachment: Attachment): string {
  const bytes = bytesOf(attachment);
  if (bytes.includes(0x1b)) {
    try {
      return new TextDecoder('iso-2022-jp').decode(bytes);
    } catch {
      // fall through: a decoder that is not available reads as bytes below
    }
  }
  try {
    return strictUtf8.decode(bytes);
  } catch {
    // Node 20's one-shot windows-1252 decode drops some bytes (0x80 0x93 ...); streaming mode does not.
    const decoder = new TextDecoder('windows-1252');
    return decoder.decode(bytes, { stream: true }) + decoder.decode();
  }
}

function htmlToText(html: string): string {
  return html
    .slice(0, 512 * 1024)
    .replace(/<(?:br|\/p|\/div|\/tr|\/li|\/h\d)\b[^>]{0,200}>/gi, '\n')
    .replace(/<[^>]{0,2000}>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Lower-case header name -> first value. */
function headerMap(email: Email): Map<string, string> {
  const map = new Map<string, string>();
  for (const header of email.headers) if (!map.has(header.key)) map.set(header.key, header.value);
  return map;
}

/**
 * The header block at the start of a text (an attached original message or report fields):
 * lower-case name -> every value in order, folded lines unfolded.
 */
function parseHeaderFields(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  let last: string[] | null = null;
  for (const line of linesOf(text.slice(0, 256 * 1024))) {
    if (line.trim() === '') {
      if (fields.size > 0) break;
      continue;
    }
    if (/^[ \t]/.test(line) && last) {
      last[last.length - 1] = `${last[last.length - 1]} ${line.trim()}`;
      continue;
    }
    const match = /^([!-9;-~]{1,76}):[ \t]*(.*)$/.exec(line);
    if (!match) {
      last = null;
      continue;
    }
    const name = match[1]!.toLowerCase();
    const values = fields.get(name) ?? [];
    values.push(match[2]!.trim());
    fields.set(name, values);
    last = values;
  }
  return fields;
}

/**
 * The lines of `text` as `text.split(/\r\n|\r|\n/)` gives them, one at a time: a reader that
 * stops at the end of a header block does not split the whole message behind it.
 */
function* linesOf(text: string): Generator<string> {
  const lineBreakFrom = lineBreakFinder(text);
  for (let start = 0; ;) {
    const end = lineBreakFrom(start);
    yield text.slice(start, end);
    if (end === text.length) return;
    start = afterLineBreak(text, end);
  }
}

function parseHeaderBlock(text: string): Map<string, string> {
  const first = new Map<string, string>();
  for (const [name, values] of parseHeaderFields(text)) first.set(name, values[0]!);
  return first;
}

// ---------------------------------------------------------------------------------------------
// Complaints (ARF, RFC 5965)

function readComplaint(parts: MessageParts, headers: Map<string, string>, original: Map<string, string>): Evidence[] | null {
  const email = parts.email;
  const contentType = (headers.get('content-type') ?? '').toLowerCase();
  let report = parts.feedbackReport;
  if (report === null && /report-type="?feedback-report/.test(contentType)) report = feedbackFieldsInText(parts.text);
  const hotmail = original.get('x-hmxmroriginalrecipient') ?? null;
  const appleUnsubscribe = (headers.get('x-apple-unsubscribe') ?? '').trim().toLowerCase() === 'true';
  if (report === null && hotmail === null && !appleUnsubscribe) return null;

  const fields = parseHeaderFields(report ?? '');
  const feedbackType = (fields.get('feedback-type')?.[0] ?? (appleUnsubscribe ? 'opt-out' : 'abuse')).toLowerCase();
  const candidates = [...(fields.get('original-rcpt-to') ?? []), ...(fields.get('removal-recipient') ?? [])];
  if (candidates.length === 0 && hotmail) candidates.push(hotmail);
  if (candidates.length === 0 && original.has('to')) candidates.push(original.get('to')!);
  if (candidates.length === 0 && appleUnsubscribe) candidates.push(mailboxOf(email.from) ?? '');
  const recipients = uniqueAddresses(candidates);
  if (recipients.length === 0) return null;

  const at = isoTime(fields.get('arrival-date')?.[0] ?? fields.get('received-date')?.[0]) ?? isoTime(email.date);
  return recipients.map((recipient) => ({
    recipient,
    action: null,
    status: null,
    smtpCode: null,
    diagnostic: null,
    remoteMta: null,
    at,
    queueId: null,
    messageKey: messageIdOf(original.get('message-id')),
    feedbackType,
  }));
}

/** A feedback report (RFC 5965), by its part or by the message's report type. */
function isFeedbackReport(parts: MessageParts, headers: Map<string, string>): boolean {
  return parts.feedbackReport !== null || /report-type="?feedback-report/i.test(headers.get('content-type') ?? '');
}

/** The report fields of a feedback report whose MIME part was lost, from `Feedback-Type:` on. */
function feedbackFieldsInText(text: string): string | null {
  const at = text.search(/^Feedback-Type[ \t]*:/im);
  return at === -1 ? null : text.slice(at);
}

// ---------------------------------------------------------------------------------------------
// Delivery status reports (RFC 3464)

const DSN_FIELD_START = /^(?:Reporting-MTA|Final-Recipient|Original-Recipient|Arrival-Date|X-Postfix-Queue-ID)[ \t]*:/im;

function readDeliveryStatus(
  parts: MessageParts,
  original: Map<string, string>,
  exclude: readonly string[],
  failedHeader: readonly string[],
): Evidence[] | null {
  let dsnText = parts.deliveryStatus.join('\n\n');
  let humanText = parts.text;
  if (dsnText === '') {
    // A broken multipart (bad boundary, no Content-Type) leaves the DSN fields in the text.
    const at = parts.text.search(DSN_FIELD_START);
    if (at === -1) return null;
    dsnText = parts.text.slice(at);
    const boundary = /^--\S/m.exec(dsnText);
    if (boundary) dsnText = dsnText.slice(0, boundary.index);
    humanText = parts.text.slice(0, at);
  }
  const report = parseDeliveryStatus(dsnText);
  if (report.recipients.length === 0) return null;

  const email = parts.email;
  const body = parseBounceBody(humanText, { exclude });
  const originalMessage = original.size > 0 ? original : parseHeaderBlock(body.original ?? '');
  const messageKey = messageIdOf(originalMessage.get('message-id'));
  const queueId = report.message.get('x-postfix-queue-id')?.trim() || null;
  const arrival = report.message.get('arrival-date');

  const single = report.recipients.length === 1;
  return report.recipients.flatMap((group) => {
    if (!group.recipient) return [];
    const failure = matchingFailure(group, body.failures, report.recipients.length);
    // A Final-Recipient that is a file or program (`/var/mail/ann`, `|procmail`) names no
    // mailbox: the failed address is then the one the header or the text names.
    const recipient = group.recipient.includes('@')
      ? group.recipient
      : ((single && failedHeader.length === 1 ? failedHeader[0] : null) ??
        (failure?.recipient.includes('@') ? failure.recipient : null) ??
        group.recipient);
    const diagnostic =
      chooseDiagnostic(typedDiagnostic(group), failure?.diagnostic ?? null) ??
      group.statusText ??
      (single && body.report.trim() !== '' ? wholeReportFailure(body, recipient).diagnostic : null);
    const facts = replyFactsOf(diagnostic);
    const bodyCommand = failure ? replyFactsOf(failure.diagnostic).command : null;
    const evidence: Evidence = {
      recipient,
      action: group.action ?? actionOfStatus(group.status),
      status: group.status,
      smtpCode: facts.smtpCode,
      diagnostic,
      remoteMta: group.remoteMta ?? failure?.remoteMta ?? null,
      at: isoTime(group.lastAttemptDate) ?? isoTime(arrival) ?? isoTime(email.date),
      queueId,
      messageKey,
      finalRecipient: group.finalRecipient,
      command: facts.command ?? bodyCommand,
    };
    return [evidence];
  });
}

/**
 * The Diagnostic-Code text; for other types than `smtp` the type stays in front, because it is
 * what says the local delivery program failed (`X-Unix; 71`, `x-unix; temporary failure`).
 */
function typedDiagnostic(group: DsnRecipient): string | null {
  if (group.diagnostic === null) return null;
  const type = group.diagnosticType;
  return type && type !== 'smtp' && type !== 'x-smtp' ? `${type}; ${group.diagnostic}` : group.diagnostic;
}

function matchingFailure(group: DsnRecipient, failures: BodyFailure[], groups: number): BodyFailure | null {
  const wanted = [group.recipient, group.originalRecipient].filter(Boolean).map((value) => value!.toLowerCase());
  const byAddress = failures.find((failure) => wanted.includes(failure.recipient.toLowerCase()));
  if (byAddress) return byAddress;
  return groups === 1 && failures.length === 1 ? failures[0]! : null;
}

/**
 * The DSN's Diagnostic-Code is the remote server's reply and is preferred; the human-readable
 * part's lines about the recipient fill in when the DSN has none or only a bare number.
 */
function chooseDiagnostic(fromDsn: string | null, fromBody: string | null): string | null {
  const dsn = fromDsn?.trim() || null;
  const body = fromBody?.trim() || null;
  if (dsn === null) return body;
  if (body === null) return dsn;
  if (/^[\d.\s-]{0,16}$/.test(dsn)) return body;
  return dsn;
}

function actionOfStatus(status: string | null): DeliveryAction | null {
  if (status === null) return null;
  if (status.startsWith('2')) return 'delivered';
  if (status.startsWith('4')) return 'delayed';
  return 'failed';
}

// ---------------------------------------------------------------------------------------------
// Plain-text bounces, SNS notifications, auto-replies

function fromBody(failure: BodyFailure, email: Email, original: Map<string, string>): Evidence {
  const facts = replyFactsOf(failure.diagnostic);
  return {
    recipient: failure.recipient,
    action: failure.action,
    status: null,
    smtpCode: facts.smtpCode,
    diagnostic: failure.diagnostic || null,
    remoteMta: failure.remoteMta,
    at: isoTime(email.date),
    queueId: null,
    messageKey: messageIdOf(original.get('message-id')),
    finalRecipient: failure.finalRecipient?.toLowerCase() === failure.recipient.toLowerCase() ? null : failure.finalRecipient,
    command: facts.command,
  };
}

function isBounceMessage(email: Email, headers: Map<string, string>): boolean {
  const from = mailboxOf(email.from) ?? '';
  const fromName = email.from && 'name' in email.from ? (email.from.name ?? '') : '';
  if (DAEMON_SENDER.test(from) || /mail delivery|mailer-daemon|postmaster/i.test(fromName)) return true;
  if (/report-type="?delivery-status/i.test(headers.get('content-type') ?? '')) return true;
  if (headers.has('x-failed-recipients')) return true;
  return BOUNCE_SUBJECT.test(email.subject ?? '');
}

function isAutoReply(email: Email, headers: Map<string, string>): boolean {
  const autoSubmitted = (headers.get('auto-submitted') ?? '').toLowerCase();
  if (autoSubmitted.startsWith('auto-replied')) return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-autoresponder')) return true;
  if (/^\s*auto[_-]reply\b/i.test(headers.get('precedence') ?? '')) return true;
  return AUTO_REPLY_SUBJECT.test(email.subject ?? '');
}

function autoReply(from: string, email: Email): Evidence {
  return {
    recipient: from,
    action: null,
    status: null,
    smtpCode: null,
    diagnostic: null,
    remoteMta: null,
    at: isoTime(email.date),
    queueId: null,
    messageKey: messageIdOf(email.inReplyTo),
    autoReply: true,
  };
}

/**
 * A message whose body is a JSON document (Amazon SES notifications by SNS e-mail), read by the
 * format's own reader. Records without a time of their own take the message's date.
 */
function readJsonDocument(text: string, email: Email, readJsonBody: JsonBodyReader): Evidence[] | null {
  if (!text.includes('"notificationType"') && !text.includes('"eventType"')) return null;
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start || end - start > 1024 * 1024) return null;
  let document: unknown = null;
  const json = text.slice(start, end + 1);
  // Mail transport wraps long lines; a document broken that way reads again once unfolded.
  for (const candidate of [json, json.replace(/\r?\n[ \t]/g, '')]) {
    try {
      document = JSON.parse(candidate);
      break;
    } catch {
      document = null;
    }
  }
  if (!isJsonObject(document)) return null;
  const sentAt = isoTime(email.date);
  const records = readJsonBody(document).flatMap((item) => {
    if (item.kind !== 'record') return [];
    const { source: _source, ...evidence } = item.record;
    return [{ ...evidence, at: evidence.at ?? sentAt }];
  });
  return records.length > 0 ? records : null;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/**
 * Addresses that are not recipients of the failed delivery: who sent the bounce and to whom,
 * the returned message's sender, and the service addresses the bounce's own headers name
 * (List-*, Reply-To, Sender, Errors-To: a list server's help and control addresses).
 */
function excludedAddresses(email: Email, headers: Map<string, string>, original: Map<string, string>): string[] {
  const addresses: string[] = [];
  const from = mailboxOf(email.from);
  if (from) addresses.push(from);
  for (const to of email.to ?? []) {
    const address = mailboxOf(to);
    if (address) addresses.push(address);
  }
  if (email.returnPath) addresses.push(email.returnPath);
  if (email.deliveredTo) addresses.push(email.deliveredTo);
  const originalFrom = firstAddress(original.get('from'));
  if (originalFrom) addresses.push(originalFrom);
  // The list the returned message was posted to (`Your message to members@list...`).
  const listPost = mailtoAddress(original.get('list-post'));
  if (listPost) addresses.push(listPost);
  for (const name of ['reply-to', 'sender', 'errors-to', 'list-help', 'list-subscribe', 'list-unsubscribe', 'list-post', 'list-owner']) {
    const value = headers.get(name);
    if (!value) continue;
    for (const item of value.split(',').slice(0, 10)) {
      const address = mailtoAddress(item);
      if (address) addresses.push(address);
    }
  }
  return addresses;
}

function mailboxOf(address: Email['from']): string | null {
  if (!address) return null;
  if ('address' in address && typeof address.address === 'string' && address.address !== '') return address.address;
  return null;
}

/** The first address in a header value (`"Ann" <ann@example.org>, bob@...` -> `ann@example.org`). */
function firstAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  const angle = /<([^<>\s@]{1,64}@[^<>\s@]{1,255})>/.exec(value);
  if (angle) return addressOf(angle[1]!);
  const bare = /[^\s<>,;:"'()[\]]{1,64}@[^\s<>,;:"'()[\]]{1,255}/.exec(value);
  return bare ? addressOf(bare[0]) : null;
}

/** The address of a header value that may be a URL (`<mailto:list-request@example.org?subject=help>`). */
function mailtoAddress(value: string | null | undefined): string | null {
  if (!value) return null;
  return firstAddress(value.replace(/mailto:/gi, '').replace(/\?[^>]*/, ''));
}

/** Every address of a comma-separated header value. */
function addressList(value: string | null | undefined): string[] {
  if (!value) return [];
  return uniqueAddresses(value.split(',', 100));
}

function messageIdOf(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = /<([^<>\s]{1,512})>/.exec(value);
  if (match) return match[1]!;
  const bare = value.trim();
  return bare !== '' && bare.length <= 512 && !/\s/.test(bare) ? bare : null;
}

/** A mail date (RFC 5322, or ISO) -> ISO UTC; a date without a zone is taken as UTC. */
function isoTime(value: string | null | undefined): string | null {
  if (!value) return null;
  let text = value
    .trim()
    .slice(0, 128)
    .replace(/\s*\([^()]{0,64}\)\s*$/, '');
  if (text === '') return null;
  if (!/[+-]\d{2}:?\d{2}\b|\b(?:GMT|UTC|UT|Z|[ECMP][SD]T)\b|\dZ$/i.test(text)) text = `${text} UTC`;
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/**
 * The first address of each value, each address once (whatever its case), in order. A plain
 * loop: chained map and filter met arrays of new shapes as messages came, and V8 compiled the
 * functions that call this again each time.
 */
function uniqueAddresses(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  for (const value of values) {
    const address = firstAddress(value);
    if (address === null) continue;
    const key = address.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    found.push(address);
  }
  return found;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
