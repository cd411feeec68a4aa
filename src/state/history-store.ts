import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { BounceRecord } from '../bounces/types.js';
import { HygieneError, type ErrorCode } from '../errors.js';
import { DEFAULT_STATE_PATH } from './default-path.js';
import {
  compareEvents,
  emptyHistory,
  type AddressHistory,
  type SettlingPolicy,
  type SuppressionEntry,
  type SuppressionReason,
  type UnsuppressOverride,
} from '../policy/history-model.js';
import { createExclusively, inspectFile } from './database-file.js';
import { historyKey } from '../policy/event-identity.js';
import { EventTable, type AddressSummary } from './event-table.js';
import { SCHEMA_VERSION, migrate, refuseNewer } from './migrations.js';
import { ADDRESS_FLAGS, HYGIENE_APPLICATION_ID, REQUIRED_TABLES_V1, REQUIRED_TABLES_V2, UNSETTLED_ADDRESS_SQL } from './schema.js';

// better-sqlite3 is CommonJS: required as such, Node does not lex its source for named exports
// at every start, as an ESM import of it makes it do.
const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;

export type { AddressSummary } from './event-table.js';

/**
 * The persistent history (SQLite): every bounce event ever ingested, the suppression list and
 * the manual unsuppress overrides. Ingesting is idempotent (events are keyed by their identity),
 * so logs can be read again, overlap, or arrive in any order.
 *
 * The file is hygiene's alone: a history is created only where no file exists, it is marked
 * with SQLite's application_id, and any other file (empty, not SQLite, another program's
 * database, a history missing a table) is refused without one byte changed.
 */

export { DEFAULT_STATE_PATH };

/** How long a run waits for another run that is writing, before giving up. */
const BUSY_TIMEOUT_MS = 10_000;
/**
 * Up to this size every open reads the whole file once (quick_check). A bigger history is not
 * read whole on every run (that would cost seconds); SQLite still detects a damaged page when it
 * reads one, and that is refused the same way.
 */
const QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024;
/** Pages of cache per connection (negative: KiB): the addresses an ingest looks up stay in memory. */
const CACHE_KIB = 64 * 1024;
/**
 * A read-only run (a list check) reads the pages of the addresses it asks about about once, and a
 * big list reads all addresses in one pass (UnsettledAddresses): a smaller cache costs it little
 * time and keeps its memory down.
 */
const READ_CACHE_KIB = 16 * 1024;

export interface OpenOptions {
  /** Open for reading only: nothing is created (an out-of-date history is still upgraded). */
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

/** What `prune` removed. */
export interface PruneResult {
  /** Events before and after. */
  before: number;
  kept: number;
  removed: number;
  /** Removed events by class. */
  byClass: Record<string, number>;
}

/** Addresses per prune transaction. */
const PRUNE_CHUNK = 20_000;
/** Addresses read per query by `allSummaries`: few queries, and a page is small next to the history. */
const SUMMARY_PAGE = 5_000;

export class HistoryStore {
  private readonly table: EventTable;
  private readonly selectSuppression: BetterSqlite3.Statement;
  private readonly selectOverrides: BetterSqlite3.Statement;
  private readonly selectSummaries: BetterSqlite3.Statement;
  private readonly selectUnsettledOf: BetterSqlite3.Statement;
  private readonly selectUnsettledPage: BetterSqlite3.Statement;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    /** The database file (absolute). */
    readonly file: string,
    readonly readonly: boolean,
  ) {
    this.table = new EventTable(db, readonly);
    this.selectSuppression = db.prepare('SELECT * FROM suppressions WHERE address = ?');
    this.selectOverrides = db.prepare('SELECT * FROM overrides WHERE address = ? ORDER BY at, id');
    this.selectSummaries = db
      .prepare('SELECT a.key, a.id, a.last_delivery, a.last_bounce, a.flags FROM json_each(?) AS j JOIN addresses AS a ON a.key = j.value')
      .raw();
    this.selectUnsettledOf = db
      .prepare(
        `SELECT a.key, a.id, a.last_delivery, a.last_bounce, a.flags FROM json_each(@keys) AS j JOIN addresses AS a ON a.key = j.value
         WHERE ${UNSETTLED_ADDRESS_SQL}`,
      )
      .raw();
    this.selectUnsettledPage = db
      .prepare(
        `SELECT a.key, a.id, a.last_delivery, a.last_bounce, a.flags FROM addresses AS a
         WHERE a.key > @after AND ${UNSETTLED_ADDRESS_SQL} ORDER BY a.key LIMIT @page`,
      )
      .raw();
  }

