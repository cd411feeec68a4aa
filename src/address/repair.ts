/**
 * Obvious repairs of an address that is invalid as written: the slips of copy-paste, mail
 * clients, typing and anti-spam obfuscation. `repairAddress` only rewrites text; the syntax
 * check decides whether the result is valid and therefore worth suggesting.
 *
 * No repair touches the letters or the case of the local part; repairs only remove junk
 * (blanks, stray punctuation, extra dots or `@`) or put back the one character meant.
 */
import { popularDomains } from './domains.js';

type Repair = readonly [name: string, apply: (text: string) => string];

/** Longer values are not a slipped address; not worth repairing. */
const MAX_REPAIR_INPUT = 1024;
/** Combined slips (`mailto:.user[at]gmail[dot]con.`) need a few passes; each pass is linear. */
const MAX_PASSES = 4;

/** Characters that copy-paste leaves at the edges: blanks, line breaks, BOM, zero-width space. */
const EDGE_JUNK = /[\s\u200B\u2060\uFEFF]/u;
const QUOTE_PAIRS: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["'", "'"],
  ['\u201C', '\u201D'],
  ['\u2018', '\u2019'],
]);
/** Labels that people and web pages put before an address. Bounded blanks keep it linear. */
const ADDRESS_PREFIX = /^(?:mailto|e-?mail|mail|to)[ \t]{0,3}:[ \t]{0,3}/i;
const MAILTO = /^mailto/i;
/**
 * A leading opener is junk when its closer never follows (`<ann@example.com`); with a closer it
 * may be a quoted local part (`"ann"@example.com`), which is left alone.
 */
