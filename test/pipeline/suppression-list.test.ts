import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/state/history-store.js';
import { DEFAULT_POLICY } from '../../src/policy/decide.js';
import { emptyHistory, toHistoryEvent, type AddressHistory } from '../../src/policy/history-model.js';
import type { BounceRecord } from '../../src/bounces/types.js';
import {
  checkBeforeUnsuppress,
  effectiveSuppressions,
  effectiveSuppressionsOf,
  EXPORT_LAYOUTS,
} from '../../src/pipeline/suppression-list.js';

const NOW = new Date('2026-11-23T18:00:00Z');

function event(recipient: string, cls: BounceRecord['class'], at: string, source = 'mail.log:1'): ReturnType<typeof toHistoryEvent> {
  return toHistoryEvent({
    recipient,
    finalRecipient: null,
    class: cls,
    reason: cls === 'hard' ? 'userunknown' : cls === 'complaint' ? 'feedback' : 'mailboxfull',
    action: 'failed',
    status: cls === 'hard' ? '5.1.1' : null,
    smtpCode: null,
    diagnostic: null,
    remoteMta: null,
    at,
    queueId: null,
    format: 'postfix',
    source,
  } as BounceRecord);
}

function history(address: string, fill: (h: AddressHistory) => void): AddressHistory {
  const h = emptyHistory(address);
  fill(h);
  return h;
}

const histories = [
  history('hard@example.com', (h) => h.events.push(event('hard@example.com', 'hard', '2026-11-20T10:00:00Z'))),
  history('spam@example.com', (h) => h.events.push(event('spam@example.com', 'complaint', '2026-11-21T10:00:00Z'))),
  history('soft@example.com', (h) => {
    for (let day = 10; day < 14; day++) h.events.push(event('soft@example.com', 'soft', `2026-11-${day}T10:00:00Z`, `mail.log:${day}`));
  }),
  history('once@example.com', (h) => h.events.push(event('once@example.com', 'soft', '2026-11-23T10:00:00Z'))),
  history('listed@example.com', (h) => {
    h.suppression = {
      address: 'listed@example.com',
      reason: 'unsubscribe',
      note: null,
      origin: 'import:mailchimp u.csv:2',
      at: '2026-04-01T08:30:00.000Z',
    };
  }),
  history('cleared@example.com', (h) => {
    h.events.push(event('cleared@example.com', 'hard', '2026-11-01T10:00:00Z'));
    h.overrides.push({ at: '2026-11-02T10:00:00.000Z', note: 'fixed', undoneAt: null });
  }),
];

describe('the effective suppression list', () => {
  it('holds every address the policy suppresses now, with its reason, kind, source and date', () => {
    const list = effectiveSuppressions(histories, DEFAULT_POLICY, NOW);
    expect(list.map((e) => [e.email, e.reason, e.kind])).toEqual([
      ['hard@example.com', 'hard-bounce', 'learnt'],
      ['listed@example.com', 'imported', 'imported'],
      ['soft@example.com', 'soft-bounce-limit', 'learnt'],
      ['spam@example.com', 'complaint', 'learnt'],
    ]);
    expect(list[1]).toMatchObject({ source: 'import:mailchimp u.csv:2', date: '2026-04-01T08:30:00.000Z', listReason: 'unsubscribe' });
    expect(list[0]).toMatchObject({ source: 'mail.log:1', date: '2026-11-20T10:00:00Z' });
  });

  it('writes each export layout', () => {
    const list = effectiveSuppressions(histories, DEFAULT_POLICY, NOW);
    expect(EXPORT_LAYOUTS.ses.header).toBeNull();
    expect(list.map(EXPORT_LAYOUTS.ses.row)).toEqual([
      ['hard@example.com', 'BOUNCE'],
      ['listed@example.com', 'COMPLAINT'],
      ['soft@example.com', 'BOUNCE'],
      ['spam@example.com', 'COMPLAINT'],
    ]);
    expect(EXPORT_LAYOUTS.mailchimp.header).toEqual(['Email Address']);
    expect(EXPORT_LAYOUTS.sendgrid.header).toEqual(['email']);
    expect(EXPORT_LAYOUTS.plain.header![0]).toBe('email');
  });

  it('tells unsuppress whether there is anything to clear, and whether it is a complaint', () => {
    const byAddress = new Map(histories.map((h) => [h.address, h]));
    expect(checkBeforeUnsuppress(undefined, DEFAULT_POLICY, NOW)).toMatchObject({ suppressed: false, complaint: false });
    expect(checkBeforeUnsuppress(byAddress.get('cleared@example.com'), DEFAULT_POLICY, NOW)).toMatchObject({ suppressed: false });
    expect(checkBeforeUnsuppress(byAddress.get('hard@example.com'), DEFAULT_POLICY, NOW)).toMatchObject({
      suppressed: true,
      complaint: false,
    });
    expect(checkBeforeUnsuppress(byAddress.get('spam@example.com'), DEFAULT_POLICY, NOW)).toMatchObject({
      suppressed: true,
      complaint: true,
    });
    expect(checkBeforeUnsuppress(byAddress.get('once@example.com'), DEFAULT_POLICY, NOW)).toMatchObject({
      suppressed: true,
      reason: 'soft-bounce',
    });
  });
});

