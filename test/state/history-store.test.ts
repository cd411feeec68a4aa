import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { BounceClass, BounceRecord } from '../../src/bounces/types.js';
import { HygieneError } from '../../src/errors.js';
import { DEFAULT_POLICY, decide } from '../../src/policy/decide.js';
import { buildHistories, digestSaysCleaned } from '../../src/policy/history-model.js';
import { DEFAULT_STATE_PATH, HistoryStore } from '../../src/state/history-store.js';
import { SCHEMA_VERSION } from '../../src/state/migrations.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const NOW = new Date('2026-11-20T12:00:00.000Z');
const DAY = 86_400_000;

const open: HistoryStore[] = [];
afterEach(() => {
  while (open.length > 0) open.pop()!.close();
});

function tempDb(name = 'history.db'): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'hygiene-')), '.hygiene', name);
}

function openStore(file: string, options?: Parameters<typeof HistoryStore.open>[1]): HistoryStore {
  const store = HistoryStore.open(file, options);
  open.push(store);
  return store;
}

function record(fields: Partial<BounceRecord>): BounceRecord {
  return {
    recipient: 'ann@example.org',
    class: 'soft',
    reason: 'mailboxfull',
    action: 'delayed',
    status: '4.2.2',
    smtpCode: '452',
    diagnostic: '452 4.2.2 Mailbox full',
    remoteMta: 'mx.example.org',
    at: '2026-11-19T10:00:00.000Z',
    queueId: 'A1B2C3',
    format: 'postfix',
    source: 'mail.log:1',
    messageKey: 'A1B2C3',
    ...fields,
  };
}

function stateError(action: () => unknown): HygieneError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(HygieneError);
    return error as HygieneError;
  }
  throw new Error('expected a HygieneError');
}

