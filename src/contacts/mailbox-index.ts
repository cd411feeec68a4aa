/**
 * The set of mailboxes seen so far in a run, mapping each to the first row that had it.
 *
 * Lists have millions of rows, so a JS object or Map per row would dominate memory, and even a
 * typed-array table is the biggest thing a run holds (for a 10M-row list, ~800 MB of CSV, the
 * index was 160 MB at 12 bytes a slot, three quarters full). This one takes 10 bytes a slot and
 * fills up to 93% of them (~111 MB at 10M rows), without giving up bits of the key's hash (two
 * 32-bit hashes, `a` and `b`):
 *
 * - `b` picks the shard and, within it, the home slot (quotienting): those bits are where the
 *   entry is, so they need not be stored. A slot keeps `a` (32 bits), the next 9 bits of `b` past
 *   the home (so that a shard can double and still know each entry's new home), the entry's
 *   distance from its home (7 bits), and the row (32 bits): five 16-bit words side by side, so a
 *   probe reads one cache line.
 * - Robin Hood linear probing keeps the entries of a cluster in the order of their homes: a
 *   lookup compares only the entries with its own home (the stored distance says which) and stops
 *   at the first entry whose home is after its own, so lookups stay short even 93% full.
 *
 * Two different mailboxes are taken as the same only if they have the same shard, home and
 * stored bits. The chance of any false duplicate in a run is about lookups x entries compared per
 * lookup (those with the same home: fewer than one on average) x 2^-(bits compared beyond shard
 * and home: 32 of `a` + 9 of `b` = 41): for 10M rows 10^7 x 0.85 x 2^-41 = 4e-6, for 5M 2e-6 (the
 * old layout, 64 bits compared: ~1e-6 at 5M). Each doubling of a shard past its presized size
 * moves one of the 9 stored bits into the home, doubling that chance for its entries; a presized
 * table (a file, whose rows are estimated) seldom doubles, and without an estimate (a list on
 * stdin) slots are wide, 12 bytes, storing all of `b`'s bits past the home (see `Shard`).
 *
 * The table is split in shards, each growing on its own (by doubling: a home is the top bits of a
 * hash, and the stored bits give the next ones), so growing one never holds an old and a new copy
 * of the whole index at once. Sized up front from an estimate of the rows, it need not grow.
 */
import { hashKey } from '../text/hash.js';

export class MailboxIndex {
  private readonly shards: Shard[] = [];
  private readonly shardCount: number;
  /** 32 - the position bits taken from `b` past the shard. */
  private readonly topShift: number;
  private used = 0;
  /** Scratch space: shard, `top` and `a` of each key of a `firstRowsOf` call. */
  private places = new Uint32Array(3 * 1024);
  /** What the reads of the home slots found (kept, so that they are not optimised away). */
  touched = 0;

  /** `expectedKeys`: how many keys the run will probably add (0 when unknown); only an estimate. */
  constructor(expectedKeys = 0) {
    // A wild estimate (a sample of short rows in front of long ones) must not allocate gigabytes.
    const expected = Math.min(Math.max(expectedKeys, 0), MAX_PRESIZED_KEYS);
    const slots = Math.max(expected / PRESIZE_LOAD, MIN_SLOTS);
    // A few hundred shards of 2^level slots: a shard that doubles adds little to the whole, and
    // rounding the total up to whole shards wastes at most one shard.
    let level = MIN_LEVEL;
    while (level < MAX_INITIAL_LEVEL && slots / 2 ** (level + 1) >= TARGET_SHARDS) level++;
    this.shardCount = Math.ceil(slots / 2 ** level);
    // Without an estimate (a list on stdin) the index may double many times, each doubling
    // taking one of the stored bits into the home: wide slots (12 bytes) store all of b's rest.
    const wide = expectedKeys <= 0;
    const topBits = wide ? 32 : level + COMPACT_EXTRA_BITS;
    this.topShift = 32 - topBits;
    for (let i = 0; i < this.shardCount; i++) this.shards.push(new Shard(level, topBits, wide));
  }

  get size(): number {
    return this.used;
  }

  /** Bytes held by the tables (for tests and measurements). */
  get bytes(): number {
    let total = 0;
    for (const shard of this.shards) total += shard.words.byteLength;
    return total;
  }

