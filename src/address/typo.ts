/**
 * Domain typo suggestions. The rule that matters most: a real, common domain is never
 * "corrected". Suggestions only ever point at a popular mailbox domain (data/popular-domains.txt),
 * or fix a TLD that does not exist. Everything else is left alone.
 */
import { parse as parseDomain } from 'tldts';
import type { TypoResult } from './types.js';
import { allFreeMailDomains, isRealSuffix, TwoGenerationCache, knownRealDomains, popularDomains, splitDomain } from './domains.js';
import { CHEAP_EDIT, typingDistance, typingEdits, type Edit } from './keyboard.js';

interface Target {
  domain: string;
  /** Position in data/popular-domains.txt: lower is more popular. */
  rank: number;
  /** The brand label ("hotmail" of "hotmail.co.uk"). */
  name: string;
  /** The public suffix ("co.uk"). */
  suffix: string;
  suffixLabels: number;
}

/**
 * How many edits a name may be off, by the length of the name meant. Short names sit close to
 * countless real domains (live/love, zoho/zopo), so they only get TLD fixes; long names can take
 * two slips before another real name is likelier.
 */
const NAME_BUDGETS: ReadonlyArray<readonly [maxLength: number, budget: number]> = [
  [4, 0],
  [6, 1],
  [8, 1.5],
  [Infinity, 2],
];

function nameBudget(name: string): number {
  return NAME_BUDGETS.find(([maxLength]) => name.length <= maxLength)![1];
}

/** A slipped TLD on top of a misspelt name is still one more slip, not a different domain. */
const EXTRA_TLD_BUDGET = 1;
/** A TLD that does not exist is certainly wrong, so it may be further from the one meant. */
const UNREAL_TLD_BUDGET = 2;
/**
 * A TLD that exists (.co, .om, .cm, .ne) is only read as a slip for .com/.net, the TLDs of the
 * popular mailbox brands, and only one slip away.
 */
const REAL_TLD_SLIP_TARGETS = new Set(['com', 'net']);
const REAL_TLD_BUDGET_SHORT_NAME = 1;
const REAL_TLD_BUDGET = 1.5;
const MIN_NAME_FOR_REAL_TLD_SLIP = 3;
/** "me" or "o2" alone is a word, not a forgotten ".com". */
const MIN_BARE_NAME = 3;

/**
 * The sign-up-harvested free-mail list holds real domains and misspellings alike, so being on it
 * only raises the bar: a listed domain gets a suggestion only when it is one slip away.
 */
const LISTED_FREE_MAIL_BUDGET = 1;

/**
 * Brands whose addresses exist under one domain only: gmail.net or gmail.co.uk is always a slip,
 * however far the TLD is from ".com".
 */
const ONE_DOMAIN_BRANDS = new Map(
  ['gmail.com', 'googlemail.com', 'ymail.com', 'rocketmail.com'].map((domain) => [domain.split('.')[0]!, domain]),
);

/**
 * Global mailbox brands that use no other generic TLD than their own: hotmail.net, yahoo.net,
 * icloud.net or outlook.org hold nobody's mailbox, whatever the distance from ".com".
 * Only long brand names: short ones (live, mac, gmx) are words or real other services.
 */
const GLOBAL_BRANDS: ReadonlySet<string> = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'hotmail',
  'outlook',
  'icloud',
  'ymail',
  'rocketmail',
  'protonmail',
]);
/** Generic TLDs a global brand does not use (its country TLDs are real: hotmail.fr, yahoo.de). */
const FOREIGN_GENERIC_TLDS: ReadonlySet<string> = new Set(['net', 'org', 'info', 'biz']);
/** The shortest brand name taken as the first label of a compound (`gmail.co.com`) or doubled (`gmailgmail.com`). */
const MIN_BRAND_FOR_COMPOUND = 5;
/** A label that a compound may hold by mistake: a TLD or a slip of one (`co`, `fr`, `con`). */
const TLD_LIKE_LABEL = /^[a-z]{2,3}$/;
/** What a compound may cost: one label dropped and one slipped TLD. */
const COMPOUND_BUDGET = 2;

/**
 * TLDs a domain of unknown name may be corrected to when its own TLD does not exist, with how far
 * the typed TLD may be. Country codes only for a doubled or neighbouring key (".frr", ".dee").
 */
