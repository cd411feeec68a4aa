/** Dates written as numbers with the year last, whose day order depends on who wrote them. */

/**
 * A date of numbers with the year last (`14/11/2026`, `11/14/2026 9:05 AM`, `14.11.2026 09:05`,
 * `14-11-2026`), maybe with a time: which number is the day depends on the country of whoever
 * exported it, and Date reads every such date month first (or not at all when the day is > 12).
 */
const NUMERIC_DATE = /^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?\s*([AaPp][Mm])?)?$/;

/** Which of a numeric date's first two numbers is the day. */
export type DayOrder = 'day-first' | 'month-first';

/** What a numeric date's own numbers say of the order (null when both could be the day). */
function ownOrder(first: number, second: number): DayOrder | null {
  if (first > 12 && second <= 12) return 'day-first';
  if (second > 12 && first <= 12) return 'month-first';
  return null;
}

/**
 * The order the numeric dates of a file show: the one that some of its dates need (a day above
 * 12) and none contradicts; null when none decides or they disagree.
 */
export function dayOrderOf(values: Iterable<unknown>): DayOrder | null {
  let dayFirst = false;
  let monthFirst = false;
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const numeric = NUMERIC_DATE.exec(value.trim());
    if (!numeric) continue;
    const order = ownOrder(Number(numeric[1]), Number(numeric[3]));
    if (order === 'day-first') dayFirst = true;
    else if (order === 'month-first') monthFirst = true;
  }
  return dayFirst === monthFirst ? null : dayFirst ? 'day-first' : 'month-first';
}

/**
 * A numeric date (and time) as ISO UTC; null when it is no day (31/02), undefined when the text
 * is not a numeric date at all. See `toIsoUtc` for the order.
 */
export function numericDateToIso(text: string, order: DayOrder | undefined): string | null | undefined {
  const match = NUMERIC_DATE.exec(text);
  if (!match) return undefined;
  const first = Number(match[1]);
  const second = Number(match[3]);
  const chosen = ownOrder(first, second) ?? order ?? (match[2] === '/' ? 'month-first' : 'day-first');
  const [day, month] = chosen === 'day-first' ? [first, second] : [second, first];
  let hour = match[5] === undefined ? 0 : Number(match[5]);
  const minute = match[6] === undefined ? 0 : Number(match[6]);
  const secondOfMinute = match[7] === undefined ? 0 : Number(match[7]);
  const meridiem = match[8]?.toLowerCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'pm' ? 12 : 0);
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || secondOfMinute > 59) return null;
  const time = Date.UTC(Number(match[4]), month - 1, day, hour, minute, secondOfMinute);
  // 31/02 is no day: Date.UTC would roll it into March.
  if (new Date(time).getUTCDate() !== day) return null;
  return new Date(time).toISOString();
}