  /**
   * Opens the history at `file`, creating it when no file is there and upgrading one of an
   * older schema. Refuses, with a HygieneError (exit 2) and without changing the file, anything
   * that is not a hygiene history: an empty file, a file that is not SQLite, another program's
   * database, a history missing a table or failing `quick_check`, a history of a newer hygiene;
   * and (read-only) a missing file.
   */
  static open(file: string = DEFAULT_STATE_PATH, options: OpenOptions = {}): HistoryStore {
    const absolute = path.resolve(file);
    const readonly = options.readonly === true;
    const timeout = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
    let kind = guardFs(file, () => inspectFile(absolute));
    if (kind.kind === 'directory') {
      throw stateError(
        'STATE_UNREADABLE',
        file,
        'is a directory, not a history database',
        'Give the path of a file, e.g. .hygiene/history.db.',
      );
    }
    if (kind.kind === 'missing') {
      if (readonly) {
        throw stateError(
          'STATE_NOT_FOUND',
          file,
          'no history database here yet',
          'Run `hygiene ingest` (or `clean --bounces`) first, or check --state.',
        );
      }
      guardFs(file, () => mkdirSync(path.dirname(absolute), { recursive: true }), 'cannot create the state folder');
      guardFs(file, () => createExclusively(absolute, (temporary) => createHistory(temporary, file)), 'cannot create the history database');
      kind = guardFs(file, () => inspectFile(absolute));
    }
    if (kind.kind === 'empty') {
      throw refused(
        'STATE_FOREIGN',
        file,
        'the file is empty (0 bytes): it holds no history, and hygiene creates a history only where no file exists',
        `If it is meant to be a new history, delete it (rm ${file}) and run again; if it should hold your history, restore it from a backup.`,
      );
    }
    if (kind.kind === 'not-sqlite') {
      throw refused('STATE_CORRUPT', file, 'it is not a SQLite database', moveAsideHint(file));
    }
    if (kind.kind === 'sqlite' && kind.applicationId !== 0 && kind.applicationId !== HYGIENE_APPLICATION_ID) {
      throw foreign(file, `another program's SQLite database (application_id 0x${kind.applicationId.toString(16)})`);
    }

    // Look before changing anything: a read-only connection writes nothing to the file.
    const version = withConnection(absolute, file, true, timeout, (db) => examine(db, file, kind.kind === 'sqlite' ? kind.size : 0));
    if (version < SCHEMA_VERSION) {
      // An older hygiene's history (the previous release had no application_id): upgrade it once.
      try {
        withConnection(absolute, file, false, timeout, (db) => {
          useWal(db, timeout);
          migrate(db, file);
        });
      } catch (error) {
        if (!readonly || !/readonly|read-only|cannot open/i.test((error as Error).message)) throw error;
        const why = `the history database needs an upgrade (schema ${version}, current ${SCHEMA_VERSION}) and cannot be written here`;
        throw stateError(
          'STATE_OUTDATED',
          file,
          why,
          'Run a command that writes the history once (e.g. `hygiene ingest`) as a user who may write it, then retry.',
        );
      }
    }
    const db = openExisting(absolute, file, readonly, timeout);
    try {
      db.pragma(`cache_size = -${readonly ? READ_CACHE_KIB : CACHE_KIB}`);
      if (!readonly) {
        // WAL with synchronous=NORMAL survives application crashes and is much faster.
        db.pragma('synchronous = NORMAL');
        useWal(db, timeout);
        migrate(db, file);
      }
      return new HistoryStore(db, absolute, readonly);
    } catch (error) {
      db.close();
      throw wrapSqliteError(error, file);
    }
  }

