import { isDisposableDomain } from './disposable.js';
import { isFreeMailDomain, popularDomains } from './domains.js';
import { repairAddress } from './repair.js';
import { isRoleLocal } from './role.js';
import { checkSyntax } from './syntax.js';
import { suggestDomain, suggestDomainUncached } from './typo.js';
import type { AddressCheck, SyntaxResult, TypoResult } from './types.js';
import { hashKey } from '../text/hash.js';

export interface CheckOptions {
  /** Treat `Ann@x` and `ann@x` as different mailboxes (RFC 5321 allows it; almost no one does it). */
  caseSensitiveLocal?: boolean;
  /** Fold Gmail dots and `+tags` when computing the mailbox identity. */
  dedupeAliases?: boolean;
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** Syntax failures where the local part passed and only the domain's TLD is missing or broken. */
const DOMAIN_ONLY_FAILURES: ReadonlySet<string> = new Set(['no-dot-in-domain', 'bad-tld', 'numeric-tld']);

type Flags = AddressCheck['flags'];

/** The eight flag combinations, shared by every result rather than one object per address. */
const FLAG_SETS: readonly Flags[] = Array.from({ length: 8 }, (_, bits) =>
  Object.freeze({ role: (bits & 4) !== 0, disposable: (bits & 2) !== 0, free: (bits & 1) !== 0 }),
);
const NO_FLAGS = FLAG_SETS[0]!;

/** What an address's domain alone decides. */
interface DomainFacts {
  typo: TypoResult;
  disposable: boolean;
  free: boolean;
}

const NO_TYPO: TypoResult = Object.freeze({ suggestion: null, why: null });
/** Facts of the domains without a typo (nearly all): four shared objects. */
const PLAIN_FACTS: readonly DomainFacts[] = Array.from({ length: 4 }, (_, bits) =>
  Object.freeze({ typo: NO_TYPO, disposable: (bits & 2) !== 0, free: (bits & 1) !== 0 }),
);

/**
 * Domains per generation of the facts cache (two are kept): a million-row B2B list has ~111k
 * distinct domains, and every row looks its domain up, so the whole tail should fit.
 */
const DOMAIN_CACHE_GENERATION = 1 << 17;

/**
 * The facts of recent domains, found by a 64-bit hash of the domain in a typed-array table (one
 * cache miss a lookup; a Map of 100k strings costs three, and this lookup runs on every row).
 * Two domains are confused only if both 32-bit hashes collide: for 200k domains, about one
 * chance in a billion. Two generations, like `TwoGenerationCache`: when the current table is
 * full it becomes the old one, and lookups fall back to it, promoting what they find.
 */
class DomainFactsCache {
  private current = new FactsTable(DOMAIN_CACHE_GENERATION);
  private previous: FactsTable | null = null;
  private readonly hashes = new Uint32Array(2);

  factsOf(domain: string, compute: (domain: string) => DomainFacts): DomainFacts {
    hashKey(domain, this.hashes, 0);
    const a = this.hashes[0]!;
    const b = this.hashes[1]!; // never 0, which marks an empty slot
    let facts = this.current.get(a, b);
    if (facts !== undefined) return facts;
    facts = this.previous?.get(a, b) ?? compute(domain);
    if (this.current.isFull()) {
      this.previous = this.current;
      this.current = new FactsTable(DOMAIN_CACHE_GENERATION);
    }
    this.current.add(a, b, facts);
    return facts;
  }
}

class FactsTable {
  /** [hashA, hashB, index in `values` + 1] per slot; at most half full, so probes stay short. */
  private readonly slots: Uint32Array;
  private readonly mask: number;
  private readonly values: DomainFacts[] = [];

  constructor(private readonly limit: number) {
    let capacity = 1;
    while (capacity < limit * 2) capacity <<= 1;
    this.slots = new Uint32Array(capacity * 3);
    this.mask = capacity - 1;
  }

  isFull(): boolean {
    return this.values.length >= this.limit;
  }

  get(a: number, b: number): DomainFacts | undefined {
    const slots = this.slots;
    for (let slot = a & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = slot * 3;
      const stored = slots[at + 1]!;
      if (stored === 0) return undefined;
      if (stored === b && slots[at] === a) return this.values[slots[at + 2]! - 1];
    }
  }

