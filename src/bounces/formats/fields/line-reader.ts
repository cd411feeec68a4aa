import type { NumberedLine, ReadyLines } from '../../types.js';

function hasReadyLines(lines: AsyncIterable<NumberedLine>): lines is ReadyLines {
  return typeof (lines as Partial<ReadyLines>).ready === 'function';
}

/**
 * Reads lines for a log parser: `ready() ?? (await next())`. A line already split is taken
 * without an await; a `for await` loop would cost a microtask per line, which for a
 * million-line log was as much as reading the line. `close()` ends the source early, as
 * leaving a `for await` loop does: call it in a `finally`.
 */
export class LineReader {
  private readonly iterator: AsyncIterator<NumberedLine>;
  private readonly source: ReadyLines | null;
  private done = false;

  constructor(lines: AsyncIterable<NumberedLine>) {
    this.iterator = lines[Symbol.asyncIterator]();
    this.source = hasReadyLines(lines) ? lines : null;
  }

  /** The next line if it is already split; undefined when `next()` must be awaited. */
  ready(): NumberedLine | undefined {
    return this.source === null ? undefined : this.source.ready();
  }

  /** The next line, or null at the end. */
  async next(): Promise<NumberedLine | null> {
    if (this.done) return null;
    const next = await this.iterator.next();
    if (next.done) {
      this.done = true;
      return null;
    }
    return next.value;
  }

  /** Stops the source if the parser leaves before the end (an error, a consumer that stopped). */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.iterator.return?.();
  }
}
