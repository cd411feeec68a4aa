/**
 * Schema 3's summary bits (hard bounce since the latest delivery, soft bounces since it) let a
 * list check settle an address that bounced without reading its events. Whatever the events,
 * the order and batches of ingestion and the time of the decision, an address the summary
 * settles must be one `decide` cleans on its whole history; the database's filter must agree
 * with the code's; and a history of schema 2 gets the bits from its events.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BounceClass, BounceRecord } from '../../src/bounces/types.js';
import { DEFAULT_POLICY, decide } from '../../src/policy/decide.js';
import { summarySaysCleaned } from '../../src/policy/history-model.js';
import { HistoryStore } from '../../src/state/history-store.js';
import { SCHEMA_VERSION } from '../../src/state/migrations.js';
import { ADDRESS_FLAGS, SOFT_COUNT_MAX, SOFT_COUNT_SHIFT, UNSETTLED_ADDRESS_SQL } from '../../src/state/schema.js';
import { SummaryIndex } from '../../src/state/summary-index.js';
import { UnsettledAddresses } from '../../src/state/unsettled-addresses.js';
import { digestOf } from '../../src/state/summary-digest.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 1);
const CLASSES: BounceClass[] = ['hard', 'soft', 'block', 'complaint', 'auto-reply', 'delivered', 'undetermined'];
const ADDRESSES = ['ann@example.org', 'bob@example.org', 'cy@example.org'];

function tempDb(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-settled-')), 'history.db');
}

const eventArbitrary = fc.record({
  address: fc.constantFrom(...ADDRESSES),
  class: fc.constantFrom(...CLASSES),
  day: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null, freq: 10 }),
  messageKey: fc.option(fc.constantFrom('Q1', 'Q2', 'Q3', 'Q4'), { nil: null }),
  source: fc.integer({ min: 1, max: 9 }),
  /** Which batch (transaction) of the ingest it arrives in. */
  batch: fc.integer({ min: 0, max: 2 }),
});

type EventSpec = typeof eventArbitrary extends fc.Arbitrary<infer T> ? T : never;

function toRecord(e: EventSpec, index: number): BounceRecord {
  return {
    recipient: e.address,
    class: e.class,
    reason: e.class === 'delivered' ? 'delivered' : 'mailboxfull',
    action: e.class === 'delivered' ? 'delivered' : 'failed',
    status: e.class === 'delivered' ? '2.0.0' : '4.2.2',
    smtpCode: null,
    diagnostic: `reply ${index % 3}`,
    remoteMta: null,
    at: e.day === null ? null : new Date(START + e.day * DAY + (index % 5) * 3_600_000).toISOString(),
    queueId: e.messageKey,
    format: 'postfix',
    source: `mail.log:${e.source}`,
    messageKey: e.messageKey,
  };
}

function ingestInBatches(store: HistoryStore, events: EventSpec[]): void {
  for (let batch = 0; batch <= 2; batch++) {
    const records = events.flatMap((e, i) => (e.batch === batch ? [toRecord(e, i)] : []));
    if (records.length > 0) store.ingest(records);
  }
}

/** The flags as a fresh count over the address's stored events would give them. */
function expectedBits(store: HistoryStore, address: string): number {
  const history = store.historyOf(address);
  const summary = store.summaryOf(address)!;
  const delivery = summary.lastDelivery;
  let hard = false;
  let softs = 0;
  for (const event of history?.events ?? []) {
    if (event.class === 'hard' && (event.time === null || delivery === null || event.time > delivery)) hard = true;
    if ((event.class === 'soft' || event.class === 'undetermined') && event.time !== null && (delivery === null || event.time > delivery))
      softs++;
  }
  return (hard ? ADDRESS_FLAGS.hardSinceDelivery : 0) | (Math.min(softs, SOFT_COUNT_MAX) << SOFT_COUNT_SHIFT);
}

const BITS = ADDRESS_FLAGS.hardSinceDelivery | ADDRESS_FLAGS.softsSinceDelivery;

