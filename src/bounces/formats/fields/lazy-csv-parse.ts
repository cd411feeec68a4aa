/**
 * csv-parse, loaded at its first use. Most bounce inputs are logs and mail messages, which never
 * need it, and loading it costs about 25 ms at every start of the main thread and of each
 * bounce-reading worker.
 */
import { createRequire } from 'node:module';
import type { CsvError, Options } from 'csv-parse';
import type * as CsvParseSync from 'csv-parse/sync';

export type { CsvError };

const require = createRequire(import.meta.url);
let syncParser: typeof CsvParseSync | null = null;

/** csv-parse's synchronous `parse` of a whole text into rows of fields. */
export function parseCsvSync(text: string, options: Options): string[][] {
  syncParser ??= require('csv-parse/sync') as typeof CsvParseSync;
  return syncParser.parse(text, options) as string[][];
}

/** csv-parse's streaming parser (a Transform stream). */
export async function csvParseStream(options: Options): Promise<ReturnType<typeof import('csv-parse').parse>> {
  const { parse } = await import('csv-parse');
  return parse(options);
}
