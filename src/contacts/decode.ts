import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';
import { HygieneError } from '../errors.js';
import type { ContactEncoding } from './sniff.js';

/**
 * A byte -> text transform for one input file. UTF-8 is decoded strictly: invalid bytes after a
 * valid start (a file that mixes encodings) stop the run with the line where they are, rather than
 * turning into replacement characters in the user's data. NUL bytes (binary junk) stop it too.
 */
export function createDecoder(encoding: ContactEncoding, file: string, skipBytes: number): Transform {
  let linesBefore = 1;
  let toSkip = skipBytes;
  const strict = encoding === 'utf-8' ? new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }) : null;
  const lenient = encoding === 'utf-8' ? null : iconv.getDecoder(encoding === 'windows-1252' ? 'win1252' : encoding);

  function fail(text: string, index: number, what: 'utf-8' | 'nul'): HygieneError {
    const line = linesBefore + countLineBreaks(text, index);
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

/** Line breaks in text[0, end): CRLF counts once, a lone CR or LF once. */
export function countLineBreaks(text: string, end: number): number {
  let count = 0;
  let index = text.indexOf('\n');
  while (index >= 0 && index < end) {
    count++;
    index = text.indexOf('\n', index + 1);
  }
  // Bare CRs (old Mac files) only when the text has no LF at all, to keep this cheap.
  if (count === 0) {
    index = text.indexOf('\r');
    while (index >= 0 && index < end) {
      count++;
      index = text.indexOf('\r', index + 1);
    }
  }
  return count;
}

/** Decodes a whole sample buffer leniently (for sniffing only). */
export function decodeSample(sample: Buffer, encoding: ContactEncoding, skipBytes: number): string {
  const bytes = sample.subarray(skipBytes);
  if (encoding === 'utf-8') return new TextDecoder('utf-8').decode(bytes);
  return iconv.decode(bytes, encoding === 'windows-1252' ? 'win1252' : encoding);
}
