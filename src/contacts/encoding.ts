/**
 * Output encodings and Windows-1252 both ways. The five bytes Windows-1252 leaves undefined
 * (0x81, 0x8D, 0x8F, 0x90, 0x9D) are read as the C1 control of the same number and written back
 * as that byte, as Windows itself does, so such a byte survives a run instead of turning into '?'.
 */

export type OutputEncodingName = 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be';

export interface OutputEncoding {
  name: OutputEncodingName;
  /** Write a byte-order mark first. */
  bom: boolean;
}

/** The names `--out-encoding` accepts. */
export const OUT_ENCODING_NAMES = ['utf-8', 'utf-8-bom', 'windows-1252', 'utf-16le'] as const;

export function parseOutEncoding(text: string): OutputEncoding | null {
  switch (text.trim().toLowerCase()) {
    case 'utf-8':
    case 'utf8':
      return { name: 'utf-8', bom: false };
    case 'utf-8-bom':
    case 'utf8-bom':
      return { name: 'utf-8', bom: true };
    case 'windows-1252':
    case 'cp1252':
      return { name: 'windows-1252', bom: false };
    case 'utf-16le':
    case 'utf-16':
      return { name: 'utf-16le', bom: true };
    default:
      return null;
  }
}

/** How report.json names an output encoding. */
export function describeOutEncoding(encoding: OutputEncoding): string {
  if (encoding.name === 'utf-8') return encoding.bom ? 'utf-8-bom' : 'utf-8';
  return encoding.name;
}

export function bomBytes(encoding: OutputEncoding): Buffer {
  if (!encoding.bom) return Buffer.alloc(0);
  if (encoding.name === 'utf-8') return Buffer.from([0xef, 0xbb, 0xbf]);
  if (encoding.name === 'utf-16le') return Buffer.from([0xff, 0xfe]);
  if (encoding.name === 'utf-16be') return Buffer.from([0xfe, 0xff]);
  return Buffer.alloc(0);
}

const HIGH_1252 = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f, 0x90, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];
const DECODE_1252: string[] = [];
const ENCODE_1252 = new Map<number, number>();
for (let byte = 0; byte < 256; byte++) {
  const code = byte >= 0x80 && byte < 0xa0 ? HIGH_1252[byte - 0x80]! : byte;
  DECODE_1252.push(String.fromCharCode(code));
  ENCODE_1252.set(code, byte);
}

export function decodeWindows1252(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end; i++) text += DECODE_1252[bytes[i]!];
  return text;
}

/** True when every character of `text` has a Windows-1252 byte. */
export function fitsWindows1252(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 && !ENCODE_1252.has(code)) return false;
  }
  return true;
}

/** The index of the first character of `text` the encoding cannot hold, or -1. */
export function firstUnencodable(text: string, encoding: OutputEncoding): number {
  if (encoding.name !== 'windows-1252') return -1;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80 && !ENCODE_1252.has(code)) return i;
  }
  return -1;
}

/** `text` (known to fit) as Windows-1252 bytes. */
export function encodeWindows1252(text: string): Buffer {
  const bytes = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes[i] = code < 0x80 ? code : (ENCODE_1252.get(code) ?? 0x3f);
  }
  return bytes;
}

const SPELLED: Record<string, string> = {
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u00a0': ' ',
  '\u2212': '-',
};

/**
 * Text that hygiene adds (details, suggestions) in a form the encoding can hold: accents dropped
 * (é -> e where the encoding lacks é), a few symbols spelled out, anything else '?'. Never used on
 * the user's own values.
 */
export function transliterate(text: string, encoding: OutputEncoding): string {
  if (firstUnencodable(text, encoding) < 0) return text;
  let out = '';
  for (const char of text) {
    if (fitsWindows1252(char)) {
      out += char;
      continue;
    }
    const spelled = SPELLED[char];
    if (spelled !== undefined) {
      out += spelled;
      continue;
    }
    const bare = char.normalize('NFKD').replace(/\p{M}/gu, '');
    out += bare !== '' && fitsWindows1252(bare) ? bare : '?';
  }
  return out;
}
