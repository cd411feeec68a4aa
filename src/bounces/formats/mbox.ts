/**
 * mbox: messages one after another, each introduced by a `From sender date` separator line.
 * Lines of a body that start with `From ` are written `>From ` (mboxrd also quotes `>From `
 * as `>>From `); one `>` is removed again. Messages are read one at a time, so a large mailbox
 * is never held whole. Sources are `file:LINE#n`, LINE being the separator's line.
 */
import { MAX_MESSAGE_BYTES, parseMessage } from './mail/message.js';
import type { FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { joinedLines, messageHeaderScore, readJsonBody } from './eml.js';

/** `From sender@example.org Thu Apr 29 23:34:45 2010` (the sender may be `MAILER-DAEMON`). */
const SEPARATOR = /^From \S{1,512}(?: |$)/;
/** A separator without a blank line before it must carry the ctime date (`Thu Apr 29 23:34:45`). */
const DATED_SEPARATOR = /^From \S{1,512} {1,4}[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}/;
const QUOTED_FROM = /^>(>*From )/;

/** What a line completes: a message (its lines, and the line of its separator), or a problem. */
type Completed = { kind: 'message'; chunks: string[]; line: number } | { kind: 'preamble'; line: number };

/**
 * Cuts a mailbox into its messages, a line at a time: the one reading of the format, whether
 * the lines come from a stream or from a small file read whole.
 */
class MailboxSplitter {
  private separatorLine: number | null = null;
  private chunks: string[] = [];
  private size = 0;
  private previousBlank = true;
  private reportedPreamble = false;

  /** Takes the next line; returns the message it closes or the problem it is, if any. */
  push(text: string, line: number): Completed | null {
    let completed: Completed | null = null;
    const isSeparator = text.startsWith('From ') && SEPARATOR.test(text) && (this.previousBlank || DATED_SEPARATOR.test(text));
    if (isSeparator) {
      if (this.separatorLine !== null) completed = { kind: 'message', chunks: this.chunks, line: this.separatorLine };
      this.separatorLine = line;
      this.chunks = [];
      this.size = 0;
    } else if (this.separatorLine === null) {
      if (text.trim() !== '' && !this.reportedPreamble) {
        this.reportedPreamble = true;
        completed = { kind: 'preamble', line };
      }
    } else if (this.size < MAX_MESSAGE_BYTES) {
      // Beyond what parseMessage reads, lines are only scanned for the next separator.
      const unquoted = text.charCodeAt(0) === 0x3e ? text.replace(QUOTED_FROM, '$1') : text;
      this.chunks.push(unquoted);
      this.size += unquoted.length + 1;
    }
    this.previousBlank = text === '';
    return completed;
  }

  /** The last message, once every line was pushed. */
  end(): Completed | null {
    return this.separatorLine === null ? null : { kind: 'message', chunks: this.chunks, line: this.separatorLine };
  }
}

async function itemsOf(completed: Completed, context: ParseContext): Promise<ParseItem[]> {
  if (completed.kind === 'preamble') {
    return [{ kind: 'malformed', line: completed.line, message: 'text before the first "From " line of the mailbox' }];
  }
  return readOne(completed.chunks, completed.line, context);
}

export const mboxFormat: FormatParser = {
  name: 'mbox',
  description: 'a mailbox of messages separated by "From " lines: delivery reports, plain-text bounces, complaints, auto-replies',
  rawBytes: true,
  detect(sample: string): number {
    if (!SEPARATOR.test(sample)) return 0;
    const newline = sample.indexOf('\n');
    const score = newline === -1 ? 0 : messageHeaderScore(sample.slice(newline + 1));
    return score === 0 ? 0 : Math.min(1, score + 0.05);
  },
  async *parse(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
    const splitter = new MailboxSplitter();
    for await (const line of lines) {
      const completed = splitter.push(line.text, line.line);
      if (completed) yield* await itemsOf(completed, context);
    }
    const last = splitter.end();
    if (last) yield* await itemsOf(last, context);
  },
};

/**
 * A whole mailbox file already in memory, read as `mboxFormat.parse` reads it from its lines
 * (the same lines: see `joinedLines`), without a trip through the line stream per line.
 */
export function readWholeMailbox(bytes: Buffer, context: ParseContext): { lines: number; items: Promise<ParseItem[]> } {
  // An empty file has no line (read-bounces refuses it before any reader).
  if (bytes.length === 0) return { lines: 0, items: Promise.resolve([]) };
  const { message, lines } = joinedLines(bytes);
  const texts = lines === 0 ? [] : message.toString('latin1').split('\n');
  const read = async (): Promise<ParseItem[]> => {
    const splitter = new MailboxSplitter();
    const items: ParseItem[] = [];
    for (let index = 0; index < texts.length; index++) {
      const completed = splitter.push(texts[index]!, index + 1);
      if (completed) items.push(...(await itemsOf(completed, context)));
    }
    const last = splitter.end();
    if (last) items.push(...(await itemsOf(last, context)));
    return items;
  };
  return { lines, items: read() };
}

async function readOne(chunks: string[], line: number, context: ParseContext): Promise<ParseItem[]> {
  // The blank line that precedes the next separator belongs to the mbox, not to the message.
  while (chunks.length > 0 && chunks[chunks.length - 1] === '') chunks.pop();
  if (chunks.length === 0) return [{ kind: 'malformed', line, message: 'empty message in the mailbox' }];
  return parseMessage(Buffer.from(chunks.join('\n'), 'latin1'), context.file, { line, readJsonBody });
}
