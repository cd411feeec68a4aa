import { once } from 'node:events';

/** Writes to stdout with back-pressure, so large outputs piped to a slow reader do not pile up. */
export async function writeOut(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

/** Output is gathered up to this size: one write per record costs more than making the record. */
const FLUSH_CHARACTERS = 64 * 1024;

/**
 * Gathers many small outputs (one line per record) into writes of about 64 KiB, with
 * back-pressure per write rather than per record:
 *
 *   if (out.add(line)) await out.flush();   // per record
 *   await out.flush();                      // at the end, also after an error
 *
 * What is gathered is also written whenever the process waits for input, so records read from a
 * slow pipe (`tail -f mail.log | hygiene classify -`) still come out as they are read.
 */
export class StdoutBatcher {
  private parts: string[] = [];
  private size = 0;
  private writeScheduled = false;
  /** Set while stdout's buffer is full: the next write waits for it. */
  private drained: Promise<void> | null = null;

  /** Adds text; true when enough is gathered that the caller should `await flush()`. */
  add(text: string): boolean {
    this.parts.push(text);
    this.size += text.length;
    this.scheduleWrite();
    return this.size >= FLUSH_CHARACTERS;
  }

  /** Writes what is gathered once stdout can take it, and waits until it has. */
  async flush(): Promise<void> {
    if (this.drained) await this.drained;
    this.write();
    if (this.drained) await this.drained;
  }

  /** `setImmediate` runs when the event loop turns: when reading waits for input. */
  private scheduleWrite(): void {
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    setImmediate(() => {
      this.writeScheduled = false;
      if (!this.drained) this.write();
    });
  }

  private write(): void {
    if (this.size === 0) return;
    const text = this.parts.length === 1 ? this.parts[0]! : this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (process.stdout.write(text)) return;
    const drained = once(process.stdout, 'drain').then(() => {
      this.drained = null;
      if (this.size > 0) this.scheduleWrite();
    });
    // A write error reaches the caller through flush(); it must not also count as unhandled.
    drained.catch(() => undefined);
    this.drained = drained;
  }
}
