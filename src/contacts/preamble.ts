/**
 * Notes before the header. Some exports put a few lines of text above the column names:
 * LinkedIn's Connections.csv starts with "Notes:", a quoted paragraph about missing addresses
 * and a blank line; report exports start with a title and a date. Such a block is a few lines
 * without an address, ended by a blank line. It is only looked for when the first line names no
 * address column, and only taken when the line after the blank does (reader.ts): the block is
 * then reported, not routed, as a footer is.
 */
import { countLineBreaks } from './decode.js';

/** A longer block before the first blank line is not a preamble. */
const MAX_PREAMBLE_LINES = 10;
/** Blank, or only delimiters: a spreadsheet saves an empty row as ",,,,". */
const BLANK = '[\\s,;|]*';
const BLANK_LINE = new RegExp(`^${BLANK}$`);
/** The blank lines at the start of a text, up to the last line break among them. */
const LEADING_BLANK_LINES = new RegExp(`^${BLANK}(?:\\r\\n|\\n|\\r)`);
/** The empty cells a spreadsheet adds after a note ("Notes:,,,,"). */
const TRAILING_DELIMITERS = /[,;\t|]+\s*$/;

export interface Preamble {
  /** Line of the header that follows (1-based). */
  headerLine: number;
  /** Records before the header, blank lines included: they are not rows. */
  lines: number;
  /** The non-blank lines as text (a quoted line unquoted), for the report. */
  text: string[];
  /** The sample from the header on. */
  rest: string;
}

/** The blank lines (or empty spreadsheet rows) at the start of `text`: how many, and their length. */
export function leadingBlankLines(text: string): { lines: number; length: number } {
  const match = LEADING_BLANK_LINES.exec(text);
  if (!match) return { lines: 0, length: 0 };
  return { lines: countLineBreaks(match[0], match[0].length), length: match[0].length };
}

/**
 * The block of lines before the header, or null when the sample does not start with a few
 * address-free lines and a blank line. Lines are logical: a quoted field may span several.
 */
export function findPreamble(text: string): Preamble | null {
  const notes: string[] = [];
  let records = 0;
  let sawBlank = false;
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    if (c === '"') {
      inQuotes = !inQuotes;
      continue;
    }
    if (i < text.length && (inQuotes || (c !== '\n' && c !== '\r'))) continue;
    const line = text.slice(start, i);
    const end = c === '\r' && text[i + 1] === '\n' ? i + 1 : i;
    if (BLANK_LINE.test(line)) {
      if (notes.length === 0 || i >= text.length) return null;
      sawBlank = true;
      records++;
    } else if (sawBlank) {
      return { headerLine: 1 + countLineBreaks(text, start), lines: records, text: notes, rest: text.slice(start) };
    } else {
      if (line.includes('@') || notes.length >= MAX_PREAMBLE_LINES) return null;
      notes.push(unquoted(line.replace(TRAILING_DELIMITERS, '').trim()));
      records++;
    }
    start = end + 1;
    i = end;
  }
  return null;
}

/** `"a ""quoted"" note"` -> `a "quoted" note`; anything else as it is. */
function unquoted(line: string): string {
  if (line.length >= 2 && line.startsWith('"') && line.endsWith('"')) return line.slice(1, -1).replaceAll('""', '"');
  return line;
}