const TLD_FIXES: ReadonlyArray<readonly [tld: string, budget: number]> = [
  ['com', 1],
  ['net', 1],
  ['org', 1],
  ['edu', 1],
  ['gov', 1],
  ...['de', 'uk', 'fr', 'it', 'es', 'nl', 'ru', 'br', 'au', 'ca', 'ch', 'be', 'at', 'jp', 'pl', 'in', 'mx'].map(
    (tld) => [tld, 0.5] as const,
  ),
];

/**
 * Host names people copy from a browser or a mail client setup page ("www.gmail.com",
 * "smtp.gmail.com"). Dropped only in front of a popular domain, where no such mailbox exists.
 */
const HOST_PREFIXES: readonly string[] = ['www.', 'mail.', 'smtp.', 'webmail.'];

/**
 * Domains per memo generation (two are kept). B2B lists have a long tail of company domains
 * (~111k distinct in a million rows): a memo that forgets them all at once recomputes them all.
 */
const MEMO_LIMIT = 50_000;
/** Longer is not a valid domain; bounds the work and memory one hostile value can cause. */
const MAX_DOMAIN_LENGTH = 253;

/** Targets sharing a name and a suffix length: their name is compared with the typed one once. */
interface TargetGroup {
  name: string;
  /** `letterMask(name)`: rules most typed names out before the edit distance is computed. */
  letters: number;
  suffixLabels: number;
  budget: number;
  targets: Target[];
}

interface TargetIndex {
  byDomain: Map<string, Target>;
  /** Groups by suffix length, then by name length: a typed name is only compared with names it could reach. */
  groups: Map<number, TargetGroup[][]>;
  /** "gmailcom" -> "gmail.com", for dots left out or misplaced. */
  dotless: Map<string, string>;
  /** The lengths of the `dotless` keys: a typed domain of another length needs no lookup. */
  dotlessLengths: Set<number>;
  /** "yahoo" -> "yahoo.com": the most popular domain of each name. */
  brandDefaults: Map<string, string>;
}

let index: TargetIndex | undefined;

function targetIndex(): TargetIndex {
  if (index) return index;
  const built: TargetIndex = {
    byDomain: new Map(),
    groups: new Map(),
    dotless: new Map(),
    dotlessLengths: new Set(),
    brandDefaults: new Map(),
  };
  const groups = new Map<string, TargetGroup>();
  popularDomains().forEach((domain, rank) => {
    const parts = splitDomain(domain);
    if (!parts || parts.name.includes('.') || built.byDomain.has(domain)) return;
    const suffixLabels = parts.suffix.split('.').length;
    const target: Target = { domain, rank, name: parts.name, suffix: parts.suffix, suffixLabels };
    built.byDomain.set(domain, target);
    const key = `${suffixLabels} ${parts.name}`;
    let group = groups.get(key);
    if (!group) {
      group = { name: parts.name, letters: letterMask(parts.name), suffixLabels, budget: nameBudget(parts.name), targets: [] };
      groups.set(key, group);
      let byLength = built.groups.get(suffixLabels);
      if (!byLength) built.groups.set(suffixLabels, (byLength = []));
      (byLength[parts.name.length] ??= []).push(group);
    }
    group.targets.push(target);
    const dotless = domain.replaceAll('.', '');
    if (!built.dotless.has(dotless)) built.dotless.set(dotless, domain);
    built.dotlessLengths.add(dotless.length);
    if (!built.brandDefaults.has(parts.name)) built.brandDefaults.set(parts.name, domain);
  });
  index = built;
  return built;
}

const memo = new TwoGenerationCache<TypoResult>(MEMO_LIMIT);
const NO_SUGGESTION: TypoResult = Object.freeze({ suggestion: null, why: null });

/**
 * Suggests the domain that was probably meant, or nothing. `domain` is the lower-case A-label
 * domain of a syntactically valid address. Results are memoised per domain (bounded).
 */
export function suggestDomain(input: string): TypoResult {
  // Not a valid domain: not worth a comparison, nor a place in the memo.
  if (input.length > MAX_DOMAIN_LENGTH) return NO_SUGGESTION;
  const domain = input.toLowerCase();
  const cached = memo.get(domain);
  if (cached) return cached;
  const result = computeSuggestion(domain);
  memo.set(domain, result);
  return result;
}