const LEADING_OPENERS: ReadonlyMap<string, string> = new Map([
  ['<', '>'],
  ['(', ')'],
  ['[', ']'],
  ['"', '"'],
  ["'", "'"],
]);
/** Closers and separators that cannot start an address. */
const LEADING_STRAYS = '>)]:;,';
/** Punctuation a domain can never end with: copy-paste and sentence leftovers (`ann@example.com?`). */
const TRAILING_JUNK = `?!'"$>)]}*#%&^~|:/\\\``;
const FULL_WIDTH_AT = /[\uFF20\uFE6B]/g;
// Single optional blanks, never `\s*`, so these stay linear on long runs of blanks.
const BRACKETED_AT = / ?[[({<] ?at ?[\])}>] ?/gi;
const BRACKETED_DOT = / ?[[({<] ?dot ?[\])}>] ?/gi;
const AT_RUN = /@{2,}/g;
const DOT_RUN = /\.{2,}/g;
const BLANK_RUN = /\s+/;
/** Spaces and tabs only: a line break inside a value may join two values, not a slip. */
const INNER_BLANKS = /[ \t\u00A0]+/g;
const SPACE_OR_TAB = ' \t';
/** A word of a person's name: capitalised (`Ann`, `O'Neil`, `Berg,`, `Jr.`). Bounded run. */
const NAME_WORD = /^\p{Lu}[\p{L}'\u2019.,-]{0,40}$/u;
/** An address typed after a name starts in lower case or a digit (`ann@`, `2ann@`). */
const LOWER_START = /^[\p{Ll}\p{N}]/u;
/**
 * A local part worth an `@` in front of a popular domain (`usergmail.com`): starts and ends with
 * a letter or digit, the usual punctuation between. The bounded run keeps it linear.
 */
const PLAUSIBLE_LOCAL = /^[\p{L}\p{N}](?:[\p{L}\p{N}._+-]{0,62}[\p{L}\p{N}])?$/u;
/**
 * Short brand names end ordinary words (olive.com is not o@live.com, email.com not e@mail.com),
 * so a missing `@` is only put back before a brand at least this long (gmail, yahoo, hotmail).
 */
const MIN_BRAND_FOR_MISSING_AT = 5;

const REPAIRS: readonly Repair[] = [
  ['trim blanks', trimEdges],
  ['surrounding quotes', stripSurroundingQuotes],
  ['display name or <...>', keepAngleAddress],
  ['mailto:, email:, to: prefix', stripAddressPrefix],
  ['trailing ; or ,', (text) => trimEdges(stripTrailing(text, ';,'))],
  ['leading junk', stripLeadingJunk],
  ['trailing junk after the domain', stripTrailingJunk],
  ['full-width @', (text) => (text.includes('@') ? text : text.replace(FULL_WIDTH_AT, '@'))],
  ['[at] and [dot]', replaceBracketedWords],
  ['" at " for @', replaceSpelledAt],
  ['doubled @@', (text) => text.replace(AT_RUN, '@')],
  ['blanks next to @', trimAroundAt],
  ['display name without <...>', dropBareDisplayName],
  ['blanks inside the address', removeInnerBlanks],
  ['domain written twice or several @', resolveSeveralAts],
  ['comma for dot in the domain', commaToDotInDomain],
  ['comma for dot in the local part', commaToDotInLocal],
  ['extra dots in the domain', tidyDomainDots],
  ['trailing dot of the domain', (text) => (text.includes('@') ? stripTrailing(text, '.') : text)],
  ['extra dots in the local part', tidyLocalDots],
  ['missing @ before a popular domain', insertMissingAt],
];

/** Applies every obvious repair until nothing changes; returns the input when none applies. */
export function repairAddress(text: string): string {
  if (text.length > MAX_REPAIR_INPUT) return text;
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
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

function trimDots(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === '.') start++;
  while (end > start && text[end - 1] === '.') end--;
  return text.slice(start, end);
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

function stripAddressPrefix(text: string): string {
  const prefix = ADDRESS_PREFIX.exec(text);
  if (prefix === null) return text;
  const address = text.slice(prefix[0].length);
  if (!MAILTO.test(prefix[0])) return address;
  // In a mailto: URL a `?` after the domain starts header fields (`?subject=...`).
  const at = address.lastIndexOf('@');
  const query = address.indexOf('?', at + 1);
  return at >= 0 && query > at ? address.slice(0, query) : address;
}

function stripLeadingJunk(text: string): string {
  // Where each closer last appears, looked up once: a run of openers stays linear.
  const lastCloser = new Map<string, number>();
  let start = 0;
  while (start < text.length) {
    const character = text[start]!;
    const closer = LEADING_OPENERS.get(character);
    let junk: boolean;
    if (closer === undefined) junk = LEADING_STRAYS.includes(character);
    else {
      let at = lastCloser.get(closer);
      if (at === undefined) lastCloser.set(closer, (at = text.lastIndexOf(closer)));
      junk = at <= start;
    }
    if (!junk) break;
    start++;
  }
  return start === 0 ? text : text.slice(start);
}

/** Only after the last `@`: these characters are legal in a local part, never in a domain. */
function stripTrailingJunk(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  let end = text.length;
  while (end > at + 1 && TRAILING_JUNK.includes(text[end - 1]!)) end--;
  return end === text.length ? text : text.slice(0, end);
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

function trimSpacesAndTabs(text: string, side: 'start' | 'end'): string {
  let start = 0;
  let end = text.length;
  if (side === 'start') while (start < end && SPACE_OR_TAB.includes(text[start]!)) start++;
  else while (end > start && SPACE_OR_TAB.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/**
 * `Ann Berg ann@example.com`: a capitalised name before a lower-case address is a display name
 * without its angle brackets, not blanks typed inside the address (`test user@example.com`).
 */
function dropBareDisplayName(text: string): string {
  if (!text.includes('@') || text.startsWith('"')) return text;
  const words = text.split(BLANK_RUN);
  if (words.length < 2) return text;
  const address = words[words.length - 1]!;
  if (address.indexOf('@') <= 0 || !LOWER_START.test(address)) return text;
  return words.slice(0, -1).every((word) => NAME_WORD.test(word)) ? address : text;
}

/**
 * `us er@example.com`: blanks typed inside an address. Only once there is an `@` (a sentence
 * without one is not an address), and never inside a quoted local part, where blanks are legal.
 */
function removeInnerBlanks(text: string): string {
  if (!text.includes('@') || text.startsWith('"')) return text;
  return text.replace(INNER_BLANKS, '');
}

/**
 * `user@gmail.com@gmail.com` keeps one domain; `first@second@example.com` keeps the last `@` and
 * joins the rest. A dotted part between two `@` is a domain of its own: two addresses run
 * together (`a@b.com,c@d.com`), which is not a slip to repair.
 */
function resolveSeveralAts(text: string): string {
  if (text.startsWith('"')) return text;
  const parts = text.split('@');
  if (parts.length < 3) return text;
  const domain = parts[parts.length - 1]!;
  if (!domain.includes('.')) return text;
  if (parts[parts.length - 2]!.toLowerCase() === domain.toLowerCase()) return parts.slice(0, -1).join('@');
  const middle = parts.slice(1, -1);
  if (middle.some((part) => part.includes('.'))) return text;
  return `${parts.slice(0, -1).join('')}@${domain}`;
}

function commaToDotInDomain(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const domain = text.slice(at + 1);
  return domain.includes(',') ? `${text.slice(0, at + 1)}${domain.replaceAll(',', '.')}` : text;
}

/** The unquoted local part of a value with exactly one `@`, or null. */
function splitUnquoted(text: string): { local: string; rest: string } | null {
  const at = text.indexOf('@');
  if (at <= 0 || text.startsWith('"') || text.indexOf('@', at + 1) >= 0) return null;
  return { local: text.slice(0, at), rest: text.slice(at) };
}

/** `us,er@example.com`: the comma sits next to the dot on every keyboard. */
function commaToDotInLocal(text: string): string {
  const parts = splitUnquoted(text);
  if (parts === null || !parts.local.includes(',')) return text;
  return `${parts.local.replaceAll(',', '.')}${parts.rest}`;
}

/** `user@gmail..com`, `user@.example.com`: empty labels are doubled or stray dots. */
function tidyDomainDots(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const domain = text.slice(at + 1);
  let tidy = domain.replace(DOT_RUN, '.');
  if (tidy.startsWith('.')) tidy = tidy.slice(1);
  return tidy === domain ? text : `${text.slice(0, at + 1)}${tidy}`;
}

/** `.user@`, `user.@`, `us..er@`: dots at the edges dropped, runs of dots made one. */
function tidyLocalDots(text: string): string {
  const parts = splitUnquoted(text);
  if (parts === null || !parts.local.includes('.')) return text;
  const tidy = trimDots(parts.local.replace(DOT_RUN, '.'));
  return tidy === parts.local ? text : `${tidy}${parts.rest}`;
}

interface MissingAtTargets {
  domains: ReadonlySet<string>;
  longest: number;
}

let missingAtTargets: MissingAtTargets | undefined;

function targetsForMissingAt(): MissingAtTargets {
  if (missingAtTargets) return missingAtTargets;
  const domains = popularDomains().filter((domain) => domain.indexOf('.') >= MIN_BRAND_FOR_MISSING_AT);
  missingAtTargets = { domains: new Set(domains), longest: Math.max(...domains.map((domain) => domain.length)) };
  return missingAtTargets;
}

/**
 * `usergmail.com` becomes `user@gmail.com`: only before a popular mailbox domain, taking the
 * longest one the text ends with (`hotmail.com`, not `mail.com`), and only when what precedes it
 * could be a local part. A value that is itself a domain (`gmail.com`, `www.gmail.com`) is not.
 */
function insertMissingAt(text: string): string {
  if (text.includes('@')) return text;
  const { domains, longest } = targetsForMissingAt();
  const lower = text.toLowerCase();
  // A few letters change length in lower case (U+0130); positions would no longer line up.
  if (lower.length !== text.length) return text;
  for (let start = Math.max(0, text.length - longest); start < text.length; start++) {
    if (!domains.has(lower.slice(start))) continue;
    const local = text.slice(0, start);
    return PLAUSIBLE_LOCAL.test(local) && !local.includes('..') ? `${local}@${text.slice(start)}` : text;
  }
  return text;
}

/**
 * The repairs that remove only what surrounds an address: blanks at the edges and next to the
 * `@`, quotes around the whole value, a display name and angle brackets, a `mailto:` prefix,
 * trailing separators and sentence punctuation, the trailing dot of the domain. What they
 * leave has the local part exactly as the person typed it.
 */
const UNWRAPPING: readonly Repair[] = [
  ['trim blanks', trimEdges],
  ['surrounding quotes', stripSurroundingQuotes],
  ['display name or <...>', keepAngleAddress],
  ['mailto:, email:, to: prefix', stripAddressPrefix],
  ['trailing ; or ,', (text) => trimEdges(stripTrailing(text, ';,'))],
  ['trailing junk after the domain', stripTrailingJunk],
  ['blanks next to @', trimAroundAt],
  ['display name without <...>', dropBareDisplayName],
  ['trailing dot of the domain', (text) => (text.includes('@') ? stripTrailing(text, '.') : text)],
];

/** `Ann <ann@example.com>`, ` mailto:ann@example.com;` -> `ann@example.com`; nothing else changes. */
export function unwrapAddress(text: string): string {
  if (text.length > MAX_REPAIR_INPUT) return text;
  let current = text;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = current;
    for (const [, apply] of UNWRAPPING) current = apply(current);
    if (current === before) break;
  }
  return current;
}
