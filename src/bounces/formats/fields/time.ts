/** Timestamps as ESP exports write them (epoch seconds or ms, ISO 8601, SQL-style) -> ISO UTC. */
import { numericDateToIso, type DayOrder } from '../../../text/numeric-date.js';

export { dayOrderOf, type DayOrder } from '../../../text/numeric-date.js';

/** Below this an epoch number is seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const EPOCH_MS_THRESHOLD = 1e11;
const MAX_TIME_TEXT = 64;

const EPOCH_TEXT = /^-?\d{1,16}(?:\.\d{1,9})?$/;
/** A date and time without a zone: exports that write these mean UTC, but Date would read local. */
const NAIVE_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)$/;

/**
 * Converts an epoch number (seconds or milliseconds, integer or float), a numeric string, or a
 * date string to ISO 8601 UTC (`toISOString()`). Returns null for anything that is not a time.
 * A numeric date (`03/04/2026`) is read by its own numbers when one is above 12, else in `order`
 * (the order the rest of its file shows, `dayOrderOf`); without one, month first after `/` (the US
 * use) and day first after `.` or `-` (the European one). A time without a zone is UTC.
 */
export function toIsoUtc(value: unknown, order?: DayOrder): string | null {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || text.length > MAX_TIME_TEXT) return null;
  if (EPOCH_TEXT.test(text)) return fromEpoch(Number(text));
  const numeric = numericDateToIso(text, order);
  if (numeric !== undefined) return numeric;
  const naive = NAIVE_DATE_TIME.exec(text);
  return fromDate(new Date(naive ? `${naive[1]}T${naive[2]}Z` : text));
}

function fromEpoch(epoch: number): string | null {
  if (!Number.isFinite(epoch)) return null;
  return fromDate(new Date(Math.abs(epoch) < EPOCH_MS_THRESHOLD ? epoch * 1000 : epoch));
}

function fromDate(date: Date): string | null {
  const time = date.getTime();
  // toISOString throws outside +-275760 years; such a value is noise, not a time.
  return Number.isNaN(time) ? null : date.toISOString();
}
