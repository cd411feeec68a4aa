/**
 * A classifier change must not double history. Events stored by an older hygiene carry an
 * identity that included our class and reason; re-reading the same (rotated, overlapping) logs
 * after an upgrade must find every event already known, and the stored events must be read
 * with today's rules. The database is built the way the first schema left it, the logs are
 * ingested through the built CLI.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/state/migrations.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(REPO, 'bin/hygiene.js');

const LOG =
  [
    'Nov  2 10:00:01 mx1 postfix/smtp[123]: 4F01A1B2C3: to=<ann@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.0.0, status=bounced (host mx.example.org[192.0.2.9] said: 550 5.0.0 <ann@example.org>... User unknown)',
    'Nov  2 10:00:02 mx1 postfix/smtp[123]: 4F02A1B2C3: to=<bob@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=4.2.2, status=deferred (host mx.example.org[192.0.2.9] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command))',
  ].join('\n') + '\n';

/** The first schema's identity: it included class and reason. */
function oldIdentity(row: Record<string, string | null>): string {
  const fields = [row.address, row.class, row.reason, row.status, row.smtp_code, row.at, row.message_key, row.queue_id, row.diagnostic];
  return crypto.createHash('sha1').update(JSON.stringify(fields)).digest('hex');
}

function hygiene(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
}

describe('history database from before the event identity left out our class and reason', () => {
  it('after the upgrade, ingesting the same logs again stores nothing and every event counts once', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-identity-'));
    const state = path.join(dir, 'history.db');
    const log = path.join(dir, 'mail.log');
    writeFileSync(log, LOG);

    // The old release stored ann's "User unknown" (stage unknown) as filtered/soft, and, read
    // again after an earlier classifier change, a second time as onhold/undetermined.
    const db = new Database(state);
    db.exec(MIGRATIONS[0]!.sql ?? '');
    db.pragma('user_version = 1');
    const insert = db.prepare(
      `INSERT INTO events (id, address, recipient, class, reason, action, status, smtp_code, diagnostic, remote_mta, at, queue_id, message_key, format, source, ingested_at)
       VALUES (@id, @address, @recipient, @class, @reason, @action, @status, @smtp_code, @diagnostic, @remote_mta, @at, @queue_id, @message_key, @format, @source, @ingested_at)`,
    );
    const ann = {
      address: 'ann@example.org',
      recipient: 'ann@example.org',
      action: 'failed',
      status: '5.0.0',
      smtp_code: '550',
      diagnostic: 'host mx.example.org[192.0.2.9] said: 550 5.0.0 <ann@example.org>... User unknown',
      remote_mta: 'mx.example.org',
      at: '2026-11-02T10:00:01.000Z',
      queue_id: '4F01A1B2C3',
      message_key: '4F01A1B2C3',
      format: 'postfix',
      source: `${log}:1`,
      ingested_at: '2026-11-03T00:00:00.000Z',
    };
    for (const verdict of [
      { class: 'soft', reason: 'filtered' },
      { class: 'undetermined', reason: 'onhold' },
    ]) {
      const row = { ...ann, ...verdict };
      insert.run({ ...row, id: oldIdentity(row) });
    }
    db.close();

    const first = hygiene('ingest', log, '--state', state, '--json', '--year', '2026');
    expect(first.stderr).not.toMatch(/internal error/i);
    expect(first.status).toBe(0);
    const second = hygiene('ingest', log, '--state', state, '--json', '--year', '2026');
    expect(second.status).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ added: 0 });

    // One event each; ann's stored event is read with today's rules (hard userunknown).
    const eventsOf = (address: string) => {
      const shown = hygiene('history', address, '--state', state, '--json');
      expect(shown.status, shown.stderr).toBe(0);
      return (JSON.parse(shown.stdout).history.events as Array<{ class: string; reason: string }>).map((e) => ({
        class: e.class,
        reason: e.reason,
      }));
    };
    expect(eventsOf('ann@example.org')).toEqual([{ class: 'hard', reason: 'userunknown' }]);
    expect(eventsOf('bob@example.org')).toEqual([{ class: 'soft', reason: 'mailboxfull' }]);
  });
});
