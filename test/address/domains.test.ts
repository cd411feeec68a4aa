import { describe, expect, it } from 'vitest';
import { isRealSuffix, TwoGenerationCache } from '../../src/address/domains.js';

describe('TwoGenerationCache', () => {
  it('remembers up to two generations; a key looked up moves to the newer one', () => {
    const cache = new TwoGenerationCache<number>(3);
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      cache.set(key, value);
    // The fourth key starts a new generation: a, b and c become the old one, still found.
    cache.set('d', 4);
    expect(cache.get('a')).toBe(1);
    cache.set('e', 5);
    // The next generation drops the oldest: b and c went unused, a was promoted by its lookup.
    cache.set('f', 6);
    expect([cache.get('b'), cache.get('c')]).toEqual([undefined, undefined]);
    expect([cache.get('a'), cache.get('d'), cache.get('e'), cache.get('f')]).toEqual([1, 4, 5, 6]);
    expect(cache.size).toBeLessThanOrEqual(6);
  });

  it('keeps a hot key through any number of generations of a churning tail', () => {
    const cache = new TwoGenerationCache<string>(100);
    cache.set('gmail.com', 'hot');
    for (let i = 0; i < 10_000; i++) {
      expect(cache.get('gmail.com')).toBe('hot');
      cache.set(`company${i}.example`, 'cold');
    }
    expect(cache.size).toBeLessThanOrEqual(200);
    expect(cache.get('company0.example')).toBeUndefined();
  });
});

describe('isRealSuffix (bounded memo)', () => {
  it('answers the same before and after its memo turns over', () => {
    expect(isRealSuffix('co.uk')).toBe(true);
    expect(isRealSuffix('cmo')).toBe(false);
    for (let i = 0; i < 25_000; i++) isRealSuffix(`x${i}`);
    expect(isRealSuffix('co.uk')).toBe(true);
    expect(isRealSuffix('com.ru')).toBe(true);
    expect(isRealSuffix('cmo')).toBe(false);
  });
});
