import { createReadStream, promises as fsp } from 'node:fs';
import { pipeline } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';
import { HygieneError, type ErrorCode } from '../errors.js';
import { findAddressColumns, looksLikeDataRow, type EmailColumnChoice } from './columns.js';
import { countLineBreaks, createDecoder, createNulCheck, createUtf8Check, decodeSample } from './decode.js';
import { otherFileKind } from './file-kind.js';
import { findOptOutColumns, type OptOutColumns } from './opt-out.js';
import { findBounceColumns, type BounceColumns } from './bounce-columns.js';
import { findPreamble, leadingBlankLines } from './preamble.js';
import { RecordSplitError, RecordSplitter, type LineEndingCounts, type RecordBytesEncoding, type SplitRecord } from './records.js';
import {
  detectDelimiter,
  detectEncoding,
  detectLineEnding,
  findBinaryOffset,
  normalizeEncodingName,
  SUPPORTED_ENCODINGS,
  type ContactEncoding,
  type Delimiter,
} from './sniff.js';
import { isStdinPath, readHead, replayHead, STDIN_NAME, type BufferedHead } from './stdin.js';

export interface ReadOptions {
  encoding?: string;
  delimiter?: string;
  /** The address column(s), by name or 1-based number; the first is the primary. */
  emailColumn?: string | readonly string[];
  relaxColumns?: boolean;
  /** false: the file has no header row; undefined: detect. */
  header?: boolean;
}

export interface ContactFileInfo {
  file: string;
  encoding: ContactEncoding;
  encodingHow: string;
  /** Bytes of byte-order mark at the start of the file, skipped when reading. */
  bomLength: number;
  /** Size of the file in bytes. */
  size: number;
  /** Rows the file probably holds (its size over the average row of the sample), for sizing. */
  estimatedRows: number;
  delimiter: Delimiter | string;
  /** The line ending most lines of the sample end with: what the outputs use. */
  lineEnding: '\r\n' | '\n' | '\r';
  hasHeader: boolean;
  /** The header row (or `column_1..n` names for a file without one). */
  header: string[];
  /** Line where the header starts (1-based): after the notes some exports put above it. */
  headerLine: number;
  /** Records before the header (blank lines included) and the text of the notes among them. */
  preamble: { lines: number; text: string[] };
  /**
   * Excel's `sep=;` first line, which tells Excel the delimiter: not a row, and written back at
   * the top of the lists so that they open in Excel as the input did. Null when absent.
   */
  separatorLine: string | null;
  /**
   * The file puts a blank after each delimiter (`Ann, "Lee, A", ann@example.com`): the blanks are
   * skipped, as Python's csv does with skipinitialspace, and the rows are written out without them.
   */
  blanksAfterDelimiter: boolean;
  emailColumn: EmailColumnChoice & { name: string };
  /** The other address columns (Outlook's `E-mail 2 Address`, ...): checked and reported, not routed on. */
  otherAddressColumns: (EmailColumnChoice & { name: string })[];
  /** Columns where the list says a contact opted out (src/contacts/opt-out.ts). */
  optOut: OptOutColumns;
  /** Columns where the list records that an address bounced (src/contacts/bounce-columns.ts). */
  bounces: BounceColumns;
  /** For a list on stdin: the bytes already read for sniffing and the rest of the stream. */
  stdin?: BufferedHead;
  /**
   * A list on stdin copied to this temporary file (`readableTwice` in
   * src/pipeline/list-marked-mailboxes.ts), for a run that must read it
   * twice: read from here instead of stdin, still named `file` in messages.
   */
  spooled?: string;
}

export interface ContactRow {
  values: string[];
  /** Line where the record starts (1-based), used as the row's number everywhere. */
  line: number;
  /**
   * The row's bytes as read (without line ending) when they are strict RFC 4180, else null: an
   * unchanged row is written out as these bytes (in `ReadStats.recordBytesEncoding`).
   */
  raw?: Buffer | null;
  /** True when blank lines come right before this row (where a report footer may start). */
  afterBlank?: boolean;
}

/** The rows the parser had ready at once (a few thousand), so the caller awaits per batch, not per row. */
export interface ContactBatch {
  rows: ContactRow[];
  /** Bytes of the file read so far (the BOM included), for progress displays. */
  bytesRead: number;
}