  /** Returns the row recorded for `key` if seen before; otherwise records `row` (>= 1) and returns 0. */
  firstRowOf(key: string, row: number): number {
    this.locate(key, 0);
    return this.lookUp(0, row);
  }

  /**
   * `firstRowOf` for many keys in order (the same answers as one call per key): all keys are
   * hashed first and the home slot of each is read in a tight loop, then the keys are looked up
   * back to back. A lookup is a cache miss in a table of tens of megabytes; a lookup with its
   * insertion is too long for the processor to start the next one's miss meanwhile, but the
   * reading loop is short enough for it to run many at once, and the lookups then find their
   * slots in the cache.
   */
  firstRowsOf(keys: readonly string[], rows: readonly number[]): Uint32Array {
    const count = keys.length;
    if (this.places.length < count * 3) this.places = new Uint32Array(count * 3);
    for (let i = 0; i < count; i++) this.locate(keys[i]!, i);
    const places = this.places;
    let sum = 0;
    for (let i = 0; i < count * 3; i += 3) sum += this.shards[places[i]!]!.touch(places[i + 1]!, places[i + 2]!);
    this.touched = sum;
    const firstRows = new Uint32Array(count);
    for (let i = 0; i < count; i++) firstRows[i] = this.lookUp(i, rows[i]!);
    return firstRows;
  }

  /** Hashes `key` into places[i]: its shard, its `top` (the rest of `b`'s bits, the first ones) and `a`. */
  private locate(key: string, i: number): void {
    const places = this.places;
    hashKey(key, places, i * 3 + 1);
    // b * shardCount / 2^32: the integer part is the shard, the fraction the rest of b's bits
    // (b * shardCount < 2^43 is exact, and >>> 0 keeps its low 32 bits).
    const a = places[i * 3 + 1]!;
    const scaled = places[i * 3 + 2]! * this.shardCount;
    places[i * 3] = Math.floor(scaled * INVERSE_TWO_TO_32);
    places[i * 3 + 1] = (scaled >>> 0) >>> this.topShift;
    places[i * 3 + 2] = a;
  }

  private lookUp(i: number, row: number): number {
    const places = this.places;
    const first = this.shards[places[i * 3]!]!.firstRowOf(places[i * 3 + 1]!, places[i * 3 + 2]!, row);
    if (first === 0) this.used++;
    return first;
  }
}

/** Bits of `b` past a shard's initial home kept in a compact slot: a shard can double this often and still place entries by `b`. */
const COMPACT_EXTRA_BITS = 9;
/** Distance from home + 1 in the low bits of a slot's first word (0: empty slot); the high bits hold extra bits. */
const DISTANCE_BITS = 7;
const DISTANCE_MASK = (1 << DISTANCE_BITS) - 1;
/** An entry farther than this from its home (never, short of crafted hash collisions) goes to a shard's overflow map. */
const MAX_DISTANCE = DISTANCE_MASK - 1;
/**
 * Words of 16 bits a slot: [extra bits << DISTANCE_BITS | distance + 1, a low, a high, row low,
 * row high] and, in a wide slot, 16 more extra bits.
 */
const COMPACT_WORDS = 5;
const MIN_LEVEL = 10;
/** 2^20 slots a shard at most up front (more shards beyond), so that the home and extra bits fit in 32 bits of `b`. */
const MAX_INITIAL_LEVEL = 20;
const TARGET_SHARDS = 256;
const MIN_SLOTS = 64 * 2 ** MIN_LEVEL;
/** Up front at most ~111 MB (a 10M-row list needs no growth); a bigger list grows the shards as it goes. */
const MAX_PRESIZED_KEYS = 10_000_000;
/**
 * Sized for the estimate of rows 90% full: the keys are fewer (invalid rows and duplicates add
 * none), and an estimate a little low still needs no growth.
 */
const PRESIZE_LOAD = 0.9;
/** Robin Hood lookups stay short up to about 93% full (an insertion walks on to a free slot, but a presized table seldom gets that full). */
const MAX_LOAD = 0.93;
/**
 * A table that grows from small spends its life between half full and full: there, inserting
 * near 93% (walking ~100 slots to a free one) would double the cost of the whole index.
 */
const MAX_LOAD_GROWING = 0.8;
const INVERSE_TWO_TO_32 = 2 ** -32;

