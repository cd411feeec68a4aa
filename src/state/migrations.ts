import type Database from 'better-sqlite3';
import { classifyBounce } from '../bounces/classify/index.js';
import type { BounceClass, BounceReason, BounceRecord, DeliveryAction } from '../bounces/types.js';
import { HygieneError } from '../errors.js';
import { EventTable } from './event-table.js';
import { ADDRESS_FLAGS, HYGIENE_APPLICATION_ID, SCHEMA_V2_SQL, bouncesSinceDeliverySql } from './schema.js';

/**
 * The schema of the history database, as an ordered list of steps. The database's
 * `PRAGMA user_version` says how many have been applied. Add a step at the end; never edit one
 * that has shipped (existing databases already ran it).
 */
export interface Migration {
  version: number;
  description: string;
  /** The step as SQL, or as code (`run`) when it has to compute (re-classify, re-key). */
  sql?: string;
  run?: (db: Database.Database) => void;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'bounce events, suppression list, unsuppress overrides',
    sql: `
      CREATE TABLE events (
        id           TEXT PRIMARY KEY,  -- eventIdentity(): same event read twice is stored once
        address      TEXT NOT NULL,     -- historyKey(recipient)
        recipient    TEXT NOT NULL,
        class        TEXT NOT NULL,
        reason       TEXT NOT NULL,
        action       TEXT,
        status       TEXT,
        smtp_code    TEXT,
        diagnostic   TEXT,
        remote_mta   TEXT,
        at           TEXT,
        queue_id     TEXT,
        message_key  TEXT,
        format       TEXT NOT NULL,
        source       TEXT NOT NULL,
        ingested_at  TEXT NOT NULL
      );
      CREATE INDEX events_by_address ON events (address);

      CREATE TABLE suppressions (
        address   TEXT PRIMARY KEY,
        reason    TEXT NOT NULL,
        note      TEXT,
        origin    TEXT NOT NULL,
        at        TEXT NOT NULL,
        added_at  TEXT NOT NULL
      );

      CREATE TABLE overrides (
        id         INTEGER PRIMARY KEY,
        address    TEXT NOT NULL,
        at         TEXT NOT NULL,
        note       TEXT,
        undone_at  TEXT
      );
      CREATE INDEX overrides_by_address ON overrides (address);
    `,
  },
  {
    version: 2,
    description: 'events keyed by what the source says; interned texts; address summaries; application_id',
    run: upgradeToCompactEvents,
  },
  {
    version: 3,
    description: 'address summaries: hard and soft bounces since the latest delivery',
    run: countBouncesSinceDelivery,
  },
];

export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to SCHEMA_VERSION, one transaction per step. Each step re-reads the
 * version inside its (immediate) transaction, so two runs opening a new database at once do
 * not apply a step twice. Returns the versions before and after.
 */
export function migrate(db: Database.Database, file: string): { from: number; to: number } {
  const from = schemaVersion(db);
  refuseNewer(from, file);
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      const current = schemaVersion(db);
      refuseNewer(current, file);
      if (current >= migration.version) return;
      if (migration.run) migration.run(db);
      else db.exec(migration.sql ?? '');
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return { from, to: schemaVersion(db) };
}

export function refuseNewer(version: number, file: string): void {
  if (version <= SCHEMA_VERSION) return;
  throw new HygieneError({
    code: 'STATE_TOO_NEW',
    message: `${file}: the history database was made by a newer hygiene (schema ${version}; this version knows up to ${SCHEMA_VERSION})`,
    hint: 'Upgrade hygiene, or use another state file (--state).',
    file,
  });
}

/** Rows of the first schema's events table. */
interface EventRowV1 {
  rowid: number;
  recipient: string;
  class: string;
  reason: string;
  action: string | null;
  status: string | null;
  smtp_code: string | null;
  diagnostic: string | null;
  remote_mta: string | null;
  at: string | null;
  queue_id: string | null;
  message_key: string | null;
  format: string;
  source: string;
}

const MIGRATION_CHUNK = 10_000;

