import type { ParseItem } from '../../types.js';

/**
 * The lines a log parser skips in a row, handed on as one item (`count` of them, the last at
 * `line`): most lines of a busy MTA's log are not about delivery, and passing each one through
 * the async generators on its own cost more than reading it. The parser yields `take()` before
 * any other item while `lines` is above 0, and at its end.
 */
export class SkippedRun {
  /** Lines in the run so far. */
  lines = 0;
  private last = 0;

  add(line: number): void {
    this.lines++;
    this.last = line;
  }

  /** The run so far as one item; a new run starts. */
  take(): ParseItem {
    const item: ParseItem =
      this.lines === 1 ? { kind: 'skipped', line: this.last } : { kind: 'skipped', line: this.last, count: this.lines };
    this.lines = 0;
    return item;
  }
}
