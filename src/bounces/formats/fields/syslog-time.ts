/**
 * Timestamps and line headers of mail logs, shared by the MTA parsers.
 *
 * - BSD syslog stamps (`Dec 11 10:00:24`) carry no year: `createSyslogClock` supplies it from
 *   `--year`, else from the file's mtime (a line cannot be later than the file), else from now,
 *   and advances it when the month jumps backwards (December -> January inside one file).
 * - RFC 3339 stamps (`2026-11-02T10:00:24.123456+01:00`, newer rsyslog) and the
 *   `YYYY-MM-DD HH:MM:SS[ +HHMM]` stamps of Exim and PowerMTA are read by `readDateTime`.
 * Times without a zone are local times of the machine that logged: they are read in the zone
 * the caller gives (see ../time-zone.ts; UTC when none is given). Everything is hand-scanned: no
 * regex runs on remote text here.
 */
import { UTC_ZONE, type TimeZone } from '../../time-zone.js';

const MONTHS: ReadonlyMap<string, number> = new Map([
  ['Jan', 0],
  ['Feb', 1],
  ['Mar', 2],
  ['Apr', 3],
  ['May', 4],
  ['Jun', 5],
  ['Jul', 6],
  ['Aug', 7],
  ['Sep', 8],
  ['Oct', 9],
  ['Nov', 10],
  ['Dec', 11],
]);

const MONTH_INITIALS: ReadonlySet<number> = new Set([...MONTHS.keys()].map((month) => month.charCodeAt(0)));

/** Whether the three characters at `index` are a month name (`Jan` ... `Dec`) of a BSD stamp. */
export function isMonthName(text: string, index: number): boolean {
  // The first letter first: most lines tested are not log lines, and detection tests every line
  // of every message file.
  return MONTH_INITIALS.has(text.charCodeAt(index)) && MONTHS.has(text.slice(index, index + 3));
}

/** A month going backwards by more than this between consecutive lines means a new year. */
const ROLLOVER_MONTHS = 6;

export type SyslogStamp =
  /** `Dec 11 10:00:24`: no year. `text` is the stamp as written, used to cache its conversion. */
  | { kind: 'bsd'; month: number; day: number; hour: number; minute: number; second: number; text: string }
  /**
   * A stamp that names its own year. `zoned`: it names its zone too and `epochMs` is the
   * instant; otherwise `epochMs` is the wall-clock time taken as if it were UTC.
   */
  | { kind: 'absolute'; epochMs: number; zoned: boolean };

export interface SyslogHeader {
  stamp: SyslogStamp;
  /** Index just after the host name and its following space: where the program tag starts. */
  bodyStart: number;
}

export interface SyslogTag {
  /** `postfix/smtp`, `sendmail`, `sm-mta`, ... */
  name: string;
  /** Index just after `]: ` (or `: `) and after a Solaris `[ID 197553 mail.info] ` marker. */
  messageStart: number;
}

/** Value of ASCII digit at `index`, or -1. */
function digitAt(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57 ? code - 48 : -1;
}

