/**
 * mbox: messages one after another, each introduced by a `From sender date` separator line.
 * Lines of a body that start with `From ` are written `>From ` (mboxrd also quotes `>From `
 * as `>>From `); one `>` is removed again. Messages are read one at a time, so a large mailbox
 * is never held whole. Sources are `file:LINE#n`, LINE being the separator's line.
 */
import { MAX_MESSAGE_BYTES, parseMessage } from './mail/message.js';
import type { FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { messageHeaderScore, readJsonBody } from './eml.js';

/** `From sender@example.org Thu Apr 29 23:34:45 2010` (the sender may be `MAILER-DAEMON`). */
const SEPARATOR = /^From \S{1,512}(?: |$)/;
/** A separator without a blank line before it must carry the ctime date (`Thu Apr 29 23:34:45`). */
const DATED_SEPARATOR = /^From \S{1,512} {1,4}[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}/;
const QUOTED_FROM = /^>(>*From )/;

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
    let separatorLine: number | null = null;
    let chunks: string[] = [];
    let size = 0;
    let previousBlank = true;
    let reportedPreamble = false;
    for await (const line of lines) {
      const text = line.text;
      const isSeparator = SEPARATOR.test(text) && (previousBlank || DATED_SEPARATOR.test(text));
      if (isSeparator) {
        if (separatorLine !== null) yield* await readOne(chunks, separatorLine, context);
        separatorLine = line.line;
        chunks = [];
        size = 0;
      } else if (separatorLine === null) {
        if (text.trim() !== '' && !reportedPreamble) {
          reportedPreamble = true;
          yield { kind: 'malformed', line: line.line, message: 'text before the first "From " line of the mailbox' };
        }
      } else if (size < MAX_MESSAGE_BYTES) {
        // Beyond what parseMessage reads, lines are only scanned for the next separator.
        const unquoted = text.replace(QUOTED_FROM, '$1');
        chunks.push(unquoted);
        size += unquoted.length + 1;
      }
      previousBlank = text === '';
    }
    if (separatorLine !== null) yield* await readOne(chunks, separatorLine, context);
  },
};

async function readOne(chunks: string[], line: number, context: ParseContext): Promise<ParseItem[]> {
  // The blank line that precedes the next separator belongs to the mbox, not to the message.
  while (chunks.length > 0 && chunks[chunks.length - 1] === '') chunks.pop();
  if (chunks.length === 0) return [{ kind: 'malformed', line, message: 'empty message in the mailbox' }];
  return parseMessage(Buffer.from(chunks.join('\n'), 'latin1'), context.file, { line, readJsonBody });
}
