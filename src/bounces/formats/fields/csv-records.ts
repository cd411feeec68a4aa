/**
 * Reads a CSV export with a header row (`,` `;` or tab delimited, quoted fields may hold
 * newlines) as rows keyed by header name, each with the line where the row starts.
 */
import { Readable } from 'node:stream';
import { csvParseStream, parseCsvSync, type CsvError } from './lazy-csv-parse.js';
import type { NumberedLine } from '../../types.js';
import { peekFirstContentLine, startsLikeJson, stripBom } from './json-records.js';

export type CsvItem =
  /** `extraFields`: values past the header's width that hold something (an unquoted delimiter split a field). */
  | { kind: 'row'; line: number; fields: Record<string, string>; extraFields?: number }
  | { kind: 'malformed'; line: number; message: string };

export interface CsvHeader {
  delimiter: string;
  /** Header names, trimmed, in file order. */
  columns: string[];
}

const DELIMITERS = [',', ';', '\t'] as const;
/** A header line longer than this is not a header (and is not worth sniffing). */
const MAX_HEADER_LINE = 8192;

/**
 * Reads the header of a CSV sample: the first non-blank line, its delimiter (the most frequent of
 * `,` `;` tab outside quotes) and column names. Null when the sample is not a CSV with at least
 * two columns (JSON, a log line without delimiters, an empty sample).
 */
export function sniffCsvHeader(sample: string): CsvHeader | null {
  const firstLine = firstNonBlankLine(sample);
  if (firstLine === null || firstLine.length > MAX_HEADER_LINE || startsLikeJson(firstLine)) {
    return null;
  }
  const delimiter = sniffDelimiter(firstLine);
  if (delimiter === null) return null;
  const columns = splitHeader(firstLine, delimiter);
  return columns !== null && columns.length >= 2 ? { delimiter, columns } : null;
}

/**
 * Yields one `row` per CSV record after the header. Header names are trimmed; a repeated name
 * keeps its first column. A quote left open at the end of the input is reported as `malformed`
 * at the line where that record starts; the reader never throws on bad input.
 */
export async function* readCsvRecords(lines: AsyncIterable<NumberedLine>): AsyncIterable<CsvItem> {
  const peeked = await peekFirstContentLine(lines);
  if (peeked.first === null) return;
  const delimiter = sniffDelimiter(stripBom(peeked.first.text)) ?? ',';
  const firstLine = peeked.first.line;
  const pending: CsvItem[] = [];
  const startLine = (endLine: number, raw: string | undefined): number => firstLine + endLine - 1 - embeddedLineBreaks(raw ?? '');

  const parser = Readable.from(fromFirstLine(peeked.lines, firstLine)).pipe(
    await csvParseStream({
      delimiter,
      bom: true,
      info: true,
      raw: true,
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (error: CsvError | undefined, raw: string | undefined) => {
        pending.push({
          kind: 'malformed',
          line: startLine(typeof error?.lines === 'number' ? error.lines : 1, raw),
          message: `unreadable CSV record: ${error?.message ?? 'unknown error'}`,
        });
        return undefined;
      },
    }),
  );

  let header: string[] | null = null;
  try {
    for await (const chunk of parser as AsyncIterable<ParsedChunk>) {
      const line = startLine(chunk.info.lines, chunk.raw);
      // The parser runs ahead of us: report only the bad records that came before this one.
      yield* takeBefore(pending, line);
      if (header === null) {
        header = chunk.record.map((name) => name.trim());
        continue;
      }
      const fields = rowFields(header, chunk.record);
      if (fields === null) continue;
      const extraFields = extraValues(header.length, chunk.record);
      yield extraFields > 0 ? { kind: 'row', line, fields, extraFields } : { kind: 'row', line, fields };
    }
  } catch (error) {
    yield* pending.splice(0);
    const message = error instanceof Error ? error.message : String(error);
    const line = (error as { lines?: number }).lines ?? firstLine;
    yield { kind: 'malformed', line: firstLine + line - 1, message: `unreadable CSV: ${message}` };
    return;
  }
  yield* pending.splice(0);
}

