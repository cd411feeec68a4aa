import { Resolver } from 'node:dns/promises';

/**
 * A thin wrapper around Node's DNS resolver (c-ares) that turns its errors into outcomes the
 * checks can reason about: an answer, "no such name", "no record of this type", or a failure
 * that proves nothing (timeout, SERVFAIL, REFUSED, ...). It counts the questions it asks.
 */

export type LookupFailure = 'timeout' | 'servfail' | 'refused' | 'unreachable' | 'cancelled' | 'error';

export type DnsResult<T> =
  | { ok: true; records: T[]; ttl: number | null }
  | { ok: false; kind: 'nxdomain' | 'nodata' }
  | { ok: false; kind: 'failure'; failure: LookupFailure; code: string };

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** The look-ups the checks need; tests may give their own. */
export interface DnsResolver {
  mx(name: string): Promise<DnsResult<MxRecord>>;
  /** A (family 4) or AAAA (family 6) records, with their TTL. */
  addresses(name: string, family: 4 | 6): Promise<DnsResult<string>>;
  /** TXT records, each one's character-strings joined (as SPF and DMARC read them). */
  txt(name: string): Promise<DnsResult<string>>;
  /** The SOA minimum of `name` when it is a zone apex (the negative-caching TTL of RFC 2308). */
  soaMinimum(name: string): Promise<DnsResult<number>>;
  /** Aborts every look-up in flight (they fail as `cancelled`). */
  cancel(): void;
  /** Questions asked so far. */
  readonly queries: number;
}

export interface ResolverOptions {
  /** `HOST`, `HOST:PORT`, `[IPv6]:PORT`; empty or absent: the system's resolvers. */
  servers?: readonly string[];
  /** Time one question may take (ms), default 5000. */
  timeoutMs?: number;
}

export const DEFAULT_QUERY_TIMEOUT_MS = 5_000;

const FAILURES: Readonly<Record<string, LookupFailure>> = {
  ETIMEOUT: 'timeout',
  ESERVFAIL: 'servfail',
  EREFUSED: 'refused',
  ECONNREFUSED: 'unreachable',
  ECANCELLED: 'cancelled',
  EDESTRUCTION: 'cancelled',
};

/** Node's resolver, asking the given servers (or the system's) with one try per question. */
export function createResolver(options: ResolverOptions = {}): DnsResolver {
  // One try: a failed question is asked again at the end of the run, not at once; that keeps the
  // time per question to the timeout given and spreads the retries over time.
  const resolver = new Resolver({ timeout: options.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS, tries: 1 });
  if (options.servers && options.servers.length > 0) resolver.setServers([...options.servers]);
  let queries = 0;
  const soaMemo = new Map<string, Promise<DnsResult<number>>>();

  async function ask<T>(run: () => Promise<T[]>, ttlOf?: (records: T[]) => number | null): Promise<DnsResult<T>> {
    queries++;
    try {
      const records = await run();
      return { ok: true, records, ttl: ttlOf ? ttlOf(records) : null };
    } catch (error) {
      return outcomeOf(error);
    }
  }

  return {
    mx: (name) => ask(() => resolver.resolveMx(name)),
    async addresses(name, family) {
      const result = await ask(
        () => (family === 4 ? resolver.resolve4(name, { ttl: true }) : resolver.resolve6(name, { ttl: true })),
        (records) => (records.length === 0 ? null : Math.min(...records.map((r) => r.ttl))),
      );
      return result.ok ? { ok: true, records: result.records.map((r) => r.address), ttl: result.ttl } : result;
    },
    async txt(name) {
      const result = await ask(() => resolver.resolveTxt(name));
      return result.ok ? { ok: true, records: result.records.map((chunks) => chunks.join('')), ttl: null } : result;
    },
    soaMinimum(name) {
      let memo = soaMemo.get(name);
      if (memo === undefined) {
        memo = (async () => {
          queries++;
          try {
            const soa = await resolver.resolveSoa(name);
            return { ok: true as const, records: [soa.minttl], ttl: null };
          } catch (error) {
            return outcomeOf(error);
          }
        })();
        soaMemo.set(name, memo);
      }
      return memo;
    },
    cancel: () => resolver.cancel(),
    get queries() {
      return queries;
    },
  };
}

function outcomeOf(error: unknown): DnsResult<never> {
  const code = String((error as NodeJS.ErrnoException).code ?? 'ERROR');
  if (code === 'ENOTFOUND') return { ok: false, kind: 'nxdomain' };
  if (code === 'ENODATA') return { ok: false, kind: 'nodata' };
  return { ok: false, kind: 'failure', failure: FAILURES[code] ?? 'error', code };
}

/** A sentence for a failed look-up: "timed out", "SERVFAIL", ... */
export function describeFailure(failure: LookupFailure, code: string): string {
  switch (failure) {
    case 'timeout':
      return 'timed out';
    case 'servfail':
      return 'got SERVFAIL (the server could not answer)';
    case 'refused':
      return 'was REFUSED by the server';
    case 'unreachable':
      return 'reached no DNS server';
    case 'cancelled':
      return 'was stopped (the time budget was spent)';
    default:
      return `failed (${code})`;
  }
}
