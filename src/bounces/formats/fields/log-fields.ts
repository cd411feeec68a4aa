import { isMonthName, readSyslogHeader, readSyslogTag } from './syslog-time.js';

/** Small readers shared by the MTA log parsers (Postfix, Sendmail, Exim, Haraka, PowerMTA). */

/** Remote text longer than this is cut: no real diagnostic is longer, and hostile lines can be. */
export const MAX_DIAGNOSTIC = 8192;

export function clip(text: string): string {
  return text.length > MAX_DIAGNOSTIC ? text.slice(0, MAX_DIAGNOSTIC) : text;
}

/**
 * Reads a queue ID of at least `minLength` alphanumerics followed by `: ` at `index`
 * (Postfix `3893C1102DD6` or long form `4Lb4Ln0Xrxz1y`; Sendmail `u31FFPtp032300`).
 */
export function readQueueId(text: string, index: number, minLength: number): { queueId: string; end: number } | null {
  const limit = Math.min(text.length, index + 24);
  let position = index;
  while (position < limit) {
    const code = text.charCodeAt(position);
    const alnum = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (!alnum) break;
    position++;
  }
  if (position - index < minLength || text.charCodeAt(position) !== 58 || text.charCodeAt(position + 1) !== 32) return null;
  return { queueId: text.slice(index, position), end: position + 2 };
}

/** Value of `key` (e.g. `, relay=`) between `from` and `to`, up to the next `separator`. */
export function fieldValue(text: string, key: string, from: number, to: number, separator: string): string | null {
  const at = text.indexOf(key, from);
  if (at < 0 || at >= to) return null;
  const start = at + key.length;
  const end = text.indexOf(separator, start);
  return text.slice(start, end < 0 || end > to ? to : end);
}

/**
 * A map that keeps roughly the `limit` most recently written keys, in O(1) per operation.
 * Keys live in a young and an old generation; when the young one fills half the limit, the old
 * one is dropped and the young one becomes old. (Evicting one key at a time through
 * `Map#keys().next()` is quadratic in V8 once many oldest keys were deleted.)
 */
export class RecentMap<V> {
  private young = new Map<string, V>();
  private old = new Map<string, V>();
  private readonly generationSize: number;

  constructor(limit: number) {
    this.generationSize = Math.max(1, Math.floor(limit / 2));
  }

  get(key: string): V | undefined {
    return this.young.get(key) ?? this.old.get(key);
  }

  /** Stores `value` as recently written (moving it out of the old generation). */
  set(key: string, value: V): V {
    this.old.delete(key);
    this.young.set(key, value);
    if (this.young.size >= this.generationSize) {
      this.old = this.young;
      this.young = new Map();
    }
    return value;
  }

  delete(key: string): void {
    this.young.delete(key);
    this.old.delete(key);
  }
}

/** How many lines of the sample detection looks at: plenty to decide, cheap on a 64 KiB sample. */
const DETECT_LINES = 2000;
/** Only the start of a line matters for detection; hostile lines can be long. */
const DETECT_LINE_PREFIX = 1024;

/**
 * Whether any of the first DETECT_LINES lines of `sample` passes `startsLike` (given the sample
 * and the index where the line starts). Detectors use it to rule out a format cheaply: a
 * `startsLike` that every line the format reads must pass gives exactly the same scores.
 */
export function someLineStartsLike(sample: string, startsLike: (sample: string, index: number) => boolean): boolean {
  let start = 0;
  for (let line = 0; line < DETECT_LINES && start <= sample.length; line++) {
    if (startsLike(sample, start)) return true;
    const newline = sample.indexOf('\n', start);
    if (newline < 0) break;
    start = newline + 1;
  }
  return false;
}

/** `2026-11-02` of an ISO or Exim stamp at `index`: digits, with dashes in their places. */
export function mayStartDate(text: string, index: number): boolean {
  // Bounds first: reading past the end would give NaN (and fail) too, but it throws V8's compiled
  // code away, and the last line start of a sample is its end.
  if (index + 7 >= text.length) return false;
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57 && text.charCodeAt(index + 4) === 45 && text.charCodeAt(index + 7) === 45;
}

/** What `readSyslogHeader` needs at the start of a line: an ISO date, or a month name and a space. */
export function mayStartSyslogHeader(text: string, index: number): boolean {
  return mayStartDate(text, index) || (index + 3 < text.length && text.charCodeAt(index + 3) === 32 && isMonthName(text, index));
}

/** Whether a line of `sample` may start like syslog (Postfix, Sendmail): else they score 0. */
export function mayHoldSyslogLine(sample: string): boolean {
  return someLineStartsLike(sample, mayStartSyslogHeader);
}

/** Whether a line of `sample` may start with a date (Exim): else it scores 0. */
export function mayHoldDatedLine(sample: string): boolean {
  return someLineStartsLike(sample, mayStartDate);
}

/**
 * Detection shared by the syslog MTAs (Postfix, Sendmail): the share of sample lines written by
 * the MTA's programs, and whether any is a delivery line. `isDelivery` gets the line cut to
 * DETECT_LINE_PREFIX, the whole line, and where the text after the queue ID starts.
 */
export function detectSyslogMta(
  sample: string,
  isMtaTag: (name: string) => boolean,
  queueIdMinLength: number,
  isDelivery: (text: string, raw: string, afterQueueId: number) => boolean,
): number {
  // Most samples (mail messages, ESP exports) have no line that starts like syslog: one cheap
  // look at the line starts says so without reading every line's header.
  if (!mayHoldSyslogLine(sample)) return 0;
  let lines = 0;
  let mtaLines = 0;
  let deliveryLines = 0;
  for (const raw of sample.split('\n', DETECT_LINES)) {
    const text = raw.length > DETECT_LINE_PREFIX ? raw.slice(0, DETECT_LINE_PREFIX) : raw;
    if (text.trim().length === 0) continue;
    lines++;
    const header = readSyslogHeader(text);
    const tag = header === null ? null : readSyslogTag(text, header.bodyStart);
    if (tag === null || !isMtaTag(tag.name)) continue;
    mtaLines++;
    const queue = readQueueId(text, tag.messageStart, queueIdMinLength);
    if (queue !== null && isDelivery(text, raw, queue.end)) deliveryLines++;
  }
  if (mtaLines === 0) return 0;
  // Delivery lines make it certain; the share of the MTA's lines breaks ties in mixed syslog.
  return (deliveryLines > 0 ? 0.9 : 0.6) + 0.09 * (mtaLines / lines);
}