/**
 * One shard: 2^level slots. An entry's position bits are the top `topBits` bits of `b` past the
 * shard (`top`) followed by the 32 bits of `a`; its home is the first `level` of them. The last
 * `extraBits` of `top` (9 in a compact slot, up to 25 in a wide one) are stored, so while the
 * level is at most `topBits`, doubling takes the next bit from them, and past that from `a`.
 * (Exported for tests, which give it chosen bits.)
 */
export class Shard {
  words: Uint16Array;
  private level: number;
  private capacity: number;
  private filled = 0;
  private limit: number;
  /** 16-bit words a slot: 5, or 6 in a wide slot. */
  private readonly stride: number;
  private readonly extraMask: number;
  /** Entries that could not be placed within MAX_DISTANCE of their home, by `top:a`. */
  private overflow: Map<string, number> | null = null;

  constructor(
    level: number,
    private readonly topBits: number,
    wide = false,
  ) {
    this.level = level;
    this.capacity = 2 ** level;
    this.stride = wide ? COMPACT_WORDS + 1 : COMPACT_WORDS;
    this.extraMask = 2 ** (topBits - level) - 1;
    if (topBits - level > (wide ? COMPACT_EXTRA_BITS + 16 : COMPACT_EXTRA_BITS) || topBits > 32)
      throw new RangeError('too many position bits');
    this.words = new Uint16Array(this.capacity * this.stride);
    this.limit = Math.floor(this.capacity * (wide ? MAX_LOAD_GROWING : MAX_LOAD));
  }

  /** Reads the home slot of an entry (bringing it into the cache). */
  touch(top: number, a: number): number {
    return this.words[this.homeOf(top, a) * this.stride]!;
  }

  firstRowOf(top: number, a: number, row: number): number {
    const words = this.words;
    const stride = this.stride;
    const extra = top & this.extraMask;
    // A wide slot: the first word holds the high extra bits, the sixth the low 16.
    const extraLow = extra & 0xffff;
    const wide = stride !== COMPACT_WORDS;
    const aLow = a & 0xffff;
    const aHigh = a >>> 16;
    let slot = this.homeOf(top, a);
    let distance = 0;
    // The first word of this key's entry, were it `distance` from home.
    let wanted = ((wide ? extra >>> 16 : extra) << DISTANCE_BITS) | 1;
    for (;;) {
      const at = slot * stride;
      const meta = words[at]!;
      if (meta === 0) break;
      if (meta === wanted && words[at + 1] === aLow && words[at + 2] === aHigh && (!wide || words[at + 5] === extraLow)) {
        return words[at + 3]! + words[at + 4]! * 0x10000;
      }
      // An entry nearer its home than this key would be: this key's run is over.
      if ((meta & DISTANCE_MASK) <= distance) break;
      wanted++;
      distance++;
      if (++slot === this.capacity) slot = 0;
      if (distance > MAX_DISTANCE) break;
    }
    if (this.overflow !== null) {
      const first = this.overflow.get(`${top}:${a}`);
      if (first !== undefined) return first;
    }
    this.place(slot, distance, extra, a, row);
    if (this.filled > this.limit) this.grow();
    return 0;
  }

  /** The first `level` position bits of an entry: the top bits of `b`'s rest, then `a`'s. */
  private homeOf(top: number, a: number): number {
    const beyond = this.level - this.topBits;
    if (beyond <= 0) return top >>> -beyond;
    return top * 2 ** beyond + (a >>> (32 - beyond));
  }

