/**
 * The domain lists behind the typo check and the free-mail flag. Each list loads once, on first
 * use, so importing the library costs nothing until a check runs.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parse } from 'tldts';

const require = createRequire(import.meta.url);

/** Reads a `data/` list: one entry a line, `#` starts a comment, blank lines ignored. */
export function readDataList(name: string): string[] {
  // Source (src/address) and compiled code (dist/address) are both two levels below the root.
  const text = readFileSync(new URL(`../../data/${name}`, import.meta.url), 'utf8');
  const entries: string[] = [];
  for (const line of text.split('\n')) {
    const entry = line.replace(/#.*/, '').trim().toLowerCase();
    if (entry !== '') entries.push(entry);
  }
  return entries;
}

function lazy<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

/** Popular mailbox domains, most popular first: the only targets of typo suggestions. */
export const popularDomains = lazy(() => readDataList('popular-domains.txt'));

/** The email-providers package: ~8.7k free-mail domains collected from sign-up data. */
export const allFreeMailDomains = lazy(() => new Set<string>(require('email-providers/all.json') as string[]));

/** The email-providers package's short list of the ~350 most common free-mail domains. */
export const commonFreeMailDomains = lazy(() => new Set<string>(require('email-providers/common.json') as string[]));

/**
 * Domains known to be real mailboxes: popular targets, the common free-mail list and our curated
 * list of ISPs and country variants. A domain in this set never gets a typo suggestion. The long
 * free-mail list is not part of it: it was harvested from sign-ups and so holds misspellings
 * too (gmial.com, hotmial.com, gmai.com, hotmail.con); see `isListedFreeMail` in typo.ts.
 */
export const knownRealDomains = lazy(() => {
  const set = new Set<string>(popularDomains());
  for (const domain of commonFreeMailDomains()) set.add(domain);
  for (const domain of readDataList('real-mailbox-domains.txt')) set.add(domain);
  return set;
});

/** True for a domain of a free-mail provider (gmail.com, web.de, ...). Exact match, any case. */
export function isFreeMailDomain(domain: string): boolean {
  return allFreeMailDomains().has(domain.toLowerCase());
}

/**
 * A bounded memo of per-domain results. When the current generation is full it becomes the old
 * one (the one before it is dropped) and lookups fall back to it, promoting what they find: hot
 * keys survive every turnover, a long tail of domains costs at most two generations of memory,
 * and nothing is deleted entry by entry (which leaves a big Map full of holes to skip).
 */
export class TwoGenerationCache<V> {
  private current = new Map<string, V>();
  private previous = new Map<string, V>();

  constructor(private readonly generationSize: number) {}

  get(key: string): V | undefined {
    const value = this.current.get(key);
    if (value !== undefined || this.previous.size === 0) return value;
    const old = this.previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: string, value: V): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
  }

  /** Entries held, both generations (a promoted key can be in both). */
  get size(): number {
    return this.current.size + this.previous.size;
  }
}

/** Bounded: hostile input could invent endless suffixes. */
const tldCache = new TwoGenerationCache<boolean>(10_000);

/** True when `suffix` ("com", "co.uk", "com.ru") is itself a rule of the public suffix list. */
export function isRealSuffix(suffix: string): boolean {
  let known = tldCache.get(suffix);
  if (known === undefined) {
    // Private registries count too ("com.ru"): names are really registered under them.
    const parsed = parse(suffix, { allowPrivateDomains: true });
    // "con.br" parses with suffix "br": only an exact rule makes the whole string a suffix.
    known = suffix !== '' && parsed.publicSuffix === suffix && (parsed.isIcann === true || parsed.isPrivate === true);
    tldCache.set(suffix, known);
  }
  return known;
}

/** A domain split into the part its owner chose and its public suffix. */
export interface DomainParts {
  /** Everything before the suffix, subdomains included ("mail.example" of "mail.example.co.uk"). */
  name: string;
  /** The public suffix ("co.uk"); for an unknown TLD, the last label ("cmo"). */
  suffix: string;
  /** True when the domain ends in a real public suffix (ICANN section of the list). */
  realTld: boolean;
}

/** Splits `domain` at its public suffix; null when it has no dot. */
export function splitDomain(domain: string): DomainParts | null {
  const lastDot = domain.lastIndexOf('.');
  if (lastDot <= 0 || lastDot === domain.length - 1) return null;
  // The whole domain, not its last label: a few ccTLDs (.za) only have second-level rules.
  const parsed = parse(domain);
  const realTld = parsed.isIcann === true;
  let suffix = domain.slice(lastDot + 1);
  if (realTld && parsed.publicSuffix && parsed.publicSuffix.length < domain.length) suffix = parsed.publicSuffix;
  const name = domain.slice(0, domain.length - suffix.length - 1);
  if (name === '' || name.endsWith('.')) return null;
  return { name, suffix, realTld };
}
