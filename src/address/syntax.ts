/**
 * The syntax check: is the value a bare, deliverable addr-spec as written?
 *
 * Bare: no display name, angle brackets, comments, blanks or control characters. Deliverable
 * on the public internet: a dot-atom or non-empty quoted local part (UTF-8 allowed, RFC 6531)
 * of at most 64 octets, and a domain name with at least one dot, LDH or IDNA2008 labels of at
 * most 63 octets, an alphabetic TLD, no IP literal and no special-use TLD, at most 253 octets
 * in A-label form; the whole address at most 254 octets.
 *
 * Ordinary ASCII addresses take a fast path (one precompiled regex and a few length checks);
 * everything else goes through the full parser, which also says precisely what is wrong.
 */
import { domainToAscii, needsIdna } from './idn.js';
import { repairAddress } from './repair.js';
import type { SyntaxResult } from './types.js';

const MAX_LOCAL_OCTETS = 64;
const MAX_ADDRESS_OCTETS = 254;
const MAX_DOMAIN_OCTETS = 253;
const MAX_LABEL_OCTETS = 63;
/** Nothing longer can be an address, even with blanks or a display name around it. */
const MAX_INPUT_LENGTH = 4096;

/** RFC 6761 and RFC 7686 special-use names: never deliverable on the public internet. */
const SPECIAL_USE_TLDS: ReadonlySet<string> = new Set(['test', 'invalid', 'localhost', 'local', 'onion', 'arpa']);

/** The common shape: ASCII dot-atom local part and LDH labels. Linear: dots delimit the labels. */
const FAST_SHAPE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$/;
const ALPHABETIC_TLD = /^[a-z]{2,63}$/;
const NUMERIC_LABEL = /^[0-9]+$/;
const DOTTED_QUAD = /^\d{1,3}(?:\.\d{1,3}){3}$/;