export interface ReadStats {
  /** Rows whose width differs from the header's. */
  raggedCount: number;
  /** The first few of their line numbers. */
  raggedLines: number[];
  blankLines: number;
  /** Line endings seen outside quotes, filled while reading. */
  lineEndings?: LineEndingCounts;
  /** The header row's bytes (strict RFC 4180 only), for writing it out unchanged. */
  headerRaw?: Buffer | null;
  /** The encoding of the rows' `raw` bytes. */
  recordBytesEncoding?: RecordBytesEncoding;
}

const SAMPLE_BYTES = 64 * 1024;
/**
 * A chunk's rows make one batch: ~800 rows of a typical export. Smaller batches die young;
 * 256 KiB ones were still alive at most minor GCs, which then copied and promoted them.
 */
const READ_CHUNK_BYTES = 64 * 1024;
/** A contact row longer than this is junk (or an unterminated quote swallowing the file). */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

export async function sniffContactFile(path: string, options: ReadOptions): Promise<ContactFileInfo> {
  const { file, sample, size, whole, stdin } = await readSample(path);
  let encoding: ContactEncoding;
  let encodingHow: string;
  let bomLength = 0;
  if (options.encoding) {
    const named = normalizeEncodingName(options.encoding);
    if (!named) {
      throw new HygieneError({
        code: 'BAD_OPTION',
        message: `--encoding ${JSON.stringify(options.encoding)} is not supported`,
        hint: `Use one of: ${SUPPORTED_ENCODINGS.join(', ')}.`,
      });
    }
    encoding = named;
    encodingHow = 'option';
    const guess = detectEncoding(sample, whole);
    if (guess.how === 'bom' && guess.encoding === named) bomLength = guess.bomLength;
  } else {
    const guess = detectEncoding(sample, whole);
    if (guess.how === 'mixed') {
      const line = 1 + countLineBreaks(sample.toString('latin1'), guess.invalidOffset ?? 0);
      throw inputError(
        'INPUT_ENCODING',
        file,
        line,
        `${file}:${line}: bytes that are not UTF-8 after UTF-8 text: the file mixes encodings`,
        'Re-save the file as UTF-8 (CSV UTF-8 in Excel), or pass --encoding windows-1252 if the whole file is in that encoding.',
      );
    }
    encoding = guess.encoding;
    encodingHow = guess.how;
    bomLength = guess.bomLength;
  }

  let text = decodeSample(sample, encoding, bomLength);
  const binaryAt = findBinaryOffset(text);
  if (binaryAt >= 0) {
    const line = 1 + countLineBreaks(text, binaryAt);
    throw inputError(
      'INPUT_BINARY',
      file,
      line,
      `${file}:${line}: binary data (NUL or control bytes), not a CSV text file`,
      'Export the list as CSV text (in Excel: Save As > CSV UTF-8). A spreadsheet (.xlsx) or archive cannot be read directly.',
    );
  }
  const otherKind = otherFileKind(text);
  if (otherKind) throw inputError('INPUT_NOT_CSV', file, 1, `${file}:1: this is ${otherKind.what}`, otherKind.hint);
  if (text.trim() === '' && whole) {
    throw inputError('INPUT_EMPTY', file, 1, `${file}: the file holds only blanks`, 'Export the contact list again.');
  }
  const estimatedRows = estimateRows(size, sample.length, countLineBreaks(text, text.length));
  if (!whole) {
    // Sniff on complete lines only.
    const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (lastBreak > 0) text = text.slice(0, lastBreak + 1);
  }

  const lineEnding = detectLineEnding(text);
  // Excel's delimiter directive: the rows start on the next line, in that delimiter.
  const directive = excelSeparatorLine(text);
  if (directive) text = directive.rest;
  // Blank lines (or a spreadsheet's empty rows, ",,,") above the header: not the header, not rows.
  const blankTop = leadingBlankLines(text);
  if (blankTop.lines > 0) text = text.slice(blankTop.length);
  const linesAbove = (directive ? 1 : 0) + blankTop.lines;
  let delimiter = options.delimiter ? unescapeDelimiter(options.delimiter) : (directive?.delimiter ?? detectDelimiter(text));
  const plainRows = parseSampleRows(text, delimiter);
  const blanksAfterDelimiter = writesBlankAfterDelimiter(plainRows);
  const sampleRows = blanksAfterDelimiter ? parseSampleRows(text, delimiter, true) : plainRows;
  const first = sampleRows[0];
  if (!first) throw inputError('INPUT_EMPTY', file, 1, `${file}: no rows`, 'Export the contact list again.');

  let layout: HeaderLayout;
  let headerLine = 1;
  let preamble: ContactFileInfo['preamble'] = { lines: 0, text: [] };
  if (options.header === false) {
    const header = first.map((_, index) => `column_${index + 1}`);
    layout = { hasHeader: false, header, columns: findAddressColumns(header, sampleRows, options.emailColumn, file), dataRows: sampleRows };
  } else {
    let firstLineLayout: HeaderLayout | Error;
    try {
      firstLineLayout = detectHeader(sampleRows, options, file);
    } catch (error) {
      firstLineLayout = error as Error;
    }
    // Only a first line that names no address column may be a note above the header.
    const notes = firstLineLayout instanceof Error || firstLineLayout.columns[0]!.by === 'content' ? findPreamble(text) : null;
    const afterNotes = notes ? headerAfterNotes(notes.rest, options, file, blanksAfterDelimiter) : null;
    if (notes && afterNotes) {
      layout = afterNotes.layout;
      if (!directive) delimiter = afterNotes.delimiter;
      headerLine = notes.headerLine;
      preamble = { lines: notes.lines, text: notes.text };
    } else if (firstLineLayout instanceof Error) {
      throw firstLineLayout;
    } else {
      layout = firstLineLayout;
    }
  }
  const { hasHeader, header, columns, dataRows } = layout;
  if (linesAbove > 0) {
    headerLine += linesAbove;
    preamble = { lines: preamble.lines + linesAbove, text: preamble.text };
  }
  return {
    file,
    encoding,
    encodingHow,
    bomLength,
    size,
    estimatedRows,
    delimiter,
    lineEnding,
    hasHeader,
    header,
    headerLine,
    preamble,
    separatorLine: directive?.line ?? null,
    blanksAfterDelimiter,
    emailColumn: namedColumn(columns[0]!, header),
    otherAddressColumns: columns.slice(1).map((choice) => namedColumn(choice, header)),
    // A file without a header has no names to say what a column means.
    optOut: hasHeader ? findOptOutColumns(header, dataRows) : { columns: [], ignored: [] },
    bounces: hasHeader ? findBounceColumns(header, dataRows) : { columns: [], ignored: [] },
    ...(stdin ? { stdin } : {}),
  };
}

