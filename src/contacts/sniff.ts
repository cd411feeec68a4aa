/** Sniffing of a contact file's first bytes: encoding, binary content, delimiter, line ending. */
import { scanUtf8 } from '../text/utf8.js';

export type ContactEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface EncodingGuess {
  encoding: ContactEncoding;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
  /** How it was decided, for the report and error messages. */
  how: 'bom' | 'valid-utf-8' | 'utf-16-without-bom' | 'fallback' | 'option' | 'mixed';
  /** For `mixed`: offset of the first byte that is not UTF-8, after valid UTF-8 text. */
  invalidOffset?: number;
}

const ENCODING_ALIASES: Record<string, ContactEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'utf-16le': 'utf-16le',
  utf16le: 'utf-16le',
  'utf-16': 'utf-16le',
  'utf-16be': 'utf-16be',
  utf16be: 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'latin-1': 'windows-1252',
  latin1: 'windows-1252',
  'iso-8859-1': 'windows-1252',
};

export function normalizeEncodingName(name: string): ContactEncoding | null {
  return ENCODING_ALIASES[name.trim().toLowerCase()] ?? null;
}

export const SUPPORTED_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'];

/**
 * Decides the encoding from the first bytes. A BOM wins; then UTF-16 without BOM (every other
 * byte zero in ASCII-heavy text, as Excel's "Unicode text" exports look); then UTF-8 if the sample
 * is valid UTF-8 (a multi-byte sequence cut by the end of the sample is allowed); else
 * Windows-1252, which is what spreadsheet exports on Windows write.
 */
export function detectEncoding(sample: Buffer, sampleIsWholeFile: boolean): EncodingGuess {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, how: 'bom' };
  }
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) {
    return { encoding: 'utf-16le', bomLength: 2, how: 'bom' };
  }
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) {
    return { encoding: 'utf-16be', bomLength: 2, how: 'bom' };
  }
  const utf16 = guessUtf16WithoutBom(sample);
  if (utf16) return { encoding: utf16, bomLength: 0, how: 'utf-16-without-bom' };
  const scan = scanUtf8(sample, !sampleIsWholeFile);
  if (scan.firstInvalid < 0) return { encoding: 'utf-8', bomLength: 0, how: 'valid-utf-8' };
  if (scan.multibyteSeen) return { encoding: 'utf-8', bomLength: 0, how: 'mixed', invalidOffset: scan.firstInvalid };
  return { encoding: 'windows-1252', bomLength: 0, how: 'fallback' };
}

function guessUtf16WithoutBom(sample: Buffer): ContactEncoding | null {
  const pairs = Math.min(sample.length >> 1, 4096);
  if (pairs < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) zeroEven++;
    if (sample[2 * i + 1] === 0) zeroOdd++;
  }
  // ASCII text in UTF-16 has a zero in (nearly) every pair, always on the same side.
  if (zeroOdd > pairs * 0.7 && zeroEven < pairs * 0.05) return 'utf-16le';
  if (zeroEven > pairs * 0.7 && zeroOdd < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Binary data: NUL bytes or many control characters in what should be text. Checked on the
 * sample after the encoding is known (UTF-16 legitimately has NULs, so it is checked decoded).
 */
export function findBinaryOffset(text: string): number {
  const limit = Math.min(text.length, 65536);
  let controls = 0;
  for (let i = 0; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return i;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) {
      controls++;
      if (controls > 8 && controls > limit / 100) return i;
    }
  }
  return -1;
}

const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * Picks the delimiter that splits the first lines into the same number of fields (more than
 * one), counting only outside quotes. Ties go to the most common delimiter in the header line.
 * A single-column file (a plain address list) has no delimiter: `,` is used.
 */
export function detectDelimiter(text: string): Delimiter {
  const lines = firstLogicalLines(text, 50);
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const header = counts[0] ?? 0;
    if (header === 0) continue;
    const consistent = counts.filter((c) => c === header).length;
    const score = (consistent / counts.length) * 1000 + header;
    if (score > bestScore) {
      bestScore = score;
      best = delimiter;
    }
  }
  return best;
}

/** Lines of the sample, joining lines inside quoted fields, ignoring blank ones. */
function firstLogicalLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let current = '';
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length && lines.length < max; i++) {
    const c = text[i];
    if (c === '"') inQuotes = !inQuotes;
    else if ((c === '\n' || c === '\r') && !inQuotes) {
      current = text.slice(start, i);
      if (current.trim() !== '') lines.push(current);
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  if (lines.length < max && start < text.length && !inQuotes) {
    const rest = text.slice(start);
    // The last line of a sample may be cut: use it only if it is all there is.
    if (rest.trim() !== '' && lines.length === 0) lines.push(rest);
  }
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let count = 0;
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQuotes = !inQuotes;
    else if (c === delimiter && !inQuotes) count++;
  }
  return count;
}

/** The line ending most lines of the sample end with, outside quotes (CRLF on a tie). */
export function detectLineEnding(text: string): '\r\n' | '\n' | '\r' {
  let crlf = 0;
  let lf = 0;
  let cr = 0;
  let inQuotes = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (inQuotes) continue;
    else if (c === 10) lf++;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
    }
  }
  if (crlf > 0 && crlf >= lf && crlf >= cr) return '\r\n';
  return cr > lf ? '\r' : '\n';
}

export function describeDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : delimiter;
}
