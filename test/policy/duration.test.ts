import { describe, expect, it } from 'vitest';
import { HygieneError } from '../../src/errors.js';
import { formatDuration, parseDuration } from '../../src/policy/duration.js';

const HOUR = 3_600_000;

describe('parseDuration', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['36h', 36 * HOUR],
    ['2d', 48 * HOUR],
    ['1w', 168 * HOUR],
    ['1.5d', 36 * HOUR],
    [' 24 H ', 24 * HOUR],
    ['0h', 0],
  ])('reads %j', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('reads a bare number, or numeric text, as hours', () => {
    expect(parseDuration(36)).toBe(36 * HOUR);
    expect(parseDuration('48')).toBe(48 * HOUR);
    expect(parseDuration(0.5)).toBe(30 * 60_000);
  });

  it.each(['', 'soon', '24 hours', '3y', '-1h', '1e3h', '2d4h', 'h'])('refuses %j with a clear error', (text) => {
    try {
      parseDuration(text);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(HygieneError);
      expect((error as HygieneError).code).toBe('DURATION_INVALID');
      expect((error as HygieneError).message).toContain(JSON.stringify(text));
      expect((error as HygieneError).hint).toContain('"36h"');
    }
  });

  it('refuses negative and non-finite numbers', () => {
    expect(() => parseDuration(-2)).toThrow(HygieneError);
    expect(() => parseDuration(Number.NaN)).toThrow(HygieneError);
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow(HygieneError);
  });

  it('stays fast on long hostile text', () => {
    const started = performance.now();
    expect(() => parseDuration(`${'9'.repeat(100_000)}x`)).toThrow(HygieneError);
    expect(performance.now() - started).toBeLessThan(100);
  });
});

describe('formatDuration', () => {
  it('writes the largest exact unit, and reads back to the same value', () => {
    for (const [ms, text] of [
      [24 * HOUR, '1d'],
      [30 * 24 * HOUR, '30d'],
      [14 * 24 * HOUR, '2w'],
      [36 * HOUR, '36h'],
      [90 * 60_000, '90m'],
    ] as const) {
      expect(formatDuration(ms)).toBe(text);
      expect(parseDuration(text)).toBe(ms);
    }
  });
});
