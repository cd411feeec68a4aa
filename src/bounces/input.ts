import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { glob } from 'tinyglobby';
import { HygieneError } from '../errors.js';
import type { NumberedLine } from './types.js';

/** One bounce input: a file (possibly gzip-compressed) or stdin. */
export interface BounceInput {
  /** Path on disk, or `-` for stdin. */
  path: string;
  /** The name used in `source` (`file:line`) and messages: the path as the user gave it, or inside their folder. */
  name: string;
  mtime?: Date;
  /** Found inside a directory the user named (rather than named by the user). */
  fromDirectory: boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;
/** Files inside a mail store that are bookkeeping, not messages. */
const IGNORED_NAMES = /^(\.|dovecot|courier|maildirfolder$|maildirsize$|subscriptions$)/i;

/**
 * Turns the user's arguments (files, directories searched recursively, quoted globs, `-`) into a
 * list of inputs. A Maildir is read from its `cur/` and `new/` folders.
 */
export async function expandBounceInputs(args: readonly string[]): Promise<BounceInput[]> {
  const inputs: BounceInput[] = [];
  for (const arg of args) {
    if (arg === '-') {
      inputs.push({ path: '-', name: '-', fromDirectory: false });
      continue;
    }
    const stat = await fsp.stat(arg).catch(() => null);
    if (stat?.isFile()) {
      inputs.push({ path: arg, name: arg, mtime: stat.mtime, fromDirectory: false });
    } else if (stat?.isDirectory()) {
      for (const file of await listDirectory(arg)) {
        const fileStat = await fsp.stat(file);
        inputs.push({ path: file, name: file, mtime: fileStat.mtime, fromDirectory: true });
      }
    } else if (GLOB_CHARS.test(arg)) {
      const matches = (await glob(arg, { onlyFiles: true, dot: false, expandDirectories: false })).sort();
      if (matches.length === 0) throw notFound(arg, 'matches no file');
      for (const file of matches) {
        const fileStat = await fsp.stat(file);
        inputs.push({ path: file, name: file, mtime: fileStat.mtime, fromDirectory: true });
      }
    } else {
      throw notFound(arg, 'does not exist');
    }
  }
  return inputs;
}

async function listDirectory(dir: string): Promise<string[]> {
  const entries = await fsp.readdir(dir, { withFileTypes: true });
  const names = new Set(entries.map((e) => e.name));
  const isMaildir = names.has('cur') && names.has('new');
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (IGNORED_NAMES.test(entry.name)) continue;
    if (isMaildir && entry.name === 'tmp') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listDirectory(full)));
    else if (entry.isFile()) files.push(full);
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
}

const SAMPLE_BYTES = 64 * 1024;

export async function openBounceInput(input: BounceInput): Promise<OpenedInput> {
  const raw: Readable = input.path === '-' ? process.stdin : createReadStream(input.path, { highWaterMark: 256 * 1024 });
  return openBounceStream(raw);
}

/** Opens any byte stream (a file, stdin, a library caller's stream), un-gzipping it when needed. */
export async function openBounceStream(raw: AsyncIterable<Buffer | string>): Promise<OpenedInput> {
  const head = await peek(raw[Symbol.asyncIterator]() as AsyncIterator<Buffer>, 2);
  const compressed = head.buffered.length >= 2 && head.buffered[0] === 0x1f && head.buffered[1] === 0x8b;
  let bytes: AsyncIterator<Buffer> = head.iterator;
  if (compressed) {
    const gunzip = createGunzip();
    feed(head.iterator, gunzip);
    bytes = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
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

function feed(source: AsyncIterator<Buffer>, target: NodeJS.WritableStream & { destroy(error?: Error): void }): void {
  (async () => {
    for (;;) {
      const next = await source.next();
      if (next.done) break;
      if (!target.write(next.value)) await new Promise((resolve) => target.once('drain', resolve));
    }
    target.end();
  })().catch((error: Error) => target.destroy(error));
}

/**
 * Splits a byte stream into numbered lines (LF, CRLF, or CR-only when the input has no LF).
 * `latin1` keeps every byte as one character, for message formats that rebuild the bytes.
 */
export async function* bytesToLines(
  chunks: AsyncIterable<Buffer>,
  encoding: 'utf-8' | 'latin1' | 'windows-1252',
  crOnly: boolean,
): AsyncGenerator<NumberedLine> {
  const decoder = encoding === 'utf-8' ? new TextDecoder('utf-8') : encoding === 'windows-1252' ? new TextDecoder('windows-1252') : null;
  const separator = crOnly ? '\r' : '\n';
  let carry: string[] = [];
  let line = 1;
  for await (const chunk of chunks) {
    const text = decoder ? decoder.decode(chunk, { stream: true }) : chunk.toString('latin1');
    let start = 0;
    let index = text.indexOf(separator);
    while (index >= 0) {
      let piece = text.slice(start, index);
      if (carry.length > 0) {
        carry.push(piece);
        piece = carry.join('');
        carry = [];
      }
      if (!crOnly && piece.endsWith('\r')) piece = piece.slice(0, -1);
      yield { line: line++, text: piece };
      start = index + 1;
      index = text.indexOf(separator, start);
    }
    if (start < text.length) carry.push(text.slice(start));
  }
  const tail = (carry.join('') + (decoder ? decoder.decode() : '')).replace(/\r$/, '');
  if (tail.length > 0) yield { line, text: tail };
}