const NON_ASCII = /[^\x00-\x7F]/;
const EDGE_BLANK = /^\s|\s$/u;
const CONTROL = /\p{Cc}/u;
const BLANK = /\s/u;
/** Invisible or meaningless code points: format, private-use, unassigned and lone surrogates. */
const UNSAFE_UNICODE = /[\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;
/** The same in a domain, except the joiners ZWNJ/ZWJ, which IDNA allows in some contexts. */
const UNSAFE_IN_DOMAIN = /(?![\u200C\u200D])[\p{Cf}\p{Co}\p{Cn}\p{Cs}]/u;
/** The first character that may not appear unquoted in a local part (atext, dot, or UTF-8). */
const NOT_DOT_ATOM = /[^A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\u0080-\u{10FFFF}]/u;
const STARTS_WITH_MARK = /^\p{M}/u;
const PARENTHESIS = /[()]/;
const NOT_LDH = /[^A-Za-z0-9-]/;
const FULL_WIDTH_AT = /[\uFF20\uFE6B]/;
/** Shown as U+XXXX in messages, so a reader sees what is there. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/gu;
/** Blanks other than U+0020 (which a quoted local part may contain). */
const NON_SPACE_BLANK = /[^\S ]/u;

interface Failure {
  code: string;
  detail: string;
  local?: string;
  domain?: string;
}

interface Parts {
  local: string;
  domain: string;
  quoted: boolean;
}

/** Checks one address as written. Pure and cheap; safe on hostile input of any length. */
export function checkSyntax(address: string): SyntaxResult {
  const fast = checkCommonShape(address);
  if (fast !== null) return fast;
  const result = checkFully(address);
  if (result.valid) return result;
  return { ...result, suggestion: suggestRepair(address) };
}

function suggestRepair(address: string): string | null {
  const repaired = repairAddress(address);
  if (repaired === address) return null;
  return checkFully(repaired).valid ? repaired : null;
}

/** Accepts the ordinary ASCII shape, or returns null to defer to the full parser. */
function checkCommonShape(address: string): SyntaxResult | null {
  if (address.length > MAX_ADDRESS_OCTETS || !FAST_SHAPE.test(address)) return null;
  const at = address.indexOf('@');
  const local = address.slice(0, at);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return null;
  const domain = address.slice(at + 1);
  if (domain.length > MAX_DOMAIN_OCTETS) return null;
  let labelStart = 0;
  while (labelStart <= domain.length) {
    let labelEnd = domain.indexOf('.', labelStart);
    if (labelEnd < 0) labelEnd = domain.length;
    if (domain[labelStart] === '-' || domain[labelEnd - 1] === '-') return null;
    // `--` in positions 3-4 is either an A-label (needs decoding) or invalid: full parser.
    if (domain[labelStart + 2] === '-' && domain[labelStart + 3] === '-') return null;
    labelStart = labelEnd + 1;
  }
  const asciiDomain = domain.toLowerCase();
  const tld = asciiDomain.slice(asciiDomain.lastIndexOf('.') + 1);
  if (!ALPHABETIC_TLD.test(tld) || SPECIAL_USE_TLDS.has(tld)) return null;
  return { valid: true, code: null, detail: null, suggestion: null, local, domain, asciiDomain };
}

/** The full parser: the first rule that fails gives the code and the detail. */
function checkFully(address: string): SyntaxResult {
  const failure = findWholeValueProblem(address);
  if (failure !== null) return invalid(failure);

  const parts = splitAddress(address);
  if ('code' in parts) return invalid(parts);
  const { local, domain } = parts;

  const localFailure = parts.quoted ? checkQuotedLocal(local) : checkDotAtomLocal(local);
  if (localFailure !== null) return invalid({ ...localFailure, local, domain });

  const domainCheck = checkDomain(domain);
  if ('code' in domainCheck) return invalid({ ...domainCheck, local, domain });
  const { asciiDomain } = domainCheck;

  const octets = Buffer.byteLength(local, 'utf8') + 1 + asciiDomain.length;
  if (octets > MAX_ADDRESS_OCTETS) {
    return invalid({
      code: 'address-too-long',
      detail: `the address is ${octets} octets long (domain in A-label form); the limit is ${MAX_ADDRESS_OCTETS}`,
      local,
      domain,
    });
  }
  return { valid: true, code: null, detail: null, suggestion: null, local, domain, asciiDomain };
}

function invalid(failure: Failure): SyntaxResult {
  return {
    valid: false,
    code: failure.code,
    detail: failure.detail,
    suggestion: null,
    local: failure.local ?? null,
    domain: failure.domain ?? null,
    asciiDomain: null,
  };
}

/** Problems of the value as a whole, before it can be split at the `@`. */
function findWholeValueProblem(address: string): Failure | null {
  if (address.length === 0) return { code: 'empty', detail: 'the address is empty' };
  if (address.length > MAX_INPUT_LENGTH) {
    return {
      code: 'address-too-long',
      detail: `the value is ${address.length} characters long; an address has at most ${MAX_ADDRESS_OCTETS} octets`,
    };
  }
  const open = address.lastIndexOf('<');
  if (open >= 0 && address.trimEnd().endsWith('>')) {
    const bracketed = address.trimEnd().slice(open);
    return open === 0 || address.slice(0, open).trim() === ''
      ? { code: 'display-name', detail: `the address is wrapped in angle brackets (${show(bracketed)}); write it bare` }
      : {
          code: 'display-name',
          detail: `the value has a display name (${show(address.slice(0, open).trim())}) before ${show(bracketed)}; keep only the bare address`,
        };
  }
  if (EDGE_BLANK.test(address)) {
    return {
      code: 'leading-trailing-whitespace',
      detail: `the value has blanks or line breaks before or after the address (${show(address)})`,
    };
  }
  const control = CONTROL.exec(address);
  if (control !== null) {
    return {
      code: 'control-char',
      detail: `the value contains the control character ${codePoint(control[0])} (${show(address)})`,
    };
  }
  return null;
}

/** Splits at the `@` that ends the local part (a quoted local part may contain `@`). */
function splitAddress(address: string): Parts | Failure {
  if (address.startsWith('"')) return splitQuoted(address);
  if (PARENTHESIS.test(address)) {
    return { code: 'comment', detail: `the value contains a comment in parentheses (${show(address)}); remove it` };
  }
  const at = address.indexOf('@');
  if (at < 0) {
    const fullWidth = FULL_WIDTH_AT.exec(address);
    return {
      code: 'no-at-sign',
      detail:
        fullWidth === null
          ? `there is no "@" in ${show(address)}`
          : `there is no "@" in ${show(address)}, only the look-alike ${codePoint(fullWidth[0])}`,
    };
  }
  const ats = countAtSigns(address);
  if (ats > 1) {
    return {
      code: 'several-at-signs',
      detail: `there are ${ats} "@" signs in ${show(address)}; an address has exactly one (an "@" in the local part must be quoted)`,
    };
  }
  return { local: address.slice(0, at), domain: address.slice(at + 1), quoted: false };
}

function countAtSigns(text: string): number {
  let count = 0;
  for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) count++;
  return count;
}

