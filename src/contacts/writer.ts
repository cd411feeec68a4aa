import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { HygieneError } from '../errors.js';

/** Output is gathered in buffers of this size, each handed to the file stream when full. */
const OUTPUT_BUFFER_BYTES = 256 * 1024;
/** UTF-8 takes at most 3 bytes per UTF-16 code unit. */
const MAX_UTF8_PER_UNIT = 3;
const utf8 = new TextEncoder();

/**
 * One CSV output written to a temporary name first. Each row becomes CSV text as it is written,
 * encoded straight into a buffer; full buffers go to the file, and `flush` (once per batch of
 * rows) says whether the file is behind. No stream write, and no promise, per row.
 */
export class CsvOutput {
  readonly finalPath: string;
  readonly tempPath: string;
  private readonly encode: (values: readonly string[]) => string;
  private readonly stream: WriteStream;
  private buffer = Buffer.allocUnsafe(OUTPUT_BUFFER_BYTES);
  private used = 0;
  private failure: Error | null = null;
  rows = 0;

  constructor(finalPath: string, delimiter: string, lineEnding: string) {
    this.finalPath = finalPath;
    this.tempPath = tempNameFor(finalPath);
    // 'wx': never follow or reuse an existing file at the temporary name.
    this.stream = createWriteStream(this.tempPath, { flags: 'wx', highWaterMark: OUTPUT_BUFFER_BYTES });
    this.encode = createRowEncoder(delimiter, lineEnding === '\r\n' ? '\r\n' : '\n');
    this.stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  /** Adds one row; it reaches the file when its buffer is full or at `flush`. */
  write(values: readonly string[]): void {
    if (this.failure) throw this.failure;
    this.rows++;
    const record = this.encode(values);
    const worstCase = record.length * MAX_UTF8_PER_UNIT;
    if (this.used + worstCase > this.buffer.length) {
      this.handOver();
      if (worstCase > this.buffer.length) {
        // A record longer than a buffer (a note of many kilobytes) goes on its own.
        this.stream.write(Buffer.from(record, 'utf8'));
        return;
      }
    }
    this.used += utf8.encodeInto(record, this.buffer.subarray(this.used)).written;
  }

  /**
   * Resolves when the file has caught up, or returns undefined at once when it is not behind
   * (back-pressure, checked once per batch of rows). Text stays in the buffer until it is full.
   */
  flush(): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (this.stream.writableNeedDrain) return once(this.stream, 'drain').then(() => undefined);
    return undefined;
  }

  /** Gives the filled part of the buffer to the stream, which keeps it until written: take a fresh one. */
  private handOver(): void {
    if (this.used === 0) return;
    this.stream.write(this.buffer.subarray(0, this.used));
    this.buffer = Buffer.allocUnsafe(OUTPUT_BUFFER_BYTES);
    this.used = 0;
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.handOver();
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) throw this.failure;
  }

  async discard(): Promise<void> {
    this.used = 0;
    this.stream.destroy();
    await fsp.rm(this.tempPath, { force: true });
  }
}

const QUOTE = '"';

/**
 * Turns a row into one CSV record, byte for byte what csv-stringify writes with
 * `{ delimiter, record_delimiter }` (test/contacts/writer.test.ts compares them on random rows):
 * a value is quoted when it holds a quote, the delimiter or the record delimiter, and its quotes
 * are doubled. csv-stringify's per-record machinery (option objects and arrays for every field)
 * cost over a second per million rows; this is the same rule in a few string operations, and
 * `join` builds a flat string (one built by += is a rope that is slow to write out).
 * A row with a value that is not a string goes to csv-stringify itself.
 */