/**
 * Schema 1 keyed events by a digest that included our class and reason, so a classifier change
 * made old events look new when logs were read again. This step re-classifies every stored
 * event with the current rules, keys it by what its source said (eventIdentity), keeps one per
 * identity (the reading with the smallest source, as ingest does), and moves it into the
 * compact layout.
 */
function upgradeToCompactEvents(db: Database.Database): void {
  db.exec('ALTER TABLE events RENAME TO events_v1;');
  db.exec(SCHEMA_V2_SQL);
  const table = new EventTable(db, false);
  const chunk = db.prepare(
    `SELECT rowid, recipient, class, reason, action, status, smtp_code, diagnostic, remote_mta, at, queue_id, message_key, format, source
     FROM events_v1 WHERE rowid > ? ORDER BY rowid LIMIT ${MIGRATION_CHUNK}`,
  );
  let after = 0;
  for (;;) {
    const rows = chunk.all(after) as EventRowV1[];
    if (rows.length === 0) break;
    for (const row of rows) table.add(reclassified(row));
    table.flushSummaries();
    after = rows[rows.length - 1]!.rowid;
  }
  db.exec('DROP TABLE events_v1');
  for (const address of db.prepare('SELECT address FROM suppressions').pluck().all() as string[]) {
    table.markAddress(address, ADDRESS_FLAGS.suppressed);
  }
  for (const address of db.prepare('SELECT DISTINCT address FROM overrides').pluck().all() as string[]) {
    table.markAddress(address, ADDRESS_FLAGS.overridden);
  }
  table.flushSummaries();
  db.pragma(`application_id = ${HYGIENE_APPLICATION_ID}`);
}

/**
 * Schema 3 adds to each address's flags whether a hard bounce may be uncleared by its latest
 * delivery and how many soft bounces came after it (see ADDRESS_FLAGS), so that a list check
 * settles most addresses that bounced without reading their events. Computed once from the
 * events; ingest keeps them from then on.
 */
function countBouncesSinceDelivery(db: Database.Database): void {
  const table = new EventTable(db, false);
  const classId = (name: string) => table.textIdIfKnown(name) ?? -1;
  db.prepare(
    `UPDATE addresses SET flags = (flags & ~${ADDRESS_FLAGS.hardSinceDelivery | ADDRESS_FLAGS.softsSinceDelivery})
       | ${bouncesSinceDeliverySql('id', 'last_delivery')}`,
  ).run({ hard: classId('hard'), soft: classId('soft'), undetermined: classId('undetermined') });
}

/**
 * A stored event classified again by today's rules. Schema 1 kept the texts the classifier
 * reads (status, reply code, diagnostic, action, remote MTA) but not the message-level facts
 * (an ARF feedback type, an auto-reply header) nor a vendor's own verdict: complaints and
 * auto-replies keep their class, and the stored verdict stands in for the vendor's, so it is
 * kept where today's rules find no evidence of their own and replaced where they do.
 */
export function reclassified(row: Omit<EventRowV1, 'rowid'>): BounceRecord {
  const record: BounceRecord = {
    recipient: row.recipient,
    class: row.class as BounceClass,
    reason: row.reason as BounceReason,
    action: row.action as DeliveryAction | null,
    status: row.status,
    smtpCode: row.smtp_code,
    diagnostic: row.diagnostic,
    remoteMta: row.remote_mta,
    at: row.at,
    queueId: row.queue_id,
    format: row.format,
    source: row.source,
    messageKey: row.message_key,
  };
  if (record.class === 'complaint' || record.class === 'auto-reply') return record;
  const result = classifyBounce({
    recipient: record.recipient,
    status: record.status,
    smtpCode: record.smtpCode,
    diagnostic: record.diagnostic,
    action: record.action,
    remoteMta: record.remoteMta,
    vendorClass: record.class,
    vendorReason: record.reason,
  } as Parameters<typeof classifyBounce>[0]);
  return { ...record, class: result.class, reason: result.reason };
}
