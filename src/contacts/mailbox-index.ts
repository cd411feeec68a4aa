/**
 * The set of mailboxes seen so far in a run, mapping each to the first row that had it.
 *
 * Lists have millions of rows, so a JS object or Map per row would dominate memory. This keeps a
 * 64-bit hash of each key (two independent 32-bit hashes) in an open-addressing table of typed
 * arrays: 12 bytes a row. Two different mailboxes are taken as the same only if both hashes
 * collide; for 5 million rows the chance of any such pair is about one in a million.
 */
export class MailboxIndex {
  private hashA: Uint32Array;
  private hashB: Uint32Array;
  private rows: Uint32Array;
  private used = 0;
  private mask: number;

  constructor(initialCapacity = 1 << 16) {
    let capacity = 1;
    while (capacity < initialCapacity) capacity <<= 1;
    this.hashA = new Uint32Array(capacity);
    this.hashB = new Uint32Array(capacity);
    this.rows = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.used;
  }

  /** Returns the row recorded for `key` if seen before; otherwise records `row` and returns 0. */
  firstRowOf(key: string, row: number): number {
    const a = fnv1a(key) >>> 0;
    // Slot 0 in hashB marks an empty slot: keep real hashes non-zero.
    const b = (murmurLike(key) | 1) >>> 0;
    let slot = a & this.mask;
    for (;;) {
      const stored = this.hashB[slot]!;
      if (stored === 0) break;
      if (stored === b && this.hashA[slot] === a) return this.rows[slot]!;
      slot = (slot + 1) & this.mask;
    }
    this.hashA[slot] = a;
    this.hashB[slot] = b;
    this.rows[slot] = row;
    this.used++;
    if (this.used * 4 > (this.mask + 1) * 3) this.grow();
    return 0;
  }

  private grow(): void {
    const oldA = this.hashA;
    const oldB = this.hashB;
    const oldRows = this.rows;
    const capacity = (this.mask + 1) * 2;
    this.hashA = new Uint32Array(capacity);
    this.hashB = new Uint32Array(capacity);
    this.rows = new Uint32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < oldB.length; i++) {
      const b = oldB[i]!;
      if (b === 0) continue;
      const a = oldA[i]!;
      let slot = a & this.mask;
      while (this.hashB[slot] !== 0) slot = (slot + 1) & this.mask;
      this.hashA[slot] = a;
      this.hashB[slot] = b;
      this.rows[slot] = oldRows[i]!;
    }
  }
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

function murmurLike(text: string): number {
  let hash = 0x9747b28c ^ text.length;
  for (let i = 0; i < text.length; i++) {
    let k = text.charCodeAt(i);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    hash ^= k;
    hash = (hash << 13) | (hash >>> 19);
    hash = (Math.imul(hash, 5) + 0xe6546b64) | 0;
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash;
}