  /**
   * Stores the records in one transaction. An event already stored (same identity, e.g. the
   * same log line read from two rotated files) is not added again; of its readings the one with
   * the smallest source is kept, so the result does not depend on the order of ingestion.
   */
  ingest(records: Iterable<BounceRecord>, _ingestedAt?: Date): { added: number; duplicates: number } {
    this.assertWritable();
    const run = this.db.transaction((items: Iterable<BounceRecord>) => {
      let added = 0;
      let duplicates = 0;
      for (const record of items) {
        if (this.table.add(record)) added++;
        else duplicates++;
      }
      this.table.flushSummaries();
      return { added, duplicates };
    });
    return this.writing(() => run.immediate(records));
  }

  /** What the address's row says (summary of its events, flags), without reading its events. */
  summaryOf(address: string): AddressSummary | undefined {
    return this.guard(() => this.table.address(historyKey(address)));
  }

  /**
   * The summaries of many addresses at once (keys as `historyKey` gives them), in one query:
   * a list of a million addresses costs a few hundred calls instead of a million.
   */
  summariesOf(keys: readonly string[]): Map<string, AddressSummary> {
    return this.guard(() => {
      return toSummaries(this.selectSummaries.all(JSON.stringify(keys)) as SummaryRow[]);
    });
  }

  /**
   * The summaries of every address of the history that its summary does not settle as clean at
   * `nowMs` (`summarySaysCleaned`), in key order, read a page at a time: a walk over a history
   * of millions of events (the suppression export) holds one page, not the history. Other
   * queries may run between two addresses.
   */
  *unsettledSummaries(policy: SettlingPolicy, nowMs: number): Generator<[key: string, summary: AddressSummary]> {
    let after = '';
    for (;;) {
      const rows = this.guard(
        () => this.selectUnsettledPage.all({ after, page: SUMMARY_PAGE, ...settlingParameters(policy, nowMs) }) as SummaryRow[],
      );
      for (const [key, id, lastDelivery, lastBounce, flags] of rows) yield [key, { id, lastDelivery, lastBounce, flags }];
      if (rows.length < SUMMARY_PAGE) return;
      after = rows[rows.length - 1]![0];
    }
  }

  /**
   * `summariesOf` for only those keys whose summary does not settle them as clean at `nowMs`
   * (`summarySaysCleaned`): the others are left in the database, not handed over one by one.
   */
  unsettledSummariesOf(keys: readonly string[], policy: SettlingPolicy, nowMs: number): Map<string, AddressSummary> {
    return this.guard(() =>
      toSummaries(this.selectUnsettledOf.all({ keys: JSON.stringify(keys), ...settlingParameters(policy, nowMs) }) as SummaryRow[]),
    );
  }

  /** About how many addresses the history has (the highest address number; nothing is counted). */
  addressCountEstimate(): number {
    return this.guard(
      () => ((this.db.prepare("SELECT value FROM meta WHERE name = 'next_address'").pluck().get() as number | undefined) ?? 1) - 1,
    );
  }

  /** Every address with any event, suppression or override. Reads the whole history: for small ones and tests. */
  loadHistories(): Map<string, AddressHistory> {
    return this.guard(() => {
      const histories = new Map<string, AddressHistory>();
      const keys = this.db.prepare('SELECT key FROM addresses').all() as Array<{ key: string }>;
      for (const { key } of keys) {
        const history = this.historyOf(key);
        if (history !== undefined) histories.set(key, history);
      }
      return histories;
    });
  }

  /** The history of one address (any spelling; it is keyed by `historyKey`), or undefined. */
  historyOf(address: string): AddressHistory | undefined {
    const key = historyKey(address);
    return this.guard(() => {
      const summary = this.table.address(key);
      const history = emptyHistory(key);
      if (summary !== undefined) history.events = this.table.eventsOf(summary.id, key).sort(compareEvents);
      // Read even where the address's flags do not announce them: one indexed lookup each, and
      // a row written by another tool is not missed here.
      const suppression = this.selectSuppression.get(key) as SuppressionRow | undefined;
      history.suppression = suppression === undefined ? null : rowToSuppression(suppression);
      const overrides = this.selectOverrides.all(key) as OverrideRow[];
      history.overrides = overrides.map(rowToOverride);
      const empty = history.events.length === 0 && history.suppression === null && history.overrides.length === 0;
      return empty ? undefined : history;
    });
  }

