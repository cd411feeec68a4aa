import { decodeWindows1252, encodeWindows1252 } from './encoding.js';

/**
 * Splits CSV bytes into records. A record ends at CRLF, LF or CR outside quotes, whatever the
 * first line used, so a file that mixes endings (a header saved on Windows, rows appended on
 * Linux) still gives one record per line and a CR is never left at the end of a value. Quotes
 * follow RFC 4180; a quote inside an unquoted field is kept as text (exports do that), but such a
 * record is marked as not strict.
 *
 * Each record keeps the bytes it was read from (without its line ending) when it is strict RFC
 * 4180, so an unchanged row can be written out exactly as it came, which is also the fast path.
 * Works on UTF-8 or Windows-1252 bytes (both keep ASCII as is; other encodings are turned into
 * UTF-8 before).
 */

export type RecordBytesEncoding = 'utf-8' | 'windows-1252';

export interface SplitRecord {
  values: string[];
  /** 1-based line where the record starts. */
  line: number;
  /** The record's bytes without its line ending, or null when it is not strict RFC 4180. */
  raw: Buffer | null;
}

export interface LineEndingCounts {
  crlf: number;
  lf: number;
  cr: number;
}

/** Thrown for input the splitter cannot read; the reader turns it into a message with the file. */
export class RecordSplitError extends Error {
  constructor(
    readonly code: 'CSV_QUOTE_NOT_CLOSED' | 'CSV_INVALID_CLOSING_QUOTE' | 'CSV_MAX_RECORD_SIZE',
    readonly line: number,
  ) {
    super(code);
  }
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

export class RecordSplitter {
  readonly lineEndings: LineEndingCounts = { crlf: 0, lf: 0, cr: 0 };
  private pending: Buffer | null = null;
  private line = 1;
  private readonly delimiter: Buffer;
  private readonly decode: (bytes: Buffer, start: number, end: number, high: boolean) => string;

  /**
   * `blanksAfterDelimiter`: the file writes a blank after each delimiter (`Ann, "Lee, A", x`, as
   * Python's csv reads with skipinitialspace): blanks at the start of a field after a delimiter
   * are skipped, so a quote after them opens a quoted field. Such records keep no raw bytes: they
   * are written out as RFC 4180, which strict readers split as the file meant.
   */
  constructor(
    delimiter: string,
    encoding: RecordBytesEncoding,
    private readonly maxRecordBytes: number,
    private readonly blanksAfterDelimiter = false,
  ) {
    this.delimiter = encoding === 'utf-8' ? Buffer.from(delimiter, 'utf8') : encodeWindows1252(delimiter);
    this.decode = encoding === 'utf-8' ? decodeUtf8 : decode1252;
  }

  /** The complete records of the bytes so far; `final` when no more bytes come. */
  push(chunk: Buffer, final: boolean): SplitRecord[] {
    const buffer = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    const records: SplitRecord[] = [];
    const consumed = this.split(buffer, final, records);
    if (consumed < buffer.length) {
      if (buffer.length - consumed > this.maxRecordBytes) throw new RecordSplitError('CSV_MAX_RECORD_SIZE', this.line);
      // A copy: a view would keep the whole chunk alive until the record completes.
      this.pending = Buffer.from(buffer.subarray(consumed));
    }
    return records;
  }

