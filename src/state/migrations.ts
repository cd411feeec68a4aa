import type Database from 'better-sqlite3';
import { HygieneError } from '../errors.js';
import { rekeyEvents } from './rekey-events.js';

/**
 * The schema of the history database, as an ordered list of steps. The database's
 * `PRAGMA user_version` says how many have been applied. Add a step at the end; never edit one
 * that has shipped (existing databases already ran it).
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** A step SQL cannot say, run after `sql` in the same transaction. */
  apply?: (db: Database.Database) => void;
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
    description: "events keyed by what the source said, without our class and reason; stored events re-read with today's rules",
    sql: '',
    apply: rekeyEvents,
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
      db.exec(migration.sql);
      migration.apply?.(db);
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
