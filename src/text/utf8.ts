/** UTF-8 validity of raw bytes, for the readers that must choose an encoding from a sample. */

export function isValidUtf8(bytes: Buffer, allowTruncatedEnd: boolean): boolean {
  return scanUtf8(bytes, allowTruncatedEnd).firstInvalid < 0;
}

/**
 * Walks the bytes as UTF-8: where the first invalid byte is (-1 if none) and whether valid
 * multi-byte sequences were seen before it (then the file mixes UTF-8 with another encoding).
 */
export function scanUtf8(bytes: Buffer, allowTruncatedEnd: boolean): { firstInvalid: number; multibyteSeen: boolean } {
  let i = 0;
  let multibyteSeen = false;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) need = 2;
    else if (b >= 0xf0 && b <= 0xf4) need = 3;
    else return { firstInvalid: i, multibyteSeen };
    if (i + need >= n) {
      // The sequence runs past the end of the sample.
      for (let k = i + 1; k < n; k++) if ((bytes[k]! & 0xc0) !== 0x80) return { firstInvalid: i, multibyteSeen };
      return allowTruncatedEnd ? { firstInvalid: -1, multibyteSeen } : { firstInvalid: i, multibyteSeen };
    }
    for (let k = 1; k <= need; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return { firstInvalid: i, multibyteSeen };
    multibyteSeen = true;
    i += need + 1;
  }
  return { firstInvalid: -1, multibyteSeen };
}