  /**
   * What a decision at `nowMs` needs of the history of an address whose summary was just read
   * (`summaryOf`, `summariesOf`): when its latest delivery is known by then, the events before
   * that delivery are cleared by it and are not read (complaints, which a delivery does not
   * clear, and events of unknown time still are). `decide` gives the same list, reason, detail,
   * source, counts and retry time as on the whole history; only `lastBounce` of a decision that
   * is not about a bounce may be older on the whole history. The suppression and overrides are
   * read where the summary's flags say there are some (the store keeps those flags).
   */
  decisiveHistory(address: string, summary: AddressSummary, nowMs: number): AddressHistory {
    const key = historyKey(address);
    return this.guard(() => {
      const history = emptyHistory(key);
      const delivery = summary.lastDelivery;
      const events =
        delivery !== null && delivery <= nowMs
          ? this.table.eventsSince(summary.id, key, delivery)
          : this.table.decisionEventsOf(summary.id, key);
      history.events = events.sort(compareEvents);
      if ((summary.flags & ADDRESS_FLAGS.suppressed) !== 0) {
        const suppression = this.selectSuppression.get(key) as SuppressionRow | undefined;
        history.suppression = suppression === undefined ? null : rowToSuppression(suppression);
      }
      if ((summary.flags & ADDRESS_FLAGS.overridden) !== 0)
        history.overrides = (this.selectOverrides.all(key) as OverrideRow[]).map(rowToOverride);
      return history;
    });
  }

