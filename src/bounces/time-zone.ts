/**
 * The zone of log times that carry none. Postfix, Sendmail and Exim write the local time of the
 * machine that logged (`Dec 11 10:00:24`, `2026-11-02 10:00:24`), so such a time is read in a
 * zone: the machine's (the TZ environment variable, else the system's), or the one the user
 * names (`--timezone Europe/Berlin`, `--timezone +01:00`, `--timezone UTC`).
 *
 * A wall-clock time that a daylight-saving change makes ambiguous (the hour repeated in autumn)
 * is read as the earlier instant; one that does not exist (the hour skipped in spring) is read
 * with the offset before the change, i.e. shifted forward, as clocks and Temporal's
 * "compatible" rule do.
 */

export interface TimeZone {
  /** `UTC`, `+01:00`, or the IANA name. */
  name: string;
  /** Epoch milliseconds of a wall-clock time given as if it were UTC (`Date.UTC(...)`). */
  toEpoch(wallMs: number): number;
}

const HOUR_MS = 3_600_000;
/** Offsets are looked up this far either side of a wall time to find a change between. */
const AROUND_MS = 12 * HOUR_MS;
const OFFSET = /^([+-])(\d{2})(?::?(\d{2}))?$/;

export const UTC_ZONE: TimeZone = { name: 'UTC', toEpoch: (wallMs) => wallMs };

/** A zone at a fixed offset from UTC, in minutes east. */
export function fixedZone(offsetMinutes: number): TimeZone {
  if (offsetMinutes === 0) return UTC_ZONE;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const absolute = Math.abs(offsetMinutes);
  const name = `${sign}${String(Math.floor(absolute / 60)).padStart(2, '0')}:${String(absolute % 60).padStart(2, '0')}`;
  const offsetMs = offsetMinutes * 60_000;
  return { name, toEpoch: (wallMs) => wallMs - offsetMs };
}

/**
 * `UTC`, `Z`, `GMT`, `+HH:MM`, `+HHMM`, `+HH` or an IANA name -> the zone; null when it is none
 * of these (an unknown name, an offset beyond 14 hours).
 */
export function parseTimeZone(text: string): TimeZone | null {
  const value = text.trim();
  if (/^(?:utc|z|gmt|etc\/utc|etc\/gmt)$/i.test(value)) return UTC_ZONE;
  const offset = OFFSET.exec(value);
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3] ?? '0');
    if (hours > 14 || minutes > 59 || hours * 60 + minutes > 14 * 60) return null;
    return fixedZone((offset[1] === '-' ? -1 : 1) * (hours * 60 + minutes));
  }
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(value)) return null;
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: value,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return null;
  }
  return ianaZone(format.resolvedOptions().timeZone, format);
}

const machineZones = new Map<string, TimeZone>();

/**
 * The machine's zone: TZ when set, else the system's; UTC when neither can be read. Read anew
 * each call (a library caller may change TZ), the zone object kept per name for its cache.
 */
export function machineTimeZone(): TimeZone {
  const name = new Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
  let zone = machineZones.get(name);
  if (zone === undefined) {
    zone = parseTimeZone(name) ?? UTC_ZONE;
    machineZones.set(name, zone);
  }
  return zone;
}

function ianaZone(name: string, format: Intl.DateTimeFormat): TimeZone {
  if (/^(?:UTC|Etc\/UTC|Etc\/GMT|GMT)$/.test(name)) return UTC_ZONE;
  /** Offset (ms east of UTC) at an instant. */
  const offsetAt = (epochMs: number): number => {
    const parts = format.formatToParts(new Date(epochMs));
    const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value ?? 0);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return wall - Math.floor(epochMs / 1000) * 1000;
  };
  // Offsets only change on whole hours of wall time (or half hours: keyed finer would not help
  // the rare zones that do), so one conversion per wall hour serves every line of that hour.
  const byWallHour = new Map<number, number>();
  const offsetForWall = (wallMs: number): number => {
    const before = offsetAt(wallMs - AROUND_MS);
    const after = offsetAt(wallMs + AROUND_MS);
    if (before === after) return before;
    const earlier = offsetAt(wallMs - before) === before;
    const later = offsetAt(wallMs - after) === after;
    if (earlier && later) return Math.max(before, after); // repeated hour: the earlier instant
    if (earlier) return before;
    if (later) return after;
    return before; // skipped hour: the offset before the change moves it forward
  };
  return {
    name,
    toEpoch(wallMs: number): number {
      const hour = Math.floor(wallMs / HOUR_MS);
      let offset = byWallHour.get(hour);
      if (offset === undefined) {
        offset = offsetForWall(hour * HOUR_MS + HOUR_MS / 2);
        if (byWallHour.size > 100_000) byWallHour.clear();
        byWallHour.set(hour, offset);
      }
      return wallMs - offset;
    },
  };
}