  /** Splits whole records off `bytes` into `out`; returns where the first incomplete one starts. */
  private split(bytes: Buffer, final: boolean, out: SplitRecord[]): number {
    const n = bytes.length;
    const delimiter = this.delimiter;
    const d0 = delimiter[0]!;
    const dlen = delimiter.length;
    const isDelimiterAt = (at: number): boolean => {
      if (bytes[at] !== d0) return false;
      if (dlen === 1) return true;
      if (at + dlen > n) return false;
      for (let k = 1; k < dlen; k++) if (bytes[at + k] !== delimiter[k]) return false;
      return true;
    };
    /** A multi-byte delimiter cut by the end of the buffer: wait for more bytes. */
    const mayBeCutDelimiter = (at: number): boolean => {
      if (dlen === 1 || final) return false;
      for (let k = 0; at + k < n; k++) if (bytes[at + k] !== delimiter[k]) return false;
      return true;
    };

    let pos = 0;
    while (pos < n) {
      const recordStart = pos;
      const values: string[] = [];
      let strict = true;
      let breaksInside = 0;
      let p = pos;
      let end = -1; // where the record's line ending starts (or n at the end of the input)
      for (;;) {
        if (p < n && bytes[p] === QUOTE) {
          let q = p + 1;
          let doubled = false;
          let close = -1;
          for (;;) {
            const at = bytes.indexOf(QUOTE, q);
            if (at < 0) {
              if (final) throw new RecordSplitError('CSV_QUOTE_NOT_CLOSED', this.line);
              return recordStart;
            }
            if (at + 1 >= n && !final) return recordStart; // is it "" or the closing quote?
            if (bytes[at + 1] === QUOTE) {
              doubled = true;
              q = at + 2;
              continue;
            }
            close = at;
            break;
          }
          let high = false;
          for (let k = p + 1; k < close; k++) {
            const c = bytes[k]!;
            if (c >= 0x80) high = true;
            else if (c === LF) breaksInside++;
            else if (c === CR && bytes[k + 1] !== LF) breaksInside++;
          }
          let value = this.decode(bytes, p + 1, close, high);
          if (doubled) value = value.replaceAll('""', '"');
          values.push(value);
          p = close + 1;
          if (p >= n) {
            end = n;
            break;
          }
          const c = bytes[p]!;
          if (c === CR || c === LF) {
            end = p;
            break;
          }
          if (isDelimiterAt(p)) {
            p = this.fieldStart(bytes, p + dlen);
            continue;
          }
          if (mayBeCutDelimiter(p)) return recordStart;
          throw new RecordSplitError('CSV_INVALID_CLOSING_QUOTE', this.line + breaksInside);
        }
        // An unquoted field: up to the delimiter or a line ending.
        let q = p;
        let high = false;
        while (q < n) {
          const c = bytes[q]!;
          if (c === d0 && isDelimiterAt(q)) break;
          if (c === CR || c === LF) break;
          if (c >= 0x80) high = true;
          else if (c === QUOTE) strict = false;
          q++;
        }
        if (q >= n && !final) return recordStart;
        if (q < n && mayBeCutDelimiter(q) && !isDelimiterAt(q)) return recordStart;
        values.push(this.decode(bytes, p, q, high));
        if (q < n && bytes[q] !== CR && bytes[q] !== LF) {
          p = this.fieldStart(bytes, q + dlen);
          continue;
        }
        end = q;
        break;
      }

      let next: number;
      if (end >= n) next = n;
      else if (bytes[end] === LF) {
        this.lineEndings.lf++;
        next = end + 1;
      } else if (end + 1 < n) {
        if (bytes[end + 1] === LF) {
          this.lineEndings.crlf++;
          next = end + 2;
        } else {
          this.lineEndings.cr++;
          next = end + 1;
        }
      } else if (final) {
        this.lineEndings.cr++;
        next = end + 1;
      } else {
        return recordStart; // a CR at the end of the chunk: CRLF or CR?
      }
      if (end - recordStart > this.maxRecordBytes) throw new RecordSplitError('CSV_MAX_RECORD_SIZE', this.line);
      out.push({ values, line: this.line, raw: strict && !this.blanksAfterDelimiter ? bytes.subarray(recordStart, end) : null });
      this.line += 1 + breaksInside;
      pos = next;
    }
    return n;
  }

  /** Where the field after a delimiter starts: past its blanks when the file puts one there. */
  private fieldStart(bytes: Buffer, at: number): number {
    if (!this.blanksAfterDelimiter) return at;
    while (at < bytes.length && bytes[at] === SPACE) at++;
    return at;
  }
}

const SPACE = 32;

function decodeUtf8(bytes: Buffer, start: number, end: number, high: boolean): string {
  if (start === end) return '';
  return high ? bytes.toString('utf8', start, end) : bytes.toString('latin1', start, end);
}

function decode1252(bytes: Buffer, start: number, end: number, high: boolean): string {
  if (start === end) return '';
  return high ? decodeWindows1252(bytes, start, end) : bytes.toString('latin1', start, end);
}