/** A quoted local part: `"` then qtext or backslash pairs, then `"` and `@` (RFC 5321 4.1.2). */
function splitQuoted(address: string): Parts | Failure {
  let i = 1;
  while (i < address.length) {
    const ch = address.charCodeAt(i);
    if (ch === 0x22) break;
    if (ch === 0x5c) {
      const escaped = address.charCodeAt(i + 1);
      if (!(escaped >= 0x20 && escaped <= 0x7e)) {
        return {
          code: 'bad-quoted-local',
          detail: `a backslash in the quoted local part ${show(address)} must be followed by a printable ASCII character`,
        };
      }
      i += 2;
      continue;
    }
    i++;
  }
  if (i >= address.length) {
    return { code: 'bad-quoted-local', detail: `the quoted local part of ${show(address)} has no closing quote` };
  }
  const local = address.slice(0, i + 1);
  const rest = address.slice(i + 1);
  if (!rest.startsWith('@')) {
    return rest === ''
      ? { code: 'no-at-sign', detail: `there is no "@" after the quoted text ${show(address)}` }
      : {
          code: 'bad-quoted-local',
          detail: `the quoted local part ${show(local)} is followed by ${show(rest.slice(0, 1))} instead of "@"; quote the whole local part`,
        };
  }
  const domain = rest.slice(1);
  if (domain.includes('@')) {
    return { code: 'several-at-signs', detail: `the domain ${show(domain)} contains another "@"`, local };
  }
  if (PARENTHESIS.test(domain)) {
    return { code: 'comment', detail: `the domain ${show(domain)} contains a comment in parentheses; remove it`, local, domain };
  }
  return { local, domain, quoted: true };
}

function checkQuotedLocal(local: string): Failure | null {
  const content = local.slice(1, -1);
  if (content === '') {
    return { code: 'empty-quoted-local', detail: 'the local part is an empty quoted string ("")' };
  }
  if (NON_ASCII.test(content)) {
    const unsafe = UNSAFE_UNICODE.exec(content) ?? NON_SPACE_BLANK.exec(content);
    if (unsafe !== null) {
      return {
        code: BLANK.test(unsafe[0]) ? 'whitespace' : 'unsafe-unicode',
        detail: `the local part ${show(local)} contains the invisible character ${codePoint(unsafe[0])}`,
      };
    }
  }
  return checkLocalLength(local);
}

function checkDotAtomLocal(local: string): Failure | null {
  if (local === '') return { code: 'empty-local', detail: 'there is nothing before the "@"' };
  const bad = NOT_DOT_ATOM.exec(local) ?? (NON_ASCII.test(local) ? findUnsafeUnicode(local) : null);
  if (bad !== null) return describeBadLocalChar(local, bad[0]);
  if (NON_ASCII.test(local)) {
    // Mail systems compare UTF-8 local parts in NFC: `;` (U+037E) becomes `;` there.
    const normalized = local.normalize('NFC');
    const badAfterNfc = NOT_DOT_ATOM.exec(normalized);
    if (badAfterNfc !== null) {
      return {
        code: 'bad-local-char',
        detail: `the local part ${show(local)} contains a character that normalises to ${show(badAfterNfc[0])}, which must be quoted`,
      };
    }
    if (STARTS_WITH_MARK.test(normalized)) {
      return { code: 'unsafe-unicode', detail: `the local part ${show(local)} starts with a combining mark` };
    }
  }
  if (local.startsWith('.') || local.endsWith('.')) {
    return {
      code: 'bad-local-dots',
      detail: `the local part ${show(local)} ${local.startsWith('.') ? 'starts' : 'ends'} with a dot`,
    };
  }
  if (local.includes('..')) {
    return { code: 'bad-local-dots', detail: `the local part ${show(local)} has two dots in a row` };
  }
  return checkLocalLength(local);
}

function findUnsafeUnicode(text: string): RegExpExecArray | null {
  return UNSAFE_UNICODE.exec(text) ?? BLANK.exec(text);
}

function describeBadLocalChar(local: string, character: string): Failure {
  if (BLANK.test(character)) {
    return { code: 'whitespace', detail: `the local part ${show(local)} contains a blank (${codePoint(character)})` };
  }
  if (UNSAFE_UNICODE.test(character)) {
    return {
      code: 'unsafe-unicode',
      detail: `the local part ${show(local)} contains the invisible or unassigned character ${codePoint(character)}`,
    };
  }
  return {
    code: 'bad-local-char',
    detail: `the local part ${show(local)} contains ${show(character)}, which is only allowed inside a quoted local part`,
  };
}

function checkLocalLength(local: string): Failure | null {
  const octets = Buffer.byteLength(local, 'utf8');
  if (octets <= MAX_LOCAL_OCTETS) return null;
  return {
    code: 'local-too-long',
    detail: `the local part is ${octets} octets long; the limit is ${MAX_LOCAL_OCTETS}`,
  };
}

