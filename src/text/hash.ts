/**
 * String hashing for the in-memory tables of the hot paths (the duplicate index, the domain facts
 * cache): two independent 32-bit hashes, so that two keys are confused only when both collide.
 */

/**
 * Two 32-bit hashes of `key` into out[at], out[at + 1], in one pass two UTF-16 units at a time:
 * an fnv-1a-like one and murmur3's, both finished with murmur3's finaliser so every bit of the
 * key reaches every bit. The second is never 0 (0 marks an empty slot).
 */
export function hashKey(key: string, out: Uint32Array, at: number): void {
  let a = 0x811c9dc5 ^ key.length;
  let b = 0x9747b28c;
  const pairsEnd = key.length & ~1;
  for (let i = 0; i < pairsEnd; i += 2) {
    const word = key.charCodeAt(i) | (key.charCodeAt(i + 1) << 16);
    a = Math.imul(a ^ word, 0x01000193);
    b = murmurRound(b, word);
  }
  if (pairsEnd < key.length) {
    const last = key.charCodeAt(pairsEnd);
    a = Math.imul(a ^ last, 0x01000193);
    b = murmurRound(b, last);
  }
  out[at] = finalMix(a ^ key.length);
  out[at + 1] = finalMix(b ^ key.length) | 1;
}

function murmurRound(hash: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  hash ^= Math.imul(k, 0x1b873593);
  hash = (hash << 13) | (hash >>> 19);
  return (Math.imul(hash, 5) + 0xe6546b64) | 0;
}

/** murmur3's finaliser: spreads every input bit over the whole hash. */
function finalMix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}
