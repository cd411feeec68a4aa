import { describe, expect, it } from 'vitest';
import { toIsoUtc } from '../../../../src/bounces/formats/fields/time.js';

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

  it('returns null for what is not a time', () => {
    expect(toIsoUtc('')).toBeNull();
    expect(toIsoUtc('soon')).toBeNull();
    expect(toIsoUtc(null)).toBeNull();
    expect(toIsoUtc(Number.NaN)).toBeNull();
    expect(toIsoUtc(1e20)).toBeNull();
    expect(toIsoUtc('9'.repeat(100))).toBeNull();
  });
});
