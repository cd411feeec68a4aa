import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BounceClass, BounceReason, BounceRecord, DeliveryAction } from '../bounces/types.js';
import { HygieneError } from '../errors.js';
import {
  compareEvents,
  emptyHistory,
  toHistoryEvent,
  type AddressHistory,
  type HistoryEvent,
  type SuppressionEntry,
  type SuppressionReason,
  type UnsuppressOverride,
} from '../policy/history-model.js';
import { eventIdentity, historyKey } from '../policy/event-identity.js';
import type { EventRow } from './event-row.js';
import { SCHEMA_VERSION, migrate, refuseNewer, schemaVersion } from './migrations.js';

/**
 * The persistent history (SQLite): every bounce event ever ingested, the suppression list and
 * the manual unsuppress overrides. Ingesting is idempotent (events are keyed by their identity),
 * so logs can be read again, overlap, or arrive in any order.
 */

export const DEFAULT_STATE_PATH = '.hygiene/history.db';

/** How long a run waits for another run that is writing, before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

export interface OpenOptions {
  /** Open for reading only: nothing is created or migrated. */
  readonly?: boolean;
  /** Wait this long for a concurrent writer (default 10 s). */
  busyTimeoutMs?: number;
}

/** A suppression to add; `at` null means "now" (the time of adding). */
export interface SuppressionInput {
  address: string;
  reason: SuppressionReason;
  note?: string | null;
  origin: string;
  at?: string | null;
}


interface SuppressionRow {
  address: string;
  reason: string;
  note: string | null;
  origin: string;
  at: string;
}

interface OverrideRow {
  address: string;
  at: string;
  note: string | null;
  undone_at: string | null;
}

export class HistoryStore {
  private constructor(
    private readonly db: Database.Database,
    /** The database file (absolute). */
    readonly file: string,
    readonly readonly: boolean,
  ) {}

