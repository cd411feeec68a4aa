import { describe, expect, it } from 'vitest';
import { LineSet } from '../../src/pipeline/line-set.js';

describe('LineSet', () => {
  it('holds the lines added, far past its first size, and no others', () => {
    const set = new LineSet();
    const lines = [1, 2, 7, 8, 8191, 8192, 8193, 123_456, 10_000_001];
    for (const line of lines) set.add(line);
    for (const line of lines) expect(set.has(line), String(line)).toBe(true);
    for (const line of [0, 3, 9, 8190, 8194, 123_455, 10_000_000, 20_000_000]) expect(set.has(line), String(line)).toBe(false);
  });
});