describe('effectiveSuppressionsOf: the list of a history database, read address by address', () => {
  const DAY = 86_400_000;
  const stores: HistoryStore[] = [];
  afterEach(() => {
    while (stores.length > 0) stores.pop()!.close();
  });
  function newStore(): HistoryStore {
    const store = HistoryStore.open(path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-supp-')), 'history.db'));
    stores.push(store);
    return store;
  }
  function bounce(recipient: string, cls: BounceRecord['class'], day: number | null, key: string): BounceRecord {
    return {
      recipient,
      class: cls,
      reason: cls === 'hard' ? 'userunknown' : cls === 'complaint' ? 'feedback' : cls === 'delivered' ? 'delivered' : 'mailboxfull',
      action: cls === 'delivered' ? 'delivered' : 'failed',
      status: cls === 'hard' ? '5.1.1' : null,
      smtpCode: null,
      diagnostic: null,
      remoteMta: null,
      at: day === null ? null : new Date(Date.UTC(2026, 10, 1) + day * DAY).toISOString(),
      queueId: key,
      messageKey: key,
      format: 'postfix',
      source: `mail.log:${key}`,
    } as BounceRecord;
  }

  it('equals the list made from every whole history, whatever the events, list entries, overrides and time', () => {
    const addresses = ['ann@example.org', 'bob@example.org', 'cy@example.net', 'dee@example.com'];
    const classes: BounceRecord['class'][] = ['hard', 'soft', 'block', 'complaint', 'delivered', 'undetermined'];
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            who: fc.integer({ min: 0, max: addresses.length - 1 }),
            cls: fc.constantFrom(...classes),
            day: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null, freq: 8 }),
            key: fc.constantFrom('Q1', 'Q2', 'Q3', 'Q4'),
          }),
          { maxLength: 30 },
        ),
        fc.subarray(addresses),
        fc.subarray(addresses),
        fc.integer({ min: 0, max: 45 }),
        (events, listed, unsuppressed, nowDay) => {
          const store = newStore();
          store.ingest(
            events.map((e) => bounce(addresses[e.who]!, e.cls, e.day, e.key)),
            new Date(),
          );
          store.addSuppressions(
            listed.map((address) => ({ address, reason: 'manual' as const, origin: 'manual', at: '2026-11-05T00:00:00Z' })),
            new Date('2026-11-05T00:00:00Z'),
          );
          for (const address of unsuppressed) store.unsuppress(address, null, new Date('2026-11-06T00:00:00Z'));
          const now = new Date(Date.UTC(2026, 10, 1) + nowDay * DAY + 3_600_000);
          expect(effectiveSuppressionsOf(store, DEFAULT_POLICY, now)).toEqual(
            effectiveSuppressions(store.loadHistories().values(), DEFAULT_POLICY, now),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('walks past one page of addresses: every suppressed address of a long history is listed, in order', () => {
    const store = newStore();
    const count = 5_003;
    const records: BounceRecord[] = [];
    for (let i = 0; i < count; i++) {
      records.push(bounce(`user${String(i).padStart(5, '0')}@example.org`, i % 2 === 0 ? 'hard' : 'delivered', 3, `Q${i}`));
    }
    store.ingest(records, new Date());
    const list = effectiveSuppressionsOf(store, DEFAULT_POLICY, new Date('2026-11-20T00:00:00Z'));
    expect(list.length).toBe(Math.ceil(count / 2));
    expect(list[0]!.email).toBe('user00000@example.org');
    expect(list.at(-1)!.email).toBe('user05002@example.org');
  });
});
