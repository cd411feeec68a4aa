import { HygieneError } from '../errors.js';

/** Durations of the policy ("24h", "30d", "90m", "1w"; a bare number means hours). */

const UNIT_MS: ReadonlyMap<string, number> = new Map([
  ['m', 60_000],
  ['min', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
  ['w', 7 * 86_400_000],
]);

// Bounded digit runs and one optional unit: linear on any input.
const DURATION = /^(\d{1,9}(?:\.\d{1,6})?)\s{0,3}([a-z]{0,3})$/i;

/**
 * Parses a duration into milliseconds. Accepts "36h", "2d", "90m", "1w" (also "1.5d") and a
 * bare number or numeric string, which counts hours (the unit people think of for retries).
 * Throws a HygieneError (code DURATION_INVALID) otherwise; callers that know the setting's name
 * rewrap it.
 */
export function parseDuration(text: string | number): number {
  if (typeof text === 'number') {
    if (Number.isFinite(text) && text >= 0) return Math.round(text * UNIT_MS.get('h')!);
    throw invalidDuration(String(text));
  }
  const match = DURATION.exec(text.trim());
  if (match === null) throw invalidDuration(text);
  const amount = Number(match[1]);
  const unit = match[2]!.toLowerCase() || 'h';
  const unitMs = UNIT_MS.get(unit);
  if (unitMs === undefined) throw invalidDuration(text);
  return Math.round(amount * unitMs);
}

/** The shortest exact spelling of a duration ("24h", "30d", "90m"), for details and printing. */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [
    ['w', UNIT_MS.get('w')!],
    ['d', UNIT_MS.get('d')!],
    ['h', UNIT_MS.get('h')!],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  return `${ms / 3_600_000}h`;
}

function invalidDuration(text: string): HygieneError {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return new HygieneError({
    code: 'DURATION_INVALID',
    message: `not a duration: ${JSON.stringify(shown)}`,
    hint: 'Write a number and a unit: "90m", "36h", "2d", "1w" (a bare number means hours).',
  });
}
