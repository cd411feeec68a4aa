import { closeSync, createReadStream, fstatSync, openSync, promises as fsp, readSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { HygieneError } from '../errors.js';
import type { NumberedLine, ReadyLines } from './types.js';

/** One bounce input: a file (possibly gzip-compressed) or stdin. */
export interface BounceInput {
  /** Path on disk, or `-` for stdin. */
  path: string;
  /** The name used in `source` (`file:line`) and messages: the path as the user gave it, or inside their folder. */
  name: string;
  mtime?: Date;
  /** Size in bytes when known: small files are read in one call instead of streamed. */
  size?: number;
  /** Found inside a directory the user named (rather than named by the user). */
  fromDirectory: boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;
/** Files inside a mail store that are bookkeeping, not messages. */
const IGNORED_NAMES = /^(\.|dovecot|courier|maildirfolder$|maildirsize$|subscriptions$)/i;

/**
 * Turns the user's arguments (files, directories searched recursively, quoted globs, `-`, FIFOs
 * and `<(zcat x.gz)`) into a list of inputs. A Maildir is read from its `cur/` and `new/` folders.
 * Symbolic links inside folders are followed (a link back to a folder already being read is
 * skipped); a folder that holds no file adds a line to `warnings`.
 */
export async function expandBounceInputs(args: readonly string[], warnings?: string[]): Promise<BounceInput[]> {
  const inputs: BounceInput[] = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ path: '-', name: '-', fromDirectory: false });
      continue;
    }
    const stat = await fsp.stat(arg).catch((error: NodeJS.ErrnoException) => {
      // A link to nowhere, a path through a file: "does not exist" below. Anything else (EACCES on
      // a parent folder, a link loop) is the machine's to explain.
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return null;
      throw error;
    });
    if (stat?.isFile() || stat?.isFIFO() || stat?.isCharacterDevice() || stat?.isSocket()) {
      // A pipe (`<(zcat x.gz)`, a FIFO) has no size: it is streamed.
      inputs.push({ path: arg, name: arg, mtime: stat.mtime, ...(stat.isFile() ? { size: stat.size } : {}), fromDirectory: false });
    } else if (stat?.isDirectory()) {
      const files = await listDirectory(arg, new Set([await fsp.realpath(arg)]));
      if (files.length === 0) warnings?.push(`the bounce folder ${arg} holds no file: nothing was read from it`);
      // Their size and time are read when each is opened (one stat less per file of a Maildir).
      for (const file of files) inputs.push({ path: file, name: file, fromDirectory: true });
    } else if (GLOB_CHARS.test(arg)) {
      // The glob library is loaded only when a glob is given: most runs name files and folders.
      const { glob } = await import('tinyglobby');
      // An absolute pattern gives absolute paths, as the user wrote it (else they would be made
      // relative to the working folder: `../../var/log/mail.log.1`).
      const matches = (await glob(arg, { onlyFiles: true, dot: false, expandDirectories: false, absolute: path.isAbsolute(arg) })).sort();
      if (matches.length === 0) throw notFound(arg, 'matches no file');
      for (const file of matches) inputs.push({ path: file, name: file, fromDirectory: true });
    } else {
      throw notFound(arg, 'does not exist');
    }
  }
  return inputs;
}

/**
 * The files under `dir`, sorted, symbolic links followed. `seen` holds the real paths of the
 * folders read so far, so that a link to one of them (a loop, or a second way in) is not followed. Entries that
 * cannot be examined (a dangling link, no permission) are kept: reading them reports the problem
 * and skips them like an unknown file.
 */
async function listDirectory(dir: string, seen: Set<string>): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  const isMaildir = names.has('cur') && names.has('new');
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (IGNORED_NAMES.test(entry.name)) continue;
    if (isMaildir && entry.name === 'tmp') continue;
    const full = path.join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await fsp.stat(full).catch(() => null);
      if (!target) {
        files.push(full); // dangling or looping link: reported when read
        continue;
      }
      isDirectory = target.isDirectory();
      isFile = target.isFile() || target.isFIFO();
    }
    if (isDirectory) {
      const real = await fsp.realpath(full).catch(() => full);
      if (seen.has(real)) continue; // a link back up the tree
      seen.add(real); // each folder is read once, however many links lead to it
      files.push(...(await listDirectory(full, seen)));
    } else if (isFile) files.push(full);
  }
  return files;
}

function notFound(arg: string, what: string): HygieneError {
  return new HygieneError({
    code: 'INPUT_NOT_FOUND',
    file: arg,
    message: `${arg}: ${what}`,
    hint: 'Give bounce log files, folders of them, a glob in quotes, or - for standard input.',
  });
}

