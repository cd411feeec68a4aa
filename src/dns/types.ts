import type { LookupFailure } from './resolver.js';

/** Shared types of the DNS checks. */

/**
 * What the DNS says about a mail domain, in the order the checks decide it:
 * - `accepts-mail`: an MX (or, without one, an address record: the implicit MX) that is usable;
 * - `well-known-provider`: a big mailbox provider on the leave-alone list, not looked up;
 * - `no-such-domain`: NXDOMAIN; `domain-accepts-no-mail`: a null MX (RFC 7505), or no MX with an
 *   SPF record that is only `-all` (a parked domain); `no-mail-server`: neither MX nor address;
 * - `bad-mx`: every MX host points to localhost, a private or reserved address, or nowhere;
 * - `undetermined`: the look-up failed (timeout, SERVFAIL, REFUSED, ...): nothing is concluded.
 */
export const DOMAIN_VERDICTS = [
  'accepts-mail',
  'well-known-provider',
  'no-such-domain',
  'domain-accepts-no-mail',
  'no-mail-server',
  'bad-mx',
  'undetermined',
] as const;
export type DomainVerdictKind = (typeof DOMAIN_VERDICTS)[number];

/** The verdicts that put every address of the domain on the suppressed list. */
export const SUPPRESSING_VERDICTS: ReadonlySet<DomainVerdictKind> = new Set(['no-such-domain', 'domain-accepts-no-mail', 'no-mail-server']);

/** What one domain's look-ups found, before caching. */
export interface DomainFinding {
  verdict: DomainVerdictKind;
  /** A sentence a person can act on. */
  detail: string;
  /** The mail hosts in preference order (the domain itself for an implicit MX). */
  mx: string[];
  /** Seconds the answer may be kept, from the records (null: the records did not say). */
  ttlSeconds: number | null;
  /** True for answers that say "nothing here" (cached per the zone's SOA minimum). */
  negative: boolean;
  /** For `undetermined`: how the look-up failed (`budget`: it was never made). */
  failure?: LookupFailure | 'budget';
}

/** A domain's verdict as the pipeline uses it. */
export interface DomainVerdict extends DomainFinding {
  /** The domain in lower-case A-label (punycode) form, as looked up. */
  domain: string;
  /** ISO 8601 UTC of the look-up. */
  checkedAt: string;
  /** ISO 8601 UTC until which the answer is kept in the cache; null when it is not kept. */
  expiresAt: string | null;
  /** Where the verdict came from this run. */
  source: 'dns' | 'cache' | 'not-queried';
}
