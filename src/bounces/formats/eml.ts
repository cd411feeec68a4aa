/**
 * One mail message per input: a `.eml` file, or one file of a Maildir. The bytes are rebuilt
 * from the latin1-decoded lines (`rawBytes`) and read by `parseMessage`, which decodes MIME.
 */
import { MAX_MESSAGE_BYTES, parseMessage } from './mail/message.js';
import type { FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { readSesDocument } from './ses.js';
import { afterLineBreak, lineBreakFinder } from '../../text/line-breaks.js';

/** Header names that open real messages; a sample whose first lines are these is a message. */
const MESSAGE_HEADERS = new Set([
  'return-path',
  'received',
  'from',
  'to',
  'date',
  'subject',
  'mime-version',
  'message-id',
  'delivered-to',
  'content-type',
  'x-original-to',
  'envelope-to',
  'delivery-date',
  'reply-to',
  'sender',
  'dkim-signature',
  'arc-seal',
  'authentication-results',
  'x-received',
  'auto-submitted',
  'references',
  'in-reply-to',
  'cc',
]);

/**
 * The length of the field name a line starts with (`/^([!-9;-~]{1,76}):/`: 1 to 76 printable ASCII
 * characters other than the colon, then a colon), or -1; read by hand, as every header line is.
 */
function headerNameLength(line: string): number {
  const limit = Math.min(line.length, 77);
  for (let i = 0; i < limit; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x3a) return i > 0 ? i : -1;
    if (code < 0x21 || code > 0x7e) return -1;
  }
  return -1;
}

/** `X-...:` (any case): extension fields count as message headers. */
function isXHeader(line: string): boolean {
  return (line.charCodeAt(0) | 0x20) === 0x78 && line.charCodeAt(1) === 0x2d;
}
/** `messageHeaderScore` reads this many header fields at most; folded lines do not count. */
export const HEADER_SCAN_LINES = 200;
/** Blank or whitespace-only lines some tools save before the headers (a bounce handler's dump). */
const LEADING_BLANK_LINES = /^(?:[ \t]*(?:\r\n|\r|\n)){1,64}/;

/** The sample without the blank lines some tools write before the header block. */
export function withoutLeadingBlankLines(sample: string): string {
  const match = LEADING_BLANK_LINES.exec(sample);
  return match ? sample.slice(match[0].length) : sample;
}

/**
 * How much the start of a sample looks like an RFC 5322 message: header lines (or folded
 * continuations) from the first line on, several of them names that real messages carry.
 * Folded continuation lines are not counted against the limit: a References: chain of
 * thousands of message ids folds onto thousands of lines and the message is still a message.
 * A sample that ends inside the header block (a header block larger than the sample) is
 * judged on the fields it holds.
 */
export function messageHeaderScore(text: string): number {
  let known = 0;
  let headers = 0;
  let lines = 0;
  let at = 0;
  // Lines end in LF, CRLF or (old gateways) a bare CR.
  const lineBreakFrom = lineBreakFinder(text);
  while (at < text.length) {
    const end = lineBreakFrom(at);
    const line = text.slice(at, end);
    const last = end === text.length;
    at = afterLineBreak(text, end);
    lines++;
    if (line === '') break;
    if (line.charCodeAt(0) === 0x20 || line.charCodeAt(0) === 0x09) {
      if (headers === 0) return 0;
      continue;
    }
    // The sample may end in the middle of a field name.
    if (last) break;
    const nameLength = headerNameLength(line);
    if (nameLength === -1) return headers >= 3 && known >= 2 ? 0.5 : 0;
    headers++;
    if (isXHeader(line) || MESSAGE_HEADERS.has(line.slice(0, nameLength).toLowerCase())) known++;
    if (headers >= HEADER_SCAN_LINES) break;
  }
  if (known >= 3) return 0.9;
  if (known >= 2) return 0.7;
  // One known field whose folded value fills the whole sample (a huge References: chain first).
  if (known >= 1 && at >= text.length && lines > HEADER_SCAN_LINES) return 0.5;
  return 0;
}

/**
 * A message body that is a JSON document is an Amazon SES notification sent by SNS e-mail: the
 * SES format reads it, so it gives the same records as in an SES log.
 */
export function readJsonBody(document: unknown): ParseItem[] {
  return readSesDocument(document, 1, '');
}

