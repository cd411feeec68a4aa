/** The DNS checks: domains that cannot receive mail, and a sender's own records. */
export { unusableAddressKind } from './addresses.js';
export { cacheSeconds, MAX_NEGATIVE_TTL_SECONDS, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from './cache-policy.js';
export {
  checkDomains,
  DEFAULT_BUDGET_MS,
  DEFAULT_CONCURRENCY,
  type CheckDomainsOptions,
  type DnsRunStats,
  type DomainsResult,
  type DomainVerdictCache,
} from './check-domains.js';
export { checkDomain } from './domain-check.js';
export { createResolver, DEFAULT_QUERY_TIMEOUT_MS, type DnsResolver, type DnsResult, type ResolverOptions } from './resolver.js';
export { checkSenderDomain, SPF_LOOKUP_LIMIT, type SenderFinding, type SenderReport } from './sender.js';
export { DOMAIN_VERDICTS, SUPPRESSING_VERDICTS, type DomainFinding, type DomainVerdict, type DomainVerdictKind } from './types.js';
