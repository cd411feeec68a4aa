import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainVerdict } from '../../src/dns/types.js';
import { openDnsCache, resolverKey } from '../../src/state/dns-cache.js';
import { HistoryStore } from '../../src/state/history-store.js';

const verdict = (domain: string, checkedAt: string, expiresAt: string): DomainVerdict => ({
  domain,
  verdict: 'no-such-domain',
  detail: `the domain ${domain} does not exist (NXDOMAIN): mail to it bounces`,
  mx: [],
  ttlSeconds: 900,
  negative: true,
  checkedAt,
  expiresAt,
  source: 'dns',
});

describe('the DNS cache in the history database', () => {
  it('keeps verdicts across openings of the store, valid from their look-up until they expire', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-dns-cache-')), 'history.db');
    const store = HistoryStore.open(file);
    openDnsCache(store.connection(), 'system').put([verdict('gone.example', '2026-11-23T09:00:00.000Z', '2026-11-23T09:15:00.000Z')]);
    store.close();

    const again = HistoryStore.open(file);
    const cache = openDnsCache(again.connection(), 'system');
    expect(cache.get('gone.example', new Date('2026-11-23T09:10:00Z'))).toMatchObject({
      verdict: 'no-such-domain',
      source: 'cache',
      ttlSeconds: 900,
    });
    expect(cache.get('gone.example', new Date('2026-11-23T09:15:00Z'))).toBeUndefined();
    // A run "in the past" does not use an answer from its future.
    expect(cache.get('gone.example', new Date('2026-11-23T08:00:00Z'))).toBeUndefined();
    expect(cache.get('other.example', new Date('2026-11-23T09:10:00Z'))).toBeUndefined();

    // A newer answer replaces the old one.
    cache.put([
      { ...verdict('gone.example', '2026-11-24T09:00:00.000Z', '2026-11-25T09:00:00.000Z'), verdict: 'accepts-mail', negative: false },
    ]);
    expect(cache.get('gone.example', new Date('2026-11-24T10:00:00Z'))?.verdict).toBe('accepts-mail');
    expect(cache.size()).toBe(1);
    again.close();
  });

  it("keeps answers per resolver, and drops an earlier release's table, whose answers name no resolver", () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-dns-cache-')), 'history.db');
    const store = HistoryStore.open(file);
    const db = store.connection();
    db.exec(`CREATE TABLE dns_cache (domain TEXT PRIMARY KEY, verdict TEXT NOT NULL, detail TEXT NOT NULL, mx TEXT NOT NULL,
      ttl_seconds INTEGER, negative INTEGER NOT NULL, checked_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL)`);
    db.prepare(`INSERT INTO dns_cache VALUES ('gone.example', 'no-such-domain', 'gone', '[]', 900, 1, ?, ?)`).run(
      Date.parse('2026-11-23T09:00:00Z'),
      Date.parse('2026-11-24T09:00:00Z'),
    );
    const at = new Date('2026-11-23T10:00:00Z');
    const system = openDnsCache(db, resolverKey([]));
    expect(system.get('gone.example', at)).toBeUndefined();
    expect(system.size()).toBe(0);

    const test = openDnsCache(db, resolverKey(['127.0.0.1:5353']));
    test.put([verdict('gone.example', '2026-11-23T09:00:00.000Z', '2026-11-24T09:00:00.000Z')]);
    expect(test.get('gone.example', at)?.verdict).toBe('no-such-domain');
    expect(system.get('gone.example', at)).toBeUndefined();
    expect(openDnsCache(db, resolverKey(['127.0.0.1:5353', '9.9.9.9'])).get('gone.example', at)).toBeUndefined();
    // Opened again (a later run), the keyed table and its answers stay.
    expect(openDnsCache(db, resolverKey(['127.0.0.1:5353'])).get('gone.example', at)?.verdict).toBe('no-such-domain');
    store.close();
  });
});
