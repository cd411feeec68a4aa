import { numberLines } from './number-lines.js';
import { detectFormat } from '../src/bounces/formats/index.js';
import type { BounceRecord, FormatParser, ParseContext, ParseItem, ParsedRecord } from '../src/bounces/types.js';
import { classifyParsed } from '../src/pipeline/read-bounces.js';

/** Runs a parser over in-memory text and returns every item it yields. */
export async function parseText(parser: FormatParser, text: string, context: Partial<ParseContext> = {}): Promise<ParseItem[]> {
  const items: ParseItem[] = [];
  for await (const item of parser.parse(numberLines(text), { file: 'input', ...context })) {
    items.push(item);
  }
  return items;
}

/** Only the records of `parseText`. */
export async function parseRecords(parser: FormatParser, text: string, context: Partial<ParseContext> = {}): Promise<ParsedRecord[]> {
  const items = await parseText(parser, text, context);
  return items.flatMap((item) => (item.kind === 'record' ? [item.record] : []));
}

/**
 * The classified records of a bounce file's text, its format detected as `classify` detects it
 * (none when no format matches): what the corpus tests hold to their labels.
 */
export async function classifiedRecords(text: string, file: string): Promise<BounceRecord[]> {
  const { format } = detectFormat(text.slice(0, 65536), file);
  if (format === null) return [];
  const records: BounceRecord[] = [];
  for await (const item of format.parse(numberLines(text), { file })) {
    if (item.kind === 'record') records.push(classifyParsed(item.record, format.name));
  }
  return records;
}

/**
 * The lines a parser skipped, in order: a log parser gives a run of them as one item (`count`
 * lines since its previous item, the last at `line`).
 */
export function skippedLines(items: readonly ParseItem[]): number[] {
  return items.flatMap((item) => {
    if (item.kind !== 'skipped') return [];
    const count = item.count ?? 1;
    return Array.from({ length: count }, (_, i) => item.line - count + 1 + i);
  });
}

/**
 * Numbers in [0, 1), the same sequence for the same seed: a property test over many random texts
 * that fails, fails the same way on every run.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

/** A text of `least` to `least + spread - 1` pieces drawn with `random`. */
export function randomText(random: () => number, pieces: readonly string[], least: number, spread: number): string {
  let text = '';
  const count = least + Math.floor(random() * spread);
  for (let i = 0; i < count; i++) text += pieces[Math.floor(random() * pieces.length)]!;
  return text;
}
