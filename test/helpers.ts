import { numberLines } from './number-lines.js';
import type { FormatParser, ParseContext, ParseItem, ParsedRecord } from '../src/bounces/types.js';

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