/** `suggestDomain` without the memo, for a caller that caches per domain itself (`checkAddress`). */
export function suggestDomainUncached(input: string): TypoResult {
  if (input.length > MAX_DOMAIN_LENGTH) return NO_SUGGESTION;
  return computeSuggestion(input.toLowerCase());
}

function suggest(suggestion: string, why: string): TypoResult {
  return Object.freeze({ suggestion, why });
}

function computeSuggestion(domain: string): TypoResult {
  // The leave-alone set is the first thing asked: most rows are real domains.
  if (knownRealDomains().has(domain)) return NO_SUGGESTION;
  const targets = targetIndex();

  if (!domain.includes('.')) return suggestForBareName(domain, targets);

  const host = HOST_PREFIXES.find((prefix) => domain.startsWith(prefix));
  if (host) {
    const rest = domain.slice(host.length);
    if (targets.byDomain.has(rest)) return suggest(rest, `"${host}" is not part of a mail domain`);
    const inner = suggestDomain(rest);
    if (inner.suggestion && targets.byDomain.has(inner.suggestion)) {
      return suggest(inner.suggestion, `"${host}" is not part of a mail domain; ${inner.why}`);
    }
  }

  const trailing = stripTrailingJunk(domain, targets);
  if (trailing) return trailing;

  const moved = targets.dotlessLengths.has(domain.length - countDots(domain)) ? targets.dotless.get(domain.replaceAll('.', '')) : undefined;
  if (moved) return suggest(moved, `dot in the wrong place: ${domain} -> ${moved}`);

  const parts = splitDomain(domain);
  if (!parts) return NO_SUGGESTION;

  const nearest = nearestTarget(domain, targets);
  if (nearest && (nearest.cost <= LISTED_FREE_MAIL_BUDGET || !allFreeMailDomains().has(domain))) return nearest.result;

  const doubled = doubledBrand(parts.name, parts.suffix, targets);
  if (doubled) return doubled;
  const compound = compoundOfBrand(domain, targets);
  if (compound) return compound;

  const oneDomain = ONE_DOMAIN_BRANDS.get(parts.name);
  if (oneDomain) return suggest(oneDomain, `${parts.name} addresses exist only at ${oneDomain}`);
  if (GLOBAL_BRANDS.has(parts.name) && FOREIGN_GENERIC_TLDS.has(parts.suffix)) {
    const meant = targets.brandDefaults.get(parts.name);
    if (meant) return suggest(meant, `${parts.name} has no addresses under ".${parts.suffix}"`);
  }

  if (!parts.realTld) return fixUnknownTld(parts.name, parts.suffix);
  return NO_SUGGESTION;
}

/** `gmailgmail.com`, `gmail.gmail.com`: a brand name typed twice (autocomplete, a paste). */
function doubledBrand(name: string, suffix: string, targets: TargetIndex): TypoResult | null {
  const plain = name.replace('.', '');
  if (plain.length % 2 !== 0 || (plain !== name && name.indexOf('.') !== plain.length / 2)) return null;
  const half = plain.slice(0, plain.length / 2);
  if (half.length < MIN_BRAND_FOR_COMPOUND || plain.slice(half.length) !== half) return null;
  const meant = targets.byDomain.has(`${half}.${suffix}`) ? `${half}.${suffix}` : targets.brandDefaults.get(half);
  return meant ? suggest(meant, `name written twice: ${name}.${suffix} -> ${meant}`) : null;
}

/**
 * `gmail.co.com`, `hotmail.fr.com`, `gmail.con.br`: a brand's name followed by its TLD with an
 * extra TLD-like label (and maybe one slipped TLD). Left alone when what follows the name is a
 * real country suffix (`hotmail.co.th` is Microsoft's), unless the brand has one domain only.
 * Of equal readings the one that keeps the labels typed first wins (`hotmail.fr.com` -> hotmail.fr).
 */