/** `sep=X` alone on the first line (Excel's delimiter directive): X, the line, and the text after it. */
function excelSeparatorLine(text: string): { delimiter: string; line: string; rest: string } | null {
  const match = /^sep=([^\r\n])[ \t]*(\r\n|\n|\r)/i.exec(text);
  if (!match) return null;
  return { delimiter: match[1]!, line: `sep=${match[1]}`, rest: text.slice(match[0].length) };
}

interface HeaderLayout {
  hasHeader: boolean;
  header: string[];
  columns: EmailColumnChoice[];
  /** The sampled rows of data (after the header). */
  dataRows: readonly string[][];
}

/**
 * Whether the first of `rows` is a header, and the address columns. A first row that names no
 * address column and is itself data makes a bare list without header.
 */
function detectHeader(rows: readonly string[][], options: ReadOptions, file: string): HeaderLayout {
  const first = rows[0]!;
  const bare = (): HeaderLayout => {
    const header = first.map((_, index) => `column_${index + 1}`);
    return { hasHeader: false, header, columns: findAddressColumns(header, rows, options.emailColumn, file), dataRows: rows };
  };
  let columns: EmailColumnChoice[];
  try {
    columns = findAddressColumns(first, rows.slice(1), options.emailColumn, file);
  } catch (error) {
    if ((options.emailColumn === undefined || options.emailColumn.length === 0) && looksLikeDataRow(first)) return bare();
    throw error;
  }
  if (columns[0]!.by === 'content' && looksLikeDataRow(first)) return bare();
  return { hasHeader: true, header: first, columns, dataRows: rows.slice(1) };
}