/** Reads `count` digits at `index` as a number, or -1 when any is not a digit. */
function readDigits(text: string, index: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const digit = digitAt(text, index + i);
    if (digit < 0) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function validTime(hour: number, minute: number, second: number): boolean {
  return hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second <= 60;
}

/** Reads `HH:MM:SS` at `index`; returns [hour, minute, second] or null. */
function readClock(text: string, index: number): [number, number, number] | null {
  if (text.charCodeAt(index + 2) !== 58 || text.charCodeAt(index + 5) !== 58) return null;
  const hour = readDigits(text, index, 2);
  const minute = readDigits(text, index + 3, 2);
  const second = readDigits(text, index + 6, 2);
  return validTime(hour, minute, second) ? [hour, minute, second] : null;
}

/**
 * The last BSD stamp read at the start of a line: busy logs write the same second on many lines
 * in a row, and a stamp is immutable, so the same object serves them all.
 */
let lastBsd: { text: string; stamp: SyslogStamp } | null = null;

/** Reads a BSD syslog stamp `Mmm dd HH:MM:SS` (day padded with a space or a zero) at `index`. */
export function readBsdStamp(text: string, index: number): SyslogStamp | null {
  if (index === 0 && lastBsd !== null && text.startsWith(lastBsd.text)) return lastBsd.stamp;
  const stamp = parseBsdStamp(text, index);
  if (stamp !== null && index === 0) lastBsd = { text: stamp.kind === 'bsd' ? stamp.text : '', stamp };
  return stamp;
}

function parseBsdStamp(text: string, index: number): SyslogStamp | null {
  const month = MONTHS.get(text.slice(index, index + 3));
  if (month === undefined || text.charCodeAt(index + 3) !== 32) return null;
  const tens = text.charCodeAt(index + 4) === 32 ? 0 : digitAt(text, index + 4);
  const units = digitAt(text, index + 5);
  if (tens < 0 || units < 0 || text.charCodeAt(index + 6) !== 32) return null;
  const day = tens * 10 + units;
  const clock = readClock(text, index + 7);
  if (day < 1 || day > 31 || clock === null) return null;
  const [hour, minute, second] = clock;
  return { kind: 'bsd', month, day, hour, minute, second, text: text.slice(index, index + 15) };
}

export interface DateTimeOptions {
  /** Accept `YYYY-MM-DD HH:MM:SS` (space) as well as `T` between date and time. */
  spaceSeparator?: boolean;
  /** Accept a zone written after a space (`2016-12-18 20:16:55 +0100`, Exim). */
  spaceBeforeZone?: boolean;
}

/**
 * Reads `YYYY-MM-DD[T ]HH:MM:SS[.fraction][Z|+HH:MM|+HHMM]` at `index`. Returns the time, whether
 * it named its zone (when not, `epochMs` is the wall-clock time as if UTC: pass it through
 * `TimeZone.toEpoch`, or use `instantOf`), and the index after the stamp; or null.
 */
export function readDateTime(
  text: string,
  index: number,
  options: DateTimeOptions = {},
): { epochMs: number; zoned: boolean; end: number } | null {
  const year = readDigits(text, index, 4);
  if (year < 0 || text.charCodeAt(index + 4) !== 45 || text.charCodeAt(index + 7) !== 45) return null;
  const month = readDigits(text, index + 5, 2);
  const day = readDigits(text, index + 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const separator = text.charCodeAt(index + 10);
  if (!(separator === 84 || (separator === 32 && options.spaceSeparator === true))) return null;
  const clock = readClock(text, index + 11);
  if (clock === null) return null;
  let position = index + 19;
  let millis = 0;
  if (text.charCodeAt(position) === 46 || text.charCodeAt(position) === 44) {
    position++;
    let scale = 100;
    // Fractions longer than milliseconds (rsyslog writes microseconds) are read but dropped;
    // the cap keeps a hostile run of digits from being walked past what is plausible.
    const fractionEnd = Math.min(position + 9, text.length);
    const fractionStart = position;
    while (position < fractionEnd && digitAt(text, position) >= 0) {
      millis += digitAt(text, position) * scale;
      scale /= 10;
      position++;
    }
    if (position === fractionStart) return null;
    millis = Math.floor(millis);
  }
  const zone = readZone(text, position, options.spaceBeforeZone === true);
  const epochMs = Date.UTC(year, month - 1, day, clock[0], clock[1], clock[2], millis) - zone.offsetMinutes * 60_000;
  if (Number.isNaN(epochMs)) return null;
  return { epochMs, zoned: zone.zoned, end: zone.end };
}

/** The instant of a `readDateTime` result: a time without a zone is read in `zone`. */
export function instantOf(stamp: { epochMs: number; zoned: boolean }, zone: TimeZone = UTC_ZONE): number {
  return stamp.zoned ? stamp.epochMs : zone.toEpoch(stamp.epochMs);
}

/** Reads `Z`, `+HH:MM`, `+HHMM` (optionally after one space). No zone: not zoned, end unchanged. */
function readZone(text: string, index: number, allowSpace: boolean): { offsetMinutes: number; zoned: boolean; end: number } {
  let position = index;
  const none = { offsetMinutes: 0, zoned: false, end: index };
  if (text.charCodeAt(position) === 90) return { offsetMinutes: 0, zoned: true, end: position + 1 };
  if (allowSpace && text.charCodeAt(position) === 32) position++;
  const sign = text.charCodeAt(position);
  if (sign !== 43 && sign !== 45) return none;
  const hours = readDigits(text, position + 1, 2);
  const colon = text.charCodeAt(position + 3) === 58 ? 1 : 0;
  const minutes = readDigits(text, position + 3 + colon, 2);
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return none;
  const end = position + 5 + colon;
  // A zone must end the token: `+0100 1cIm...` yes, `+01001` (part of something else) no.
  const after = text.charCodeAt(end);
  if (!Number.isNaN(after) && after !== 32 && after !== 44 && after !== 9) return none;
  const offset = hours * 60 + minutes;
  return { offsetMinutes: sign === 45 ? -offset : offset, zoned: true, end };
}

/**
 * Reads the start of a syslog line: a BSD or RFC 3339 stamp, then the host name. Returns null
 * when the line does not start like syslog.
 */
export function readSyslogHeader(text: string): SyslogHeader | null {
  let stamp: SyslogStamp | null = null;
  let stampEnd = 0;
  if (digitAt(text, 0) >= 0) {
    const absolute = readDateTime(text, 0);
    if (absolute !== null) {
      stamp = { kind: 'absolute', epochMs: absolute.epochMs, zoned: absolute.zoned };
      stampEnd = absolute.end;
    }
  } else {
    stamp = readBsdStamp(text, 0);
    stampEnd = 15;
  }
  if (stamp === null || text.charCodeAt(stampEnd) !== 32) return null;
  const hostStart = stampEnd + 1;
  const hostEnd = text.indexOf(' ', hostStart);
  if (hostEnd <= hostStart) return null;
  return { stamp, bodyStart: hostEnd + 1 };
}

const SOLARIS_ID = '[ID ';
/** Longest plausible Solaris marker: `[ID 197553 mail.info] ` is 22 characters. */
const SOLARIS_ID_MAX = 48;

/** Skips a Solaris `[ID 197553 mail.info] ` marker at `index`, if there is one. */
function skipSolarisId(text: string, index: number): number {
  if (!text.startsWith(SOLARIS_ID, index)) return index;
  const close = text.indexOf('] ', index);
  return close > 0 && close - index < SOLARIS_ID_MAX ? close + 2 : index;
}

/** Longest program tag we accept (`postfix-outbound/submission/smtpd` is 33). */
const TAG_MAX = 96;

/**
 * Reads a program tag `name[pid]: ` (or `name: `) at `index`, also after a Solaris `[ID ...]`
 * marker, and skips a Solaris marker after it. Returns null when there is no tag.
 */
export function readSyslogTag(text: string, index: number): SyslogTag | null {
  const start = skipSolarisId(text, index);
  const limit = Math.min(text.length, start + TAG_MAX);
  let position = start;
  while (position < limit) {
    const code = text.charCodeAt(position);
    if (code === 91 /* [ */ || code === 58 /* : */ || code === 32) break;
    position++;
  }
  if (position === start || position === limit) return null;
  const name = text.slice(start, position);
  if (text.charCodeAt(position) === 91) {
    const close = text.indexOf(']', position);
    if (close < 0 || close - position > 16) return null;
    position = close + 1;
  }
  if (text.charCodeAt(position) !== 58 || text.charCodeAt(position + 1) !== 32) return null;
  return { name, messageStart: skipSolarisId(text, position + 2) };
}

/** Turns syslog stamps into ISO 8601 UTC strings, supplying the year of BSD stamps. */
export interface SyslogClock {
  toIso(stamp: SyslogStamp): string;
}

/**
 * A clock for one input. The first BSD stamp gets `year`, else the year of `mtime` (or `now`),
 * minus one when its month is after that reference month; later stamps keep that year until the
 * month goes backwards by more than six months, which means the log crossed New Year. Stamps
 * without a zone are read in `timeZone` (UTC when absent).
 */
export function createSyslogClock(options: { year?: number; mtime?: Date; timeZone?: TimeZone }, now: Date = new Date()): SyslogClock {
  const zone = options.timeZone ?? UTC_ZONE;
  let year: number | undefined;
  let lastMonth = -1;
  let lastText = '';
  let lastIso = '';

  function yearFor(month: number): number {
    if (year === undefined) {
      if (options.year !== undefined) {
        year = options.year;
      } else {
        const reference = options.mtime ?? now;
        year = reference.getUTCFullYear() - (month > reference.getUTCMonth() ? 1 : 0);
      }
    } else if (lastMonth - month > ROLLOVER_MONTHS) {
      year++;
    }
    lastMonth = month;
    return year;
  }

  return {
    toIso(stamp: SyslogStamp): string {
      if (stamp.kind === 'absolute') return new Date(instantOf(stamp, zone)).toISOString();
      // Busy logs repeat the same second many times: reuse the last conversion.
      if (stamp.text === lastText && stamp.month === lastMonth) return lastIso;
      const lineYear = yearFor(stamp.month);
      const date = new Date(zone.toEpoch(Date.UTC(lineYear, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)));
      lastText = stamp.text;
      lastIso = date.toISOString();
      return lastIso;
    },
  };
}