/**
 * A whole message file already in memory, read as `emlFormat.parse` reads it from its lines,
 * without cutting it into lines and joining them again: the lines are those of the input reader
 * (LF, CRLF, or CR when the file has no LF; a line's one trailing CR dropped) and the message is
 * the bytes of those lines joined with LF. Returns null for a file larger than `parse` keeps,
 * which goes through `parse`.
 */
export function readWholeMessage(bytes: Buffer, context: ParseContext): { lines: number; items: Promise<ParseItem[]> } | null {
  if (bytes.length >= MAX_MESSAGE_BYTES) return null;
  const { message, lines } = joinedLines(bytes);
  // Only empty lines: nothing to read (as `parse` does).
  if (lines === 0 || message.every((byte) => byte === LF)) return { lines, items: Promise.resolve([]) };
  return { lines, items: parseMessage(message, context.file, { readJsonBody }) };
}

const LF = 0x0a;
const CR = 0x0d;

/** The lines of `bytes` joined with LF, and how many there are (see `readWholeMessage`). */
export function joinedLines(bytes: Buffer): { message: Buffer; lines: number } {
  const length = bytes.length;
  const endsWithSeparator = length > 0 && (bytes[length - 1] === LF || bytes[length - 1] === CR);
  if (!bytes.includes(CR)) {
    // LF lines only: the same bytes short of a final LF, no copy.
    return { message: endsWithSeparator ? bytes.subarray(0, length - 1) : bytes, lines: count(bytes, LF) + (endsWithSeparator ? 0 : 1) };
  }
  if (!bytes.includes(LF)) {
    // An old gateway's CR-only file: every CR ends a line.
    const message = Buffer.from(bytes.subarray(0, endsWithSeparator ? length - 1 : length));
    for (let at = message.indexOf(CR); at !== -1; at = message.indexOf(CR, at + 1)) message[at] = LF;
    return { message, lines: count(bytes, CR) + (endsWithSeparator ? 0 : 1) };
  }
  // LF lines, some ending in CRLF: one CR before each LF goes, and one CR that ends the file.
  const message = Buffer.allocUnsafe(length);
  let at = 0;
  const last = length - 1;
  // The bytes between the CRs that go are copied a run at a time (a line each in a CRLF file).
  let from = 0;
  for (let cr = bytes.indexOf(CR); cr !== -1; cr = bytes.indexOf(CR, cr + 1)) {
    if (cr !== last && bytes[cr + 1] !== LF) continue;
    at += bytes.copy(message, at, from, cr);
    from = cr + 1;
  }
  at += bytes.copy(message, at, from, length);
  // The last LF ends the last line rather than joining two when nothing (or one CR) follows it.
  const tail = last - bytes.lastIndexOf(LF);
  const lastLineFollows = tail - (bytes[last] === CR && tail > 0 ? 1 : 0) > 0;
  return { message: message.subarray(0, lastLineFollows ? at : at - 1), lines: count(bytes, LF) + (lastLineFollows ? 1 : 0) };
}

function count(bytes: Buffer, byte: number): number {
  let found = 0;
  for (let at = bytes.indexOf(byte); at !== -1; at = bytes.indexOf(byte, at + 1)) found++;
  return found;
}

export const emlFormat: FormatParser = {
  name: 'eml',
  description: 'one mail message (.eml, or each file of a Maildir): delivery reports, plain-text bounces, ARF complaints, auto-replies',
  rawBytes: true,
  detect(sample: string, fileName: string): number {
    if (sample.startsWith('From ')) return 0;
    const score = messageHeaderScore(withoutLeadingBlankLines(sample));
    if (score === 0) return 0;
    return /\.(?:eml|msg|txt)$/i.test(fileName) || /\/(?:cur|new)\/[^/]+$/.test(fileName) ? Math.min(1, score + 0.05) : score;
  },
  async *parse(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
    const chunks: string[] = [];
    let size = 0;
    for await (const line of lines) {
      // Keep what parseMessage reads; the rest of a huge file is only drained.
      if (size >= MAX_MESSAGE_BYTES) continue;
      chunks.push(line.text);
      size += line.text.length + 1;
    }
    if (chunks.length === 0 || chunks.every((chunk) => chunk === '')) return;
    yield* await parseMessage(Buffer.from(chunks.join('\n'), 'latin1'), context.file, { readJsonBody });
  },
};