  /** Robin Hood insertion from `slot`, where the entry is `distance` from home: it takes the slot of any entry nearer its own home, which moves on. */
  private place(slot: number, distance: number, extra: number, a: number, row: number): void {
    const words = this.words;
    const stride = this.stride;
    const wide = stride !== COMPACT_WORDS;
    let meta = (wide ? extra >>> 16 : extra) << DISTANCE_BITS;
    let extraLow = wide ? extra & 0xffff : 0;
    let aLow = a & 0xffff;
    let aHigh = a >>> 16;
    let rowLow = row & 0xffff;
    let rowHigh = Math.floor(row / 0x10000);
    for (;;) {
      if (distance > MAX_DISTANCE) {
        const fullExtra = wide ? (meta >>> DISTANCE_BITS) * 0x10000 + extraLow : meta >>> DISTANCE_BITS;
        this.addOverflow(slot, distance, fullExtra, aLow + aHigh * 0x10000, rowLow + rowHigh * 0x10000);
        return;
      }
      const at = slot * stride;
      const current = words[at]!;
      if (current === 0) {
        words[at] = meta | (distance + 1);
        words[at + 1] = aLow;
        words[at + 2] = aHigh;
        words[at + 3] = rowLow;
        words[at + 4] = rowHigh;
        if (wide) words[at + 5] = extraLow;
        this.filled++;
        return;
      }
      const stored = (current & DISTANCE_MASK) - 1;
      if (stored < distance) {
        words[at] = meta | (distance + 1);
        meta = current & ~DISTANCE_MASK;
        let swap = words[at + 1]!;
        words[at + 1] = aLow;
        aLow = swap;
        swap = words[at + 2]!;
        words[at + 2] = aHigh;
        aHigh = swap;
        swap = words[at + 3]!;
        words[at + 3] = rowLow;
        rowLow = swap;
        swap = words[at + 4]!;
        words[at + 4] = rowHigh;
        rowHigh = swap;
        if (wide) {
          swap = words[at + 5]!;
          words[at + 5] = extraLow;
          extraLow = swap;
        }
        distance = stored;
      }
      distance++;
      if (++slot === this.capacity) slot = 0;
    }
  }

  /** An entry that would sit too far from its home: kept by its position bits in a map instead. */
  private addOverflow(slot: number, distance: number, extra: number, a: number, row: number): void {
    const home = (slot - distance + this.capacity * 2) % this.capacity;
    (this.overflow ??= new Map()).set(`${this.topOf(home, extra)}:${a}`, row);
  }

  /** `top` of an entry from its home and stored bits (the level is never below the initial one). */
  private topOf(home: number, extra: number): number {
    const below = this.topBits - this.level;
    if (below <= 0) return Math.floor(home / 2 ** -below);
    return home * 2 ** below + (extra % 2 ** below);
  }

  /** Doubles the shard: each entry's new home is its old one and its next position bit. */
  private grow(): void {
    const old = this.words;
    const stride = this.stride;
    const wide = stride !== COMPACT_WORDS;
    const oldCapacity = this.capacity;
    const oldLevel = this.level;
    this.level++;
    this.capacity *= 2;
    this.words = new Uint16Array(this.capacity * stride);
    // Past its presized size a table is a growing one.
    this.limit = Math.floor(this.capacity * MAX_LOAD_GROWING);
    this.filled = 0;
    // Position bit number oldLevel (from the top) is in the stored bits of `b`, else in `a`.
    const fromExtra = oldLevel < this.topBits;
    const shift = fromExtra ? this.topBits - oldLevel - 1 : 31 - (oldLevel - this.topBits);
    const oldMask = oldCapacity - 1;
    for (let slot = 0; slot < oldCapacity; slot++) {
      const at = slot * stride;
      const meta = old[at]!;
      if (meta === 0) continue;
      const home = (slot - ((meta & DISTANCE_MASK) - 1)) & oldMask;
      // At most 25 bits: an int.
      const extra = wide ? ((meta >>> DISTANCE_BITS) << 16) | old[at + 5]! : meta >>> DISTANCE_BITS;
      const a = (old[at + 1]! | (old[at + 2]! << 16)) >>> 0;
      const next = ((fromExtra ? extra : a) >>> shift) & 1;
      this.insertNew(home * 2 + next, extra, a, old[at + 3]! + old[at + 4]! * 0x10000);
    }
  }

  /** Places an entry known to be absent, starting at its home. */
  private insertNew(home: number, extra: number, a: number, row: number): void {
    const words = this.words;
    const stride = this.stride;
    let slot = home;
    let distance = 0;
    // Skip the entries at least as far from their homes (Robin Hood keeps them in front).
    for (;;) {
      const meta = words[slot * stride]!;
      if (meta === 0 || (meta & DISTANCE_MASK) - 1 < distance || distance > MAX_DISTANCE) break;
      distance++;
      if (++slot === this.capacity) slot = 0;
    }
    this.place(slot, distance, extra, a, row);
  }
}