/** An opened input: its first bytes (decompressed) for detection, and all of its bytes as a stream. */
export interface OpenedInput {
  sample: Buffer;
  compressed: boolean;
  chunks: AsyncIterable<Buffer>;
  /** All of the input's bytes, when it was read whole (a small file): `chunks` gives the same. */
  whole?: Buffer;
  /** The file's modification time, when it was read when opening it. */
  mtime?: Date;
}

const SAMPLE_BYTES = 64 * 1024;
/** Read size of file streams; a file up to this size is read in one call. */
const READ_CHUNK_BYTES = 256 * 1024;

export async function openBounceInput(input: BounceInput): Promise<OpenedInput> {
  // A file found in a folder has no size yet: it is opened as a small one, and streamed if it is not.
  const maybeSmall = input.path !== '-' && (input.size === undefined ? input.fromDirectory : input.size <= READ_CHUNK_BYTES);
  const small = maybeSmall ? readSmallFile(input.path) : null;
  if (small) return small;
  const raw: Readable = input.path === '-' ? process.stdin : createReadStream(input.path, { highWaterMark: READ_CHUNK_BYTES });
  return openBounceStream(raw);
}

/**
 * A Maildir holds thousands of small files: one read each, instead of a stream with its 256 KiB
 * buffer. The sample is the whole file, as the stream's first chunk would have been. The read is
 * synchronous: for a small file the open, stat, read and close of an asynchronous read each cost
 * a trip through the thread pool, several times the read itself (a folder of many files is
 * read on worker threads, which keep every core busy without it). Its size and time come from
 * the open file (fstat), read into a buffer of that size. Null for what is not a small regular
 * file: it is streamed.
 */
function readSmallFile(file: string): OpenedInput | null {
  const fd = openSync(file, 'r');
  let bytes: Buffer;
  let mtime: Date;
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > READ_CHUNK_BYTES) return null;
    mtime = stat.mtime;
    bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < bytes.length) {
      const got = readSync(fd, bytes, read, bytes.length - read, null);
      if (got === 0) break;
      read += got;
    }
    // A file cut shorter since the stat: what is there.
    if (read < bytes.length) bytes = bytes.subarray(0, read);
  } finally {
    closeSync(fd);
  }
  // Gzip data keeps the streaming path, which keeps what it could inflate when the data is cut.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return null;
  return { sample: bytes, compressed: false, chunks: oneChunk(bytes), whole: bytes, mtime };
}

async function* oneChunk(bytes: Buffer): AsyncGenerator<Buffer> {
  yield bytes;
}

/** Opens any byte stream (a file, stdin, a library caller's stream), un-gzipping it when needed. */
export async function openBounceStream(raw: AsyncIterable<Buffer | string>): Promise<OpenedInput> {
  const head = await peek(raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>, 2);
  const compressed = head.buffered.length >= 2 && head.buffered[0] === 0x1f && head.buffered[1] === 0x8b;
  let bytes: AsyncIterator<Buffer> = head.iterator;
  if (compressed) {
    const gunzip = createGunzip();
    const fed = { bytes: 0 };
    feed(head.iterator, gunzip, fed);
    bytes = boundInflation((gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator](), fed, () => gunzip.destroy());
  }
  const sampled = await peek(bytes, SAMPLE_BYTES);
  return { sample: sampled.buffered, compressed, chunks: { [Symbol.asyncIterator]: () => sampled.iterator } };
}

