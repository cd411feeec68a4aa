/**
 * A history made by the previous release (schema 1: events keyed by a digest that included our
 * class and reason, no application_id) is upgraded in place: events are re-classified with
 * today's rules and keyed by what their source said, one per identity. Reading the same logs
 * again afterwards adds nothing: every event counts once, whatever the classifier said then.
 */
import crypto from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseBounces } from '../../src/index.js';
import type { BounceRecord } from '../../src/bounces/types.js';
import { HistoryStore } from '../../src/state/history-store.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/state/migrations.js';
import { HYGIENE_APPLICATION_ID } from '../../src/state/schema.js';
import { runCli } from '../cli/run-cli.js';

const NOW = '2026-11-24T00:00:00Z';

/** The previous release's identity, verbatim: it included class and reason. */
function oldEventIdentity(record: BounceRecord): string {
  const fields = [
    record.recipient.trim().toLowerCase(),
    record.class,
    record.reason,
    record.status,
    record.smtpCode,
    record.at,
    record.messageKey ?? null,
    record.queueId,
    record.diagnostic,
  ];
  return crypto.createHash('sha1').update(JSON.stringify(fields)).digest('hex');
}

/** The previous release's ingest: its schema (migration 1, as shipped) and its INSERT. */
function writeOldHistory(file: string, records: BounceRecord[]): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(MIGRATIONS[0]!.sql!);
  db.pragma('user_version = 1');
  const insert = db.prepare(
    `INSERT OR IGNORE INTO events
       (id, address, recipient, class, reason, action, status, smtp_code, diagnostic, remote_mta,
        at, queue_id, message_key, format, source, ingested_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const r of records) {
    insert.run(
      oldEventIdentity(r),
      r.recipient.trim().toLowerCase(),
      r.recipient,
      r.class,
      r.reason,
      r.action,
      r.status,
      r.smtpCode,
      r.diagnostic,
      r.remoteMta,
      r.at,
      r.queueId,
      r.messageKey ?? null,
      r.format,
      r.source,
      '2026-11-21T00:00:00.000Z',
    );
  }
  db.prepare(
    "INSERT INTO suppressions (address, reason, note, origin, at, added_at) VALUES ('cy@example.com', 'manual', NULL, 'manual', '2026-10-01T00:00:00.000Z', '2026-10-01T00:00:00.000Z')",
  ).run();
  db.close();
}

/** A Postfix queue id (hex, of the usual length) named by a short tag. */
const qid = (tag: string) => `4D5B36A0${tag}`;

function logLine(day: number, queueId: string, to: string, dsn: string, status: string, said: string): string {
  return `2026-11-${String(day).padStart(2, '0')}T10:00:00+00:00 mx1 postfix/smtp[9]: ${qid(queueId)}: to=<${to}>, relay=mx.example.org[192.0.2.7]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=${dsn}, status=${status} (host mx.example.org[192.0.2.7] said: ${said} (in reply to RCPT TO command))`;
}

const LOG = [
  // Four soft bounces of ann: the limit is 4, so counting any of them twice would change nothing
  // visible; three of them plus one counted twice would. bo has three, one short of the limit.
  logLine(18, 'A1', 'ann@example.org', '4.2.2', 'deferred', '452 4.2.2 Mailbox full'),
  logLine(19, 'A2', 'ann@example.org', '4.2.2', 'deferred', '452 4.2.2 Mailbox full'),
  logLine(20, 'A3', 'ann@example.org', '4.2.2', 'deferred', '452 4.2.2 Mailbox full'),
  logLine(18, 'B1', 'bo@example.net', '4.2.2', 'deferred', '452 4.2.2 Mailbox full'),
  logLine(19, 'B2', 'bo@example.net', '4.2.2', 'deferred', '452 4.2.2 Mailbox full'),
  logLine(20, 'B3', 'Bo@Example.net', '4.2.2', 'deferred', '452 4.2.2 Mailbox full'),
  logLine(21, 'D1', 'dee@example.org', '5.1.1', 'bounced', '550 5.1.1 No such user'),
].join('\n');

async function parse(text: string, file: string): Promise<BounceRecord[]> {
  async function* bytes() {
    yield Buffer.from(`${text}\n`);
  }
  const records: BounceRecord[] = [];
  for await (const record of parseBounces(bytes(), { format: 'postfix', file })) records.push(record);
  return records;
}

function workDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'hygiene-upgrade-'));
}

describe('upgrading a history of the previous release', () => {
  it('re-classifies stored events, keeps one per identity, and a second reading of the logs adds nothing', async () => {
    const dir = workDir();
    const log = path.join(dir, 'mail.log');
    writeFileSync(log, `${LOG}\n`);
    const today = await parse(LOG, log);
    expect(today).toHaveLength(7);
    // What an older classifier made of the same lines: other verdicts, and (after a classifier
    // change between two of its runs) some lines stored twice under two verdicts.
    const older = today.map((r) =>
      r.queueId === qid('B1') || r.queueId === qid('D1') ? { ...r, class: 'soft' as const, reason: 'filtered' as const } : r,
    );
    // B1 read again after the change is a second row; B2 (unchanged verdict) was recognised then.
    const rereadAfterChange = today.filter((r) => r.queueId === qid('B1') || r.queueId === qid('B2'));
    const state = path.join(dir, 'history.db');
    writeOldHistory(state, [...older, ...rereadAfterChange]);
    const raw = new Database(state, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM events').pluck().get()).toBe(8);
    raw.close();

    // Through the built CLI, as a user upgrading hygiene would: ingest the same log again.
    const ingest = runCli(['ingest', log, '--state', state, '--json']);
    expect(ingest.status, ingest.stderr).toBe(0);
    expect(JSON.parse(ingest.stdout)).toMatchObject({ records: 7, added: 0, duplicates: 7 });

    const upgraded = new Database(state, { readonly: true });
    expect(upgraded.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(upgraded.pragma('application_id', { simple: true })).toBe(HYGIENE_APPLICATION_ID);
    expect(upgraded.prepare('SELECT count(*) FROM events').pluck().get()).toBe(7);
    upgraded.close();

    // Every event once, with today's verdict.
    const store = HistoryStore.open(state, { readonly: true });
    try {
      expect(store.historyOf('bo@example.net')!.events.map((e) => [e.queueId, e.class, e.reason])).toEqual([
        [qid('B1'), 'soft', 'mailboxfull'],
        [qid('B2'), 'soft', 'mailboxfull'],
        [qid('B3'), 'soft', 'mailboxfull'],
      ]);
      expect(store.historyOf('dee@example.org')!.events.map((e) => [e.class, e.reason])).toEqual([['hard', 'userunknown']]);
      expect(store.historyOf('cy@example.com')!.suppression).toMatchObject({ reason: 'manual' });
    } finally {
      store.close();
    }
    const bo = runCli(['history', 'bo@example.net', '--state', state, '--now', NOW, '--json']);
    expect(bo.status, bo.stderr).toBe(0);
    expect(JSON.parse(bo.stdout).decision).toMatchObject({ list: 'cleaned', softCount: 3 });
    const dee = runCli(['history', 'dee@example.org', '--state', state, '--now', NOW, '--json']);
    expect(JSON.parse(dee.stdout).decision).toMatchObject({ list: 'suppressed', reason: 'hard-bounce' });

    // And once more: still nothing new.
    const again = runCli(['ingest', log, '--state', state, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ added: 0, duplicates: 7 });
  });

  it('a clean run that only reads an old history upgrades it too', () => {
    const dir = workDir();
    const state = path.join(dir, 'history.db');
    writeOldHistory(state, []);
    const list = path.join(dir, 'list.csv');
    writeFileSync(list, 'email\ncy@example.com\nann@example.org\n');
    const clean = runCli(['clean', list, '--state', state, '--now', NOW, '--out-dir', path.join(dir, 'out'), '--json']);
    expect(clean.status, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout).counts).toEqual({ cleaned: 1, suppressed: 1, retryLater: 0 });
    const db = new Database(state, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});