  /** Events in the history (all addresses). */
  eventCount(): number {
    return this.guard(() => this.db.prepare('SELECT count(*) FROM events').pluck().get() as number);
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
          this.table.markAddress(key, ADDRESS_FLAGS.suppressed);
          counts.added++;
        } else if (at !== null && Date.parse(at) > Date.parse(existing.at)) {
          update.run(entry.reason, entry.note ?? null, entry.origin, at, key);
          counts.updated++;
        } else {
          counts.unchanged++;
        }
      }
      this.table.flushSummaries();
      return counts;
    });
    return this.writing(() => run.immediate(entries));
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
    const key = historyKey(address);
    this.writing(() =>
      this.db
        .transaction(() => {
          this.db.prepare('INSERT INTO overrides (address, at, note) VALUES (?, ?, ?)').run(key, at.toISOString(), note);
          this.table.markAddress(key, ADDRESS_FLAGS.overridden);
          this.table.flushSummaries();
        })
        .immediate(),
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
      this.db
        .transaction(() => {
          const latest = this.db
            .prepare('SELECT id FROM overrides WHERE address = ? AND undone_at IS NULL ORDER BY at DESC, id DESC LIMIT 1')
            .get(key) as { id: number } | undefined;
          if (latest === undefined) return false;
          this.db.prepare('UPDATE overrides SET undone_at = ? WHERE id = ?').run(at.toISOString(), latest.id);
          return true;
        })
        .immediate(),
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
   * Drops the events that can no longer change a decision made at `cutoff + retention` or
   * later (see README, "Retention"): of known time before `cutoff`, a delivery once a later
   * delivery of the address exists; a soft, undetermined or block bounce or an auto-reply once
   * any later event of the address exists. Hard bounces, complaints and events of unknown time
   * are kept. Works through the addresses in chunks, each in its own transaction, so a long
   * prune never holds the history for long and an interrupted one loses nothing.
   */
  prune(cutoff: number, onProgress?: (done: number, total: number) => void): PruneResult {
    this.assertWritable();
    return this.writing(() => {
      const ids = (name: string) => this.table.textIdIfKnown(name);
      const delivered = ids('delivered');
      const superseded = ['soft', 'undetermined', 'block', 'auto-reply'].map(ids).filter((id): id is number => id !== null);
      const removed: Record<string, number> = {};
      const before = this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
      const maxAddress =
        ((this.db.prepare("SELECT value FROM meta WHERE name = 'next_address'").pluck().get() as number | undefined) ?? 1) - 1;
      const deleteChunk = this.db
        .prepare(
          `DELETE FROM events AS e
         WHERE e.address BETWEEN @from AND @to AND e.time < @cutoff AND (
           (e.class = @delivered AND EXISTS (SELECT 1 FROM events AS l WHERE l.address = e.address AND l.class = @delivered AND l.time > e.time))
           OR (e.class IN (SELECT value FROM json_each(@superseded)) AND EXISTS (SELECT 1 FROM events AS l WHERE l.address = e.address AND l.time > e.time))
         )
         RETURNING class`,
        )
        .pluck();
      const chunk = this.db.transaction(
        (from: number, to: number) =>
          deleteChunk.all({ from, to, cutoff, delivered: delivered ?? -1, superseded: JSON.stringify(superseded) }) as number[],
      );
      for (let from = 1; from <= maxAddress; from += PRUNE_CHUNK) {
        const to = Math.min(from + PRUNE_CHUNK - 1, maxAddress);
        for (const cls of chunk.immediate(from, to)) {
          const name = this.table.textOf(cls);
          removed[name] = (removed[name] ?? 0) + 1;
        }
        onProgress?.(to, maxAddress);
      }
      const kept = this.db.prepare('SELECT count(*) FROM events').pluck().get() as number;
      return { before, kept, removed: before - kept, byClass: removed };
    });
  }

  /** Rewrites the file without its free pages (VACUUM); returns the sizes before and after. */
  vacuum(): { bytesBefore: number; bytesAfter: number } {
    this.assertWritable();
    return this.writing(() => {
      const size = () =>
        (this.db.pragma('page_count', { simple: true }) as number) * (this.db.pragma('page_size', { simple: true }) as number);
      const bytesBefore = size();
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      return { bytesBefore, bytesAfter: size() };
    });
  }

  /**
   * The open database connection, for a module that keeps a table of its own beside the
   * history (the DNS cache creates and owns `dns_cache`).
   */
  connection(): BetterSqlite3.Database {
    return this.db;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private assertWritable(): void {
    if (!this.readonly) return;
    throw stateError('STATE_READONLY', this.file, 'the history was opened read-only', 'Open it without the read-only option to change it.');
  }

  /** A write transaction: on failure the cached ids may name rows that were rolled back. */
  private writing<T>(action: () => T): T {
    try {
      return this.guard(action);
    } catch (error) {
      this.table.forgetCaches();
      throw error;
    }
  }

  private guard<T>(action: () => T): T {
    try {
      return action();
    } catch (error) {
      throw wrapSqliteError(error, this.file);
    }
  }
}

/** The parameters of UNSETTLED_ADDRESS_SQL. */
function settlingParameters(policy: SettlingPolicy, nowMs: number) {
  return { now: nowMs, retryDelay: policy.retryDelayMs, softWindow: policy.softWindowMs, softLimit: policy.softLimit };
}

/** key, id, last_delivery, last_bounce, flags of `addresses`. */
type SummaryRow = [string, number, number | null, number | null, number];

function toSummaries(rows: readonly SummaryRow[]): Map<string, AddressSummary> {
  const found = new Map<string, AddressSummary>();
  for (const [key, id, lastDelivery, lastBounce, flags] of rows) found.set(key, { id, lastDelivery, lastBounce, flags });
  return found;
}

/** Builds a new, empty history (at a temporary path; see createExclusively). */
function createHistory(temporary: string, shownAs: string): void {
  const db = new Database(temporary);
  try {
    db.pragma('journal_mode = WAL');
    migrate(db, shownAs);
  } finally {
    db.close();
  }
}

/** A connection to a history file that exists; failing to open it is STATE_UNREADABLE naming the file. */
function openExisting(absolute: string, file: string, readonly: boolean, timeout: number): BetterSqlite3.Database {
  try {
    return new Database(absolute, { readonly, fileMustExist: true, timeout });
  } catch (error) {
    throw stateError(
      'STATE_UNREADABLE',
      file,
      `cannot open the history database (${(error as Error).message})`,
      'Check the path and its permissions.',
    );
  }
}

function withConnection<T>(
  absolute: string,
  file: string,
  readonly: boolean,
  timeout: number,
  action: (db: BetterSqlite3.Database) => T,
): T {
  const db = openExisting(absolute, file, readonly, timeout);
  try {
    return action(db);
  } catch (error) {
    throw wrapSqliteError(error, file);
  } finally {
    db.close();
  }
}

/**
 * Checks, reading only, that the database is a hygiene history this version can use, and
 * returns its schema version. The previous release set no application_id: its histories are
 * recognised by their tables.
 */
function examine(db: BetterSqlite3.Database, file: string, size: number): number {
  const applicationId = (db.pragma('application_id', { simple: true }) as number) >>> 0;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  if (applicationId !== 0 && applicationId !== HYGIENE_APPLICATION_ID) {
    throw foreign(file, `another program's SQLite database (application_id 0x${applicationId.toString(16)})`);
  }
  if (applicationId === 0 && version === 0) {
    throw tables.size === 0
      ? foreign(file, 'an empty SQLite database, not a history (hygiene creates a history only where no file exists)')
      : foreign(file, 'a SQLite database of another program (it has tables but no hygiene schema)');
  }
  refuseNewer(version, file);
  const required = version >= 2 ? REQUIRED_TABLES_V2 : REQUIRED_TABLES_V1;
  const missing = required.filter((name) => !tables.has(name));
  if (missing.length === required.length) throw foreign(file, "a SQLite database of another program (it has none of the history's tables)");
  if (missing.length > 0) {
    throw refused(
      'STATE_CORRUPT',
      file,
      `the table${missing.length > 1 ? 's' : ''} ${missing.map((name) => `"${name}"`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`,
      moveAsideHint(file),
    );
  }
  if (size <= QUICK_CHECK_MAX_BYTES) checkIntegrity(db, file);
  return version;
}

/** Switches to WAL (a no-op when it is already); the switch needs a moment alone with the file. */
function useWal(db: BetterSqlite3.Database, timeout: number): void {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? '');
      if (!code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      sleep(20);
    }
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function guardFs<T>(file: string, action: () => T, what = 'cannot read the history database'): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof HygieneError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) throw wrapSqliteError(error, file);
    if (typeof code !== 'string') throw error;
    throw stateError(
      'STATE_UNREADABLE',
      file,
      `${what} (${(error as Error).message})`,
      'Check the path given to --state and its permissions.',
    );
  }
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
function checkIntegrity(db: BetterSqlite3.Database, file: string): void {
  const rows = db.pragma('quick_check') as Array<{ quick_check: string }>;
  const problems = rows.map((row) => row.quick_check).filter((text) => text !== 'ok');
  if (problems.length === 0) return;
  const summary = problems
    .join('\n')
    .split('\n')
    .filter((line) => !line.startsWith('***'))
    .slice(0, 3)
    .join('; ');
  throw corrupted(file, summary.length > 300 ? `${summary.slice(0, 299)}…` : summary);
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
  return refused('STATE_CORRUPT', file, `the database is damaged (${why})`, moveAsideHint(file));
}

function foreign(file: string, what: string): HygieneError {
  return refused(
    'STATE_FOREIGN',
    file,
    what,
    'Point --state at a hygiene history (the default is .hygiene/history.db), or at a path where no file exists to start a new one.',
  );
}

/** "<file>: damaged or foreign history: <why>; it was left as it is" — the one wording of every refusal. */
function refused(code: ErrorCode, file: string, why: string, hint: string): HygieneError {
  return stateError(code, file, `damaged or foreign history: ${why}; the file was left as it is and will NOT be reset`, hint);
}

function moveAsideHint(file: string): string {
  return `Restore it from a backup, or move it aside (e.g. mv ${file} ${file}.broken) to start a new history.`;
}

/** "<file>: <what>" with a hint; exit code 2. */
function stateError(code: ErrorCode, file: string, what: string, hint: string): HygieneError {
  return new HygieneError({ code, message: `${file}: ${what}`, hint, file });
}