/**
 * The header after a block of notes, when its line names an address column (or holds the one
 * --email-column names); else null, and the notes are not taken for a preamble.
 */
function headerAfterNotes(
  rest: string,
  options: ReadOptions,
  file: string,
  blanksAfterDelimiter: boolean,
): { layout: HeaderLayout; delimiter: string } | null {
  const delimiter = options.delimiter ? unescapeDelimiter(options.delimiter) : detectDelimiter(rest);
  const rows = parseSampleRows(rest, delimiter, blanksAfterDelimiter);
  if (rows.length === 0) return null;
  try {
    const columns = findAddressColumns(rows[0]!, rows.slice(1), options.emailColumn, file);
    return columns[0]!.by === 'content'
      ? null
      : { layout: { hasHeader: true, header: rows[0]!, columns, dataRows: rows.slice(1) }, delimiter };
  } catch {
    return null;
  }
}

/** The first bytes of a contact file (or of stdin, for `-`), checked to be a non-empty file. */
async function readSample(path: string): Promise<{ file: string; sample: Buffer; size: number; whole: boolean; stdin?: BufferedHead }> {
  if (isStdinPath(path)) {
    if (process.stdin.isTTY) {
      throw inputError(
        'INPUT_EMPTY',
        STDIN_NAME,
        undefined,
        `${STDIN_NAME}: "-" reads the list from standard input, but nothing is piped in`,
        'Pipe the contact list in (hygiene clean - < contacts.csv), or give its path.',
      );
    }
    const stdin = await readHead(process.stdin, SAMPLE_BYTES);
    if (stdin.head.length === 0) {
      throw inputError(
        'INPUT_EMPTY',
        STDIN_NAME,
        1,
        `${STDIN_NAME}: nothing on standard input`,
        'Pipe the contact list in (hygiene clean - < contacts.csv), or give its path.',
      );
    }
    // The size of a pipe is unknown until its end: only a head that is the whole input has one.
    return { file: STDIN_NAME, sample: stdin.head, size: stdin.ended ? stdin.head.length : 0, whole: stdin.ended, stdin };
  }
  const file = path;
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat) throw inputError('INPUT_NOT_FOUND', file, undefined, `${file}: no such file`, 'Check the path of the contact list.');
  if (!stat.isFile()) throw inputError('INPUT_NOT_FILE', file, undefined, `${file}: not a regular file`, 'Give the path of a CSV file.');
  if (stat.size === 0)
    throw inputError(
      'INPUT_EMPTY',
      file,
      1,
      `${file}: the file is empty`,
      'Export the contact list again; it should have a header row and one row per contact.',
    );

  const handle = await fsp.open(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.min(SAMPLE_BYTES, stat.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return { file, sample: buffer.subarray(0, bytesRead), size: stat.size, whole: bytesRead >= stat.size };
  } finally {
    await handle.close();
  }
}

function namedColumn(choice: EmailColumnChoice, header: readonly string[]): EmailColumnChoice & { name: string } {
  return { ...choice, name: header[choice.index] ?? `column_${choice.index + 1}` };
}

function unescapeDelimiter(text: string): string {
  if (text === '\\t' || text.toLowerCase() === 'tab') return '\t';
  return text;
}

/** The file's size over the bytes per line of the sample: close enough to size a table up front. */
function estimateRows(fileSize: number, sampleBytes: number, sampleLines: number): number {
  if (sampleBytes === 0) return 0;
  return Math.ceil((fileSize * Math.max(sampleLines, 1)) / sampleBytes);
}

/** Share of a sample's non-empty data fields after the first that must start with a blank. */
const BLANK_AFTER_DELIMITER_SHARE = 0.9;

/**
 * Whether a file writes a blank after each delimiter (`Name, Email`, `Ann, ann@example.com`):
 * every header field after the first starts with one, and nearly every data field after the first
 * (a hand-made list, some scripts). Read as plain CSV, each such address would be a value with a
 * blank before it, and a quoted field after the blank would not be quoted at all.
 */
