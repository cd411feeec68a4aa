import path from 'node:path';
import type { CheckOptions } from '../address/check.js';
import { knownRealDomains } from '../address/domains.js';
import { readContactBatches, sniffContactFile, type ReadOptions, type ReadStats } from '../contacts/reader.js';
import { isStdinPath } from '../contacts/stdin.js';
import { HygieneError } from '../errors.js';
import { checkRowAddresses } from './row-addresses.js';
import { checkDomains, DEFAULT_BUDGET_MS, DEFAULT_CONCURRENCY, type DnsRunStats } from '../dns/check-domains.js';
import { createResolver, DEFAULT_QUERY_TIMEOUT_MS, type DnsResolver } from '../dns/resolver.js';
import type { DomainVerdict } from '../dns/types.js';
import { openDnsCache, resolverKey } from '../state/dns-cache.js';
import { HistoryStore } from '../state/history-store.js';

/**
 * The DNS step of `clean`, `check` and `domains`: the distinct domains of a contact list looked
 * up (or taken from the cache in the history database), before the rows are routed.
 */

export interface DomainCheckOptions {
  /** `HOST[:PORT]` resolvers (`--dns-server`); empty: the system's. */
  servers: readonly string[];
  timeoutMs?: number;
  concurrency?: number;
  budgetMs?: number;
  /** The history database holding the cache, or null for none (`--no-state`). */
  statePath: string | null;
  /** false: neither read nor write the cache (`--no-dns-cache`). */
  useCache: boolean;
  now: Date;
  /** Called as domains are decided. */
  onProgress?: (done: number, total: number) => void;
  /** A resolver to use instead of Node's (tests, the library). */
  resolver?: DnsResolver;
}

/** What report.json says about the DNS checks. */
export interface DnsSummary extends DnsRunStats {
  /** The resolvers asked (`system` for the system's). */
  servers: string[];
  /** Whether the cache in the history database was used. */
  cache: boolean;
  /** Rows whose domain stayed undetermined (kept, never suppressed for it). */
  undeterminedRows: number;
  /** The first undetermined domains, with why. */
  undeterminedDomains: Array<{ domain: string; rows: number; detail: string }>;
  warnings: string[];
}

export interface ListDomains {
  /** Distinct domains (lower-case A-label) of the rows that DNS checks apply to, and their row counts. */
  rowsByDomain: Map<string, number>;
  rows: number;
}

export interface PreparedDomains {
  verdictOf(domain: string): DomainVerdict | undefined;
  verdicts: Map<string, DomainVerdict>;
  rowsByDomain: Map<string, number>;
  summary: DnsSummary;
}

const UNDETERMINED_LISTED = 20;

/**
 * The domains the DNS checks apply to: those of rows a check before them does not already decide
 * (invalid syntax, typo domain, a disposable provider unless allowed). With `fix`, the corrected
 * address's domain, as `clean` will route it.
 */
export async function collectListDomains(
  input: string,
  options: ReadOptions & CheckOptions & { fix?: boolean; allowDisposable?: boolean },
): Promise<ListDomains> {
  if (isStdinPath(input)) {
    throw new HygieneError({
      code: 'USAGE',
      message: 'DNS checks read the list twice (its domains first), so the list cannot come from standard input',
      hint: 'Save the list to a file and give its path (clean and check can read stdin without --check-domains).',
    });
  }
  const info = await sniffContactFile(input, options);
  const stats: ReadStats = { raggedCount: 0, raggedLines: [], blankLines: 0 };
  const rowsByDomain = new Map<string, number>();
  const primary = { index: info.emailColumn.index, name: info.emailColumn.name };
  const others = info.otherAddressColumns.map(({ index, name }) => ({ index, name }));
  let rows = 0;
  for await (const batch of readContactBatches(info, { ...options, relaxColumns: true }, stats)) {
    for (const row of batch.rows) {
      rows++;
      // The primary address as clean routes it (with --fix: corrected, promoted, first of several).
      const { check, cellVerdict } = checkRowAddresses(row.line, row.values, primary, others, options);
      if (cellVerdict !== null) continue;
      if (check.normalized === null || check.reason === 'invalid-syntax' || check.reason === 'typo-domain') continue;
      if (check.reason === 'disposable' && !options.allowDisposable) continue;
      const domain = check.normalized.slice(check.normalized.lastIndexOf('@') + 1);
      rowsByDomain.set(domain, (rowsByDomain.get(domain) ?? 0) + 1);
    }
  }
  return { rowsByDomain, rows };
}

