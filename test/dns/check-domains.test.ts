import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomains } from '../../src/dns/check-domains.js';
import { createResolver } from '../../src/dns/resolver.js';
import { openDnsCache } from '../../src/state/dns-cache.js';
import { startFakeDns, type FakeDnsServer } from './fake-dns-server.js';
import { ZONE } from './zone.js';

let server: FakeDnsServer;
beforeAll(async () => {
  server = await startFakeDns(ZONE);
});
afterAll(() => server.close());

const NOW = new Date('2026-11-23T09:00:00Z');
const DOMAINS = ['good.test', 'nullmx.test', 'gone.test', 'aonly.test', 'dangling.test', 'servfail.test', 'gmail.com'];

describe('checkDomains', () => {
  it('decides every domain, skips the well-known providers and retries the undetermined once', async () => {
    const resolver = createResolver({ servers: [server.address], timeoutMs: 1000 });
    const { verdicts, stats } = await checkDomains(DOMAINS, { resolver, now: NOW, skip: (d) => d === 'gmail.com' });
    expect(Object.fromEntries([...verdicts].map(([d, v]) => [d, v.verdict]))).toEqual({
      'good.test': 'accepts-mail',
      'nullmx.test': 'domain-accepts-no-mail',
      'gone.test': 'no-such-domain',
      'aonly.test': 'accepts-mail',
      'dangling.test': 'bad-mx',
      'servfail.test': 'undetermined',
      'gmail.com': 'well-known-provider',
    });
    expect(stats).toMatchObject({ domains: 7, notQueried: 1, lookedUp: 6, undetermined: 1, retried: 1 });
    expect(server.questions.some((q) => q.name === 'gmail.com')).toBe(false);
    expect(server.questions.filter((q) => q.name === 'servfail.test' && q.type === 'MX')).toHaveLength(2);
  });

  it('a second run asks nothing for unexpired domains, and asks again once they expire', async () => {
    const db = new Database(':memory:');
    const cache = openDnsCache(db, server.address);
    const resolver = createResolver({ servers: [server.address], timeoutMs: 1000 });
    const first = await checkDomains(DOMAINS, { resolver, cache, now: NOW });
    expect(first.stats.fromCache).toBe(0);
    const asked = server.questions.length;

    const second = await checkDomains(DOMAINS, { resolver, cache, now: new Date(NOW.getTime() + 60_000) });
    // Only the undetermined domain (never cached) is asked again: MX, then the retry.
    expect(server.questions.slice(asked).map((q) => q.name)).toEqual(['servfail.test', 'servfail.test']);
    expect(second.stats.fromCache).toBe(6);
    expect(second.verdicts.get('gone.test')).toMatchObject({ verdict: 'no-such-domain', source: 'cache' });

    // gone.test: NXDOMAIN kept for the SOA minimum of "test" (900 s); good.test for 1800 s.
    const later = await checkDomains(['gone.test', 'good.test'], { resolver, cache, now: new Date(NOW.getTime() + 1000_000) });
    expect(later.verdicts.get('gone.test')!.source).toBe('dns');
    expect(later.verdicts.get('good.test')!.source).toBe('cache');
  });

  it('keeps TTLs within 5 minutes .. 7 days', async () => {
    const db = new Database(':memory:');
    const cache = openDnsCache(db, server.address);
    const resolver = createResolver({ servers: [server.address], timeoutMs: 1000 });
    const { verdicts } = await checkDomains(['good.test', 'gone.test'], { resolver, cache, now: NOW });
    const lifetime = (d: string) => (Date.parse(verdicts.get(d)!.expiresAt!) - NOW.getTime()) / 1000;
    expect(lifetime('good.test')).toBe(1800);
    expect(lifetime('gone.test')).toBe(900);
  });

  it('a spent time budget leaves the rest undetermined, never suppressed', async () => {
    const resolver = createResolver({ servers: [server.address], timeoutMs: 3000 });
    const started = Date.now();
    const { verdicts, stats } = await checkDomains(['slow.test', 'good.test', 'gone.test'], {
      resolver,
      now: NOW,
      budgetMs: 300,
      concurrency: 1,
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(stats.budgetSpent).toBe(true);
    expect([...verdicts.values()].every((v) => v.verdict === 'undetermined')).toBe(true);
  });

  it('never has more look-ups in flight than the concurrency limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const real = createResolver({ servers: [server.address], timeoutMs: 1000 });
    const counting = {
      ...real,
      get queries() {
        return real.queries;
      },
      mx: async (name: string) => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 5));
        try {
          return await real.mx(name);
        } finally {
          inFlight--;
        }
      },
    };
    const many = Array.from({ length: 40 }, (_, i) => `d${i}.test`);
    await checkDomains(many, { resolver: counting, now: NOW, concurrency: 4 });
    expect(peak).toBe(4);
  });
});
