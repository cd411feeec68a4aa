import { findStage } from './smtp-stage.js';

/**
 * SMTP text helpers that the format parsers and the classifier share: the enhanced status code,
 * reply code and SMTP command found in diagnostic text, and the normalised copy of a diagnostic
 * that phrase tables match against. Every expression here is linear: fixed-width digits, no
 * nested or overlapping quantifiers.
 */

/** `5.1.1`, `4.7.26`, `5.1.351`; not part of an IP address or a version number (`192.0.5.4.4`). */
const ENHANCED_CODE = /(?<![\w.])([245])\.(\d{1,3})\.(\d{1,3})(?![\w]|\.\d)/g;

/** A reply code where replies start: at the beginning, after `said:`, `<<<`, `;`, `(`, `#`... */
const REPLY_CODE = /(?:^|[\s:;([#<>'"=])([45][0-9]\d)(?=[\s\-:.,;)\]]|$)/g;

/** The status classes an enhanced code may have; anything else (`3.1.1`, `5.1`) is not one. */
export function cleanStatus(status: string | null | undefined): string | null {
  if (!status) return null;
  const match = /^\s*([245])\.(\d{1,3})\.(\d{1,3})/.exec(status);
  return match ? `${match[1]}.${match[2]}.${match[3]}` : null;
}

/**
 * How much an enhanced code says: failure classes (4, 5) over success (2, the `250 2.1.5 Ok`
 * lines of a transcript), then a specific detail (`5.1.1`) over `5.1.0` over `5.0.0`.
 */
export function statusWeight(code: string): number {
  const [klass, subject, detail] = code.split('.');
  return (klass === '2' ? 0 : 10) + (detail !== '0' ? 2 : subject !== '0' ? 1 : 0);
}

/** The most telling enhanced code in the text (the first of the best weight), or null. */
export function findEnhancedStatus(text: string): string | null {
  let best: string | null = null;
  let bestWeight = -1;
  ENHANCED_CODE.lastIndex = 0;
  for (let match = ENHANCED_CODE.exec(text); match; match = ENHANCED_CODE.exec(text)) {
    const code = `${match[1]}.${match[2]}.${match[3]}`;
    const weight = statusWeight(code);
    if (weight > bestWeight) {
      best = code;
      bestWeight = weight;
      if (weight === 12) break;
    }
  }
  return best;
}

/** The first 4xx/5xx reply code in the text, or null. */
export function findReplyCode(text: string): string | null {
  REPLY_CODE.lastIndex = 0;
  const match = REPLY_CODE.exec(text);
  return match ? match[1]! : null;
}

/**
 * Which SMTP command the remote server was answering, from the wording of the text (see
 * smtp-stage.ts for the families of wording). Kept under this name for the parsers that use it.
 */
export function findCommand(normalizedText: string): string | null {
  return findStage(normalizedText);
}

// ---------------------------------------------------------------------------------------------
// Normalised diagnostics

/**
 * The copy of a diagnostic that phrase tables are matched against: at most the first 4 KiB
 * (remote text is hostile and the useful part is at the start), lower-case, blanks collapsed,
 * and the `550-5.7.1` continuation prefixes of flattened multi-line replies removed so that
 * phrases split across reply lines match again.
 */
export const MAX_DIAGNOSTIC = 4096;

/** `550`, `550-`, `550-5.7.1`, `550-5.7.1-` as one word. */
const REPLY_WORD = /^([245]\d\d)(?:-([245]\.\d{1,3}\.\d{1,3}))?-?$/;
const STATUS_WORD = /^[245]\.\d{1,3}\.\d{1,3}$/;

export function normalizeDiagnostic(text: string | null | undefined): string {
  if (!text) return '';
  // Typographic apostrophes and quotes (`doesn’t`) read as the ASCII ones the tables use.
  const words = text
    .slice(0, MAX_DIAGNOSTIC)
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .split(/\s+/);
  const kept: string[] = [];
  let reply: string | null = null;
  let status: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '') continue;
    const match = REPLY_WORD.exec(word);
    if (!match) {
      kept.push(word);
      continue;
    }
    const next = words[i + 1] ?? '';
    const wordStatus = match[2] ?? (STATUS_WORD.test(next) ? next : null);
    if (reply === null) {
      // The first reply code is the reply; later equal ones are continuation prefixes.
      reply = match[1]!;
      status = wordStatus;
      kept.push(reply);
      if (match[2]) kept.push(match[2]);
    } else if (match[1] === reply) {
      if (!match[2] && status !== null && next === status) i++;
    } else {
      kept.push(word);
    }
  }
  return withoutFooters(kept.join(' '));
}

/**
 * Anti-virus and disclaimer footers that ride along in bounce bodies ("This message has been
 * scanned for viruses ... and is believed to be clean", "No virus found in this message",
 * "Checked by AVG", "virus-free"). They say nothing about the delivery, and their words
 * ("virus", "infected") would otherwise read as a scanner's verdict.
 */
const FOOTERS =
  /(?:this (?:e-?mail|message) (?:has been|was|is) )?(?:scanned|checked) (?:for viruses|by [^.]{0,80}?anti-?virus|by avg|by mailscanner|for spam and viruses)[^.]{0,160}?(?:\.|$)|no virus found in this (?:incoming |outgoing )?message|(?:and )?is believed to be clean|virus[- ]free|anti-?virus (?:signature|database)[^.]{0,80}?(?:\.|$)/g;

function withoutFooters(text: string): string {
  if (!text.includes('virus') && !text.includes('clean')) return text;
  return text.replace(FOOTERS, ' ').replace(/ {2,}/g, ' ').trim();
}

/**
 * Labels of letters, digits and hyphens joined by single dots: Sendmail's "<addr>...User unknown"
 * written without its blank must leave "User unknown" outside the address.
 */
const ADDRESS = /[^\s<>()[\]"',;:]{1,64}@[a-z0-9][a-z0-9-]{0,62}(?:\.[a-z0-9-]{1,63}){0,126}/gi;
const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])/g;

/**
 * The diagnostic with e-mail addresses and IPv4 literals replaced by fixed stand-ins
 * (`x@x.invalid`, `0.0.0.0`), at most MAX_DIAGNOSTIC characters. Addresses and IPs are names,
 * not evidence: `filtered@example.org` or `userunknown@example.jp` must not read as a reason.
 * The classifier reads this copy, so one reply sent to many recipients is one input (and one
 * entry of the classification cache).
 */
export function maskNames(text: string | null): string | null {
  if (!text) return text;
  let out = text.length > MAX_DIAGNOSTIC ? text.slice(0, MAX_DIAGNOSTIC) : text;
  if (out.includes('@')) out = withoutAddresses(out);
  if (/\d\.\d/.test(out)) out = out.replace(IPV4, '0.0.0.0');
  return out;
}

/** The longest local part ADDRESS takes: no match starts further than this before its `@`. */
const MAX_LOCAL_PART = 64;

/**
 * `text.replace(ADDRESS, 'x@x.invalid')`, with the pattern tried only near an `@`. Trying it at
 * every position costs up to 64 steps each (the local part is read greedily, then given back);
 * a match starts at most MAX_LOCAL_PART characters before its `@`, and no earlier than that
 * before the first `@` after where the last match ended, so the search starts there.
 */
function withoutAddresses(text: string): string {
  let out = '';
  let done = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', Math.max(done, at + 1))) {
    ADDRESS.lastIndex = Math.max(done, at - MAX_LOCAL_PART);
    const match = ADDRESS.exec(text);
    if (match === null) break;
    out += `${text.slice(done, match.index)}x@x.invalid`;
    done = match.index + match[0].length;
  }
  return done === 0 ? text : out + text.slice(done);
}