function writesBlankAfterDelimiter(rows: readonly string[][]): boolean {
  const header = rows[0];
  if (!header || header.length < 2) return false;
  if (!header.slice(1).every((name) => name.startsWith(' ') && name.trim() !== '')) return false;
  let fields = 0;
  let blank = 0;
  for (const row of rows.slice(1)) {
    for (const value of row.slice(1)) {
      if (value === '') continue;
      fields++;
      if (value.startsWith(' ')) blank++;
    }
  }
  return fields === 0 || blank >= fields * BLANK_AFTER_DELIMITER_SHARE;
}

/** The first rows of the sample; a sample cut inside a quoted field gives fewer rows, not an error. */
function parseSampleRows(text: string, delimiter: string, blanksAfterDelimiter = false): string[][] {
  // Split as the reader will (any line ending ends a record). A sample cut inside a quoted field
  // is read again leaving that record out (final = false keeps it pending).
  for (const final of [true, false]) {
    try {
      const splitter = new RecordSplitter(delimiter, 'utf-8', MAX_RECORD_BYTES, blanksAfterDelimiter);
      const records = splitter.push(Buffer.from(text, 'utf8'), final);
      const rows = records.map((record) => record.values).filter((values) => !(values.length === 1 && values[0] === ''));
      if (rows.length > 0) return rows.slice(0, 200);
    } catch {
      // a malformed quote in the sample: try again, then read it leniently below
    }
  }
  const options = {
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    ltrim: blanksAfterDelimiter,
    to: 200,
  } as const;
  try {
    return parseSync(text, options) as string[][];
  } catch {
    const lines = text.split(/\r\n|\n|\r/).slice(0, 200);
    for (let keep = lines.length - 1; keep > 0; keep--) {
      try {
        return parseSync(lines.slice(0, keep).join('\n'), options) as string[][];
      } catch {
        // try fewer lines
      }
    }
    return [];
  }
}

/**
 * Streams the rows of a contact file (after the header), with the line where each starts. Blank
 * lines are skipped. Rows whose width differs from the header are collected in `ragged`; the
 * caller decides (they are an error unless --relax-columns).
 */
export async function* readContactRows(info: ContactFileInfo, options: ReadOptions, stats: ReadStats): AsyncGenerator<ContactRow> {
  for await (const batch of readContactBatches(info, options, stats)) yield* batch.rows;
}

/**
 * `readContactRows` in batches: the rows of one chunk of the file. A million rows awaited one
 * by one spend about half the run in promise plumbing; per batch it disappears.
 */
export async function* readContactBatches(info: ContactFileInfo, _options: ReadOptions, stats: ReadStats): AsyncGenerator<ContactBatch> {
  // UTF-8 and Windows-1252 are split as the bytes of the file (checked for NULs and, for UTF-8,
  // validity on the way); UTF-16 is turned into UTF-8 first.
  const bytesEncoding: RecordBytesEncoding = info.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8';
  const splitter = new RecordSplitter(String(info.delimiter), bytesEncoding, MAX_RECORD_BYTES, info.blanksAfterDelimiter);
  stats.lineEndings = splitter.lineEndings;
  stats.recordBytesEncoding = bytesEncoding;
  // UTF-16's decoder skips the BOM itself; the byte readers start after it.
  const start = info.encoding === 'utf-16le' || info.encoding === 'utf-16be' ? 0 : info.bomLength;
  // A spooled list has no stdin any more: it is read from its copy.
  const source = info.stdin
    ? replayHead(info.stdin, start)
    : createReadStream(info.spooled ?? info.file, { highWaterMark: READ_CHUNK_BYTES, start });
  const transform =
    info.encoding === 'utf-8'
      ? createUtf8Check(info.file, info.bomLength)
      : info.encoding === 'windows-1252'
        ? createNulCheck(info.file)
        : createDecoder(info.encoding, info.file, info.bomLength);
  const chunks = pipeline(source, transform, () => {
    // errors surface through the iteration below
  }) as AsyncIterable<Buffer | string>;

  const width = info.header.length;
  const headerLine = info.headerLine;
  let first = true;
  let afterBlank = false;
  let line = 1;
  const take = (records: SplitRecord[]): ContactRow[] => {
    const rows: ContactRow[] = [];
    for (const record of records) {
      line = record.line;
      // The notes above the header (reported from the sniff) are not rows.
      if (record.line < headerLine) continue;
      if (first) {
        first = false;
        if (info.hasHeader) {
          stats.headerRaw = record.raw;
          continue;
        }
      }
      const values = record.values;
      if (values.length === 1 && values[0] === '') {
        stats.blankLines++;
        afterBlank = true;
        continue;
      }
      if (values.length !== width) {
        stats.raggedCount++;
        if (stats.raggedLines.length < 20) stats.raggedLines.push(record.line);
      }
      rows.push(afterBlank ? { ...record, afterBlank } : record);
      afterBlank = false;
    }
    return rows;
  };
  try {
    for await (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      const rows = take(splitter.push(bytes, false));
      if (rows.length > 0) yield { rows, bytesRead: start + source.bytesRead };
    }
    const rows = take(splitter.push(Buffer.alloc(0), true));
    if (rows.length > 0) yield { rows, bytesRead: info.size };
  } catch (error) {
    throw translateParseError(error, info.file, line);
  } finally {
    source.destroy();
  }
}