describe('the summary bits since the latest delivery', () => {
  it('are what the events say, however they were ingested, and settle only addresses decide cleans', () => {
    fc.assert(
      fc.property(
        fc.array(eventArbitrary, { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 70 }),
        fc.boolean(),
        (events, nowDay, reread) => {
          const store = HistoryStore.open(tempDb());
          try {
            ingestInBatches(store, events);
            // The same events read again from other places: a smaller source replaces a reading,
            // and a reading classified otherwise changes the event's class.
            const otherClass = (cls: BounceClass) => CLASSES[(CLASSES.indexOf(cls) + 1) % CLASSES.length]!;
            if (reread) {
              store.ingest(
                events.map((e, i) => ({
                  ...toRecord(e, i),
                  source: `a.log:${e.source}`,
                  class: i % 3 === 0 ? otherClass(e.class) : e.class,
                })),
              );
            }
            const now = new Date(START + nowDay * DAY + 7_200_000);
            for (const address of ADDRESSES) {
              const summary = store.summaryOf(address);
              if (summary === undefined) continue;
              expect(summary.flags & BITS).toBe(expectedBits(store, address));
              if (summarySaysCleaned(digestOf(summary), DEFAULT_POLICY, now.getTime())) {
                expect(decide(store.historyOf(address), DEFAULT_POLICY, now).list).toBe('cleaned');
              }
            }
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('are counted from the events when a history of schema 2 is opened', () => {
    const file = tempDb();
    const events: EventSpec[] = [
      { address: 'ann@example.org', class: 'delivered', day: 1, messageKey: 'Q1', source: 1, batch: 0 },
      { address: 'ann@example.org', class: 'hard', day: 2, messageKey: 'Q2', source: 2, batch: 0 },
      { address: 'bob@example.org', class: 'delivered', day: 1, messageKey: 'Q1', source: 3, batch: 0 },
      { address: 'bob@example.org', class: 'soft', day: 3, messageKey: 'Q3', source: 4, batch: 0 },
      { address: 'bob@example.org', class: 'soft', day: 4, messageKey: 'Q4', source: 5, batch: 0 },
      { address: 'cy@example.org', class: 'hard', day: 1, messageKey: 'Q1', source: 6, batch: 0 },
      { address: 'cy@example.org', class: 'delivered', day: 2, messageKey: 'Q2', source: 7, batch: 0 },
    ];
    const store = HistoryStore.open(file);
    ingestInBatches(store, events);
    const fresh = new Map(ADDRESSES.map((address) => [address, store.summaryOf(address)!.flags]));
    store.close();
    expect(fresh.get('ann@example.org')! & BITS).toBe(ADDRESS_FLAGS.hardSinceDelivery);
    expect(fresh.get('bob@example.org')! & BITS).toBe(2 << SOFT_COUNT_SHIFT);
    expect(fresh.get('cy@example.org')! & BITS).toBe(0);

    // As schema 2 left it: no bits.
    const raw = new Database(file);
    raw.prepare(`UPDATE addresses SET flags = flags & ~${BITS}`).run();
    raw.pragma('user_version = 2');
    raw.close();

    const upgraded = HistoryStore.open(file, { readonly: true });
    try {
      for (const address of ADDRESSES) expect(upgraded.summaryOf(address)!.flags).toBe(fresh.get(address));
    } finally {
      upgraded.close();
    }
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    check.close();
  });
});

describe('the database filter of unsettled addresses', () => {
  it('agrees with summarySaysCleaned on any summary, time and policy', () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE addresses (key TEXT PRIMARY KEY, id INTEGER, last_delivery INTEGER, last_bounce INTEGER, flags INTEGER)');
    const insert = db.prepare('INSERT INTO addresses VALUES (?, ?, ?, ?, ?)');
    const select = db.prepare(`SELECT a.key FROM addresses AS a WHERE ${UNSETTLED_ADDRESS_SQL}`).pluck();
    const time = fc.option(
      fc.integer({ min: 0, max: 40 }).map((day) => START + day * DAY),
      { nil: null },
    );
    fc.assert(
      fc.property(
        fc.array(fc.record({ delivery: time, bounce: time, flags: fc.integer({ min: 0, max: 127 }) }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 45 }),
        fc.record({
          softLimit: fc.integer({ min: 1, max: 6 }),
          softWindowMs: fc.integer({ min: 1, max: 30 }).map((days) => days * DAY),
          retryDelayMs: fc.integer({ min: 0, max: 5 }).map((days) => days * DAY),
        }),
        (rows, nowDay, policy) => {
          db.exec('DELETE FROM addresses');
          rows.forEach((row, i) => insert.run(`a${i}`, i, row.delivery, row.bounce, row.flags));
          const nowMs = START + nowDay * DAY;
          const unsettled = new Set(
            select.all({
              now: nowMs,
              retryDelay: policy.retryDelayMs,
              softWindow: policy.softWindowMs,
              softLimit: policy.softLimit,
            }) as string[],
          );
          rows.forEach((row, i) => {
            const summary = { id: i, lastDelivery: row.delivery, lastBounce: row.bounce, flags: row.flags };
            expect(unsettled.has(`a${i}`)).toBe(!summarySaysCleaned(digestOf(summary), policy, nowMs));
          });
        },
      ),
      { numRuns: 300 },
    );
    db.close();
  });

  it('gives the same summaries asked per batch and read in one pass', () => {
    const store = HistoryStore.open(tempDb());
    try {
      const records: BounceRecord[] = [];
      for (let i = 0; i < 60; i++) {
        const cls = CLASSES[i % CLASSES.length]!;
        const spec: EventSpec = { address: 'ann@example.org', class: cls, day: i % 30, messageKey: null, source: i + 1, batch: 0 };
        records.push({ ...toRecord(spec, i), recipient: `p${i % 20}@example.org`, messageKey: `Q${i}`, queueId: `Q${i}` });
      }
      store.ingest(records);
      const keys = Array.from({ length: 25 }, (_, i) => `p${i}@example.org`);
      const nowMs = START + 20 * DAY;
      const perBatch = new UnsettledAddresses(store, DEFAULT_POLICY, nowMs, { scanAfterShare: Number.POSITIVE_INFINITY });
      const onePass = new UnsettledAddresses(store, DEFAULT_POLICY, nowMs, { scanAfterShare: 0 });
      const seen = (lookup: UnsettledAddresses) => {
        const found = [keys.slice(0, 10), keys.slice(10)].flatMap((batch) => {
          const summaries = lookup.of(batch);
          return batch.flatMap((key) => {
            const summary = summaries.get(key);
            return summary === undefined ? [] : [[key, summary]];
          });
        });
        return found;
      };
      const expected = seen(perBatch);
      expect(expected.length).toBeGreaterThan(0);
      expect(seen(onePass)).toEqual(expected);
      // A list expected to be bigger than a tenth of the history makes its pass on the first ask.
      const bigList = new UnsettledAddresses(store, DEFAULT_POLICY, nowMs, { expectedKeys: 1_000 });
      expect(bigList.of(keys.slice(0, 1))).toBeInstanceOf(SummaryIndex);
      expect(seen(bigList)).toEqual(expected);
      const smallList = new UnsettledAddresses(store, DEFAULT_POLICY, nowMs, { expectedKeys: 1 });
      expect(smallList.of(keys.slice(0, 1))).not.toBeInstanceOf(SummaryIndex);
      // A pass made in steps: batches are asked of the database until it is done, then answered
      // from memory, with the same summaries either way.
      const inSteps = new UnsettledAddresses(store, DEFAULT_POLICY, nowMs, { expectedKeys: 1_000, passInSteps: true });
      expect(inSteps.of(keys.slice(0, 1))).not.toBeInstanceOf(SummaryIndex);
      expect(seen(inSteps)).toEqual(expected);
      let steps = 0;
      while (inSteps.readAhead()) steps++;
      expect(steps).toBeLessThan(10);
      expect(inSteps.of(keys.slice(0, 1))).toBeInstanceOf(SummaryIndex);
      expect(seen(inSteps)).toEqual(expected);
      expect(onePass.readAhead()).toBe(false);
    } finally {
      store.close();
    }
  });
});
