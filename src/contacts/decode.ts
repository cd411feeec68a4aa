import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { createRequire } from 'node:module';
import { HygieneError } from '../errors.js';
import type { ContactEncoding } from './sniff.js';

// Only lists in a legacy encoding need iconv-lite: loaded on first use, not at start-up.
let iconvModule: typeof import('iconv-lite') | undefined;
function iconv(): typeof import('iconv-lite') {
  return (iconvModule ??= createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite'));
}

/**
 * A byte -> text transform for one input file. UTF-8 is decoded strictly: invalid bytes after a
 * valid start (a file that mixes encodings) stop the run with the line where they are, rather than
 * turning into replacement characters in the user's data. NUL bytes (binary junk) stop it too.
 */
export function createDecoder(encoding: ContactEncoding, file: string, skipBytes: number): Transform {
  let linesBefore = 1;
  let toSkip = skipBytes;
  const strict = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : null;
  const lenient = encoding === 'utf-8' ? null : iconv().getDecoder(encoding === 'windows-1252' ? 'win1252' : encoding);

  function fail(text: string, index: number, what: 'utf-8' | 'nul'): HygieneError {
    return badInputError(file, linesBefore + countLineBreaks(text, index), what);
  }

  function push(stream: Transform, text: string): HygieneError | null {
    if (text.length === 0) return null;
    const nul = text.indexOf('\u0000');
    if (nul >= 0) return fail(text, nul, 'nul');
    linesBefore += countLineBreaks(text, text.length);
    stream.push(text);
    return null;
  }

  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(this: Transform, chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      let bytes = chunk;
      if (toSkip > 0) {
        const skip = Math.min(toSkip, bytes.length);
        bytes = bytes.subarray(skip);
        toSkip -= skip;
      }
      let text: string;
      if (strict) {
        try {
          text = strict.decode(bytes, { stream: true });
        } catch {
          const lossy = new TextDecoder('utf-8').decode(bytes);
          done(fail(lossy, Math.max(0, lossy.indexOf('\uFFFD')), 'utf-8'));
          return;
        }
      } else {
        text = lenient!.write(bytes);
      }
      done(push(this, text));
    },
    flush(this: Transform, done: TransformCallback) {
      let text: string;
      if (strict) {
        try {
          text = strict.decode();
        } catch {
          done(fail('', 0, 'utf-8'));
          return;
        }
      } else {
        text = lenient!.end() ?? '';
      }
      done(push(this, text));
    },
  });
}

function badInputError(file: string, line: number, what: 'utf-8' | 'nul'): HygieneError {
  return what === 'utf-8'
    ? new HygieneError({
        code: 'INPUT_ENCODING',
        file,
        line,
        message: `${file}:${line}: bytes that are not valid UTF-8, after ${line - 1} lines that were; the file mixes encodings`,
        hint: 'Re-save the file as UTF-8 (CSV UTF-8 in Excel), or pass --encoding windows-1252 if the whole file is in that encoding.',
      })
    : new HygieneError({
        code: 'INPUT_BINARY',
        file,
        line,
        message: `${file}:${line}: a NUL byte: this is binary data, not a CSV text file`,
        hint: 'Export the list as CSV (comma- or semicolon-separated text) and run again.',
      });
}

/**
 * A pass-through for UTF-8 input: the bytes go on to the CSV parser as they are (decoding them
 * here and having the parser encode them again costs a tenth of a run), but invalid UTF-8 and NUL
 * bytes stop the run, with the line where they are, like the strict decoder. A character cut
 * by a chunk boundary is checked with the next chunk. `startOffset` is where the read stream
 * starts in the file (after a BOM); the line of a failure is counted by reading the file again
 * up to it, so the hot path counts nothing.
 */
