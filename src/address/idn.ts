/**
 * Internationalised domain names: turns a domain with U-labels or `xn--` A-labels into its
 * lower-case A-label form, or says which label is not a valid IDNA2008 label.
 *
 * tr46 (UTS #46) does the mapping, Punycode and the hyphen/bidi/joiner rules. UTS #46 is more
 * lenient than IDNA2008: it silently maps full-width and compatibility characters, drops
 * invisible ones and lets emoji through. We want the domain *as written* to be valid, so we
 * only accept labels that tr46 leaves unchanged (apart from case and NFC, which every mail
 * system normalises without ambiguity) and whose characters are letters, marks, digits or one
 * of the few context-allowed IDNA2008 characters.
 */
import { createRequire } from 'node:module';

interface Tr46Options {
  checkHyphens?: boolean;
  checkBidi?: boolean;
  checkJoiners?: boolean;
  useSTD3ASCIIRules?: boolean;
  verifyDNSLength?: boolean;
  transitionalProcessing?: boolean;
}

interface Tr46 {
  toASCII(domain: string, options?: Tr46Options): string | null;
  toUnicode(domain: string, options?: Tr46Options): { domain: string; error: boolean };
}

// tr46 ships no type declarations; load it through require and type the two functions we use.
// Loaded on first use: most lists have no IDN domain, and it costs start-up time.
let tr46Module: Tr46 | undefined;
function tr46(): Tr46 {
  return (tr46Module ??= createRequire(import.meta.url)('tr46') as Tr46);
}

/** IDNA2008 processing; lengths are checked by the caller on the A-label form. */
const IDNA_OPTIONS: Tr46Options = {
  transitionalProcessing: false,
  checkHyphens: true,
  checkBidi: true,
  checkJoiners: true,
  useSTD3ASCIIRules: true,
  verifyDNSLength: false,
};

/**
 * Characters IDNA2008 can allow in a U-label: letters, marks, decimal digits, hyphen, and the
 * CONTEXTO/CONTEXTJ characters (middle dot, Greek keraia, Hebrew geresh/gershayim, katakana
 * middle dot, ZWNJ/ZWJ; tr46 checks their contexts). Symbols, punctuation and emoji are out.
 */
const U_LABEL_CHARS = /^[\p{L}\p{M}\p{Nd}\-\u00B7\u0375\u05F3\u05F4\u30FB\u200C\u200D]+$/u;
const MIDDLE_DOT_BETWEEN_LS = /l\u00B7(?=l)/g;
const KERAIA_NOT_BEFORE_GREEK = /\u0375(?!\p{Script=Greek})/u;
const GERESH_NOT_AFTER_HEBREW = /(?<!\p{Script=Hebrew})[\u05F3\u05F4]/u;
const JAPANESE = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const ARABIC_INDIC_DIGIT = /[\u0660-\u0669]/;
const EXTENDED_ARABIC_INDIC_DIGIT = /[\u06F0-\u06F9]/;

/**
 * The IDNA2008 CONTEXTO rules (RFC 5892 appendix A), which tr46 does not check:
 * [label breaks the rule, why].
 */
const CONTEXT_RULES: ReadonlyArray<readonly [(label: string) => boolean, string]> = [
  [
    (label) => label.includes('\u00B7') && label.replace(MIDDLE_DOT_BETWEEN_LS, '').includes('\u00B7'),
    'has a middle dot (U+00B7) that is not between two "l"',
  ],
  [(label) => KERAIA_NOT_BEFORE_GREEK.test(label), 'has a Greek keraia (U+0375) not followed by a Greek letter'],
  [(label) => GERESH_NOT_AFTER_HEBREW.test(label), 'has a Hebrew geresh or gershayim not after a Hebrew letter'],
  [(label) => label.includes('\u30FB') && !JAPANESE.test(label), 'has a katakana middle dot (U+30FB) without any Japanese character'],
  [
    (label) => ARABIC_INDIC_DIGIT.test(label) && EXTENDED_ARABIC_INDIC_DIGIT.test(label),
    'mixes Arabic-Indic and extended Arabic-Indic digits',
  ],
];
const NON_ASCII = /[^\x00-\x7F]/;
/** ASCII other than letters, digits and hyphen (the labels here are already lower-case). */
const NOT_LDH = /[\x00-\x2C\x2E\x2F\x3A-\x60\x7B-\x7F]/;
const A_LABEL_PREFIX = /^xn--/i;
const A_LABEL_ANYWHERE = /(?:^|\.)xn--/i;

