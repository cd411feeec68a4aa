import type Database from 'better-sqlite3';
import type { DomainVerdictCache } from '../dns/check-domains.js';
import { DOMAIN_VERDICTS, type DomainVerdict, type DomainVerdictKind } from '../dns/types.js';

/**
 * The DNS verdicts kept between runs, in the history database, in a table this module creates
 * and owns (`dns_cache`): one row per resolver and domain, the latest answer, with the time it
 * was asked and the time it expires. An answer is used while `checked_at <= now < expires_at`,
 * so a run with an earlier `--now` does not use answers from its future.
 *
 * Answers are kept per resolver (`--dns-server`, or the system's): a test server's zone, or a
 * company resolver's internal view, says nothing of what the public DNS answers, and an answer
 * such as "no such domain" must not follow a run to another resolver.
 */
const CREATE = `CREATE TABLE IF NOT EXISTS dns_cache (
  resolver TEXT NOT NULL,
  domain TEXT NOT NULL,
  verdict TEXT NOT NULL,
  detail TEXT NOT NULL,
  mx TEXT NOT NULL,
  ttl_seconds INTEGER,
  negative INTEGER NOT NULL,
  checked_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL,
  PRIMARY KEY (resolver, domain)
)`;

interface Row {
  domain: string;
  verdict: string;
  detail: string;
  mx: string;
  ttl_seconds: number | null;
  negative: number;
  checked_ms: number;
  expires_ms: number;
}

const KNOWN = new Set<string>(DOMAIN_VERDICTS);

/** The resolver whose answers a run reads and keeps: its `--dns-server` list as given, or the system's. */
export function resolverKey(servers: readonly string[]): string {
  return servers.length > 0 ? servers.join(',') : 'system';
}

/**
 * The cache of `resolver`'s answers (see `resolverKey`) on an open, writable connection of the
 * history database.
 */
export function openDnsCache(db: Database.Database, resolver: string): DomainVerdictCache & { size(): number } {
  dropUnkeyedCache(db);
  db.exec(CREATE);
  const select = db.prepare('SELECT * FROM dns_cache WHERE resolver = ? AND domain = ?');
  const upsert = db.prepare(
    `INSERT INTO dns_cache (resolver, domain, verdict, detail, mx, ttl_seconds, negative, checked_ms, expires_ms)
     VALUES (@resolver, @domain, @verdict, @detail, @mx, @ttl_seconds, @negative, @checked_ms, @expires_ms)
     ON CONFLICT(resolver, domain) DO UPDATE SET verdict = excluded.verdict, detail = excluded.detail, mx = excluded.mx,
       ttl_seconds = excluded.ttl_seconds, negative = excluded.negative, checked_ms = excluded.checked_ms,
       expires_ms = excluded.expires_ms`,
  );
  const putAll = db.transaction((verdicts: readonly DomainVerdict[]) => {
    for (const v of verdicts) {
      if (v.expiresAt === null) continue;
      upsert.run({
        resolver,
        domain: v.domain,
        verdict: v.verdict,
        detail: v.detail,
        mx: JSON.stringify(v.mx),
        ttl_seconds: v.ttlSeconds,
        negative: v.negative ? 1 : 0,
        checked_ms: Date.parse(v.checkedAt),
        expires_ms: Date.parse(v.expiresAt),
      });
    }
  });
  return {
    get(domain, now) {
      const row = select.get(resolver, domain) as Row | undefined;
      const nowMs = now.getTime();
      if (!row || !KNOWN.has(row.verdict) || row.checked_ms > nowMs || nowMs >= row.expires_ms) return undefined;
      return {
        domain: row.domain,
        verdict: row.verdict as DomainVerdictKind,
        detail: row.detail,
        mx: parseList(row.mx),
        ttlSeconds: row.ttl_seconds,
        negative: row.negative === 1,
        checkedAt: new Date(row.checked_ms).toISOString(),
        expiresAt: new Date(row.expires_ms).toISOString(),
        source: 'cache',
      };
    },
    put(verdicts) {
      putAll(verdicts);
    },
    size() {
      return (db.prepare('SELECT count(*) AS n FROM dns_cache WHERE resolver = ?').get(resolver) as { n: number }).n;
    },
  };
}

/**
 * Earlier releases kept one answer per domain, whichever resolver gave it: those answers cannot
 * be told apart, so the table goes (it is a cache: the domains are simply asked again).
 */
function dropUnkeyedCache(db: Database.Database): void {
  const columns = db.prepare("SELECT name FROM pragma_table_info('dns_cache')").pluck().all() as string[];
  if (columns.length > 0 && !columns.includes('resolver')) db.exec('DROP TABLE dns_cache');
}

function parseList(text: string): string[] {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
