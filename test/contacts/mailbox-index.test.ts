import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MailboxIndex, Shard } from '../../src/contacts/mailbox-index.js';

const mailbox = (i: number) => `person.${i}@company${i % 997}.example.com`;

describe('MailboxIndex', () => {
  it('returns 0 for a new mailbox and the first row for a repeated one', () => {
    const index = new MailboxIndex();
    expect(index.firstRowOf('ann@example.com', 2)).toBe(0);
    expect(index.firstRowOf('bob@example.org', 3)).toBe(0);
    expect(index.firstRowOf('ann@example.com', 7)).toBe(2);
    // The third sighting still names the first row, not the second.
    expect(index.firstRowOf('ann@example.com', 9)).toBe(2);
    expect(index.size).toBe(2);
  });

  it('keeps every key and its first row while it grows far beyond its initial size', () => {
    const index = new MailboxIndex();
    const startBytes = index.bytes;
    const count = 200_000;
    let seenBefore = 0;
    for (let i = 0; i < count; i++) if (index.firstRowOf(mailbox(i), i + 1) !== 0) seenBefore++;
    expect(seenBefore).toBe(0);
    expect(index.size).toBe(count);
    expect(index.bytes).toBeGreaterThan(startBytes);
    let wrong = 0;
    for (let i = 0; i < count; i++) if (index.firstRowOf(mailbox(i), count + i + 1) !== i + 1) wrong++;
    expect(wrong).toBe(0);
    expect(index.size).toBe(count);
  });

  it('is sized up front from an estimate, and caps a wild one', () => {
    const sized = new MailboxIndex(1_000_000);
    // 10 bytes a slot, sized 90% full.
    expect(sized.bytes).toBeGreaterThanOrEqual((1_000_000 / 0.9) * 10);
    expect(sized.bytes).toBeLessThan((1_000_000 / 0.9) * 10 * 1.01);
    expect(new MailboxIndex(5_000_000_000).bytes).toBeLessThan(120 * 1024 * 1024);
    // Shards double one at a time: 100k keys in an index sized for 1k stay under 2x the need.
    const grown = new MailboxIndex(1_000);
    for (let i = 0; i < 100_000; i++) grown.firstRowOf(mailbox(i), i + 1);
    expect(grown.bytes).toBeLessThan((100_000 / 0.8) * 10 * 2);
    // The rows once more after all that growth.
    let wrong = 0;
    for (let i = 0; i < 100_000; i++) if (grown.firstRowOf(mailbox(i), 1) !== i + 1) wrong++;
    expect(wrong).toBe(0);
  });

  it('answers a batch exactly as one call per key, repeats inside the batch included', () => {
    const keys = ['a@example.com', 'b@example.com', 'a@example.com', 'c@example.com', 'b@example.com', 'a@example.com'];
    const rows = [2, 3, 4, 5, 6, 7];
    const batched = new MailboxIndex();
    const single = new MailboxIndex();
    batched.firstRowOf('c@example.com', 1);
    single.firstRowOf('c@example.com', 1);
    expect([...batched.firstRowsOf(keys, rows)]).toEqual(keys.map((key, i) => single.firstRowOf(key, rows[i]!)));
    expect([...batched.firstRowsOf(keys, rows)]).toEqual([2, 3, 2, 1, 3, 2]);
    expect(batched.size).toBe(3);
  });

  it('takes batches larger than its scratch space', () => {
    const index = new MailboxIndex();
    const keys = Array.from({ length: 5_000 }, (_, i) => mailbox(i % 2_500));
    const rows = keys.map((_, i) => i + 1);
    const first = index.firstRowsOf(keys, rows);
    expect(first[0]).toBe(0);
    expect(first[2_500]).toBe(1);
    expect(first[4_999]).toBe(2_500);
    expect(index.size).toBe(2_500);
  });

  it('tells apart keys that differ in one character, in case, or in length', () => {
    const index = new MailboxIndex();
    const keys = [
      'ann@example.com',
      'Ann@example.com',
      'ann@example.co',
      'anm@example.com',
      'ann@exampel.com',
      'na@example.com',
      'an@example.com',
      'ann@example.comm',
    ];
    keys.forEach((key, i) => expect(index.firstRowOf(key, i + 1)).toBe(0));
    keys.forEach((key, i) => expect(index.firstRowOf(key, 100)).toBe(i + 1));
  });

  it('agrees with a Map on random keys of every length, keys that differ only in their last character included', () => {
    // Independent oracle: a Map keyed by the whole string. A hash that skips a character (the
    // last one of odd-length keys, say) makes anna@example.dk a duplicate of anna@example.de.
    const stem = fc.string({ unit: fc.constantFrom('a', 'b', '.', '@', 'é', 'ß', '日'), minLength: 0, maxLength: 13 });
    const keys = fc.array(
      fc.tuple(stem, fc.constantFrom('a', 'b', 'k', 'e', 'z', '')).map(([s, last]) => s + last),
      { minLength: 1, maxLength: 200 },
    );
    fc.assert(
      fc.property(keys, (list) => {
        const index = new MailboxIndex(4);
        const oracle = new Map<string, number>();
        const rows = list.map((_, i) => i + 1);
        const got = index.firstRowsOf(list, rows);
        const expected = list.map((key, i) => {
          const first = oracle.get(key);
          if (first === undefined) oracle.set(key, i + 1);
          return first ?? 0;
        });
        expect([...got]).toEqual(expected);
      }),
      { numRuns: 300 },
    );
    for (const pair of [
      ['anna@example.dk', 'anna@example.de'],
      ['bo@x.de', 'bo@x.dk'],
      ['ab', 'ac'],
      ['a', 'b'],
    ]) {
      const index = new MailboxIndex();
      expect(index.firstRowOf(pair[0]!, 1)).toBe(0);
      expect(index.firstRowOf(pair[1]!, 2)).toBe(0);
    }
  });

  it('keeps entries that share a home, past the longest distance a slot can record and through growth', () => {
    // A shard of 2^10 slots whose position bits are 19 bits of b and then a: 300 entries with the
    // same 19 bits collide on every level up to 19; past it, `a` tells them apart.
    const shard = new Shard(10, 19);
    const top = 0b1010110010110011101;
    for (let i = 0; i < 300; i++) expect(shard.firstRowOf(top, Math.imul(i, 0x01000193) >>> 0, i + 1)).toBe(0);
    // Neighbours with other bits, enough of them to make the shard double several times.
    for (let i = 0; i < 5_000; i++) expect(shard.firstRowOf((i * 7919) % 2 ** 19, i, 1_000 + i)).toBe(0);
    for (let i = 0; i < 300; i++) expect(shard.firstRowOf(top, Math.imul(i, 0x01000193) >>> 0, 99_999)).toBe(i + 1);
    for (let i = 0; i < 5_000; i++) expect(shard.firstRowOf((i * 7919) % 2 ** 19, i, 99_999)).toBe(1_000 + i);
    // Same a, other b bits (the home or only the stored ones): different entries.
    expect(shard.firstRowOf(top ^ 1, 0, 7)).toBe(0);
    expect(shard.firstRowOf(top ^ (1 << 18), 0, 8)).toBe(0);
    expect(shard.firstRowOf(top ^ 1, 0, 9)).toBe(7);
    expect(shard.firstRowOf(top ^ (1 << 18), 0, 9)).toBe(8);
  });

  it('keeps rows above 2^16 and up to 2^32 - 1', () => {
    const index = new MailboxIndex();
    expect(index.firstRowOf('a@example.com', 70_000)).toBe(0);
    expect(index.firstRowOf('b@example.com', 2 ** 32 - 1)).toBe(0);
    expect(index.firstRowOf('a@example.com', 1)).toBe(70_000);
    expect(index.firstRowOf('b@example.com', 1)).toBe(2 ** 32 - 1);
  });

  it('places entries by the bits of a once it has doubled past the stored bits of b', () => {
    // Two stored position bits: from level 12 on, homes take a's top bits. A Map is the oracle.
    const shard = new Shard(10, 12);
    const oracle = new Map<string, number>();
    let seed = 1;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const pool = Array.from({ length: 30_000 }, next);
    for (let i = 1; i <= 40_000; i++) {
      // Few distinct tops, many a: every home holds many entries, and keys repeat.
      const top = next() % 2 ** 12;
      const a = pool[next() % pool.length]!;
      const key = `${top}:${a}`;
      const expected = oracle.get(key) ?? 0;
      if (expected === 0) oracle.set(key, i);
      expect(shard.firstRowOf(top, a, i)).toBe(expected);
    }
    expect(shard.words.length / 5).toBeGreaterThanOrEqual(2 ** 15);
  });

  it('stores all of b in wide slots when the size is unknown, and agrees with a Map through many doublings', () => {
    expect(new MailboxIndex().bytes).toBe(64 * 1024 * 12);
    const shard = new Shard(10, 32, true);
    const oracle = new Map<string, number>();
    let seed = 7;
    const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
    const pool = Array.from({ length: 20_000 }, () => [next(), next()] as const);
    for (let i = 1; i <= 30_000; i++) {
      // Pairs that share `a` or the home bits of `top`, or differ only in top's last bit.
      const [top0, a] = pool[next() % pool.length]!;
      const top = (next() & 1 ? top0 : (top0 ^ 1) >>> 0) >>> 0;
      const key = `${top}:${a}`;
      const expected = oracle.get(key) ?? 0;
      if (expected === 0) oracle.set(key, i);
      expect(shard.firstRowOf(top, a, i)).toBe(expected);
    }
    expect(shard.words.length / 6).toBeGreaterThanOrEqual(2 ** 14);
  });
});