/** Checks the domain as written; returns its lower-case A-label form when it is valid. */
function checkDomain(domain: string): { asciiDomain: string } | Failure {
  if (domain === '') return { code: 'empty-domain', detail: 'there is nothing after the "@"' };
  if (domain.startsWith('[')) {
    return {
      code: 'domain-literal',
      detail: `the domain is an address literal (${show(domain)}); bulk mail needs a domain name`,
    };
  }
  const blank = BLANK.exec(domain);
  if (blank !== null) {
    return { code: 'whitespace', detail: `the domain ${show(domain)} contains a blank (${codePoint(blank[0])})` };
  }
  if (!domain.includes('.')) {
    return { code: 'no-dot-in-domain', detail: `the domain has no dot (${show(domain)}); it needs a top-level domain` };
  }
  if (domain.endsWith('.') && !domain.endsWith('..')) {
    return { code: 'trailing-dot', detail: `the domain ${show(domain)} ends with a dot` };
  }
  const labels = domain.split('.');
  for (const label of labels) {
    const failure = checkLabelAsWritten(domain, label);
    if (failure !== null) return failure;
  }

  let asciiDomain = domain.toLowerCase();
  if (needsIdna(domain)) {
    const idn = domainToAscii(domain);
    if (!idn.ok) {
      return { code: idn.code, detail: `the domain label ${show(idn.label)} ${idn.why}` };
    }
    asciiDomain = idn.ascii;
    const long = asciiDomain.split('.').find((label) => label.length > MAX_LABEL_OCTETS);
    if (long !== undefined) {
      return {
        code: 'label-too-long',
        detail: `a domain label is ${long.length} octets long in A-label form (${show(long)}); the limit is ${MAX_LABEL_OCTETS}`,
      };
    }
  }
  if (asciiDomain.length > MAX_DOMAIN_OCTETS) {
    return {
      code: 'domain-too-long',
      detail: `the domain is ${asciiDomain.length} octets long in A-label form; the limit is ${MAX_DOMAIN_OCTETS}`,
    };
  }
  return checkTopLevel(domain, asciiDomain) ?? { asciiDomain };
}

function checkLabelAsWritten(domain: string, label: string): Failure | null {
  if (label === '') {
    return { code: 'empty-label', detail: `the domain ${show(domain)} has an empty label (a dot at the start or two dots in a row)` };
  }
  if (NON_ASCII.test(label)) {
    const unsafe = UNSAFE_IN_DOMAIN.exec(label);
    return unsafe === null
      ? null
      : {
          code: 'unsafe-unicode',
          detail: `the domain ${show(domain)} contains the invisible or unassigned character ${codePoint(unsafe[0])}`,
        };
  }
  const bad = NOT_LDH.exec(label);
  if (bad !== null) {
    return {
      code: 'bad-domain-char',
      detail: `the domain ${show(domain)} contains ${show(bad[0])}; only letters, digits, hyphens and dots are allowed`,
    };
  }
  if (label.startsWith('-') || label.endsWith('-')) {
    return { code: 'label-hyphen', detail: `the domain label ${show(label)} ${label.startsWith('-') ? 'starts' : 'ends'} with a hyphen` };
  }
  if (label.length > MAX_LABEL_OCTETS) {
    return {
      code: 'label-too-long',
      detail: `the domain label ${show(label)} is ${label.length} octets long; the limit is ${MAX_LABEL_OCTETS}`,
    };
  }
  if (label[2] === '-' && label[3] === '-' && label.slice(0, 2).toLowerCase() !== 'xn') {
    return {
      code: 'label-hyphen',
      detail: `the domain label ${show(label)} has "--" in positions 3-4, which is reserved for encoded labels`,
    };
  }
  return null;
}

function checkTopLevel(domain: string, asciiDomain: string): Failure | null {
  const tld = asciiDomain.slice(asciiDomain.lastIndexOf('.') + 1);
  if (NUMERIC_LABEL.test(tld)) {
    return {
      code: 'numeric-tld',
      detail: DOTTED_QUAD.test(asciiDomain)
        ? `the domain ${show(domain)} is an IP address, not a domain name`
        : `the top-level domain ${show(tld)} is numeric; it must be letters`,
    };
  }
  if (!ALPHABETIC_TLD.test(tld) && !tld.startsWith('xn--')) {
    return { code: 'bad-tld', detail: `the top-level domain ${show(tld)} must be two or more letters` };
  }
  if (SPECIAL_USE_TLDS.has(tld)) {
    return {
      code: 'special-use-domain',
      detail: `the domain ${show(domain)} ends in ".${tld}", a special-use name that is never delivered on the internet`,
    };
  }
  return null;
}

/** Quotes a fragment for a message: invisible characters shown as U+XXXX, long values cut. */
function show(text: string): string {
  const characters = Array.from(text);
  const cut = characters.length > 80 ? `${characters.slice(0, 77).join('')}...` : text;
  return `"${cut.replace(INVISIBLE, (ch) => `<${codePoint(ch)}>`)}"`;
}

function codePoint(character: string): string {
  return `U+${character.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
