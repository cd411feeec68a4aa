import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainVerdict } from '../../src/dns/types.js';
import { openDnsCache } from '../../src/state/dns-cache.js';
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
    openDnsCache(store.connection()).put([verdict('gone.example', '2026-11-23T09:00:00.000Z', '2026-11-23T09:15:00.000Z')]);
    store.close();

    const again = HistoryStore.open(file);
    const cache = openDnsCache(again.connection());
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
});