export function createRowEncoder(delimiter: string, recordDelimiter: '\n' | '\r\n'): (values: readonly string[]) => string {
  const inDelimiter = separatorTest(delimiter);
  const inRecordDelimiter = separatorTest(recordDelimiter);
  const needsQuotes = (value: string) => value.includes(QUOTE) || inDelimiter(value) || inRecordDelimiter(value);
  const fallback = { delimiter, record_delimiter: recordDelimiter === '\r\n' ? 'windows' : 'unix' } as const;
  return (values) => {
    let quoted: string[] | null = null;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (typeof value !== 'string') return stringify([values as unknown[]], fallback);
      if (value !== '' && needsQuotes(value)) {
        quoted ??= values.slice();
        quoted[i] = QUOTE + value.replaceAll(QUOTE, '""') + QUOTE;
      }
    }
    return (quoted ?? values).join(delimiter) + recordDelimiter;
  };
}

/**
 * csv-stringify's test for "this value would emit the separator": it contains it, or (for a
 * separator of several characters) it ends with a start of the separator that, followed by the
 * separator itself, makes a whole separator begin inside the value ("a:" + "::" reads "a:::").
 * The lengths at which that can happen depend on the separator alone, so they are found once.
 */
function separatorTest(separator: string): (value: string) => boolean {
  if (separator.length === 0) return () => false;
  if (separator.length === 1) return (value) => value.includes(separator);
  const fusing: string[] = [];
  for (let overlap = 1; overlap < separator.length; overlap++) {
    // The value's last `overlap` characters start the separator, and the separator appended
    // after them supplies its own rest: separator[overlap..] must equal its start.
    if (separator.slice(overlap) === separator.slice(0, separator.length - overlap)) fusing.push(separator.slice(0, overlap));
  }
  if (fusing.length === 0) return (value) => value.includes(separator);
  return (value) => value.includes(separator) || fusing.some((start) => value.endsWith(start));
}

/**
 * A fresh temporary name next to the final one. The pid alone is not enough: a killed run leaves
 * its temporary files behind, and in a container every run has the same pid, so the next run
 * would find the name taken ('wx') and fail.
 */
export function tempNameFor(finalPath: string): string {
  const unique = `${process.pid}.${randomBytes(6).toString('hex')}`;
  return path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.${unique}.tmp`);
}

/**
 * Refuses an output path that is one of the inputs: by resolved path, and by device and inode for
 * an existing file reached through a link. An output that is a symlink is replaced by the rename
 * (rename never writes through a link), so it cannot reach the file it points to.
 */
export async function assertNotAnInput(output: string, inputs: readonly string[]): Promise<void> {
  const resolvedOutput = path.resolve(output);
  const outputStat = await fsp.stat(output).catch(() => null);
  for (const input of inputs) {
    const sameName = path.resolve(input) === resolvedOutput;
    const inputStat = await fsp.stat(input).catch(() => null);
    const sameFile = !!outputStat && !!inputStat && outputStat.ino === inputStat.ino && outputStat.dev === inputStat.dev;
    const outputLink = await fsp.lstat(output).catch(() => null);
    if (sameName || (sameFile && !outputLink?.isSymbolicLink())) {
      throw new HygieneError({
        code: 'OUTPUT_IS_INPUT',
        message: `the output ${output} is the input ${input}; hygiene never overwrites an input`,
        hint: 'Choose another --out-dir.',
      });
    }
  }
}

/** Writes a text file through a temporary name (used for report.json). */
export async function writeFileAtomically(finalPath: string, text: string): Promise<string> {
  const temp = tempNameFor(finalPath);
  await fsp.writeFile(temp, text, { flag: 'wx' });
  return temp;
}

/** Renames every temporary file to its final name, once all of them are complete. */
export async function commitAll(pairs: readonly { tempPath: string; finalPath: string }[]): Promise<void> {
  for (const { tempPath, finalPath } of pairs) await fsp.rename(tempPath, finalPath);
}

export async function ensureOutDir(outDir: string): Promise<void> {
  try {
    await fsp.mkdir(outDir, { recursive: true });
  } catch (error) {
    throw new HygieneError({
      code: 'OUTPUT_DIR',
      message: `cannot create the output folder ${outDir}: ${(error as Error).message}`,
      hint: 'Choose another --out-dir, or check its permissions.',
    });
  }
}