/** Looks up every domain of the list (politely, through the cache) and summarises the result. */
export async function checkListDomains(rowsByDomain: Map<string, number>, options: DomainCheckOptions): Promise<PreparedDomains> {
  const resolver =
    options.resolver ?? createResolver({ servers: options.servers, timeoutMs: options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS });
  const store = options.useCache && options.statePath !== null ? HistoryStore.open(path.resolve(options.statePath)) : null;
  try {
    const cache = store ? openDnsCache(store.connection(), resolverKey(options.servers)) : null;
    const known = knownRealDomains();
    const { verdicts, stats } = await checkDomains(rowsByDomain.keys(), {
      resolver,
      cache,
      now: options.now,
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      budgetMs: options.budgetMs ?? DEFAULT_BUDGET_MS,
      skip: (domain) => known.has(domain),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    const summary = summarise(verdicts, stats, rowsByDomain, options, store !== null);
    return { verdictOf: (domain) => verdicts.get(domain), verdicts, rowsByDomain, summary };
  } finally {
    store?.close();
  }
}

function summarise(
  verdicts: Map<string, DomainVerdict>,
  stats: DnsRunStats,
  rowsByDomain: Map<string, number>,
  options: DomainCheckOptions,
  cache: boolean,
): DnsSummary {
  const undetermined = [...verdicts.values()].filter((v) => v.verdict === 'undetermined');
  const undeterminedRows = undetermined.reduce((sum, v) => sum + (rowsByDomain.get(v.domain) ?? 0), 0);
  const servers = options.servers.length > 0 ? [...options.servers] : ['system'];
  const warnings: string[] = [];
  const asked = stats.lookedUp;
  if (asked > 0 && undetermined.length === asked && stats.fromCache === 0) {
    warnings.push(
      `DNS: no domain could be checked (${describeCause(undetermined)}; resolver ${servers.join(', ')}): ` +
        `every address was kept. Check --dns-server or the network, then run again.`,
    );
  } else if (undetermined.length > 0) {
    warnings.push(
      `DNS: ${undetermined.length} of ${stats.domains} domain(s) could not be checked (${describeCause(undetermined)}; asked twice): ` +
        `their ${undeterminedRows} address(es) were kept, not suppressed.`,
    );
  }
  if (stats.budgetSpent) warnings.push(`DNS: the time budget ran out before every domain was asked; raise --dns-budget.`);
  return {
    ...stats,
    servers,
    cache,
    undeterminedRows,
    undeterminedDomains: undetermined
      .sort((a, b) => (rowsByDomain.get(b.domain) ?? 0) - (rowsByDomain.get(a.domain) ?? 0) || a.domain.localeCompare(b.domain))
      .slice(0, UNDETERMINED_LISTED)
      .map((v) => ({ domain: v.domain, rows: rowsByDomain.get(v.domain) ?? 0, detail: v.detail })),
    warnings,
  };
}

const CAUSES: Readonly<Record<string, string>> = {
  timeout: 'timeouts',
  servfail: 'SERVFAIL',
  refused: 'REFUSED',
  unreachable: 'no DNS server reachable',
  cancelled: 'time budget spent',
  budget: 'time budget spent',
};

function describeCause(undetermined: readonly DomainVerdict[]): string {
  return [...new Set(undetermined.map((v) => CAUSES[v.failure ?? 'error'] ?? 'other failures'))].join(', ');
}

/**
 * The DNS step of a list run: the list's domains collected and checked, as the options `runClean`
 * takes (`domainVerdict`, `dnsSummary`).
 */
export async function prepareDomainChecks(
  input: string,
  list: ReadOptions & CheckOptions & { fix?: boolean; allowDisposable?: boolean },
  options: DomainCheckOptions,
): Promise<{ domainVerdict: (domain: string) => DomainVerdict | undefined; dnsSummary: DnsSummary; prepared: PreparedDomains }> {
  const { rowsByDomain } = await collectListDomains(input, list);
  const prepared = await checkListDomains(rowsByDomain, options);
  return { domainVerdict: prepared.verdictOf, dnsSummary: prepared.summary, prepared };
}