function translateParseError(error: unknown, file: string, recordStartLine: number): unknown {
  if (error instanceof HygieneError) return error;
  const code = (error as { code?: string }).code;
  if (error instanceof RecordSplitError) recordStartLine = error.line;
  if (code === 'CSV_INVALID_CLOSING_QUOTE') {
    return inputError(
      'CSV_INVALID',
      file,
      recordStartLine,
      `${file}:${recordStartLine}: text after the closing quote of a quoted field`,
      'A field that contains a quote must be quoted whole, with the quote doubled: "say ""hi""". Check --delimiter too.',
    );
  }
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return inputError(
      'CSV_UNTERMINATED_QUOTE',
      file,
      recordStartLine,
      `${file}:${recordStartLine}: a quoted field opened in the row starting here is never closed`,
      'Close the quote (a field that contains a quote must double it: "say ""hi""") or remove the stray quote.',
    );
  }
  if (code === 'CSV_MAX_RECORD_SIZE') {
    return inputError(
      'CSV_RECORD_TOO_LONG',
      file,
      recordStartLine,
      `${file}:${recordStartLine}: a row longer than ${MAX_RECORD_BYTES / 1024 / 1024} MB starts here: an unterminated quote, or not a contact list`,
      'Check the quotes in that row, or that the file is the contact export you meant.',
    );
  }
  if (code && code.startsWith('CSV_')) {
    const line = (error as { lines?: number }).lines ?? recordStartLine;
    return inputError(
      'CSV_INVALID',
      file,
      line,
      `${file}:${line}: not valid CSV (${(error as Error).message})`,
      'Fix the row, or check --delimiter.',
    );
  }
  return error;
}

export function raggedRowsError(file: string, stats: ReadStats, width: number, delimiter?: string): HygieneError {
  const first = stats.raggedLines[0] ?? 1;
  const endings = stats.lineEndings;
  const kinds = endings ? [endings.crlf, endings.lf, endings.cr].filter((n) => n > 0).length : 0;
  let cause: string;
  if (endings && kinds > 1) {
    const seen = [`${endings.crlf} CRLF`, `${endings.lf} LF`, `${endings.cr} CR`].filter((text) => !text.startsWith('0 ')).join(', ');
    cause = `The file mixes line endings (${seen}): lines were probably joined from files of different systems, or a value holds an unquoted line break.`;
  } else if (width === 1) {
    cause = `The header has one field: the delimiter may be wrong (read with ${JSON.stringify(delimiter ?? ',')}).`;
  } else {
    cause = `Likely causes: a wrong delimiter (read with ${JSON.stringify(delimiter ?? ',')}), a value with an unquoted delimiter, or a line break inside an unquoted value.`;
  }
  return inputError(
    'CSV_RAGGED_ROWS',
    file,
    first,
    `${file}:${first}: ${stats.raggedCount} row(s) do not have ${width} fields like the header (lines ${stats.raggedLines.join(', ')}${
      stats.raggedCount > stats.raggedLines.length ? ', ...' : ''
    }). ${cause}`,
    'Fix those rows, check --delimiter, or pass --relax-columns to accept them as they are.',
  );
}

function inputError(code: ErrorCode, file: string, line: number | undefined, message: string, hint: string): HygieneError {
  return new HygieneError({ code, file, ...(line === undefined ? {} : { line }), message, hint, exitCode: 2 });
}