export function createUtf8Check(file: string, startOffset: number): Transform {
  /** File offset of the first byte not yet checked: where `carry` starts. */
  let checkedUpTo = startOffset;
  let carry: Buffer | null = null;

  /** Checks `bytes` (which start at `checkedUpTo`) up to their last complete character. */
  function check(bytes: Buffer, final: boolean, done: TransformCallback): boolean {
    const nul = bytes.indexOf(0);
    const complete = final ? bytes.length : completeCharactersEnd(bytes);
    const limit = nul >= 0 ? nul : complete;
    let problem: { at: number; what: 'utf-8' | 'nul' } | null = null;
    if (!isUtf8(bytes.subarray(0, limit))) problem = { at: firstInvalidUtf8(bytes.subarray(0, limit)), what: 'utf-8' };
    else if (nul >= 0) problem = { at: nul, what: 'nul' };
    if (problem) {
      const { what } = problem;
      lineAtOffset(file, startOffset, checkedUpTo + problem.at).then(
        (line) => done(badInputError(file, line, what)),
        (error: Error) => done(error),
      );
      return false;
    }
    checkedUpTo += complete;
    // A copy: a view would keep the whole chunk alive.
    carry = complete < bytes.length ? Buffer.from(bytes.subarray(complete)) : null;
    return true;
  }

  return new Transform({
    decodeStrings: true,
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      if (check(carry ? Buffer.concat([carry, chunk]) : chunk, false, done)) done(null, chunk);
    },
    flush(done: TransformCallback) {
      if (!carry || check(carry, true, done)) done();
    },
  });
}

/**
 * Where the last character of `bytes` starts if the chunk cuts it short, else the length: the
 * bytes from there are checked with the next chunk.
 */
function completeCharactersEnd(bytes: Buffer): number {
  const length = bytes.length;
  for (let back = 1; back <= 4 && back <= length; back++) {
    const byte = bytes[length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: look further back
    const needed = byte < 0x80 ? 1 : byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? length - back : length;
  }
  return length;
}

/** A pass-through that stops at a NUL byte (binary data), for single-byte encodings. */
export function createNulCheck(file: string): Transform {
  let offset = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        lineAtOffset(file, 0, offset + nul).then(
          (line) => done(badInputError(file, line, 'nul')),
          (error: Error) => done(error),
        );
        return;
      }
      offset += chunk.length;
      done(null, chunk);
    },
  });
}

/** Offset of the first byte that is not part of a valid UTF-8 sequence (only on the failure path). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    if (lead < 0x80) {
      index++;
      continue;
    }
    let needed: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) needed = 1;
    else if (lead >= 0xe0 && lead <= 0xef) {
      needed = 2;
      if (lead === 0xe0) low = 0xa0; // overlong
      if (lead === 0xed) high = 0x9f; // surrogates
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      needed = 3;
      if (lead === 0xf0) low = 0x90; // overlong
      if (lead === 0xf4) high = 0x8f; // above U+10FFFF
    } else return index;
    for (let k = 1; k <= needed; k++) {
      const byte = bytes[index + k];
      if (byte === undefined) return index;
      if (k === 1 ? byte < low || byte > high : byte < 0x80 || byte > 0xbf) return index;
    }
    index += needed + 1;
  }
  return bytes.length;
}

/**
 * The 1-based line of byte `offset` of a file, counting from `start`: CRLF, LF and CR each end
 * a line, as the record splitter counts them.
 */
export async function lineAtOffset(file: string, start: number, offset: number): Promise<number> {
  if (offset <= start) return 1;
  let breaks = 0;
  let crBefore = false;
  for await (const chunk of createReadStream(file, { start, end: offset - 1, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === 10) {
        if (!crBefore) breaks++;
        crBefore = false;
      } else if (c === 13) {
        breaks++;
        crBefore = true;
      } else crBefore = false;
    }
  }
  return 1 + breaks;
}

/** Line breaks in text[0, end): CRLF counts once, a lone CR or LF once. */
export function countLineBreaks(text: string, end: number): number {
  let count = 0;
  const limit = Math.min(end, text.length);
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) count++;
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) count++;
  }
  return count;
}

/** Decodes a whole sample buffer leniently (for sniffing only). */
export function decodeSample(sample: Buffer, encoding: ContactEncoding, skipBytes: number): string {
  const bytes = sample.subarray(skipBytes);
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv().decode(bytes, encoding === 'windows-1252' ? 'win1252' : encoding);
}
