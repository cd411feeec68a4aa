/**
 * Classify's CSV output: the JSONL fields as columns, in the same order. Its own module so that
 * the CSV writer is loaded only when CSV is asked for.
 */
import { stringify } from 'csv-stringify/sync';
import type { BounceRecord } from '../bounces/types.js';
import { escapeFormula } from '../contacts/escape.js';
import { BOUNCE_FIELDS } from './bounce-output.js';

export function csvHeader(): string {
  return stringify([BOUNCE_FIELDS as unknown as string[]]);
}

/** A CSV row; remote text is escaped against formula injection. */
export function toCsvRow(record: BounceRecord): string {
  return stringify([BOUNCE_FIELDS.map((field) => escapeFormula(String(record[field] ?? '')))]);
}