function compoundOfBrand(domain: string, targets: TargetIndex): TypoResult | null {
  const labels = domain.split('.');
  if (labels.length < 3) return null;
  const brand = labels[0]!;
  const rest = labels.slice(1);
  if (brand.length < MIN_BRAND_FOR_COMPOUND || !targets.brandDefaults.has(brand)) return null;
  if (!ONE_DOMAIN_BRANDS.has(brand) && isIcannSuffix(rest.join('.'))) return null;
  let best: { cost: number; dropped: number; target: Target } | null = null;
  for (const target of targets.byDomain.values()) {
    if (target.name !== brand || target.suffixLabels !== rest.length - 1) continue;
    const wanted = target.suffix.split('.');
    for (let drop = rest.length - 1; drop >= 0; drop--) {
      if (!TLD_LIKE_LABEL.test(rest[drop]!)) continue;
      const kept = rest.filter((_, i) => i !== drop);
      let cost = 1;
      for (let i = 0; i < kept.length && cost <= COMPOUND_BUDGET; i++) cost += tldDistance(kept[i]!, wanted[i]!, 1);
      if (cost > COMPOUND_BUDGET) continue;
      if (
        best &&
        (cost > best.cost || (cost === best.cost && (drop < best.dropped || (drop === best.dropped && target.rank > best.target.rank))))
      )
        continue;
      best = { cost, dropped: drop, target };
    }
  }
  return best ? suggest(best.target.domain, `extra label ".${rest[best.dropped]}": ${domain} -> ${best.target.domain}`) : null;
}

/** A suffix under which the registries themselves (not a private reseller) register names. */
function isIcannSuffix(suffix: string): boolean {
  const parsed = parseDomain(suffix);
  return parsed.publicSuffix === suffix && parsed.isIcann === true;
}

/** "yahoo" or "gmailcom": a popular name with its TLD or its dot left out. */
function suggestForBareName(domain: string, targets: TargetIndex): TypoResult {
  const joined = targets.dotless.get(domain);
  if (joined) return suggest(joined, `missing dot: ${domain} -> ${joined}`);
  const brand = targets.brandDefaults.get(domain);
  if (brand && domain.length >= MIN_BARE_NAME) return suggest(brand, `no TLD: ${domain} -> ${brand}`);
  return NO_SUGGESTION;
}

/** "gmail.com.html", "hotmail.com.com": a popular domain followed by something that is not a TLD. */
function stripTrailingJunk(domain: string, targets: TargetIndex): TypoResult | null {
  for (let dot = domain.indexOf('.'); dot !== -1; dot = domain.indexOf('.', dot + 1)) {
    const target = targets.byDomain.get(domain.slice(0, dot));
    if (!target) continue;
    const rest = domain.slice(dot + 1);
    if (!isRealSuffix(rest) || rest === target.suffix) {
      return suggest(target.domain, `text after the domain: ${domain} -> ${target.domain}`);
    }
  }
  return null;
}

interface Candidate {
  cost: number;
  result: TypoResult;
}

/** The largest name budget: each edit costs at least CHEAP_EDIT, so names further apart in length never match. */
const MAX_LENGTH_GAP = Math.max(...NAME_BUDGETS.map(([, budget]) => budget)) / CHEAP_EDIT;

/** The closest popular domain within budget; ties go to the more popular one. */
function nearestTarget(domain: string, targets: TargetIndex): Candidate | null {
  const dots: number[] = [];
  for (let dot = domain.indexOf('.'); dot !== -1; dot = domain.indexOf('.', dot + 1)) dots.push(dot);
  let best: { cost: number; target: Target; name: string; suffix: string } | null = null;
  for (const [targetSuffixLabels, byLength] of targets.groups) {
    // Align the typed domain on the target's suffix length: ("yahoo.co", "uj") or ("yahoo", "co.uj").
    const cut = dots[dots.length - Math.min(targetSuffixLabels, dots.length)]!;
    const name = domain.slice(0, cut);
    const suffix = domain.slice(cut + 1);
    let typedSuffixIsReal: boolean | undefined;
    const letters = letterMask(name);
    const shortest = Math.max(0, name.length - MAX_LENGTH_GAP);
    const longest = Math.min(byLength.length - 1, name.length + MAX_LENGTH_GAP);
    for (let length = shortest; length <= longest; length++) {
      for (const group of byLength[length] ?? []) {
        if (lettersApart(letters, group.letters) * CHEAP_EDIT > group.budget) continue;
        const nameCost = name === group.name ? 0 : typingDistance(name, group.name, group.budget);
        if (nameCost === Infinity) continue;
        const limit = group.budget + EXTRA_TLD_BUDGET;
        typedSuffixIsReal ??= isRealSuffix(suffix);
        for (const target of group.targets) {
          const tldCost = tldDistance(suffix, target.suffix, tldBudget(target, typedSuffixIsReal));
          const cost = nameCost + tldCost;
          if (cost === 0 || cost > limit) continue;
          if (best && (cost > best.cost || (cost === best.cost && target.rank > best.target.rank))) continue;
          best = { cost, target, name, suffix };
        }
      }
    }
  }
  if (!best) return null;
  return { cost: best.cost, result: suggest(best.target.domain, explain(best.name, best.suffix, best.target)) };
}

