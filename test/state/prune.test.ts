/**
 * Retention: `hygiene prune` removes only what can no longer change a decision made at the
 * time of pruning or later, and says what it removed.
 */
import { mkdtempSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BounceClass, BounceRecord } from '../../src/bounces/types.js';
import { DEFAULT_POLICY, decide } from '../../src/policy/decide.js';
import { HistoryStore } from '../../src/state/history-store.js';
import { runCli } from '../cli/run-cli.js';

const NOW = new Date('2026-11-24T00:00:00.000Z');
const DAY = 86_400_000;
const RETENTION_MS = 90 * DAY;
const CUTOFF = NOW.getTime() - RETENTION_MS;

let counter = 0;
function event(recipient: string, cls: BounceClass, daysAgo: number | null, extra: Partial<BounceRecord> = {}): BounceRecord {
  counter++;
  const reason = {
    hard: 'userunknown',
    soft: 'mailboxfull',
    block: 'blocked',
    complaint: 'feedback',
    'auto-reply': 'vacation',
    delivered: 'delivered',
    undetermined: 'undefined',
  }[cls];
  return {
    recipient,
    class: cls,
    reason: reason as BounceRecord['reason'],
    action: cls === 'delivered' ? 'delivered' : 'failed',
    status: cls === 'soft' ? '4.2.2' : cls === 'hard' ? '5.1.1' : null,
    smtpCode: null,
    diagnostic: `${cls} ${counter}`,
    remoteMta: null,
    at: daysAgo === null ? null : new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
    queueId: `Q${counter}`,
    format: 'postfix',
    source: `mail.log:${counter}`,
    messageKey: `Q${counter}`,
    ...extra,
  };
}

function tempStore(): { store: HistoryStore; file: string } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-prune-')), 'history.db');
  return { store: HistoryStore.open(file), file };
}

function decisions(store: HistoryStore, addresses: string[], times: Date[]) {
  return addresses.map((address) => times.map((time) => decide(store.historyOf(address), DEFAULT_POLICY, time)));
}

describe('HistoryStore.prune', () => {
  it('removes old superseded deliveries, soft bounces, blocks and auto-replies; keeps the rest', () => {
    const { store } = tempStore();
    try {
      store.ingest(
        [
          event('ann@example.org', 'delivered', 120), // removed: a later delivery exists
          event('ann@example.org', 'soft', 110), // removed: later events exist
          event('ann@example.org', 'block', 105), // removed
          event('ann@example.org', 'auto-reply', 104), // removed
          event('ann@example.org', 'delivered', 100), // kept: the latest delivery
          event('ann@example.org', 'soft', 10), // kept: young
          event('bo@example.net', 'hard', 200), // kept: hard bounces are kept
          event('bo@example.net', 'complaint', 150), // kept: complaints are kept
          event('bo@example.net', 'delivered', 140), // removed: the delivery below clears at least as much
          event('bo@example.net', 'delivered', 95), // kept: the latest delivery
          event('cy@example.com', 'soft', 100), // kept: nothing supersedes it
          event('dee@example.com', 'soft', null), // kept: unknown time
          event('dee@example.com', 'soft', 100), // removed: superseded by the young soft below
          event('dee@example.com', 'soft', 1),
        ],
        NOW,
      );
      const addresses = ['ann@example.org', 'bo@example.net', 'cy@example.com', 'dee@example.com'];
      const times = [NOW, new Date(NOW.getTime() + DAY), new Date(NOW.getTime() + 45 * DAY), new Date(NOW.getTime() + 400 * DAY)];
      const before = decisions(store, addresses, times);
      const progress: number[] = [];
      const result = store.prune(CUTOFF, (done) => progress.push(done));
      expect(result).toEqual({ before: 14, kept: 8, removed: 6, byClass: { delivered: 2, soft: 2, block: 1, 'auto-reply': 1 } });
      expect(progress.length).toBeGreaterThan(0);
      expect(decisions(store, addresses, times)).toEqual(before);
      expect(store.historyOf('ann@example.org')!.events.map((e) => e.class)).toEqual(['delivered', 'soft']);
      expect(store.historyOf('dee@example.com')!.events.map((e) => (e.at === null ? 'unknown' : e.class))).toEqual(['unknown', 'soft']);
      // Pruning again removes nothing more.
      expect(store.prune(CUTOFF).removed).toBe(0);
    } finally {
      store.close();
    }
  });

  it('never changes a decision made at the time of pruning or later (random histories)', () => {
    const classes: BounceClass[] = ['hard', 'soft', 'block', 'complaint', 'auto-reply', 'delivered', 'undetermined'];
    const addresses = ['ann@example.org', 'bo@example.net'];
    const arbitraryEvent = fc.record({
      who: fc.nat({ max: addresses.length - 1 }),
      cls: fc.constantFrom(...classes),
      daysAgo: fc.option(fc.integer({ min: 0, max: 200 }), { nil: null, freq: 10 }),
      message: fc.nat({ max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(arbitraryEvent, { maxLength: 25 }), fc.integer({ min: 0, max: 120 }), (events, laterDays) => {
        const { store } = tempStore();
        try {
          store.ingest(
            events.map((e) => event(addresses[e.who]!, e.cls, e.daysAgo, { messageKey: `M${e.message}` })),
            NOW,
          );
          const times = [NOW, new Date(NOW.getTime() + laterDays * DAY)];
          const before = decisions(store, addresses, times);
          store.prune(CUTOFF);
          const after = decisions(store, addresses, times);
          // The decision (list, reason, detail, source, counts, retry time) is the same.
          const strip = (all: typeof before) => all.map((perAddress) => perAddress.map(({ lastBounce: _lastBounce, ...rest }) => rest));
          expect(strip(after)).toEqual(strip(before));
        } finally {
          store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('hygiene prune (CLI)', () => {
  it('reports what it removed, and --vacuum what the file weighs', () => {
    const { store, file } = tempStore();
    store.ingest(
      Array.from({ length: 3000 }, (_, i) =>
        event(`u${i % 300}@example.org`, i % 7 === 6 ? 'soft' : 'delivered', 200 - Math.floor(i / 300) * 5),
      ),
      NOW,
    );
    store.close();
    const result = runCli(['prune', '--state', file, '--now', NOW.toISOString(), '--json', '--vacuum']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ state: file, retention: '90d', cutoff: new Date(CUTOFF).toISOString(), before: 3000 });
    expect(report.removed).toBeGreaterThan(2000);
    expect(report.kept + report.removed).toBe(3000);
    expect(report.vacuum.bytesAfter).toBeLessThan(report.vacuum.bytesBefore);
    expect(statSync(file).size).toBe(report.vacuum.bytesAfter);

    const text = runCli(['prune', '--state', file, '--now', NOW.toISOString(), '--retention', '120d']);
    expect(text.status, text.stderr).toBe(0);
    expect(text.stderr).toMatch(
      new RegExp(`^${file}: removed 0 of ${report.kept} event\\(s\\); ${report.kept} kept\\n  retention 120d: only events before `),
    );
  });

  it('refuses a retention shorter than the soft window, and a missing history', () => {
    const { store, file } = tempStore();
    store.close();
    const short = runCli(['prune', '--state', file, '--retention', '7d']);
    expect(short.status).toBe(2);
    expect(short.stderr).toContain('retention "7d" is shorter than the soft window (30d): pruning would change decisions');
    const missing = runCli(['prune', '--state', path.join(path.dirname(file), 'none.db')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no history database yet');
  });
});