  /**
   * Opens (and creates, and migrates) the history at `file`. Refuses, with a HygieneError and
   * without touching the file, a file that is not a SQLite database or fails `quick_check`, a
   * database from a newer hygiene, and (read-only) a missing or out-of-date one.
   */
  static open(file: string = DEFAULT_STATE_PATH, options: OpenOptions = {}): HistoryStore {
    const absolute = path.resolve(file);
    const readonly = options.readonly === true;
    if (existsSync(absolute) && statSync(absolute).isDirectory()) {
      throw stateError('STATE_UNREADABLE', file, 'is a directory, not a history database', 'Give the path of a file, e.g. .hygiene/history.db.');
    }
    if (readonly && !existsSync(absolute)) {
      throw stateError('STATE_NOT_FOUND', file, 'no history database here yet', 'Run `hygiene ingest` (or `clean --bounces`) first, or check --state.');
    }
    if (!readonly) {
      try {
        mkdirSync(path.dirname(absolute), { recursive: true });
      } catch (error) {
        const why = `cannot create the state folder (${(error as Error).message})`;
        throw stateError('STATE_UNREADABLE', file, why, 'Check the path given to --state and its permissions.');
      }
    }

    let db: Database.Database;
    try {
      db = new Database(absolute, { readonly, fileMustExist: readonly, timeout: options.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
    } catch (error) {
      const why = `cannot open the history database (${(error as Error).message})`;
      throw stateError('STATE_UNREADABLE', file, why, 'Check the path and its permissions.');
    }
    try {
      checkIntegrity(db, file);
      const version = schemaVersion(db);
      refuseNewer(version, file);
      if (readonly) {
        if (version < SCHEMA_VERSION) {
          const why = `the history database needs an upgrade (schema ${version}, current ${SCHEMA_VERSION})`;
          throw stateError('STATE_OUTDATED', file, why, 'Run a command that writes the history once (e.g. `hygiene ingest`), then retry.');
        }
      } else {
        if (version === 0) refuseForeignDatabase(db, file);
        db.pragma('journal_mode = WAL');
        // WAL with synchronous=NORMAL survives application crashes and is much faster.
        db.pragma('synchronous = NORMAL');
        migrate(db, file);
      }
    } catch (error) {
      db.close();
      throw wrapSqliteError(error, file);
    }
    return new HistoryStore(db, absolute, readonly);
  }

  /**
   * Stores the records in one transaction. An event already stored (same identity, e.g. the
   * same log line read from two rotated files) is not added again; of its readings the one with
   * the smallest source is kept, so the result does not depend on the order of ingestion, and
   * reading that same source again stores today's class and reason (a classifier change is
   * picked up without doubling the event).
   */
  ingest(records: Iterable<BounceRecord>, ingestedAt: Date): { added: number; duplicates: number } {
    this.assertWritable();
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO events
         (id, address, recipient, class, reason, action, status, smtp_code, diagnostic, remote_mta,
          at, queue_id, message_key, format, source, ingested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const preferSmallerSource = this.db.prepare(
      `UPDATE events SET recipient = ?, class = ?, reason = ?, action = ?, remote_mta = ?, format = ?, source = ?
       WHERE id = ? AND source >= ?`,
    );
    const when = ingestedAt.toISOString();
    const run = this.db.transaction((items: Iterable<BounceRecord>) => {
      let added = 0;
      let duplicates = 0;
      for (const record of items) {
        const id = eventIdentity(record);
        const result = insert.run(
          id,
          historyKey(record.recipient),
          record.recipient,
          record.class,
          record.reason,
          record.action,
          record.status,
          record.smtpCode,
          record.diagnostic,
          record.remoteMta,
          record.at,
          record.queueId,
          record.messageKey ?? null,
          record.format,
          record.source,
          when,
        );
        if (result.changes > 0) {
          added++;
        } else {
          duplicates++;
          preferSmallerSource.run(record.recipient, record.class, record.reason, record.action, record.remoteMta, record.format, record.source, id, record.source);
        }
      }
      return { added, duplicates };
    });
    return this.guard(() => run.immediate(records));
  }

  /** Every address with any event, suppression or override. */
  loadHistories(): Map<string, AddressHistory> {
    return this.guard(() => {
      const histories = new Map<string, AddressHistory>();
      const historyFor = (address: string): AddressHistory => {
        let history = histories.get(address);
        if (history === undefined) {
          history = emptyHistory(address);
          histories.set(address, history);
        }
        return history;
      };
      const events = this.db.prepare('SELECT address, ' + EVENT_COLUMNS + ' FROM events').iterate() as Iterable<EventRow & { address: string }>;
      for (const row of events) historyFor(row.address).events.push(rowToEvent(row));
      for (const row of this.db.prepare('SELECT * FROM suppressions').all() as SuppressionRow[]) {
        historyFor(row.address).suppression = rowToSuppression(row);
      }
      for (const row of this.db.prepare('SELECT * FROM overrides ORDER BY at, id').all() as OverrideRow[]) {
        historyFor(row.address).overrides.push(rowToOverride(row));
      }
      for (const history of histories.values()) history.events.sort(compareEvents);
      return histories;
    });
  }

  /** The history of one address (any spelling; it is keyed by `historyKey`), or undefined. */
  historyOf(address: string): AddressHistory | undefined {
    const key = historyKey(address);
    return this.guard(() => {
      const history = emptyHistory(key);
      const events = this.db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE address = ?`).all(key) as EventRow[];
      history.events = events.map(rowToEvent).sort(compareEvents);
      const suppression = this.db.prepare('SELECT * FROM suppressions WHERE address = ?').get(key) as SuppressionRow | undefined;
      history.suppression = suppression === undefined ? null : rowToSuppression(suppression);
      const overrides = this.db.prepare('SELECT * FROM overrides WHERE address = ? ORDER BY at, id').all(key) as OverrideRow[];
      history.overrides = overrides.map(rowToOverride);
      const empty = history.events.length === 0 && history.suppression === null && history.overrides.length === 0;
      return empty ? undefined : history;
    });
  }

  /**
   * Adds addresses to the suppression list, idempotently per address: an address already listed
   * is only updated by an entry with a later, known `at` (the provider suppressed it again).
   * So re-importing the same export after an `unsuppress` does not undo the unsuppress.
   */
  addSuppressions(entries: Iterable<SuppressionInput>, addedAt: Date = new Date()): { added: number; updated: number; unchanged: number } {
    this.assertWritable();
    const select = this.db.prepare('SELECT at FROM suppressions WHERE address = ?');
    const insert = this.db.prepare('INSERT INTO suppressions (address, reason, note, origin, at, added_at) VALUES (?, ?, ?, ?, ?, ?)');
    const update = this.db.prepare('UPDATE suppressions SET reason = ?, note = ?, origin = ?, at = ? WHERE address = ?');
    const addedIso = addedAt.toISOString();
    const run = this.db.transaction((items: Iterable<SuppressionInput>) => {
      const counts = { added: 0, updated: 0, unchanged: 0 };
      for (const entry of items) {
        const key = historyKey(entry.address);
        const at = isoOrNull(entry.at);
        const existing = select.get(key) as { at: string } | undefined;
        if (existing === undefined) {
          insert.run(key, entry.reason, entry.note ?? null, entry.origin, at ?? addedIso, addedIso);
          counts.added++;
        } else if (at !== null && Date.parse(at) > Date.parse(existing.at)) {
          update.run(entry.reason, entry.note ?? null, entry.origin, at, key);
          counts.updated++;
        } else {
          counts.unchanged++;
        }
      }
      return counts;
    });
    return this.guard(() => run.immediate(entries));
  }

  /** The suppression list, ordered by address. */
  listSuppressions(): SuppressionEntry[] {
    return this.guard(() =>
      (this.db.prepare('SELECT * FROM suppressions ORDER BY address').all() as SuppressionRow[]).map(rowToSuppression),
    );
  }

  /**
   * Records a manual override: everything known about the address up to `at` (hard bounces,
   * complaints, soft bounces, blocks, the suppression list entry) no longer counts. Later events
   * count again.
   */
  unsuppress(address: string, note: string | null, at: Date): void {
    this.assertWritable();
    this.guard(() =>
      this.db.prepare('INSERT INTO overrides (address, at, note) VALUES (?, ?, ?)').run(historyKey(address), at.toISOString(), note),
    );
  }

  /**
   * Marks the latest override of the address that is still in force as undone (kept, not
   * deleted). Throws UNSUPPRESS_NOT_FOUND when there is none.
   */
  undoUnsuppress(address: string, at: Date): void {
    this.assertWritable();
    const key = historyKey(address);
    const changed = this.guard(() =>
      this.db.transaction(() => {
        const latest = this.db
          .prepare('SELECT id FROM overrides WHERE address = ? AND undone_at IS NULL ORDER BY at DESC, id DESC LIMIT 1')
          .get(key) as { id: number } | undefined;
        if (latest === undefined) return false;
        this.db.prepare('UPDATE overrides SET undone_at = ? WHERE id = ?').run(at.toISOString(), latest.id);
        return true;
      }).immediate(),
    );
    if (!changed) {
      throw new HygieneError({
        code: 'UNSUPPRESS_NOT_FOUND',
        message: `${key}: there is no unsuppress to undo`,
        hint: 'See the address with `hygiene history <address>`.',
      });
    }
  }

  /**
   * The open database connection, for a module that keeps a table of its own beside the
   * history (the DNS cache creates and owns `dns_cache`).
   */
  connection(): Database.Database {
    return this.db;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private assertWritable(): void {
    if (!this.readonly) return;
    throw stateError('STATE_READONLY', this.file, 'the history was opened read-only', 'Open it without the read-only option to change it.');
  }

  private guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw wrapSqliteError(error, this.file);
    }
  }
}

const EVENT_COLUMNS =
  'id, recipient, class, reason, action, status, smtp_code, diagnostic, remote_mta, at, queue_id, message_key, format, source';

function rowToEvent(row: EventRow): HistoryEvent {
  return toHistoryEvent(
    {
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
    },
    row.id,
  );
}

function rowToSuppression(row: SuppressionRow): SuppressionEntry {
  return { address: row.address, reason: row.reason as SuppressionReason, note: row.note, origin: row.origin, at: row.at };
}

function rowToOverride(row: OverrideRow): UnsuppressOverride {
  return { at: row.at, note: row.note, undoneAt: row.undone_at };
}

function isoOrNull(at: string | null | undefined): string | null {
  if (at === null || at === undefined) return null;
  const time = Date.parse(at);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** Reads the whole file once; a damaged database is never "repaired" by starting over. */
function checkIntegrity(db: Database.Database, file: string): void {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length === 0) return;
  const summary = problems.join('\n').split('\n').filter((line) => !line.startsWith('***')).slice(0, 3).join('; ');
  throw corrupted(file, summary.length > 300 ? `${summary.slice(0, 299)}…` : summary);
}

function refuseForeignDatabase(db: Database.Database, file: string): void {
  const tables = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").get() as { n: number };
  if (tables.n === 0) return;
  throw stateError(
    'STATE_FOREIGN',
    file,
    'is a SQLite database of another program (it has tables but no hygiene schema); it will NOT be changed',
    'Point --state at another file (the default is .hygiene/history.db).',
  );
}

const CORRUPTION_CODES: ReadonlySet<string> = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

function wrapSqliteError(error: unknown, file: string): unknown {
  if (error instanceof HygieneError) return error;
  const code = (error as { code?: unknown }).code;
  const message = (error as Error).message;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  if (CORRUPTION_CODES.has(code) || code.startsWith('SQLITE_CORRUPT')) return corrupted(file, message);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    const why = `another hygiene run kept the history busy for too long (${message})`;
    return stateError('STATE_BUSY', file, why, 'Wait for the other run to finish, then retry.');
  }
  return stateError('STATE_ERROR', file, `history database error (${message})`, 'Check disk space and permissions of the state folder.');
}

function corrupted(file: string, why: string): HygieneError {
  return stateError(
    'STATE_CORRUPT',
    file,
    `the history database is damaged or not a SQLite database (${why}); it will NOT be reset`,
    `Restore it from a backup, or move it aside (e.g. mv ${file} ${file}.broken) to start a new history.`,
  );
}

/** "<file>: <what>" with a hint; exit code 2. */
function stateError(code: string, file: string, what: string, hint: string): HygieneError {
  return new HygieneError({ code, message: `${file}: ${what}`, hint, file });
}