/** Whether a sniffed header has every one of `columns` (folded names, as `foldColumnName` gives them). */
export function headerHasColumns(header: CsvHeader | null, columns: readonly string[]): boolean {
  if (header === null) return false;
  const names = new Set(header.columns.map(foldColumnName));
  return columns.every((name) => names.has(name));
}

/** Folds a column name for matching: case-, space-, `_`-, `-`- and `.`-insensitive. */
export function foldColumnName(name: string): string {
  return name
    .slice(0, 64)
    .toLowerCase()
    .replace(/[\s_.-]+/g, '');
}

function takeBefore(pending: CsvItem[], line: number): CsvItem[] {
  const before = pending.filter((item) => item.line < line);
  if (before.length > 0) pending.splice(0, pending.length, ...pending.filter((item) => item.line >= line));
  return before;
}

/**
 * Reads fields by folded column name (`Email Address` -> `emailaddress`); the first column with a
 * given folded name wins. Build it once per file from the first row's names.
 */
export function columnLookup(names: readonly string[]): (fields: Record<string, string>, folded: string) => string | undefined {
  const columns = new Map<string, string>();
  for (const name of names) {
    const folded = foldColumnName(name);
    if (!columns.has(folded)) columns.set(folded, name);
  }
  return (fields, folded) => {
    const column = columns.get(folded);
    return column === undefined ? undefined : fields[column];
  };
}

interface ParsedChunk {
  record: string[];
  info: { lines: number };
  raw: string;
}

async function* fromFirstLine(lines: AsyncIterable<NumberedLine>, firstLine: number): AsyncIterable<string> {
  for await (const line of lines) {
    if (line.line >= firstLine) yield `${line.text}\n`;
  }
}

function rowFields(header: string[], record: string[]): Record<string, string> | null {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  let empty = true;
  for (let i = 0; i < header.length; i++) {
    const name = header[i] ?? '';
    if (name in fields) continue;
    const value = record[i] ?? '';
    if (value.trim() !== '') empty = false;
    fields[name] = value;
  }
  return empty ? null : fields;
}

/** Values past the header's width that hold something (blank ones are a trailing delimiter). */
function extraValues(width: number, record: readonly string[]): number {
  let extra = 0;
  for (let i = width; i < record.length; i++) if ((record[i] ?? '').trim() !== '') extra++;
  return extra;
}

/**
 * Line breaks inside a record's raw text: csv-parse reports the line where a record ends, and
 * its raw text may start with the blank lines it skipped and ends with the record's own newline.
 */
function embeddedLineBreaks(raw: string): number {
  let start = 0;
  while (raw.charCodeAt(start) === 10 || raw.charCodeAt(start) === 13) start++;
  let end = raw.length;
  if (raw.charCodeAt(end - 1) === 10) end--;
  let count = 0;
  for (let i = start; i < end; i++) if (raw.charCodeAt(i) === 10) count++;
  return count;
}

function firstNonBlankLine(sample: string): string | null {
  let start = 0;
  while (start < sample.length) {
    let end = sample.indexOf('\n', start);
    if (end === -1) end = sample.length;
    const line = stripBom(sample.slice(start, Math.min(end, start + MAX_HEADER_LINE + 1))).replace(/\r$/, '');
    if (line.trim() !== '') return line;
    start = end + 1;
  }
  return null;
}

/** The delimiter that occurs most often outside double quotes, or null when none occurs. */
function sniffDelimiter(line: string): string | null {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of line.slice(0, MAX_HEADER_LINE)) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (DELIMITERS as readonly string[]).includes(ch)) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const delimiter of DELIMITERS) {
    const count = counts.get(delimiter) ?? 0;
    if (count > bestCount) {
      best = delimiter;
      bestCount = count;
    }
  }
  return best;
}

function splitHeader(line: string, delimiter: string): string[] | null {
  // Without quotes or a CR (which csv-parse takes for a record end), its fields are the pieces
  // between delimiters: the same names without a parser (detection sniffs every input thrice).
  if (!line.includes('"') && !line.includes('\r')) return line.split(delimiter).map((name) => name.trim());
  try {
    const rows = parseCsvSync(line, { delimiter, relax_quotes: true, relax_column_count: true });
    return rows[0]?.map((name) => name.trim()) ?? null;
  } catch {
    return null;
  }
}