/** Reads at least `bytes` bytes (or all), then hands back an iterator that replays them first. */
async function peek(source: AsyncIterator<Buffer>, bytes: number): Promise<{ buffered: Buffer; iterator: AsyncIterator<Buffer> }> {
  const chunks: Buffer[] = [];
  let length = 0;
  let done = false;
  let failure: unknown = null;
  try {
    while (length < bytes) {
      const next = await source.next();
      if (next.done) {
        done = true;
        break;
      }
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      chunks.push(chunk);
      length += chunk.length;
    }
  } catch (error) {
    // Nothing read at all (no permission, a folder): that is the error, not an empty input.
    if (chunks.length === 0) throw error;
    failure = error;
  }
  const buffered = Buffer.concat(chunks);
  const replay = chunks.slice();
  const iterator: AsyncIterator<Buffer> = {
    async next() {
      const chunk = replay.shift();
      if (chunk) return { done: false, value: chunk };
      if (failure) {
        const error = failure;
        failure = null;
        throw error;
      }
      if (done) return { done: true, value: undefined };
      const next = await source.next();
      if (next.done) return { done: true, value: undefined };
      return { done: false, value: typeof next.value === 'string' ? Buffer.from(next.value) : next.value };
    },
    async return() {
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
  return { buffered, iterator };
}

function feed(
  source: AsyncIterator<Buffer>,
  target: NodeJS.WritableStream & { destroy(error?: Error): void; destroyed?: boolean },
  fed: { bytes: number },
): void {
  (async () => {
    for (;;) {
      if (target.destroyed) {
        await source.return?.();
        return;
      }
      const next = await source.next();
      if (next.done) break;
      // Small pieces: zlib inflates a written chunk whole, and 256 KB of a bomb are 256 MB.
      for (let at = 0; at < next.value.length && !target.destroyed; at += GZIP_FEED_BYTES) {
        const piece = next.value.subarray(at, at + GZIP_FEED_BYTES);
        fed.bytes += piece.length;
        if (!target.write(piece)) await new Promise((resolve) => target.once('drain', resolve));
      }
    }
    target.end();
  })().catch((error: Error) => target.destroy(error));
}

/** Compressed bytes written to the inflater at once (at most ~1000 times that comes out). */
const GZIP_FEED_BYTES = 16 * 1024;

/**
 * Decompressed data may be this many times the compressed bytes read so far (mail logs compress
 * 5-20 times), or this many bytes, whichever is more; beyond, it is a decompression bomb.
 */
export const MAX_INFLATION_RATIO = 100;
export const MIN_INFLATION_ALLOWANCE = 64 * 1024 * 1024;

/** Thrown when gzip data inflates beyond the bound; the reader lists it and keeps what came before. */
export class InflationBoundError extends Error {
  readonly code = 'HYGIENE_GZIP_BOUND';
  constructor(
    readonly inflated: number,
    readonly compressed: number,
  ) {
    super(
      `decompressed data reached ${Math.round(inflated / 1024 / 1024)} MB from ${Math.max(1, Math.round(compressed / 1024))} KB of gzip, over ${MAX_INFLATION_RATIO} times its size: reading stopped there`,
    );
  }
}

function boundInflation(source: AsyncIterator<Buffer>, fed: { bytes: number }, stop: () => void): AsyncIterator<Buffer> {
  let inflated = 0;
  return {
    async next() {
      const next = await source.next();
      if (next.done) return next;
      inflated += next.value.length;
      if (inflated > Math.max(MIN_INFLATION_ALLOWANCE, fed.bytes * MAX_INFLATION_RATIO)) {
        stop();
        throw new InflationBoundError(inflated, fed.bytes);
      }
      return next;
    },
    async return() {
      stop();
      await source.return?.();
      return { done: true, value: undefined };
    },
  };
}

/**
 * Splits a byte stream into numbered lines (LF, CRLF, or CR-only when the input has no LF).
 * `latin1` keeps every byte as one character, for message formats that rebuild the bytes.
 * `onLine` is told of every line handed out, so callers count lines without another layer.
 *
 * A plain iterator rather than an async generator: a million-line log passes every line through
 * it, and resuming a generator per line costs more than splitting the line. For the same reason
 * `ready()` hands out a line already split without a promise (see LineReader).
 */
export function bytesToLines(
  chunks: AsyncIterable<Buffer>,
  encoding: 'utf-8' | 'latin1' | 'windows-1252',
  crOnly: boolean,
  onLine?: () => void,
  onOverlong?: (line: number) => void,
): AsyncIterableIterator<NumberedLine> & ReadyLines {
  const source = chunks[Symbol.asyncIterator]();
  const splitter = new LineSplitter(encoding, crOnly);
  let pending: string[] = [];
  let index = 0;
  let line = 1;
  let finished = false;
  const takeLine = (): NumberedLine => {
    onLine?.();
    let text = pending[index++]!;
    if (text === OVERLONG_LINE) {
      // Cut: its parser sees an empty line, the reader counts it as unparsed.
      onOverlong?.(line);
      text = '';
    }
    return { line: line++, text };
  };
  const take = (): IteratorResult<NumberedLine> => ({ done: false, value: takeLine() });
  const refill = async (): Promise<IteratorResult<NumberedLine>> => {
    while (index >= pending.length) {
      if (finished) return { done: true, value: undefined };
      const next = await source.next();
      if (next.done) {
        finished = true;
        pending = splitter.end();
      } else {
        pending = splitter.push(next.value);
      }
      index = 0;
    }
    return take();
  };
  const iterator: AsyncIterableIterator<NumberedLine> & ReadyLines = {
    [Symbol.asyncIterator]: () => iterator,
    next: () => (index < pending.length ? Promise.resolve(take()) : refill()),
    ready: () => (index < pending.length ? takeLine() : undefined),
    async return() {
      if (!finished) {
        finished = true;
        pending = [];
        await source.return?.();
      }
      return { done: true, value: undefined };
    },
  };
  return iterator;
}

const LF = 0x0a;
const CR = 0x0d;
/** A line longer than this (junk, a binary blob, NULs without end) is cut and counted as unparsed. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** What LineSplitter hands out in place of a line over the limit (compared by value, never text). */
const OVERLONG_LINE = '\u0000\u0000hygiene: line over the length limit\u0000\u0000';
const BOM = '\ufeff';
const NO_LINES: string[] = [];
/**
 * Bytes are decoded this many at a time: V8 puts strings over 128 KiB in its large-object space,
 * where making them costs ten times more per byte.
 */
const DECODE_BYTES = 64 * 1024;
const windows1252 = new TextDecoder('windows-1252');

/**
 * Cuts bytes into line texts. Bytes are decoded only up to the last separator of a chunk and the
 * rest is carried over: LF and CR never occur inside a UTF-8 sequence, so decoding whole lines
 * gives the same text as a streaming decoder, with the much faster `Buffer#toString`.
 */
class LineSplitter {
  private carry: Buffer[] = [];
  private carried = 0;
  /** Inside a line over the limit: its bytes are dropped up to the next separator. */
  private skipping = false;
  private atStart = true;
  private readonly separatorByte: number;
  private readonly separator: string;

  constructor(
    private readonly encoding: 'utf-8' | 'latin1' | 'windows-1252',
    private readonly crOnly: boolean,
  ) {
    this.separatorByte = crOnly ? CR : LF;
    this.separator = crOnly ? '\r' : '\n';
  }

  push(chunk: Buffer): string[] {
    if (chunk.length <= DECODE_BYTES) return this.pushPiece(chunk);
    const lines: string[] = [];
    for (let start = 0; start < chunk.length; start += DECODE_BYTES) {
      for (const line of this.pushPiece(chunk.subarray(start, start + DECODE_BYTES))) lines.push(line);
    }
    return lines;
  }

  private pushPiece(chunk: Buffer): string[] {
    const last = chunk.lastIndexOf(this.separatorByte);
    if (last < 0) {
      if (this.skipping || chunk.length === 0) return NO_LINES;
      this.carry.push(chunk);
      this.carried += chunk.length;
      if (this.carried > MAX_LINE_BYTES) {
        this.carry = [];
        this.carried = 0;
        this.skipping = true;
      }
      return NO_LINES;
    }
    let bytes = chunk.subarray(0, last + 1);
    let lead: string[] = NO_LINES;
    if (this.skipping) {
      // The rest of the overlong line ends at the first separator.
      const first = chunk.indexOf(this.separatorByte);
      this.skipping = false;
      lead = [OVERLONG_LINE];
      bytes = chunk.subarray(first + 1, last + 1);
    } else if (this.carry.length > 0) {
      const first = chunk.indexOf(this.separatorByte);
      if (this.carried + first > MAX_LINE_BYTES) {
        lead = [OVERLONG_LINE];
        bytes = chunk.subarray(first + 1, last + 1);
      } else {
        this.carry.push(bytes);
        bytes = Buffer.concat(this.carry);
      }
      this.carry = [];
    }
    this.carried = 0;
    if (last + 1 < chunk.length) {
      this.carry.push(chunk.subarray(last + 1));
      this.carried = chunk.length - last - 1;
    }
    const lines = bytes.length > 0 ? this.split(this.decode(bytes)) : NO_LINES;
    if (lead === NO_LINES) return lines;
    return lines.length > 0 ? [...lead, ...lines] : lead;
  }

  /** The text after the last separator, if any. */
  end(): string[] {
    if (this.skipping) {
      this.skipping = false;
      return [OVERLONG_LINE];
    }
    if (this.carry.length === 0) return NO_LINES;
    let tail = this.decode(this.carry.length === 1 ? this.carry[0]! : Buffer.concat(this.carry));
    this.carry = [];
    if (tail.charCodeAt(tail.length - 1) === CR) tail = tail.slice(0, -1);
    return tail.length > 0 ? [tail] : NO_LINES;
  }

  private decode(bytes: Buffer): string {
    if (this.encoding === 'latin1') return bytes.toString('latin1');
    // `stream: true` (harmless: one byte is one character) avoids Node 20's one-shot fast path,
    // which decodes windows-1252 as latin1 and loses “ ” € and the like.
    if (this.encoding === 'windows-1252') return windows1252.decode(bytes, { stream: true });
    let text = bytes.toString('utf-8');
    // A streaming UTF-8 decoder drops a byte order mark at the start of the input; so do we.
    if (this.atStart) {
      this.atStart = false;
      if (text.startsWith(BOM)) text = text.slice(1);
    }
    return text;
  }

  /** `text` ends with a separator. */
  private split(text: string): string[] {
    const lines: string[] = [];
    const separator = this.separator;
    const stripCr = !this.crOnly;
    let start = 0;
    for (let index = text.indexOf(separator); index >= 0; index = text.indexOf(separator, start)) {
      const end = stripCr && index > start && text.charCodeAt(index - 1) === CR ? index - 1 : index;
      lines.push(text.slice(start, end));
      start = index + 1;
    }
    return lines;
  }
}
