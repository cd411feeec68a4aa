import { describe, expect, it } from 'vitest';
import { dayOrderOf, toIsoUtc } from '../../../../src/bounces/formats/fields/time.js';

describe('toIsoUtc', () => {
  it('reads epoch seconds (SendGrid), float seconds (Mailgun) and milliseconds', () => {
    expect(toIsoUtc(1709716837)).toBe('2024-03-06T09:20:37.000Z');
    expect(toIsoUtc(1709803241.687812)).toBe('2024-03-07T09:20:41.687Z');
    expect(toIsoUtc(1709716837123)).toBe('2024-03-06T09:20:37.123Z');
  });

  it('reads epoch numbers written as strings (SparkPost, CSV exports)', () => {
    expect(toIsoUtc('1710061253')).toBe('2024-03-10T09:00:53.000Z');
    expect(toIsoUtc(' 1709716837123 ')).toBe('2024-03-06T09:20:37.123Z');
  });

  it('normalises ISO strings with offsets and 7 fractional digits (Postmark) to UTC', () => {
    expect(toIsoUtc('2024-03-08T10:15:44.9070259Z')).toBe('2024-03-08T10:15:44.907Z');
    expect(toIsoUtc('2024-03-08T05:20:11-05:00')).toBe('2024-03-08T10:20:11.000Z');
  });

  it('reads a date and time without a zone as UTC, whatever the local zone', () => {
    expect(toIsoUtc('2024-01-09 14:02:11')).toBe('2024-01-09T14:02:11.000Z');
    expect(toIsoUtc('2024-01-09T14:02')).toBe('2024-01-09T14:02:00.000Z');
  });

  it('reads a numeric date with the year last by its own numbers when one is above 12', () => {
    expect(toIsoUtc('14/11/2026 09:05')).toBe('2026-11-14T09:05:00.000Z');
    expect(toIsoUtc('11/14/2026 9:05 PM')).toBe('2026-11-14T21:05:00.000Z');
    expect(toIsoUtc('12/14/2026 12:05 AM')).toBe('2026-12-14T00:05:00.000Z');
    expect(toIsoUtc('14.11.2026')).toBe('2026-11-14T00:00:00.000Z');
    expect(toIsoUtc('14-11-2026 23:59:59')).toBe('2026-11-14T23:59:59.000Z');
  });

  it('reads an ambiguous numeric date in the order given, else month first after / and day first after . or -', () => {
    expect(toIsoUtc('03/04/2026', 'day-first')).toBe('2026-04-03T00:00:00.000Z');
    expect(toIsoUtc('03/04/2026', 'month-first')).toBe('2026-03-04T00:00:00.000Z');
    expect(toIsoUtc('03/04/2026')).toBe('2026-03-04T00:00:00.000Z');
    expect(toIsoUtc('03.04.2026')).toBe('2026-04-03T00:00:00.000Z');
    expect(toIsoUtc('03-04-2026')).toBe('2026-04-03T00:00:00.000Z');
    // Its own numbers outrank the order given.
    expect(toIsoUtc('04/14/2026', 'day-first')).toBe('2026-04-14T00:00:00.000Z');
  });

  it('a numeric date that is no day is no time', () => {
    expect(toIsoUtc('31/02/2026')).toBeNull();
    expect(toIsoUtc('13/13/2026')).toBeNull();
    expect(toIsoUtc('01/02/2026 13:00 PM')).toBeNull();
    expect(toIsoUtc('01/02/2026 24:00')).toBeNull();
  });

  it("finds a file's day order from the dates that need one, null when none does or they disagree", () => {
    expect(dayOrderOf(['03/04/2026', '14/04/2026 10:00', undefined])).toBe('day-first');
    expect(dayOrderOf(['03/04/2026', '04/14/2026'])).toBe('month-first');
    expect(dayOrderOf(['03/04/2026', '2026-04-14'])).toBeNull();
    expect(dayOrderOf(['14/04/2026', '04/14/2026'])).toBeNull();
  });

  it('returns null for what is not a time', () => {
    expect(toIsoUtc('')).toBeNull();
    expect(toIsoUtc('soon')).toBeNull();
    expect(toIsoUtc(null)).toBeNull();
    expect(toIsoUtc(Number.NaN)).toBeNull();
    expect(toIsoUtc(1e20)).toBeNull();
    expect(toIsoUtc('9'.repeat(100))).toBeNull();
  });
});