  add(a: number, b: number, facts: DomainFacts): void {
    const slots = this.slots;
    let slot = a & this.mask;
    while (slots[slot * 3 + 1] !== 0) slot = (slot + 1) & this.mask;
    this.values.push(facts);
    slots[slot * 3] = a;
    slots[slot * 3 + 1] = b;
    slots[slot * 3 + 2] = this.values.length;
  }
}

const domainFactsCache = new DomainFactsCache();

function computeDomainFacts(asciiDomain: string): DomainFacts {
  // This cache is the memo: going through suggestDomain's too would only cost two more lookups.
  const typo = suggestDomainUncached(asciiDomain);
  const disposable = isDisposableDomain(asciiDomain);
  const free = isFreeMailDomain(asciiDomain);
  return typo.suggestion === null ? PLAIN_FACTS[(disposable ? 2 : 0) + (free ? 1 : 0)]! : { typo, disposable, free };
}

function domainFacts(asciiDomain: string): DomainFacts {
  return domainFactsCache.factsOf(asciiDomain, computeDomainFacts);
}

/**
 * Checks one address as written: syntax, then domain typo, then disposable provider; the role
 * flag is reported but does not make the address invalid. The first failing check decides.
 */
export function checkAddress(address: string, options: CheckOptions = {}): AddressCheck {
  const syntax = checkSyntax(address);
  if (!syntax.valid || syntax.local === null || syntax.asciiDomain === null) {
    return {
      valid: false,
      reason: 'invalid-syntax',
      detail: syntax.detail ?? 'not a valid address',
      suggestion: syntax.suggestion === null ? withDomainGuessed(address, syntax) : withDomainFixed(syntax.suggestion),
      normalized: null,
      flags: NO_FLAGS,
    };
  }
  const local = syntax.local;
  const domain = syntax.asciiDomain;
  const facts = domainFacts(domain);
  const flags = FLAG_SETS[(isRoleLocal(local) ? 4 : 0) + (facts.disposable ? 2 : 0) + (facts.free ? 1 : 0)]!;
  const normalized = mailboxKey(local, domain, options);
  const typo = facts.typo;
  if (typo.suggestion !== null) {
    return {
      valid: false,
      reason: 'typo-domain',
      detail: `the domain "${domain}" looks like a misspelling of "${typo.suggestion}"${typo.why ? ` (${typo.why})` : ''}`,
      suggestion: `${local}@${typo.suggestion}`,
      normalized,
      flags,
    };
  }
  if (flags.disposable) {
    return {
      valid: false,
      reason: 'disposable',
      detail: `"${domain}" is a disposable (throw-away) mailbox provider`,
      suggestion: null,
      normalized,
      flags,
    };
  }
  return {
    valid: true,
    reason: flags.role ? 'role' : null,
    detail: flags.role ? `"${local}" is a role account, read by a team rather than a person` : null,
    suggestion: null,
    normalized,
    flags,
  };
}

/**
 * A repaired address whose domain is also misspelt (`user@gmial..com`) gets both fixes. The
 * domain is given in lower case, like every typo suggestion.
 */
function withDomainFixed(repaired: string): string {
  const again = checkSyntax(repaired);
  if (!again.valid || again.local === null || again.asciiDomain === null || again.domain === null) return repaired;
  const typo = suggestDomain(again.asciiDomain);
  return `${again.local}@${typo.suggestion ?? again.domain.toLowerCase()}`;
}

/**
 * `user@yahoo`, `user@gmail.c0m`, `mailto:user@gmail.com1`: the local part is fine and only the
 * TLD is missing or broken, so the typo check may name the domain meant.
 */
function withDomainGuessed(address: string, syntax: SyntaxResult): string | null {
  const repaired = repairAddress(address);
  const split = repaired === address ? syntax : checkSyntax(repaired);
  if (split.code === null || !DOMAIN_ONLY_FAILURES.has(split.code) || split.local === null || split.domain === null) {
    return null;
  }
  const domain = split.domain.toLowerCase();
  const fixed = suggestDomain(domain).suggestion;
  if (fixed === null || isUnsureTldGuess(domain, fixed)) return null;
  const suggestion = `${split.local}@${fixed}`;
  return checkSyntax(suggestion).valid ? suggestion : null;
}

let popularSet: ReadonlySet<string> | undefined;

/**
 * A one-letter TLD is a cut-short ".com" on gmail.c, but on an unknown name it could as well be
 * .ca, .ch, .co or .cz: only popular domains get that guess.
 */
function isUnsureTldGuess(typed: string, fixed: string): boolean {
  const typedTld = typed.slice(typed.lastIndexOf('.') + 1);
  if (!typed.includes('.') || typedTld.length > 1) return false;
  popularSet ??= new Set(popularDomains());
  return !popularSet.has(fixed);
}

/** The mailbox identity used to find duplicates. */
export function mailboxKey(local: string, asciiDomain: string, options: CheckOptions = {}): string {
  let key = options.caseSensitiveLocal ? local : local.toLowerCase();
  let domain = asciiDomain;
  if (options.dedupeAliases && !key.startsWith('"')) {
    const plus = key.indexOf('+');
    if (plus > 0) key = key.slice(0, plus);
    if (GMAIL_DOMAINS.has(domain)) {
      key = key.replaceAll('.', '');
      domain = 'gmail.com';
    }
  }
  // join builds a flat string; a template literal builds a rope, which every read of its
  // characters (the duplicate index hashes each key) has to walk or flatten first.
  return [key, domain].join('@');
}
