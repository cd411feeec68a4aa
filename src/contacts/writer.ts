import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { HygieneError } from '../errors.js';
import { bomBytes, describeOutEncoding, encodeWindows1252, firstUnencodable, transliterate, type OutputEncoding } from './encoding.js';
import type { RecordBytesEncoding } from './records.js';
import { trackTempFile, untrackTempFile } from './temp-files.js';

/** Output is gathered in buffers of this size, each handed to the file stream when full. */
const OUTPUT_BUFFER_BYTES = 256 * 1024;
/** Any of the output encodings takes at most 3 bytes per UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;
const utf8 = new TextEncoder();

export interface CsvFormat {
  delimiter: string;
  lineEnding: '\r\n' | '\n' | '\r';
  encoding: OutputEncoding;
  /** The encoding of the raw row bytes `writeRaw` may be given (the input's bytes). */
  rawEncoding?: RecordBytesEncoding | null;
}

/** Where in a row hygiene's own columns are: they are transliterated, the user's values never. */
export interface OwnColumns {
  from: number;
  to: number;
}

/**
 * One CSV output written to a temporary name first. Each row becomes CSV text as it is written,
 * encoded straight into a buffer; full buffers go to the file, and `flush` (once per batch of
 * rows) says whether the file is behind. No stream write, and no promise, per row. Rows that did
 * not change are copied as the bytes they were read from (`writeRaw`).
 */
export class CsvOutput {
  readonly finalPath: string;
  readonly tempPath: string;
  /** Whether `writeRaw` can copy input bytes: the input's bytes are in this output's encoding. */
  readonly acceptsRaw: boolean;
  private readonly format: CsvFormat;
  private readonly encode: (values: readonly string[]) => string;
  private readonly stream: WriteStream;
  private readonly hash = createHash('sha256');
  private readonly delimiterBytes: Buffer;
  private readonly lineEndingBytes: Buffer;
  private buffer: Buffer = Buffer.allocUnsafe(OUTPUT_BUFFER_BYTES);
  /**
   * Buffers the file has written, to be filled again. A fresh buffer per hand-over would leave
   * the written ones to the garbage collector, which frees them only at a full collection: on a
   * 10M-row list tens of megabytes of them were waiting at any time.
   */
  private readonly spare: Buffer[] = [];
  private used = 0;
  private failure: Error | null = null;
  rows = 0;
  bytes = 0;
  /** The SHA-256 of the file, once closed. */
  sha256 = '';

  constructor(finalPath: string, format: CsvFormat) {
    this.finalPath = finalPath;
    this.format = format;
    this.tempPath = tempNameFor(finalPath);
    // 'wx': never follow or reuse an existing file at the temporary name.
    this.stream = createWriteStream(this.tempPath, { flags: 'wx', highWaterMark: OUTPUT_BUFFER_BYTES });
    trackTempFile(this.tempPath);
    this.encode = createRowEncoder(format.delimiter, format.lineEnding);
    const name = format.encoding.name;
    this.acceptsRaw =
      (name === 'utf-8' && format.rawEncoding === 'utf-8') || (name === 'windows-1252' && format.rawEncoding === 'windows-1252');
    this.delimiterBytes = this.toBytes(format.delimiter);
    this.lineEndingBytes = this.toBytes(format.lineEnding);
    this.stream.on('error', (error: Error) => {
      this.failure ??= withPath(error, this.tempPath);
    });
    const bom = bomBytes(format.encoding);
    if (bom.length > 0) this.append(bom);
  }

  /**
   * Adds one row; it reaches the file when its buffer is full or at `flush`. `own` marks
   * hygiene's columns, which are transliterated where the encoding lacks a character; a user's
   * value the encoding cannot hold stops the run (`line` names the row).
   */
  write(values: readonly string[], line = 0, own?: OwnColumns): void {
    if (this.failure) throw this.failure;
    this.rows++;
    this.appendText(this.encode(this.fitted(values, line, own)));
  }

  /** Adds a line that is not a row (Excel's `sep=;` directive), as it is, with the line ending. */
  writeLine(text: string): void {
    if (this.failure) throw this.failure;
    this.appendText(`${text}${this.format.lineEnding}`);
  }

