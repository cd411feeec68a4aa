import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import type { BounceClass, BounceReason, BounceRecord, DeliveryAction } from '../bounces/types.js';
import type { HistoryEvent } from '../policy/history-model.js';
import { eventIdentity, historyKey, identityNumber, identityText } from '../policy/event-identity.js';
import { ADDRESS_FLAGS, EVENT_FLAGS, bouncesSinceDeliverySql } from './schema.js';
import { DECISION_COLUMNS, StoredEvent, type DecisionRow } from './stored-event.js';

/**
 * Reads and writes events in the compact layout of schema 2: interned texts, numeric times,
 * address summaries. One instance per database connection; it caches interned texts and address
 * ids, so it must be the only writer of those tables on its connection.
 */

/** What one address's row says without reading its events. */
export interface AddressSummary {
  id: number;
  lastDelivery: number | null;
  lastBounce: number | null;
  flags: number;
}

/**
 * A stored event as `eventsOf` reads it: an array in the order of EVENT_COLUMNS (arrays cost less
 * than objects with named columns; the reads for a decision use StoredEvent's DecisionRow).
 */
export type StoredEventRow = [address: number, ...columns: DecisionRow];

const BOUNCE_CLASSES: ReadonlySet<string> = new Set(['hard', 'soft', 'block', 'undetermined', 'complaint']);
/** The classes that ADDRESS_FLAGS.hardSinceDelivery and softsSinceDelivery are about. */
const SINCE_DELIVERY_CLASSES: ReadonlySet<string> = new Set(['hard', 'soft', 'undetermined']);
const SINCE_DELIVERY_BITS = ADDRESS_FLAGS.hardSinceDelivery | ADDRESS_FLAGS.softsSinceDelivery;

/** What the events of this batch change in an address's summary. */
interface PendingSummary {
  lastDelivery: number | null;
  lastBounce: number | null;
  flags: number;
  /** A hard, soft or undetermined event was added: count the bounces since the latest delivery again. */
  recount: boolean;
}
/** Caches are cleared when they reach this size: bounded memory on any history. */
const CACHE_LIMIT = 500_000;
const MAX_LINE_DIGITS = 15;

export const EVENT_COLUMNS =
  'address, identity, time, class, reason, format, source_file, source_line, status, smtp_code, action, remote_mta, diagnostic, queue_id, flags, message_key, at_text, recipient';

export class EventTable {
  private readonly textIds = new Map<string, number>();
  private readonly texts = new Map<number, string>();
  private readonly addressIds = new Map<string, number>();
  /** Address summary changes of this batch, written by `flushSummaries`. */
  private readonly pending = new Map<string, PendingSummary>();

  private readonly selectText: Database.Statement;
  private readonly selectTextById: Database.Statement;
  private readonly insertText: Database.Statement;
  private readonly selectAddress: Database.Statement;
  private readonly insertAddress: Database.Statement;
  private readonly selectNextId: Database.Statement;
  private readonly storeNextId: Database.Statement;
  /** Addresses added in this transaction (written by flushSummaries), and the next number. */
  private readonly created = new Map<string, number>();
  private nextId: number | null = null;
  private readonly insertEvent: Database.Statement;
  private readonly selectReading: Database.Statement;
  private readonly updateReading: Database.Statement;
  private readonly updateSummary: Database.Statement;
  private readonly recomputeSummary: Database.Statement;
  /** Addresses whose summary must be computed again from their events (a reading changed class). */
  private readonly stale = new Map<string, number>();
  private readonly selectEvents: Database.Statement;
  private readonly selectEventsSince: Database.Statement;
  private readonly selectDecisionEvents: Database.Statement;

