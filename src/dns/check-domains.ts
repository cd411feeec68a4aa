import { cacheSeconds } from './cache-policy.js';
import { checkDomain } from './domain-check.js';
import type { DnsResolver } from './resolver.js';
import { DOMAIN_VERDICTS, type DomainFinding, type DomainVerdict, type DomainVerdictKind } from './types.js';

/**
 * Checks many domains politely: a bounded number of look-ups at once, a total time budget,
 * answers from the cache while they last, and the undetermined ones asked once more at the end
 * (a timeout is often a passing thing).
 */

/** Where verdicts are kept between runs (the history database). */
export interface DomainVerdictCache {
  /** The verdict kept for `domain` that is valid at `now`, or undefined. */
  get(domain: string, now: Date): DomainVerdict | undefined;
  put(verdicts: readonly DomainVerdict[]): void;
}

export interface CheckDomainsOptions {
  resolver: DnsResolver;
  /** null or absent: no cache (`--no-dns-cache`, `--no-state`). */
  cache?: DomainVerdictCache | null;
  /** The run's clock: look-up times and cache expiry (`--now`). */
  now: Date;
  /** Domains looked up at once (default 16). */
  concurrency?: number;
  /** Wall-clock time all look-ups together may take (ms; default 10 minutes). */
  budgetMs?: number;
  /** Domains not to ask about (the well-known mailbox providers). */
  skip?: (domain: string) => boolean;
  /** Called after each domain is decided: done so far, of total. */
  onProgress?: (done: number, total: number) => void;
}

export interface DnsRunStats {
  domains: number;
  /** Well-known providers, not asked about. */
  notQueried: number;
  fromCache: number;
  lookedUp: number;
  /** DNS questions sent. */
  queries: number;
  /** Undetermined after the retry (their addresses are kept). */
  undetermined: number;
  /** Domains asked a second time at the end. */
  retried: number;
  /** True when the time budget ran out before every domain was asked. */
  budgetSpent: boolean;
  byVerdict: Partial<Record<DomainVerdictKind, number>>;
}

export interface DomainsResult {
  verdicts: Map<string, DomainVerdict>;
  stats: DnsRunStats;
}

export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_BUDGET_MS = 10 * 60_000;

export async function checkDomains(domains: Iterable<string>, options: CheckDomainsOptions): Promise<DomainsResult> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
  const budgetMs = options.budgetMs ?? DEFAULT_BUDGET_MS;
  const deadline = Date.now() + budgetMs;
  const unique = [...new Set(domains)];
  const verdicts = new Map<string, DomainVerdict>();
  const queriesBefore = options.resolver.queries;
  const stats: DnsRunStats = {
    domains: unique.length,
    notQueried: 0,
    fromCache: 0,
    lookedUp: 0,
    queries: 0,
    undetermined: 0,
    retried: 0,
    budgetSpent: false,
    byVerdict: {},
  };
  let done = 0;
  const progress = () => options.onProgress?.(++done, unique.length);

  const toAsk: string[] = [];
  for (const domain of unique) {
    if (options.skip?.(domain)) {
      verdicts.set(domain, wellKnown(domain, options.now));
      stats.notQueried++;
      progress();
      continue;
    }
    const cached = options.cache?.get(domain, options.now);
    if (cached) {
      verdicts.set(domain, cached);
      stats.fromCache++;
      progress();
      continue;
    }
    toAsk.push(domain);
  }
  stats.lookedUp = toAsk.length;

  // In-flight look-ups are stopped when the budget runs out; they come back undetermined.
  const timer = setTimeout(() => {
    stats.budgetSpent = true;
    options.resolver.cancel();
  }, budgetMs);
  timer.unref();
  try {
    await runPool(toAsk, concurrency, async (domain) => {
      verdicts.set(domain, await lookUp(domain, options, deadline, stats));
      progress();
    });
    const again = toAsk.filter((domain) => verdicts.get(domain)?.verdict === 'undetermined');
    if (again.length > 0 && !stats.budgetSpent && Date.now() < deadline) {
      stats.retried = again.length;
      await runPool(again, concurrency, async (domain) => {
        verdicts.set(domain, await lookUp(domain, options, deadline, stats));
      });
    }
  } finally {
    clearTimeout(timer);
  }

  const fresh = toAsk.map((domain) => verdicts.get(domain)!).filter((v) => v.expiresAt !== null);
  if (fresh.length > 0) options.cache?.put(fresh);
  for (const verdict of verdicts.values()) {
    stats.byVerdict[verdict.verdict] = (stats.byVerdict[verdict.verdict] ?? 0) + 1;
  }
  stats.byVerdict = inVerdictOrder(stats.byVerdict);
  stats.undetermined = stats.byVerdict.undetermined ?? 0;
  stats.queries = options.resolver.queries - queriesBefore;
  return { verdicts, stats };
}

async function lookUp(domain: string, options: CheckDomainsOptions, deadline: number, stats: DnsRunStats): Promise<DomainVerdict> {
  let finding: DomainFinding;
  if (stats.budgetSpent || Date.now() >= deadline) {
    stats.budgetSpent = true;
    finding = {
      verdict: 'undetermined',
      detail: `${domain} was not looked up: the DNS time budget was spent`,
      mx: [],
      ttlSeconds: null,
      negative: false,
      failure: 'budget',
    };
  } else {
    finding = await checkDomain(domain, options.resolver);
  }
  const seconds = cacheSeconds(finding);
  return {
    ...finding,
    domain,
    checkedAt: options.now.toISOString(),
    expiresAt: seconds > 0 ? new Date(options.now.getTime() + seconds * 1000).toISOString() : null,
    source: 'dns',
  };
}

function wellKnown(domain: string, now: Date): DomainVerdict {
  return {
    domain,
    verdict: 'well-known-provider',
    detail: `${domain} is a well-known mailbox provider: not looked up`,
    mx: [],
    ttlSeconds: null,
    negative: false,
    checkedAt: now.toISOString(),
    expiresAt: null,
    source: 'not-queried',
  };
}

/** Runs `work` on every item, at most `limit` at a time. */
async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function inVerdictOrder(counts: Partial<Record<DomainVerdictKind, number>>): Partial<Record<DomainVerdictKind, number>> {
  const ordered: Partial<Record<DomainVerdictKind, number>> = {};
  for (const kind of DOMAIN_VERDICTS) if (counts[kind]) ordered[kind] = counts[kind];
  return ordered;
}
