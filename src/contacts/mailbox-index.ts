/**
 * The set of mailboxes seen so far in a run, mapping each to the first row that had it.
 *
 * Lists have millions of rows, so a JS object or Map per row would dominate memory. This keeps a
 * 64-bit hash of each key (two independent 32-bit hashes) and the row in an open-addressing
 * table: 12 bytes a slot, the three words side by side so a probe touches one cache line. Two
 * different mailboxes are taken as the same only if both hashes collide; for 5 million rows the
 * chance of any such pair is about one in a million.
 *
 * The table is split in shards chosen by hash, each growing on its own: growing one never holds
 * an old and a new copy of the whole index at once, so the peak memory stays close to the index
 * itself. Sized up front from an estimate of the rows, it need not grow at all.
 */
import { hashKey } from '../text/hash.js';
export class MailboxIndex {
  private readonly shards: Shard[] = [];
  private used = 0;
  /** Scratch space for the two hashes of each key of a `firstRowsOf` call. */
  private hashes = new Uint32Array(2 * 1024);

  /** `expectedKeys`: how many keys the run will probably add (0 when unknown); only an estimate. */
  constructor(expectedKeys = 0) {
    // A wild estimate (a sample of short rows in front of long ones) must not allocate gigabytes.
    const expected = Math.min(Math.max(expectedKeys, 0), MAX_PRESIZED_KEYS);
    const perShard = Math.ceil(expected / SHARD_COUNT / MAX_LOAD);
    for (let i = 0; i < SHARD_COUNT; i++) this.shards.push(new Shard(Math.max(perShard, MIN_SHARD_SLOTS)));
  }

  get size(): number {
    return this.used;
  }

  /** Bytes held by the tables (for tests and measurements). */
  get bytes(): number {
    let total = 0;
    for (const shard of this.shards) total += shard.slots.byteLength;
    return total;
  }

  /** Returns the row recorded for `key` if seen before; otherwise records `row` (>= 1) and returns 0. */
  firstRowOf(key: string, row: number): number {
    hashKey(key, this.hashes, 0);
    return this.lookUp(this.hashes[0]!, this.hashes[1]!, row);
  }

  /**
   * `firstRowOf` for many keys in order (the same answers as one call per key): all keys are
   * hashed first, then looked up back to back. A lookup is a cache miss in a table of tens of
   * megabytes; between two calls for two rows the processor has other work, but in this tight
   * loop it runs several lookups' misses at once.
   */
  firstRowsOf(keys: readonly string[], rows: readonly number[]): Uint32Array {
    const count = keys.length;
    if (this.hashes.length < count * 2) this.hashes = new Uint32Array(count * 2);
    const hashes = this.hashes;
    for (let i = 0; i < count; i++) hashKey(keys[i]!, hashes, i * 2);
    const firstRows = new Uint32Array(count);
    for (let i = 0; i < count; i++) firstRows[i] = this.lookUp(hashes[i * 2]!, hashes[i * 2 + 1]!, rows[i]!);
    return firstRows;
  }

  private lookUp(a: number, b: number, row: number): number {
    const first = this.shards[b >>> SHARD_SHIFT]!.firstRowOf(a, b, row);
    if (first === 0) this.used++;
    return first;
  }
}

const SHARD_BITS = 6;
const SHARD_COUNT = 1 << SHARD_BITS;
const SHARD_SHIFT = 32 - SHARD_BITS;
const MIN_SHARD_SLOTS = 1024;
/** Up front at most ~160 MB (a 10M-row list needs no growth); a bigger list grows the shards as it goes. */
const MAX_PRESIZED_KEYS = 10_000_000;
/** Linear probing stays short up to three quarters full. */
const MAX_LOAD = 0.75;
/** Growth by half: the table is at most a third larger than it needs to be, not twice. */
const GROWTH = 1.5;
const WORDS = 3;
const TWO_TO_32 = 2 ** 32;

class Shard {
  /** [hashA, hashB, row] per slot. */
  slots: Uint32Array;
  private capacity: number;
  /** capacity / 2^32: maps hashA onto [0, capacity) by multiplication, for any capacity. */
  private scale: number;
  private used = 0;
  private limit: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    this.slots = new Uint32Array(capacity * WORDS);
    this.scale = capacity / TWO_TO_32;
    this.limit = Math.floor(capacity * MAX_LOAD);
  }

  firstRowOf(a: number, b: number, row: number): number {
    const slots = this.slots;
    const end = this.capacity * WORDS;
    let at = Math.floor(a * this.scale) * WORDS;
    for (;;) {
      const stored = slots[at + 1]!;
      if (stored === 0) break;
      if (stored === b && slots[at] === a) return slots[at + 2]!;
      at += WORDS;
      if (at === end) at = 0;
    }
    slots[at] = a;
    slots[at + 1] = b;
    slots[at + 2] = row;
    if (++this.used > this.limit) this.grow();
    return 0;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity = Math.ceil(this.capacity * GROWTH);
    this.slots = new Uint32Array(this.capacity * WORDS);
    this.scale = this.capacity / TWO_TO_32;
    this.limit = Math.floor(this.capacity * MAX_LOAD);
    const slots = this.slots;
    const end = this.capacity * WORDS;
    for (let from = 0; from < old.length; from += WORDS) {
      const b = old[from + 1]!;
      if (b === 0) continue;
      const a = old[from]!;
      let at = Math.floor(a * this.scale) * WORDS;
      while (slots[at + 1] !== 0) {
        at += WORDS;
        if (at === end) at = 0;
      }
      slots[at] = a;
      slots[at + 1] = b;
      slots[at + 2] = old[from + 2]!;
    }
  }
}
