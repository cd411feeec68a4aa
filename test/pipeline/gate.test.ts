import { describe, expect, it } from 'vitest';
import { exceedsThreshold } from '../../src/pipeline/gate.js';

describe('exceedsThreshold', () => {
  it('compares counts and shares of the input', () => {
    expect(exceedsThreshold(0, 0, 100)).toBe(false);
    expect(exceedsThreshold(0, 1, 100)).toBe(true);
    expect(exceedsThreshold(3, 3, 100)).toBe(false);
    expect(exceedsThreshold('5%', 5, 100)).toBe(false);
    expect(exceedsThreshold('5%', 6, 100)).toBe(true);
    expect(exceedsThreshold('0.5%', 1, 1000)).toBe(false);
    expect(exceedsThreshold('0.5%', 6, 1000)).toBe(true);
    expect(exceedsThreshold(null, 1_000_000, 1)).toBe(false);
  });
});
