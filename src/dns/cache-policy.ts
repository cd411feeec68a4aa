import type { DomainFinding } from './types.js';

/**
 * How long a domain's answer is kept. The records' own TTL, kept within a sane range: at least
 * 5 minutes (a zone with TTL 0 would otherwise be asked on every run) and at most 7 days (a
 * domain that lapses should be noticed within a week). Negative answers ("no such domain", "no
 * mail server", a broken MX) live as long as the zone's SOA minimum says (RFC 2308), at most a
 * day: a domain being set up gets its chance the next day.
 *
 * Node's resolver gives no TTL for MX answers; the TTL of the MX hosts' address records stands
 * in for it, and where no TTL is known at all, a day.
 */
export const MIN_TTL_SECONDS = 5 * 60;
export const MAX_TTL_SECONDS = 7 * 86_400;
export const MAX_NEGATIVE_TTL_SECONDS = 86_400;
export const DEFAULT_TTL_SECONDS = 86_400;
export const DEFAULT_NEGATIVE_TTL_SECONDS = 3_600;

/** Seconds to keep the finding; 0 for one that must not be kept (undetermined). */
export function cacheSeconds(finding: DomainFinding): number {
  if (finding.verdict === 'undetermined' || finding.verdict === 'well-known-provider') return 0;
  if (finding.negative) {
    return clamp(finding.ttlSeconds ?? DEFAULT_NEGATIVE_TTL_SECONDS, MIN_TTL_SECONDS, MAX_NEGATIVE_TTL_SECONDS);
  }
  return clamp(finding.ttlSeconds ?? DEFAULT_TTL_SECONDS, MIN_TTL_SECONDS, MAX_TTL_SECONDS);
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Math.round(value)));
}