export type IdnResult =
  | { readonly ok: true; readonly ascii: string }
  | { readonly ok: false; readonly code: 'bad-idn-label' | 'bad-a-label'; readonly label: string; readonly why: string };

/** Contact lists repeat a few domains many times, and tr46 is slow; results are immutable. */
const CACHE_LIMIT = 10_000;
const cache = new Map<string, IdnResult>();

/** True when the domain needs IDNA processing (a non-ASCII label or an `xn--` label). */
export function needsIdna(domain: string): boolean {
  return NON_ASCII.test(domain) || A_LABEL_ANYWHERE.test(domain);
}

/**
 * Converts a domain to lower-case A-label form. The caller has already rejected empty labels,
 * blanks and invisible characters; this checks IDNA validity only.
 */
export function domainToAscii(domain: string): IdnResult {
  const cached = cache.get(domain);
  if (cached !== undefined) return cached;
  const result = convertDomain(domain);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(domain, result);
  return result;
}

function convertDomain(domain: string): IdnResult {
  // Lower-case one character at a time, as UTS #46 does: String#toLowerCase would turn a
  // final capital sigma into the final form, a different label.
  const written = Array.from(domain.normalize('NFC'), (ch) => ch.toLowerCase())
    .join('')
    .normalize('NFC');
  const labels = written.split('.');

  for (const label of labels) {
    if (!NON_ASCII.test(label)) continue;
    const why = whyNotULabel(label);
    if (why !== null) return { ok: false, code: 'bad-idn-label', label, why };
  }

  const ascii = tr46().toASCII(written, IDNA_OPTIONS);
  const asciiLabels = ascii === null ? [] : ascii.split('.');
  if (ascii === null || asciiLabels.length !== labels.length) {
    return explainFailure(labels);
  }

  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    const converted = asciiLabels[i]!;
    if (A_LABEL_PREFIX.test(label)) {
      // An A-label must decode to a valid U-label that encodes back to exactly itself.
      if (converted !== label) return badALabel(label, 'is not the canonical encoding of its Unicode form');
      const decoded = tr46().toUnicode(label, IDNA_OPTIONS).domain;
      const why = whyNotULabel(decoded);
      if (why !== null) return badALabel(label, `decodes to "${decoded}", which ${why}`);
    } else if (NON_ASCII.test(label)) {
      const roundTrip = tr46().toUnicode(converted, IDNA_OPTIONS).domain;
      if (roundTrip !== label) {
        return {
          ok: false,
          code: 'bad-idn-label',
          label,
          why: `is not in its normal IDNA form (it would become "${roundTrip}")`,
        };
      }
    }
  }
  return { ok: true, ascii };
}

/** The IDNA2008 checks tr46 does not make, on one lower-case NFC label; null when it passes. */
function whyNotULabel(label: string): string | null {
  if (!U_LABEL_CHARS.test(label)) {
    return 'contains a character that is not allowed in domain names (symbol, punctuation, emoji or a full-width form)';
  }
  const context = CONTEXT_RULES.find(([breaks]) => breaks(label));
  if (context !== undefined) return context[1];
  // NFC can turn a non-ASCII character into ASCII punctuation (U+037E becomes `;`).
  const punctuation = NOT_LDH.exec(label);
  return punctuation === null ? null : `contains a character that normalises to "${punctuation[0]}", which is not allowed in domain names`;
}

function badALabel(label: string, why: string): IdnResult {
  return { ok: false, code: 'bad-a-label', label, why };
}

/** Finds the label that tr46 rejects, for a message a person can act on. */
function explainFailure(labels: readonly string[]): IdnResult {
  for (const label of labels) {
    if (!NON_ASCII.test(label) && !A_LABEL_PREFIX.test(label)) continue;
    if (tr46().toASCII(label, IDNA_OPTIONS) !== null) continue;
    if (A_LABEL_PREFIX.test(label)) {
      return badALabel(label, 'is not a valid encoded (Punycode) label');
    }
    return {
      ok: false,
      code: 'bad-idn-label',
      label,
      why: 'breaks the IDNA rules (disallowed character, misplaced hyphen or combining mark, or invalid joiner)',
    };
  }
  // Every label passes on its own, so the domain as a whole fails the right-to-left rules.
  return {
    ok: false,
    code: 'bad-idn-label',
    label: labels.join('.'),
    why: 'contains right-to-left text but breaks the IDNA bidirectional rules (RFC 5893; e.g. an all-digit label)',
  };
}
