/**
 * Obvious repairs of an address that is invalid as written: the slips of copy-paste, mail
 * clients and anti-spam obfuscation. `repairAddress` only rewrites text; the syntax check
 * decides whether the result is valid and therefore worth suggesting.
 *
 * No repair touches the letters or the case of the local part.
 */

type Repair = readonly [name: string, apply: (text: string) => string];

/** Longer values are not a slipped address; not worth repairing. */
const MAX_REPAIR_INPUT = 1024;

/** Characters that copy-paste leaves at the edges: blanks, line breaks, BOM, zero-width space. */
const EDGE_JUNK = /[\s\u200B\u2060]/u;
const QUOTE_PAIRS: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ['\u201C', '\u201D'],
  ['\u2018', '\u2019'],
]);
const MAILTO = /^mailto:/i;
const FULL_WIDTH_AT = /[\uFF20\uFE6B]/g;
// Single optional blanks, never `\s*`, so these stay linear on long runs of blanks.
const BRACKETED_AT = / ?[[({<] ?at ?[\])}>] ?/gi;
const BRACKETED_DOT = / ?[[({<] ?dot ?[\])}>] ?/gi;
const AT_RUN = /@{2,}/g;
const BLANK_RUN = /\s+/;
const SPACE_OR_TAB = ' \t';

const REPAIRS: readonly Repair[] = [
  ['trim blanks', trimEdges],
  ['surrounding quotes', stripSurroundingQuotes],
  ['display name or <...>', keepAngleAddress],
  ['mailto: prefix', stripMailto],
  ['trailing ; or ,', (text) => trimEdges(stripTrailing(text, ';,'))],
  ['full-width @', (text) => (text.includes('@') ? text : text.replace(FULL_WIDTH_AT, '@'))],
  ['[at] and [dot]', replaceBracketedWords],
  ['" at " for @', replaceSpelledAt],
  ['doubled @@', (text) => text.replace(AT_RUN, '@')],
  ['blanks next to @', trimAroundAt],
  ['comma for dot in the domain', commaToDotInDomain],
  ['trailing dot of the domain', (text) => (text.includes('@') ? stripTrailing(text, '.') : text)],
];

/** Applies every obvious repair until nothing changes; returns the input when none applies. */
export function repairAddress(text: string): string {
  if (text.length > MAX_REPAIR_INPUT) return text;
  let current = text;
  for (let pass = 0; pass < 3; pass++) {
    const before = current;
    for (const [, apply] of REPAIRS) current = apply(current);
    if (current === before) break;
  }
  return current;
}

function trimEdges(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && EDGE_JUNK.test(text[start]!)) start++;
  while (end > start && EDGE_JUNK.test(text[end - 1]!)) end--;
  return text.slice(start, end);
}

function stripTrailing(text: string, characters: string): string {
  let end = text.length;
  while (end > 0 && characters.includes(text[end - 1]!)) end--;
  return text.slice(0, end);
}

function stripSurroundingQuotes(text: string): string {
  if (text.length < 3) return text;
  const closing = QUOTE_PAIRS.get(text[0]!);
  if (closing === undefined || !text.endsWith(closing)) return text;
  const inner = text.slice(1, -1);
  // `"ann"@example.com` is a quoted local part, not a quoted address; only unwrap whole addresses.
  return inner.includes('@') ? trimEdges(inner) : text;
}

/** `Ann <ann@example.com>` and `<ann@example.com>` become `ann@example.com`. */
function keepAngleAddress(text: string): string {
  if (!text.endsWith('>')) return text;
  const open = text.lastIndexOf('<');
  if (open < 0) return text;
  return trimEdges(text.slice(open + 1, -1));
}

function stripMailto(text: string): string {
  if (!MAILTO.test(text)) return text;
  const address = text.slice('mailto:'.length);
  // In a mailto: URL a `?` after the domain starts header fields (`?subject=...`).
  const at = address.lastIndexOf('@');
  const query = address.indexOf('?', at + 1);
  return at >= 0 && query > at ? address.slice(0, query) : address;
}

function replaceBracketedWords(text: string): string {
  const withAt = text.includes('@') ? text : text.replace(BRACKETED_AT, '@');
  return withAt.includes('@') ? withAt.replace(BRACKETED_DOT, '.') : withAt;
}

/** `john at example.com` (exactly three words) becomes `john@example.com`. */
function replaceSpelledAt(text: string): string {
  if (text.includes('@')) return text;
  const words = text.split(BLANK_RUN);
  if (words.length !== 3 || words[1]!.toLowerCase() !== 'at') return text;
  return `${words[0]}@${words[2]}`;
}

function trimAroundAt(text: string): string {
  const parts = text.split('@');
  if (parts.length !== 2) return text;
  return `${trimSpacesAndTabs(parts[0]!, 'end')}@${trimSpacesAndTabs(parts[1]!, 'start')}`;
}

/** Only spaces and tabs: a line break inside a value may join two values, not a slip. */
function trimSpacesAndTabs(text: string, side: 'start' | 'end'): string {
  let start = 0;
  let end = text.length;
  if (side === 'start') while (start < end && SPACE_OR_TAB.includes(text[start]!)) start++;
  else while (end > start && SPACE_OR_TAB.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

function commaToDotInDomain(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const domain = text.slice(at + 1);
  return domain.includes(',') ? `${text.slice(0, at + 1)}${domain.replaceAll(',', '.')}` : text;
}
