import { describe, expect, it } from 'vitest';
import {
  createSyslogClock,
  readBsdStamp,
  readDateTime,
  readSyslogHeader,
  readSyslogTag,
} from '../../../../src/bounces/formats/fields/syslog-time.js';

const iso = (text: string, options = {}) => {
  const stamp = readDateTime(text, 0, options);
  return stamp === null ? null : new Date(stamp.epochMs).toISOString();
};

describe('readDateTime', () => {
  it('reads RFC 3339 with offsets and fractions', () => {
    expect(iso('2026-11-02T10:00:24.123456+01:00 mx1')).toBe('2026-11-02T09:00:24.123Z');
    expect(iso('2026-11-02T10:00:24Z')).toBe('2026-11-02T10:00:24.000Z');
    expect(iso('2026-11-02T10:00:24-05:30')).toBe('2026-11-02T15:30:24.000Z');
  });

  it('reads the Exim and PowerMTA forms only when asked to', () => {
    expect(iso('2026-11-02 10:00:24 +0100 1cIm', { spaceSeparator: true, spaceBeforeZone: true })).toBe('2026-11-02T09:00:24.000Z');
    expect(iso('2026-11-02 10:00:24+0100', { spaceSeparator: true })).toBe('2026-11-02T09:00:24.000Z');
    expect(iso('2026-11-02 10:00:24 1cImN5-0001OE-3r', { spaceSeparator: true, spaceBeforeZone: true })).toBe('2026-11-02T10:00:24.000Z');
    expect(iso('2026-11-02 10:00:24')).toBeNull();
  });

  it('rejects impossible dates and times', () => {
    expect(iso('2026-13-02T10:00:24Z')).toBeNull();
    expect(iso('2026-11-02T25:00:24Z')).toBeNull();
    expect(iso('2026-11-02T10:00')).toBeNull();
  });
});

describe('syslog headers', () => {
  it('reads a BSD stamp with a space- or zero-padded day', () => {
    expect(readBsdStamp('Nov  2 10:00:24 mx1', 0)).toMatchObject({ month: 10, day: 2, hour: 10, minute: 0, second: 24 });
    expect(readBsdStamp('Nov 02 10:00:24 mx1', 0)).toMatchObject({ month: 10, day: 2 });
    expect(readBsdStamp('Foo  2 10:00:24 mx1', 0)).toBeNull();
  });

  it('finds the program tag after the host, also around a Solaris [ID] marker', () => {
    const plain = 'Nov  2 10:00:24 mx1 postfix/smtp[676]: 3893C1102DD6: to=<a@example.org>';
    const header = readSyslogHeader(plain);
    const tag = header === null ? null : readSyslogTag(plain, header.bodyStart);
    expect(tag?.name).toBe('postfix/smtp');
    expect(plain.slice(tag?.messageStart)).toBe('3893C1102DD6: to=<a@example.org>');

    const solaris = 'Nov  2 10:00:24 mx1 sendmail[676]: [ID 801593 mail.info] k23G01aa000301: to=<a@example.org>';
    const solarisHeader = readSyslogHeader(solaris);
    const solarisTag = solarisHeader === null ? null : readSyslogTag(solaris, solarisHeader.bodyStart);
    expect(solaris.slice(solarisTag?.messageStart)).toBe('k23G01aa000301: to=<a@example.org>');
  });

  it('returns null for lines that are not syslog', () => {
    expect(readSyslogHeader('type,timeLogged,rcpt')).toBeNull();
    expect(readSyslogHeader('[NOTICE] [-] [core] hello')).toBeNull();
  });
});

describe('createSyslogClock', () => {
  const stamp = (text: string) => {
    const parsed = readBsdStamp(text, 0);
    if (parsed === null) throw new Error(text);
    return parsed;
  };

  it('puts months after the reference month in the previous year', () => {
    const clock = createSyslogClock({ mtime: new Date('2026-03-01T00:00:00Z') });
    expect(clock.toIso(stamp('Apr  2 00:00:00'))).toBe('2025-04-02T00:00:00.000Z');
  });

  it('keeps the year over a long gap forwards, and advances it at New Year', () => {
    const clock = createSyslogClock({ year: 2026 });
    expect(clock.toIso(stamp('Jan  5 00:00:00'))).toBe('2026-01-05T00:00:00.000Z');
    expect(clock.toIso(stamp('Nov 30 00:00:00'))).toBe('2026-11-30T00:00:00.000Z');
    expect(clock.toIso(stamp('Nov 30 00:00:00'))).toBe('2026-11-30T00:00:00.000Z');
    expect(clock.toIso(stamp('Jan  1 00:00:00'))).toBe('2027-01-01T00:00:00.000Z');
    // A few lines out of order around a month boundary do not move the year.
    expect(clock.toIso(stamp('Feb  1 00:00:00'))).toBe('2027-02-01T00:00:00.000Z');
    expect(clock.toIso(stamp('Jan 31 23:59:59'))).toBe('2027-01-31T23:59:59.000Z');
  });

  it('falls back to now when it has neither year nor mtime', () => {
    const clock = createSyslogClock({}, new Date('2030-06-15T00:00:00Z'));
    expect(clock.toIso(stamp('Jun 14 12:00:00'))).toBe('2030-06-14T12:00:00.000Z');
    const december = createSyslogClock({}, new Date('2030-01-02T00:00:00Z'));
    expect(december.toIso(stamp('Dec 31 12:00:00'))).toBe('2029-12-31T12:00:00.000Z');
  });
});
