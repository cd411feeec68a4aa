/**
 * Reads ESP JSON input as a stream of elements with their line numbers, whatever the shape:
 * JSONL (one value a line), one JSON document (an array, an object holding the array in a field
 * such as `items` / `Bounces` / `results`, or a single object), pretty-printed or not.
 */
import type { NumberedLine, ParseContext, ParseItem } from '../../types.js';

/** Fields of a wrapper object that hold the events (Mailgun, Postmark, SparkPost, others). */
export const RECORD_ARRAY_KEYS: readonly string[] = [
  'items',
  'Bounces',
  'results',
  'events',
  'records',
  'data',
  'bounces',
  // Amazon SES's account suppression list (`aws sesv2 list-suppressed-destinations`).
  'SuppressedDestinationSummaries',
];

export type JsonItem =
  | {
      kind: 'value';
      value: unknown;
      /** The line where the element starts. */
      line: number;
      /** `file:line`, or `file#n` (n-th element, 1-based) when several elements share a line. */
      source: string;
    }
  | { kind: 'malformed'; line: number; message: string };

export interface PeekedLines {
  /** The first line that is not blank, or null for an empty input. */
  first: NumberedLine | null;
  /** All the lines again, the peeked ones included. */
  lines: AsyncIterable<NumberedLine>;
}

const MAX_ERROR_TEXT = 200;

