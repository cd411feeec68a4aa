/**
 * One mail message per input: a `.eml` file, or one file of a Maildir. The bytes are rebuilt
 * from the latin1-decoded lines (`rawBytes`) and read by `parseMessage`, which decodes MIME.
 */
import { MAX_MESSAGE_BYTES, parseMessage } from '../message.js';
import type { FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { readSesDocument } from './ses.js';

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
]);

const HEADER_LINE = /^([!-9;-~]{1,76}):/;
/** `messageHeaderScore` reads this many lines at most; detection splits no more of the sample. */
export const HEADER_SCAN_LINES = 200;

/**
 * How much the start of a sample looks like an RFC 5322 message: header lines (or folded
 * continuations) from the first line on, several of them names that real messages carry.
 */
export function messageHeaderScore(lines: readonly string[]): number {
  let known = 0;
  let headers = 0;
  for (const line of lines.slice(0, HEADER_SCAN_LINES)) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (headers === 0) return 0;
      continue;
    }
    const match = HEADER_LINE.exec(line);
    if (!match) return headers >= 3 && known >= 2 ? 0.5 : 0;
    headers++;
    if (MESSAGE_HEADERS.has(match[1]!.toLowerCase()) || /^x-/i.test(match[1]!)) known++;
  }
  if (known >= 3) return 0.9;
  if (known >= 2) return 0.7;
  return 0;
}

/**
 * A message body that is a JSON document is an Amazon SES notification sent by SNS e-mail: the
 * SES format reads it, so it gives the same records as in an SES log.
 */
export function readJsonBody(document: unknown): ParseItem[] {
  return readSesDocument(document, 1, '');
}

export const emlFormat: FormatParser = {
  name: 'eml',
  description: 'one mail message (.eml, or each file of a Maildir): delivery reports, plain-text bounces, ARF complaints, auto-replies',
  rawBytes: true,
  detect(sample: string, fileName: string): number {
    if (sample.startsWith('From ')) return 0;
    const lines = sample.slice(0, 64 * 1024).split(/\r\n|\r|\n/, HEADER_SCAN_LINES);
    const score = messageHeaderScore(lines);
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