describe('HistoryStore.open', () => {
  it('creates the folder and a WAL database at the current schema version', () => {
    const file = tempDb();
    openStore(file).close();
    expect(existsSync(file)).toBe(true);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
    expect(DEFAULT_STATE_PATH).toBe('.hygiene/history.db');
  });

  it('refuses a file that is not a database, and leaves it untouched', () => {
    const file = tempDb();
    openStore(file).close();
    const junk = Buffer.from('PK\u0003\u0004 this is a zip, or anything but SQLite '.repeat(200));
    writeFileSync(file, junk);
    const error = stateError(() => HistoryStore.open(file));
    expect(error.code).toBe('STATE_CORRUPT');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(file);
    expect(error.message).toContain('will NOT be reset');
    expect(error.hint).toMatch(/restore it from a backup, or move it aside/i);
    expect(readFileSync(file).equals(junk)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a damaged database (quick_check), and leaves it untouched', () => {
    const file = tempDb();
    const store = openStore(file);
    store.ingest(
      Array.from({ length: 3000 }, (_, index) => record({ recipient: `user${index}@example.com`, source: `mail.log:${index + 1}` })),
      NOW,
    );
    store.close();
    const bytes = readFileSync(file);
    const pageSize = 4096;
    for (let offset = 2 * pageSize; offset < 3 * pageSize; offset++) bytes[offset] = (offset * 31) & 0xff;
    writeFileSync(file, bytes);
    const error = stateError(() => HistoryStore.open(file));
    expect(error.code).toBe('STATE_CORRUPT');
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a database made by a newer hygiene', () => {
    const file = tempDb();
    openStore(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const error = stateError(() => HistoryStore.open(file));
    expect(error.code).toBe('STATE_TOO_NEW');
    expect(error.message).toContain('made by a newer hygiene');
  });

  it("refuses to add its tables to another program's database", () => {
    const file = tempDb();
    openStore(file).close();
    const other = path.join(path.dirname(file), 'other.db');
    const raw = new Database(other);
    raw.exec('CREATE TABLE events (x)');
    raw.close();
    expect(stateError(() => HistoryStore.open(other)).code).toBe('STATE_FOREIGN');
  });

  it('opens read-only: reads work, writes are refused, nothing is created', () => {
    const file = tempDb();
    openStore(file).ingest([record({})], NOW);
    open.pop()!.close();
    const reader = openStore(file, { readonly: true });
    expect(reader.historyOf('ann@example.org')!.events).toHaveLength(1);
    expect(stateError(() => reader.ingest([record({ at: null })], NOW)).code).toBe('STATE_READONLY');
    expect(stateError(() => reader.unsuppress('ann@example.org', null, NOW)).code).toBe('STATE_READONLY');

    const missing = tempDb();
    expect(stateError(() => HistoryStore.open(missing, { readonly: true })).code).toBe('STATE_NOT_FOUND');
    expect(existsSync(path.dirname(missing))).toBe(false);
  });

  it('waits for another run holding a write transaction instead of failing', async () => {
    const file = tempDb();
    const store = openStore(file);
    // Another process takes the write lock and keeps it for 1.5 s.
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const Database = require('better-sqlite3');
         const db = new Database(process.argv[1]);
         db.exec('BEGIN IMMEDIATE');
         db.prepare("INSERT INTO overrides (address, at, note) VALUES ('lock@example.com', '2026-01-01T00:00:00.000Z', 'held')").run();
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, 1500);`,
        file,
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      holder.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
    });

    // A handle with a short timeout gives up with a clear error...
    const impatient = openStore(file, { busyTimeoutMs: 100 });
    expect(stateError(() => impatient.ingest([record({})], NOW)).code).toBe('STATE_BUSY');
    // ...the default one waits for the lock and then succeeds.
    const started = Date.now();
    expect(store.ingest([record({})], NOW)).toEqual({ added: 1, duplicates: 0 });
    expect(Date.now() - started).toBeGreaterThan(500);
    expect(store.historyOf('lock@example.com')!.overrides).toEqual([{ at: '2026-01-01T00:00:00.000Z', note: 'held', undoneAt: null }]);
    await exited;
  });
});

describe('HistoryStore.ingest', () => {
  it('is idempotent: the same log twice gives the same counts and histories', () => {
    const store = openStore(tempDb());
    const log = [
      record({ source: 'mail.log:1', at: '2026-11-18T10:00:00.000Z' }),
      record({ source: 'mail.log:2', at: '2026-11-19T10:00:00.000Z' }),
      record({
        source: 'mail.log:3',
        recipient: 'bob@example.net',
        class: 'hard',
        reason: 'userunknown',
        status: '5.1.1',
        smtpCode: '550',
        messageKey: 'D4E5',
        queueId: 'D4E5',
      }),
    ];
    expect(store.ingest(log, NOW)).toEqual({ added: 3, duplicates: 0 });
    const first = store.loadHistories();
    expect(store.ingest(log, new Date(NOW.getTime() + DAY))).toEqual({ added: 0, duplicates: 3 });
    expect(store.loadHistories()).toEqual(first);
  });

  it('stores a line repeated in two rotated logs once, keeping the smaller source in any order', () => {
    for (const order of [
      ['mail.log.1:900', 'mail.log:4'],
      ['mail.log:4', 'mail.log.1:900'],
    ]) {
      const store = openStore(tempDb());
      store.ingest([record({ source: order[0]! })], NOW);
      expect(store.ingest([record({ source: order[1]! })], NOW)).toEqual({ added: 0, duplicates: 1 });
      expect(store.historyOf('ann@example.org')!.events.map((event) => event.source)).toEqual(['mail.log.1:900']);
    }
  });

  it('keeps auto-replies (the policy ignores them)', () => {
    const store = openStore(tempDb());
    store.ingest([record({ class: 'auto-reply', reason: 'vacation', status: null, smtpCode: null })], NOW);
    const history = store.historyOf('ann@example.org');
    expect(history!.events[0]!.class).toBe('auto-reply');
    expect(decide(history, DEFAULT_POLICY, NOW).list).toBe('cleaned');
  });

  it('gives the same histories for any permutation and repetition of events, equal to the in-memory ones', () => {
    const classes: BounceClass[] = ['hard', 'soft', 'block', 'complaint', 'auto-reply', 'delivered', 'undetermined'];
    const event = fc.record({
      recipient: fc.constantFrom('ann@example.org', 'Ann@Example.org ', 'bob@example.net'),
      class: fc.constantFrom(...classes),
      at: fc.option(
        fc.integer({ min: 0, max: 2 }).map((day) => new Date(Date.UTC(2026, 10, 1 + day)).toISOString()),
        { nil: null },
      ),
      messageKey: fc.option(fc.constantFrom('Q1', 'Q2'), { nil: null }),
      diagnostic: fc.option(fc.constantFrom('452 4.2.2 Mailbox full', '550 5.1.1 no such user'), { nil: null }),
      remoteMta: fc.option(fc.constantFrom('mx1.example.org', 'mx2.example.org'), { nil: null }),
    });
    const scenario = fc
      .array(event, { minLength: 1, maxLength: 30 })
      .map((events) => events.map((fields, index) => record({ ...fields, queueId: fields.messageKey, source: `mail.log:${index + 1}` })))
      .chain((base) =>
        fc.tuple(
          fc.constant(base),
          fc.shuffledSubarray(base, { minLength: base.length, maxLength: base.length }),
          fc.array(fc.constantFrom(...base), { maxLength: 10 }),
          fc.nat({ max: base.length }),
        ),
      );
    fc.assert(
      fc.property(scenario, ([base, shuffled, repeats, split]) => {
        const once = HistoryStore.open(tempDb());
        const mixed = HistoryStore.open(tempDb());
        try {
          once.ingest(base, NOW);
          mixed.ingest([...repeats, ...shuffled.slice(0, split)], NOW);
          mixed.ingest([...shuffled.slice(split), ...repeats.reverse()], NOW);
          const expected = buildHistories(base);
          expect(once.loadHistories()).toEqual(expected);
          expect(mixed.loadHistories()).toEqual(expected);
        } finally {
          once.close();
          mixed.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('HistoryStore: suppressions and unsuppress', () => {
  const entry = {
    address: 'Ann@Example.org',
    reason: 'complaint' as const,
    note: null,
    origin: 'import:ses suppressed.json#1',
    at: '2026-10-01T00:00:00Z',
  };

  it('adds suppressions idempotently per address, and lists them', () => {
    const store = openStore(tempDb());
    expect(
      store.addSuppressions([entry, { ...entry, address: 'bob@example.net', at: null, reason: 'manual', origin: 'manual' }], NOW),
    ).toEqual({
      added: 2,
      updated: 0,
      unchanged: 0,
    });
    expect(store.addSuppressions([entry], NOW)).toEqual({ added: 0, updated: 0, unchanged: 1 });
    expect(store.listSuppressions()).toEqual([
      {
        address: 'ann@example.org',
        reason: 'complaint',
        note: null,
        origin: 'import:ses suppressed.json#1',
        at: '2026-10-01T00:00:00.000Z',
      },
      { address: 'bob@example.net', reason: 'manual', note: null, origin: 'manual', at: NOW.toISOString() },
    ]);
    expect(decide(store.historyOf('ANN@example.org'), DEFAULT_POLICY, NOW).reason).toBe('suppressed-manually');
  });

  it('re-importing the same export after an unsuppress does not suppress again; a newer listing does', () => {
    const store = openStore(tempDb());
    store.addSuppressions([entry], NOW);
    store.unsuppress('ann@example.org', 'confirmed by phone', new Date('2026-11-01T00:00:00Z'));
    store.addSuppressions([entry, { ...entry, at: null }], NOW);
    expect(decide(store.historyOf('ann@example.org'), DEFAULT_POLICY, NOW).list).toBe('cleaned');
    expect(store.addSuppressions([{ ...entry, at: '2026-11-10T00:00:00Z', reason: 'hard-bounce' }], NOW)).toMatchObject({ updated: 1 });
    expect(decide(store.historyOf('ann@example.org'), DEFAULT_POLICY, NOW)).toMatchObject({
      reason: 'suppressed-manually',
      detail: 'on the suppression list (hard-bounce) since 2026-11-10 from import:ses suppressed.json#1',
    });
  });

  it('unsuppress clears a hard bounce, a new hard bounce suppresses again, undo restores', () => {
    const store = openStore(tempDb());
    const hard = record({ class: 'hard', reason: 'userunknown', status: '5.1.1', at: new Date(NOW.getTime() - 10 * DAY).toISOString() });
    store.ingest([hard], NOW);
    store.unsuppress('ann@example.org', 'mailbox re-created', new Date(NOW.getTime() - 5 * DAY));
    expect(decide(store.historyOf('ann@example.org'), DEFAULT_POLICY, NOW).list).toBe('cleaned');

    store.undoUnsuppress('ann@example.org', new Date(NOW.getTime() - 4 * DAY));
    expect(decide(store.historyOf('ann@example.org'), DEFAULT_POLICY, NOW).reason).toBe('hard-bounce');
    // The undone override is kept as history.
    expect(store.historyOf('ann@example.org')!.overrides).toEqual([
      {
        at: new Date(NOW.getTime() - 5 * DAY).toISOString(),
        note: 'mailbox re-created',
        undoneAt: new Date(NOW.getTime() - 4 * DAY).toISOString(),
      },
    ]);

    store.unsuppress('ann@example.org', null, new Date(NOW.getTime() - 3 * DAY));
    store.ingest([{ ...hard, at: new Date(NOW.getTime() - DAY).toISOString(), source: 'mail.log:77' }], NOW);
    expect(decide(store.historyOf('ann@example.org'), DEFAULT_POLICY, NOW)).toMatchObject({ reason: 'hard-bounce', source: 'mail.log:77' });
  });

  it('refuses to undo when there is nothing to undo', () => {
    const store = openStore(tempDb());
    const error = stateError(() => store.undoUnsuppress('nobody@example.com', NOW));
    expect(error.code).toBe('UNSUPPRESS_NOT_FOUND');
    expect(store.historyOf('nobody@example.com')).toBeUndefined();
  });

  it('loads every address with events, suppressions or overrides', () => {
    const store = openStore(tempDb());
    store.ingest([record({})], NOW);
    store.addSuppressions([{ ...entry, address: 'cy@example.com' }], NOW);
    store.unsuppress('dee@example.net', null, NOW);
    expect([...store.loadHistories().keys()].sort()).toEqual(['ann@example.org', 'cy@example.com', 'dee@example.net']);
  });
});

describe('deciding from the summary and the decisive events (what clean reads)', () => {
  it('gives the decision of the whole history, for any events, readings and time', () => {
    const classes: BounceClass[] = ['hard', 'soft', 'block', 'complaint', 'auto-reply', 'delivered', 'undetermined'];
    const event = fc.record({
      class: fc.constantFrom(...classes),
      day: fc.option(fc.integer({ min: 0, max: 40 }), { nil: null, freq: 8 }),
      messageKey: fc.option(fc.constantFrom('Q1', 'Q2', 'Q3'), { nil: null }),
      source: fc.integer({ min: 1, max: 9 }),
      diagnostic: fc.constantFrom('452 4.2.2 Mailbox full', '550 5.1.1 no such user', '421 try later'),
    });
    fc.assert(
      fc.property(
        fc.array(event, { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 45 }),
        fc.boolean(),
        (events, nowDay, suppressed) => {
          const store = HistoryStore.open(tempDb());
          try {
            store.ingest(
              events.map((e) =>
                record({
                  class: e.class,
                  at: e.day === null ? null : new Date(Date.UTC(2026, 10, 1) + e.day * DAY).toISOString(),
                  messageKey: e.messageKey,
                  queueId: e.messageKey,
                  diagnostic: e.diagnostic,
                  source: `mail.log:${e.source}`,
                }),
              ),
              NOW,
            );
            if (suppressed)
              store.addSuppressions([{ address: 'ann@example.org', reason: 'manual', origin: 'manual', at: '2026-11-05T00:00:00Z' }], NOW);
            const now = new Date(Date.UTC(2026, 10, 1) + nowDay * DAY + 3_600_000);
            const full = decide(store.historyOf('ann@example.org'), DEFAULT_POLICY, now);
            const summary = store.summaryOf('ann@example.org')!;
            const digest = {
              lastDelivery: summary.lastDelivery,
              lastBounce: summary.lastBounce,
              hasBounce: (summary.flags & 1) !== 0,
              hasComplaint: (summary.flags & 2) !== 0,
              suppressed: (summary.flags & 4) !== 0,
              overridden: (summary.flags & 8) !== 0,
            };
            if (digestSaysCleaned(digest, now.getTime())) {
              expect(full.list).toBe('cleaned');
              return;
            }
            const fromDecisive = decide(store.decisiveHistory('ann@example.org', summary, now.getTime()), DEFAULT_POLICY, now);
            const { lastBounce: _a, ...expected } = full;
            const { lastBounce: _b, ...actual } = fromDecisive;
            expect(actual).toEqual(expected);
            if (
              full.list === 'retry-later' ||
              full.reason === 'hard-bounce' ||
              full.reason === 'complaint' ||
              full.reason === 'soft-bounce-limit'
            ) {
              expect(fromDecisive.lastBounce).toBe(full.lastBounce);
            }
          } finally {
            store.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