  constructor(db: Database.Database, readonly: boolean) {
    this.selectText = db.prepare('SELECT id, text FROM texts WHERE hash = ?').raw();
    this.selectTextById = db.prepare('SELECT text FROM texts WHERE id = ?').pluck();
    this.selectAddress = db.prepare(
      'SELECT id, last_delivery AS lastDelivery, last_bounce AS lastBounce, flags FROM addresses WHERE key = ?',
    );
    this.selectEvents = db.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE address = ?`).raw();
    this.selectDecisionEvents = db.prepare(`SELECT ${DECISION_COLUMNS} FROM events WHERE address = ?`).raw();
    this.selectEventsSince = db
      .prepare(`SELECT ${DECISION_COLUMNS} FROM events WHERE address = ? AND (time IS NULL OR time >= ? OR class = ?)`)
      .raw();
    // Statements that write cannot be prepared on a read-only connection.
    const writable = (sql: string) => (readonly ? (null as unknown as Database.Statement) : db.prepare(sql));
    this.insertText = writable('INSERT INTO texts (hash, text) VALUES (?, ?)');
    // A new address's events are all in this transaction: its bounces since the latest delivery
    // are counted from them when there are any.
    this.insertAddress = writable(
      `INSERT INTO addresses (key, id, last_delivery, last_bounce, flags) VALUES (@key, @id, @delivery, @bounce,
         @flags | CASE WHEN @recount THEN ${bouncesSinceDeliverySql('@id', '@delivery')} ELSE 0 END)`,
    );
    this.selectNextId = db.prepare("SELECT value FROM meta WHERE name = 'next_address'").pluck();
    this.storeNextId = writable("UPDATE meta SET value = ? WHERE name = 'next_address'");
    this.insertEvent = writable(
      `INSERT OR IGNORE INTO events (${EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectReading = writable('SELECT source_file, source_line, class FROM events WHERE address = ? AND identity = ?');
    this.recomputeSummary = writable(
      `UPDATE addresses SET
         last_delivery = (SELECT max(time) FROM events WHERE address = @id AND class = @delivered),
         last_bounce = (SELECT max(time) FROM events WHERE address = @id AND class IN (SELECT value FROM json_each(@bounces))),
         flags = (flags & ${ADDRESS_FLAGS.suppressed | ADDRESS_FLAGS.overridden})
           | CASE WHEN EXISTS (SELECT 1 FROM events WHERE address = @id AND class IN (SELECT value FROM json_each(@bounces))) THEN ${ADDRESS_FLAGS.bounce} ELSE 0 END
           | CASE WHEN EXISTS (SELECT 1 FROM events WHERE address = @id AND class = @complaint) THEN ${ADDRESS_FLAGS.complaint} ELSE 0 END
           | ${bouncesSinceDeliverySql('@id', '(SELECT max(time) FROM events WHERE address = @id AND class = @delivered)')}
       WHERE key = @key`,
    );
    this.updateReading = writable(
      `UPDATE events SET source_file = ?, source_line = ?, recipient = ?, class = ?, reason = ?, status = ?, action = ?, remote_mta = ?, diagnostic = ?
       WHERE address = ? AND identity = ?`,
    );
    // The bounces since the latest delivery are counted again when this batch added one, or
    // when it moved the latest delivery of an address that had some (SET reads the old row).
    const delivery = 'CASE WHEN last_delivery IS NULL OR last_delivery < @delivery THEN @delivery ELSE last_delivery END';
    this.updateSummary = writable(
      `UPDATE addresses SET
         last_delivery = ${delivery},
         last_bounce = CASE WHEN last_bounce IS NULL OR last_bounce < @bounce THEN @bounce ELSE last_bounce END,
         flags = CASE WHEN @recount OR ((flags & ${SINCE_DELIVERY_BITS}) != 0 AND @delivery > coalesce(last_delivery, -1e300))
           THEN ((flags | @flags) & ~${SINCE_DELIVERY_BITS}) | ${bouncesSinceDeliverySql('id', `(${delivery})`)}
           ELSE flags | @flags END
       WHERE key = @key`,
    );
  }

  /** The id of an interned text, adding it when new. */
  textId(text: string): number {
    let id = this.textIds.get(text);
    if (id !== undefined) return id;
    const hash = textHash(text);
    id = this.findText(text, hash);
    if (id === undefined) id = Number(this.insertText.run(hash, text).lastInsertRowid);
    if (this.textIds.size >= CACHE_LIMIT) this.textIds.clear();
    this.textIds.set(text, id);
    return id;
  }

  /** The id of a text if it is interned already, else null (adds nothing). */
  textIdIfKnown(text: string): number | null {
    const cached = this.textIds.get(text);
    if (cached !== undefined) return cached;
    const id = this.findText(text, textHash(text));
    if (id !== undefined) this.textIds.set(text, id);
    return id ?? null;
  }

  private findText(text: string, hash: number): number | undefined {
    for (const [id, stored] of this.selectText.all(hash) as Array<[number, string]>) if (stored === text) return id;
    return undefined;
  }

  private optionalTextId(text: string | null | undefined): number | null {
    return text === null || text === undefined ? null : this.textId(text);
  }

  private readonly textOfBound = (id: number): string => this.textOf(id);

  textOf(id: number): string {
    let text = this.texts.get(id);
    if (text !== undefined) return text;
    text = this.selectTextById.get(id) as string | undefined;
    if (text === undefined) throw Object.assign(new Error(`text ${id} is missing`), { code: 'SQLITE_CORRUPT' });
    if (this.texts.size >= CACHE_LIMIT) this.texts.clear();
    this.texts.set(id, text);
    return text;
  }

  private optionalText(id: number | null): string | null {
    return id === null ? null : this.textOf(id);
  }

  /** The summary row of an address key, or undefined when the history never heard of it. */
  address(key: string): AddressSummary | undefined {
    return this.selectAddress.get(key) as AddressSummary | undefined;
  }

  /**
   * The id of an address key. A new address gets the next number at once; its row is written
   * by `flushSummaries`, with its summary, in one statement.
   */
  addressId(key: string): number {
    let id = this.addressIds.get(key) ?? this.created.get(key);
    if (id !== undefined) return id;
    id = (this.selectAddress.get(key) as AddressSummary | undefined)?.id;
    if (id === undefined) {
      this.nextId ??= this.selectNextId.get() as number;
      id = this.nextId++;
      this.created.set(key, id);
      return id;
    }
    if (this.addressIds.size >= CACHE_LIMIT) this.addressIds.clear();
    this.addressIds.set(key, id);
    return id;
  }

  /**
   * Stores one event unless it is stored already (same address and identity). Of two readings
   * of one event the one with the smaller source is kept, so the result does not depend on the
   * order in which files are read. Call `flushSummaries` before the transaction ends.
   */
  add(record: BounceRecord, identity: string = eventIdentity(record)): boolean {
    const key = historyKey(record.recipient);
    const address = this.addressId(key);
    const number = identityNumber(identity);
    const time = record.at === null ? Number.NaN : Date.parse(record.at);
    const known = !Number.isNaN(time);
    const atText = record.at !== null && !(known && isoOf(time) === record.at) ? record.at : null;
    const { file, line } = splitSource(record.source);
    const messageKey = record.messageKey ?? null;
    const messageKeyIsQueueId = messageKey !== null && messageKey === record.queueId;
    const result = this.insertEvent.run(
      address,
      number,
      known ? time : null,
      this.textId(record.class),
      this.textId(record.reason),
      this.textId(record.format),
      this.textId(file),
      line,
      this.optionalTextId(record.status),
      this.optionalTextId(record.smtpCode),
      this.optionalTextId(record.action),
      this.optionalTextId(record.remoteMta),
      record.class === 'delivered' ? null : this.optionalTextId(record.diagnostic),
      record.queueId,
      messageKeyIsQueueId ? EVENT_FLAGS.messageKeyIsQueueId : 0,
      messageKeyIsQueueId ? null : messageKey,
      atText,
      record.recipient === key ? null : record.recipient,
    );
    if (result.changes > 0) {
      this.noteSummary(key, record.class, known ? time : null);
      return true;
    }
    const stored = this.selectReading.get(address, number) as { source_file: number; source_line: number | null; class: number };
    const storedSource = joinSource(this.textOf(stored.source_file), stored.source_line);
    if (compareUtf8(record.source, storedSource) < 0) {
      // The whole reading is taken, so that the result never depends on the order of reading.
      this.updateReading.run(
        this.textId(file),
        line,
        record.recipient === key ? null : record.recipient,
        this.textId(record.class),
        this.textId(record.reason),
        this.optionalTextId(record.status),
        this.optionalTextId(record.action),
        this.optionalTextId(record.remoteMta),
        record.class === 'delivered' ? null : this.optionalTextId(record.diagnostic),
        address,
        number,
      );
      this.noteSummary(key, record.class, known ? time : null);
      // A delivery read again as something else: the summary may name a delivery that is gone.
      if (this.textOf(stored.class) !== record.class) this.stale.set(key, address);
    }
    return false;
  }

  private summaryEntry(key: string): PendingSummary {
    let entry = this.pending.get(key);
    if (entry === undefined) {
      entry = { lastDelivery: null, lastBounce: null, flags: 0, recount: false };
      this.pending.set(key, entry);
    }
    return entry;
  }

  private noteSummary(key: string, cls: string, time: number | null): void {
    const delivered = cls === 'delivered';
    const bounce = BOUNCE_CLASSES.has(cls);
    if (!delivered && !bounce) return;
    const entry = this.summaryEntry(key);
    if (delivered) {
      if (time !== null && (entry.lastDelivery === null || time > entry.lastDelivery)) entry.lastDelivery = time;
      return;
    }
    entry.flags |= ADDRESS_FLAGS.bounce | (cls === 'complaint' ? ADDRESS_FLAGS.complaint : 0);
    if (SINCE_DELIVERY_CLASSES.has(cls)) entry.recount = true;
    if (time !== null && (entry.lastBounce === null || time > entry.lastBounce)) entry.lastBounce = time;
  }

  /** Sets flags on an address (suppressed, overridden), adding the address when new. */
  markAddress(key: string, flags: number): void {
    this.addressId(key);
    this.summaryEntry(key).flags |= flags;
  }

  /**
   * Writes the new addresses and the summaries of the events added since the last flush, and
   * the next address number. Call it before every commit of a transaction that added events or
   * marked addresses.
   */
  flushSummaries(): void {
    const classes = {
      hard: this.textIdIfKnown('hard') ?? -1,
      soft: this.textIdIfKnown('soft') ?? -1,
      undetermined: this.textIdIfKnown('undetermined') ?? -1,
    };
    for (const [key, id] of this.created) {
      const entry = this.pending.get(key);
      this.insertAddress.run({
        key,
        id,
        delivery: entry?.lastDelivery ?? null,
        bounce: entry?.lastBounce ?? null,
        flags: entry?.flags ?? 0,
        recount: entry?.recount === true ? 1 : 0,
        ...classes,
      });
      this.pending.delete(key);
      if (this.addressIds.size >= CACHE_LIMIT) this.addressIds.clear();
      this.addressIds.set(key, id);
    }
    for (const [key, entry] of this.pending) {
      this.updateSummary.run({
        delivery: entry.lastDelivery,
        bounce: entry.lastBounce,
        flags: entry.flags,
        recount: entry.recount ? 1 : 0,
        key,
        ...classes,
      });
    }
    if (this.stale.size > 0) {
      const bounces = JSON.stringify([...BOUNCE_CLASSES].map((name) => this.textIdIfKnown(name) ?? -1));
      const delivered = this.textIdIfKnown('delivered') ?? -1;
      const complaint = this.textIdIfKnown('complaint') ?? -1;
      for (const [key, id] of this.stale) this.recomputeSummary.run({ key, id, delivered, complaint, bounces, ...classes });
      this.stale.clear();
    }
    if (this.nextId !== null) this.storeNextId.run(this.nextId);
    this.created.clear();
    this.pending.clear();
    this.nextId = null;
  }

  /** Forgets cached ids (after a rollback they may name rows that are gone). */
  forgetCaches(): void {
    this.textIds.clear();
    this.texts.clear();
    this.addressIds.clear();
    this.pending.clear();
    this.created.clear();
    this.stale.clear();
    this.nextId = null;
  }

  /**
   * The events of one address that can still count after `since` (a delivery's time): those at
   * or after it, of unknown time, and complaints (a delivery does not clear them). Unsorted.
   */
  eventsSince(addressId: number, key: string, since: number): HistoryEvent[] {
    const complaint = this.textIdIfKnown('complaint') ?? -1;
    return (this.selectEventsSince.all(addressId, since, complaint) as DecisionRow[]).map(
      (row) => new StoredEvent(row, key, this.textOfBound),
    );
  }

  /** The events of one address as read for a decision (see StoredEvent), unsorted. */
  decisionEventsOf(addressId: number, key: string): HistoryEvent[] {
    return (this.selectDecisionEvents.all(addressId) as DecisionRow[]).map((row) => new StoredEvent(row, key, this.textOfBound));
  }

  /** The events of one address, unsorted. */
  eventsOf(addressId: number, key: string): HistoryEvent[] {
    return (this.selectEvents.all(addressId) as StoredEventRow[]).map((row) => this.toEvent(row, key));
  }

  toEvent(row: StoredEventRow, key: string): HistoryEvent {
    const [, identity, time, cls, reason, format, sourceFile, sourceLine, status, smtpCode, action, remoteMta, diagnostic] = row;
    const [queueId, flags, messageKey, atText, recipient] = [row[13], row[14], row[15], row[16], row[17]];
    return {
      recipient: recipient ?? key,
      class: this.textOf(cls) as BounceClass,
      reason: this.textOf(reason) as BounceReason,
      action: this.optionalText(action) as DeliveryAction | null,
      status: this.optionalText(status),
      smtpCode: this.optionalText(smtpCode),
      diagnostic: this.optionalText(diagnostic),
      remoteMta: this.optionalText(remoteMta),
      at: atText ?? (time === null ? null : isoOf(time)),
      queueId,
      format: this.textOf(format),
      source: joinSource(this.textOf(sourceFile), sourceLine),
      messageKey: (flags & EVENT_FLAGS.messageKeyIsQueueId) !== 0 ? queueId : messageKey,
      id: identityText(identity),
      time,
    };
  }
}

/** 48 bits of the text's sha1: the texts index holds these instead of the texts. */
function textHash(text: string): number {
  const hex = typeof crypto.hash === 'function' ? crypto.hash('sha1', text, 'hex') : crypto.createHash('sha1').update(text).digest('hex');
  return Number.parseInt(hex.slice(0, 12), 16);
}

function isoOf(time: number): string {
  return new Date(time).toISOString();
}

/**
 * "mail.log:1234" -> "mail.log:" and 1234; a source without a trailing number is all file. The
 * number has no leading zero and at most 15 digits, so that joining gives the source back.
 */
export function splitSource(source: string): { file: string; line: number | null } {
  let start = source.length;
  while (start > 0 && source.length - start < MAX_LINE_DIGITS) {
    const code = source.charCodeAt(start - 1);
    if (code < 48 || code > 57) break;
    start--;
  }
  // Leading zeros stay with the file part ("x:007" -> "x:00" and 7; "x:0" -> "x:" and 0).
  while (start < source.length - 1 && source.charCodeAt(start) === 48) start++;
  if (start === source.length) return { file: source, line: null };
  return { file: source.slice(0, start), line: Number(source.slice(start)) };
}

export function joinSource(file: string, line: number | null): string {
  return line === null ? file : `${file}${line}`;
}

/** Compares as SQLite and the previous release did: by UTF-8 bytes. */
function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