  /**
   * Adds a row given as its input bytes (strict RFC 4180, without line ending; only when
   * `acceptsRaw`), followed by more values (hygiene's columns) if any.
   */
  writeRaw(raw: Buffer, extra?: readonly string[], line = 0, own?: OwnColumns): void {
    if (this.failure) throw this.failure;
    this.rows++;
    if (this.used + raw.length + 1 > this.buffer.length) this.handOver();
    if (raw.length + 1 > this.buffer.length) this.append(raw);
    else {
      raw.copy(this.buffer, this.used);
      this.used += raw.length;
    }
    if (extra && extra.length > 0) {
      this.append(this.delimiterBytes);
      this.appendText(this.encode(this.fitted(extra, line, own)));
      return;
    }
    // The line ending byte by byte: a native copy call per row costs more than the bytes.
    const ending = this.lineEndingBytes;
    if (this.used + ending.length > this.buffer.length) this.handOver();
    for (let i = 0; i < ending.length; i++) this.buffer[this.used++] = ending[i]!;
  }

  /** The values with hygiene's own columns made to fit the encoding; a user's value that cannot is an error. */
  private fitted(values: readonly string[], line: number, own?: OwnColumns): readonly string[] {
    const encoding = this.format.encoding;
    if (encoding.name !== 'windows-1252') return values;
    let copy: string[] | null = null;
    for (let i = 0; i < values.length; i++) {
      const value = values[i]!;
      if (typeof value !== 'string' || firstUnencodable(value, encoding) < 0) continue;
      if (own && i >= own.from && i < own.to) {
        copy ??= values.slice();
        copy[i] = transliterate(value, encoding);
        continue;
      }
      const at = firstUnencodable(value, encoding);
      const char = String.fromCodePoint(value.codePointAt(at)!);
      const code = `U+${value.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new HygieneError({
        code: 'OUTPUT_ENCODING',
        message: `${line > 0 ? `line ${line} of the input holds` : 'a value holds'} "${char}" (${code}), which ${describeOutEncoding(encoding)} cannot hold; hygiene never changes your values, so nothing was written`,
        hint: 'Write UTF-8 instead: --out-encoding utf-8 (or utf-8-bom for Excel).',
      });
    }
    return copy ?? values;
  }

  private toBytes(text: string): Buffer {
    const name = this.format.encoding.name;
    if (name === 'windows-1252') return encodeWindows1252(text);
    if (name === 'utf-16le') return Buffer.from(text, 'utf16le');
    if (name === 'utf-16be') return Buffer.from(text, 'utf16le').swap16();
    return Buffer.from(text, 'utf8');
  }

  private appendText(record: string): void {
    const worstCase = record.length * MAX_BYTES_PER_UNIT;
    if (this.used + worstCase > this.buffer.length) {
      this.handOver();
      if (worstCase > this.buffer.length) {
        // A record longer than a buffer (a note of many kilobytes) goes on its own.
        this.append(this.toBytes(record));
        return;
      }
    }
    if (this.format.encoding.name === 'utf-8') this.used += utf8.encodeInto(record, this.buffer.subarray(this.used)).written;
    else if (this.format.encoding.name === 'utf-16le') this.used += this.buffer.write(record, this.used, 'utf16le');
    else {
      const bytes = this.toBytes(record);
      bytes.copy(this.buffer, this.used);
      this.used += bytes.length;
    }
  }

  /** Adds bytes, through the buffer when they fit. */
  private append(bytes: Buffer): void {
    if (this.used + bytes.length > this.buffer.length) this.handOver();
    if (bytes.length > this.buffer.length) {
      this.hash.update(bytes);
      this.bytes += bytes.length;
      this.stream.write(bytes);
      return;
    }
    bytes.copy(this.buffer, this.used);
    this.used += bytes.length;
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

  /**
   * Gives the filled part of the buffer to the stream, which keeps it until written (then it is
   * spare again); goes on in a spare one, or a fresh one while all are with the stream.
   */
  private handOver(): void {
    if (this.used === 0) return;
    const buffer = this.buffer;
    const filled = buffer.subarray(0, this.used);
    this.hash.update(filled);
    this.bytes += filled.length;
    this.stream.write(filled, (error) => {
      if (!error) this.spare.push(buffer);
    });
    this.buffer = this.spare.pop() ?? Buffer.allocUnsafe(OUTPUT_BUFFER_BYTES);
    this.used = 0;
  }

  async close(): Promise<void> {
    if (this.failure) throw this.failure;
    this.handOver();
    this.stream.end();
    await new Promise<void>((resolve) => {
      if (this.stream.closed) resolve();
      else this.stream.once('close', () => resolve());
    });
    if (this.failure) throw this.failure;
    this.sha256 = this.hash.digest('hex');
  }

  async discard(): Promise<void> {
    this.used = 0;
    // The file is opened asynchronously: wait until the stream has closed, or the open may
    // create the file after it has been removed.
    await new Promise<void>((resolve) => {
      if (this.stream.closed) resolve();
      else {
        this.stream.once('close', () => resolve());
        this.stream.destroy();
      }
    });
    await fsp.rm(this.tempPath, { force: true }).catch(() => undefined);
    untrackTempFile(this.tempPath);
  }
}

/** A stream error carries no path: add it, so that the message can name the file. */
function withPath(error: Error, file: string): Error {
  const errno = error as NodeJS.ErrnoException;
  if (errno.code && !errno.path) errno.path = file;
  return error;
}

const QUOTE = '"';

/**
 * Turns a row into one CSV record, byte for byte what csv-stringify writes with
 * `{ delimiter, record_delimiter, quoted_match: /[\r\n]/ }` (test/contacts/writer.test.ts compares
 * them on random rows): a value is quoted when it holds a quote, the delimiter, a CR or an LF, and
 * its quotes are doubled. csv-stringify's per-record machinery (option objects and arrays for every field)
 * cost over a second per million rows; this is the same rule in a few string operations, and
 * `join` builds a flat string (one built by += is a rope that is slow to write out).
 * A row with a value that is not a string goes to csv-stringify itself.
 */
export function createRowEncoder(delimiter: string, recordDelimiter: '\n' | '\r\n' | '\r'): (values: readonly string[]) => string {
  const inDelimiter = separatorTest(delimiter);
  // A CR or LF in a value is quoted whatever the record delimiter: a reader that ends records at
  // any line ending (Excel, Python's csv) would otherwise split the row.
  const needsQuotes = (value: string) => value.includes(QUOTE) || inDelimiter(value) || value.includes('\n') || value.includes('\r');
  const fallback = { delimiter, record_delimiter: recordDelimiter, quoted_match: /[\r\n]/ } as const;
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
  trackTempFile(temp);
  await fsp.writeFile(temp, text, { flag: 'wx' });
  return temp;
}

export interface StagedFile {
  tempPath: string;
  finalPath: string;
}

/**
 * Puts a set of complete temporary files in place as one set, so that a reader never finds new
 * lists beside an old report: the old report goes first, the lists are renamed, `remove` (files
 * of an earlier run that this run does not write, a stale fixes.csv) are deleted, and the report
 * comes last. Each file replaced or deleted is kept under a backup name until the end; if any
 * step fails, everything done so far is undone, the old files are back and the error is thrown.
 */
export async function commitOutputSet(lists: readonly StagedFile[], report: StagedFile, remove: readonly string[] = []): Promise<void> {
  const touched = [...lists.map((file) => file.finalPath), report.finalPath, ...remove];
  const backups = new Map<string, string>();
  const created: string[] = [];
  try {
    for (const finalPath of touched) {
      const stat = await fsp.lstat(finalPath).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return null;
        throw error;
      });
      if (!stat) continue;
      if (stat.isDirectory()) {
        throw Object.assign(new Error(`${finalPath} is a folder`), { code: 'EISDIR', path: finalPath, syscall: 'rename' });
      }
      const backup = tempNameFor(finalPath).replace(/\.tmp$/, '.old');
      await fsp.link(finalPath, backup).catch(() => fsp.copyFile(finalPath, backup));
      trackTempFile(backup);
      backups.set(finalPath, backup);
    }
    if (backups.has(report.finalPath)) await fsp.unlink(report.finalPath);
    for (const file of lists) {
      await fsp.rename(file.tempPath, file.finalPath);
      untrackTempFile(file.tempPath);
      if (!backups.has(file.finalPath)) created.push(file.finalPath);
    }
    for (const stale of remove) if (backups.has(stale)) await fsp.unlink(stale);
    await fsp.rename(report.tempPath, report.finalPath);
    untrackTempFile(report.tempPath);
  } catch (error) {
    for (const finalPath of created) await fsp.rm(finalPath, { force: true }).catch(() => undefined);
    for (const [finalPath, backup] of backups) {
      await fsp.rename(backup, finalPath).catch(() => undefined);
      // A rename between two links of one file does nothing: the backup is still there.
      await fsp.rm(backup, { force: true }).catch(() => undefined);
    }
    for (const file of [...lists, report]) await fsp.rm(file.tempPath, { force: true }).catch(() => undefined);
    for (const file of [...lists, report]) untrackTempFile(file.tempPath);
    for (const backup of backups.values()) untrackTempFile(backup);
    throw error;
  }
  for (const backup of backups.values()) {
    await fsp.rm(backup, { force: true }).catch(() => undefined);
    untrackTempFile(backup);
  }
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
