/**
 * A contact list read from standard input (`clean -`, `check -`): the first bytes are read and
 * kept for sniffing (encoding, delimiter, columns), then the rows are read from that head
 * followed by the rest of the stream, so nothing is read twice. Only a run that must read the list
 * twice (one with opt-out or bounce columns) copies it to a temporary file (`spoolToFile`).
 */
import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** How a list on stdin is named in messages and in report.json. */
export const STDIN_NAME = '<stdin>';

export interface BufferedHead {
  /** The first bytes (at least `bytes` of them unless the stream ended first). */
  head: Buffer;
  /** True when the head is the whole input. */
  ended: boolean;
  /** The rest of the stream, not read yet. */
  rest: AsyncIterator<Buffer>;
}

export function isStdinPath(file: string): boolean {
  return file === '-';
}

/** Reads at least `bytes` bytes (or everything, when shorter) from the start of a stream. */
export async function readHead(stream: Readable, bytes: number): Promise<BufferedHead> {
  const rest = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await rest.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    chunks.push(chunk);
    length += chunk.length;
  }
  return { head: Buffer.concat(chunks), ended, rest };
}

/** The head (from `skip` bytes on) and then the rest, as one stream that counts what it gave. */
export function replayHead(buffered: BufferedHead, skip: number): Readable & { bytesRead: number } {
  const counted = { bytesRead: skip };
  async function* chunks(): AsyncGenerator<Buffer> {
    const first = buffered.head.subarray(skip);
    counted.bytesRead += first.length;
    if (first.length > 0) yield first;
    if (buffered.ended) return;
    for (;;) {
      const next = await buffered.rest.next();
      if (next.done) return;
      counted.bytesRead += next.value.length;
      yield next.value;
    }
  }
  const stream = Readable.from(chunks(), { objectMode: false }) as Readable & { bytesRead: number };
  Object.defineProperty(stream, 'bytesRead', { get: () => counted.bytesRead });
  return stream;
}

/** Copies a list on stdin (the head, then the rest of the stream) to `file`; returns its size. */
export async function spoolToFile(buffered: BufferedHead, file: string): Promise<number> {
  const source = replayHead(buffered, 0);
  await pipeline(source, createWriteStream(file, { flags: 'wx' }));
  return source.bytesRead;
}