/**
 * The characters of `text` as a set of 32 buckets (char code mod 32: letters get one each).
 * Each character one name has and the other lacks takes an edit of its own (a substitution,
 * extra or missing letter), and every edit costs at least CHEAP_EDIT: so `lettersApart` edits
 * are a lower bound of `typingDistance`, found in a few operations instead of a table. Sharing a
 * bucket only makes the bound smaller, never wrong.
 */
function countDots(text: string): number {
  let count = 0;
  for (let dot = text.indexOf('.'); dot !== -1; dot = text.indexOf('.', dot + 1)) count++;
  return count;
}

function letterMask(text: string): number {
  let mask = 0;
  for (let i = 0; i < text.length; i++) mask |= 1 << (text.charCodeAt(i) & 31);
  return mask;
}

function lettersApart(a: number, b: number): number {
  return Math.max(bitCount(a & ~b), bitCount(b & ~a));
}

function bitCount(bits: number): number {
  let n = bits - ((bits >>> 1) & 0x55555555);
  n = (n & 0x33333333) + ((n >>> 2) & 0x33333333);
  return Math.imul((n + (n >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Like `typingDistance`, but a TLD cut short (".c", ".co" for ".com") costs half an edit a letter. */
function tldDistance(typed: string, intended: string, limit: number): number {
  if (typed === intended) return 0;
  if (typed !== '' && intended.startsWith(typed)) {
    const cost = (intended.length - typed.length) * CHEAP_EDIT;
    return cost <= limit ? cost : Infinity;
  }
  return typingDistance(typed, intended, limit);
}

/** How far the typed suffix may be from the target's (below 0: it must be identical). */
function tldBudget(target: Target, typedSuffixIsReal: boolean): number {
  if (!typedSuffixIsReal) return UNREAL_TLD_BUDGET;
  if (!REAL_TLD_SLIP_TARGETS.has(target.suffix) || target.name.length < MIN_NAME_FOR_REAL_TLD_SLIP) return -1;
  return target.name.length <= 4 ? REAL_TLD_BUDGET_SHORT_NAME : REAL_TLD_BUDGET;
}

/** A domain that is not a popular one, with a TLD that does not exist: fix the TLD alone. */
function fixUnknownTld(name: string, typedTld: string): TypoResult {
  let best: { tld: string; cost: number } | null = null;
  for (const [tld, budget] of TLD_FIXES) {
    const cost = tldDistance(typedTld, tld, budget);
    if (cost !== Infinity && (!best || cost < best.cost)) best = { tld, cost };
  }
  if (!best) return NO_SUGGESTION;
  return suggest(`${name}.${best.tld}`, `TLD ".${typedTld}" for ".${best.tld}"`);
}

const EDIT_WORDS: Record<Edit['kind'], string> = {
  swapped: 'letters swapped',
  moved: 'letter moved',
  extra: 'extra letter',
  missing: 'missing letter',
  neighbour: 'neighbouring key',
  wrong: 'wrong letter',
};

function explain(name: string, suffix: string, target: Target): string {
  const parts: string[] = [];
  if (name !== target.name) {
    const edits = typingEdits(name, target.name);
    const kinds = new Set(edits.map((edit) => edit.kind));
    const words = kinds.size === 1 ? EDIT_WORDS[edits[0]!.kind] : 'misspelt';
    parts.push(`${words}: ${name} -> ${target.name}`);
  }
  if (suffix !== target.suffix) parts.push(`TLD ".${suffix}" for ".${target.suffix}"`);
  return parts.join('; ');
}