/** Reads up to the first non-blank line, and gives back an iterable that still has every line. */
export async function peekFirstContentLine(lines: AsyncIterable<NumberedLine>): Promise<PeekedLines> {
  const iterator = lines[Symbol.asyncIterator]();
  const seen: NumberedLine[] = [];
  let first: NumberedLine | null = null;
  while (first === null) {
    const next = await iterator.next();
    if (next.done) break;
    seen.push(next.value);
    if (stripBom(next.value.text).trim() !== '') first = next.value;
  }
  async function* replay(): AsyncIterable<NumberedLine> {
    yield* seen;
    if (first === null) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { first, lines: replay() };
}

type LinesReader = (lines: AsyncIterable<NumberedLine>) => AsyncIterable<ParseItem>;

/**
 * Reads an export that an ESP gives either as JSON (a document, or one object a line) or as CSV,
 * by its first line that is not blank: `startsJson` says which that line starts (JSON when it
 * opens an object or array, by default).
 */
export async function* readJsonOrCsv(
  lines: AsyncIterable<NumberedLine>,
  readers: { json: LinesReader; csv: LinesReader; startsJson?: (firstLine: string) => boolean },
): AsyncIterable<ParseItem> {
  const peeked = await peekFirstContentLine(lines);
  if (peeked.first === null) return;
  const startsJson = readers.startsJson ?? startsLikeJson;
  yield* startsJson(peeked.first.text) ? readers.json(peeked.lines) : readers.csv(peeked.lines);
}

/** True when the text's first non-blank character opens a JSON object or array. */
export function startsLikeJson(text: string): boolean {
  const start = stripBom(text).trimStart();
  return start.startsWith('{') || start.startsWith('[');
}

/**
 * Whether `sample` may hold a JSON key at all: a `"` followed by white space and a colon (what
 * the ESP detectors' key patterns all need, `/"\s*:/`). The detectors ask first: their own
 * patterns (several alternations each) then run only on samples that may match them. Any
 * character beyond ASCII counts as white space here, which only makes the answer "maybe" more often.
 */
export function mayHoldJsonKey(sample: string): boolean {
  for (let quote = sample.indexOf('"'); quote >= 0; quote = sample.indexOf('"', quote + 1)) {
    let next = quote + 1;
    let code = sample.charCodeAt(next);
    // (NaN past the end stops the loop and is no colon.)
    while (code <= 32 || code >= 0x80) code = sample.charCodeAt(++next);
    if (code === 58) return true;
  }
  return false;
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Yields every element of the input. JSONL is read line by line (never held whole); a document
 * that spans lines is buffered, parsed once and located with a single scan. Bad JSON becomes a
 * `malformed` item and reading continues.
 */
export async function* readJsonRecords(
  lines: AsyncIterable<NumberedLine>,
  file: string,
  arrayKeys: readonly string[] = RECORD_ARRAY_KEYS,
): AsyncIterable<JsonItem> {
  const peeked = await peekFirstContentLine(lines);
  if (peeked.first === null) return;
  const counter = { elements: 0 };
  if (tryParse(stripBom(peeked.first.text)).ok) {
    for await (const line of peeked.lines) yield* jsonLine(line, file, arrayKeys, counter);
    return;
  }
  const buffered: NumberedLine[] = [];
  for await (const line of peeked.lines) buffered.push(line);
  yield* jsonDocument(buffered, file, arrayKeys, counter);
}

/**
 * Runs `toItems` over every element and passes malformed input through: the loop every JSON
 * format parser shares.
 */
export async function* mapJsonRecords(
  lines: AsyncIterable<NumberedLine>,
  context: ParseContext,
  toItems: (value: unknown, line: number, source: string) => Iterable<ParseItem>,
): AsyncIterable<ParseItem> {
  for await (const item of readJsonRecords(lines, context.file)) {
    if (item.kind === 'malformed') yield item;
    else yield* toItems(item.value, item.line, item.source);
  }
}

interface ElementCounter {
  elements: number;
}

type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

function tryParse(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_ERROR_TEXT ? `${message.slice(0, MAX_ERROR_TEXT)}...` : message;
}

function* jsonLine(line: NumberedLine, file: string, arrayKeys: readonly string[], counter: ElementCounter): Iterable<JsonItem> {
  const text = stripBom(line.text).trim();
  if (text === '') return;
  const parsed = tryParse(text);
  if (!parsed.ok) {
    yield { kind: 'malformed', line: line.line, message: `invalid JSON: ${parsed.error}` };
    return;
  }
  const elements = recordElements(parsed.value, arrayKeys)?.elements ?? [parsed.value];
  for (const value of elements) {
    counter.elements++;
    const source = elements.length === 1 ? `${file}:${line.line}` : `${file}#${counter.elements}`;
    yield { kind: 'value', value, line: line.line, source };
  }
}

function* jsonDocument(buffered: NumberedLine[], file: string, arrayKeys: readonly string[], counter: ElementCounter): Iterable<JsonItem> {
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of buffered) {
    lineStarts.push(offset);
    offset += line.text.length + 1;
  }
  const text = stripBom(buffered.map((line) => line.text).join('\n'));
  const bomShift = text.length < offset - 1 ? 1 : 0;
  const lineAt = (position: number): number =>
    buffered[lastIndexAtOrBelow(lineStarts, position + bomShift)]?.line ?? buffered[0]?.line ?? 1;

  const parsed = tryParse(text);
  if (!parsed.ok) {
    yield* unparsableDocument(buffered, parsed.error, lineAt, file, arrayKeys, counter);
    return;
  }
  const starts = elementStarts(text);
  const found = recordElements(parsed.value, arrayKeys);
  const elements = found?.elements ?? [parsed.value];
  const offsets = found === null ? [firstNonSpace(text)] : found.key === null ? starts.root : (starts.byKey.get(found.key) ?? []);
  const elementLines = elements.map((_, index) => lineAt(offsets[index] ?? 0));
  const perLine = new Map<number, number>();
  for (const line of elementLines) perLine.set(line, (perLine.get(line) ?? 0) + 1);
  for (let index = 0; index < elements.length; index++) {
    counter.elements++;
    const line = elementLines[index] ?? 1;
    const source = perLine.get(line) === 1 ? `${file}:${line}` : `${file}#${counter.elements}`;
    yield { kind: 'value', value: elements[index], line, source };
  }
}

/**
 * A document that does not parse: when some lines are JSON values on their own, the input is
 * JSONL with bad lines (each reported); otherwise one report at the line of the error.
 */
function* unparsableDocument(
  buffered: NumberedLine[],
  error: string,
  lineAt: (position: number) => number,
  file: string,
  arrayKeys: readonly string[],
  counter: ElementCounter,
): Iterable<JsonItem> {
  const someLineIsJson = buffered.some((line) => {
    const text = line.text.trim();
    return startsLikeJson(text) && tryParse(stripBom(text)).ok;
  });
  if (someLineIsJson) {
    for (const line of buffered) yield* jsonLine(line, file, arrayKeys, counter);
    return;
  }
  const position = /position (\d{1,12})/.exec(error);
  const line = position ? lineAt(Number(position[1])) : (buffered[0]?.line ?? 1);
  yield { kind: 'malformed', line, message: `invalid JSON document: ${error}` };
}

/** The events of a value: the array itself, or the array in a wrapper field; null otherwise. */
function recordElements(value: unknown, arrayKeys: readonly string[]): { elements: unknown[]; key: string | null } | null {
  if (Array.isArray(value)) return { elements: value, key: null };
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  for (const key of arrayKeys) {
    const field = record[key];
    if (Array.isArray(field) && Object.hasOwn(record, key)) return { elements: field, key };
  }
  return null;
}

interface ElementStarts {
  /** Offsets of the elements of the root array. */
  root: number[];
  /** Offsets of the elements of arrays that are values of the root object's fields. */
  byKey: Map<string, number[]>;
}

/** One linear scan of a valid JSON text, noting where the elements of the top arrays start. */
function elementStarts(text: string): ElementStarts {
  const result: ElementStarts = { root: [], byKey: new Map() };
  interface Frame {
    isArray: boolean;
    /** Where to note element offsets, for the arrays we care about. */
    starts: number[] | null;
    awaitingElement: boolean;
    awaitingKey: boolean;
  }
  const stack: Frame[] = [];
  let rootKey: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09) continue;
    const top = stack[stack.length - 1];
    if (top?.isArray && top.awaitingElement && ch !== 0x5d) {
      top.starts?.push(i);
      top.awaitingElement = false;
    }
    switch (ch) {
      case 0x22: {
        const end = stringEnd(text, i);
        if (stack.length === 1 && top && !top.isArray && top.awaitingKey) {
          rootKey = readKey(text.slice(i, end + 1));
          top.awaitingKey = false;
        }
        i = end;
        break;
      }
      case 0x7b:
        stack.push({ isArray: false, starts: null, awaitingElement: false, awaitingKey: true });
        break;
      case 0x5b: {
        let starts: number[] | null = null;
        if (stack.length === 0) starts = result.root;
        else if (stack.length === 1 && top && !top.isArray && rootKey !== null) {
          starts = [];
          if (!result.byKey.has(rootKey)) result.byKey.set(rootKey, starts);
        }
        stack.push({ isArray: true, starts, awaitingElement: true, awaitingKey: false });
        break;
      }
      case 0x5d:
      case 0x7d:
        stack.pop();
        break;
      case 0x2c:
        if (top?.isArray) top.awaitingElement = true;
        else if (top) top.awaitingKey = true;
        break;
      default:
        break;
    }
  }
  return result;
}

/** Index of the closing quote of the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 0x5c) i++;
    else if (ch === 0x22) return i;
  }
  return text.length - 1;
}

function readKey(quoted: string): string | null {
  const parsed = tryParse(quoted);
  return parsed.ok && typeof parsed.value === 'string' ? parsed.value : null;
}

function firstNonSpace(text: string): number {
  const match = /\S/.exec(text);
  return match ? match.index : 0;
}

/** Binary search: the last index whose value is <= target (0 when none is). */
function lastIndexAtOrBelow(sorted: number[], target: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = 0;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((sorted[middle] ?? 0) <= target) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
