/**
 * The current layout of the history database (schema 3), shared by the migration that creates it
 * and the code that reads and writes it.
 *
 * Sizes matter here: a busy mail server records about a million events a day. So repeated texts
 * (class, reason, status, reply code, diagnostic, remote MTA, format, the source file) are
 * stored once in `texts` and referred to by number; times are numbers; an event is keyed by its
 * address and identity in a table without row ids; and each address carries a summary (latest
 * delivery, latest bounce, flags) from which most addresses are decided without reading any of
 * their events.
 */

/** SQLite `application_id` of a hygiene history (the ASCII letters "hygi"). */
export const HYGIENE_APPLICATION_ID = 0x68796769;

/** Bits of `addresses.flags`. */
export const ADDRESS_FLAGS = {
  /** At least one bounce event (hard, soft, block, undetermined, complaint), of any time. */
  bounce: 1,
  /** At least one complaint (a delivery does not clear it). */
  complaint: 2,
  /** On the suppression list. */
  suppressed: 4,
  /** Has at least one unsuppress override (undone or not). */
  overridden: 8,
  /**
   * A hard bounce that the latest delivery may not have cleared: one of known time after it, one
   * of unknown time, or any when there is no delivery of known time (schema 3).
   */
  hardSinceDelivery: 16,
  /** Two bits (see SOFT_COUNT_SHIFT): soft and undetermined bounces of known time after the latest delivery (schema 3). */
  softsSinceDelivery: 96,
} as const;

/** `(flags >> SOFT_COUNT_SHIFT) & SOFT_COUNT_MAX` is the count of ADDRESS_FLAGS.softsSinceDelivery ... */
export const SOFT_COUNT_SHIFT = 5;
/** ... which stops at 3, meaning "three or more": flags stay below 128, one byte on disk. */
export const SOFT_COUNT_MAX = 3;

/**
 * SQL for the flags `hardSinceDelivery` and `softsSinceDelivery` of the address numbered `id`
 * whose latest delivery of known time is `delivery` (SQL expressions), read from its events;
 * binds @hard, @soft and @undetermined (text ids of the classes, -1 when not interned).
 */
export function bouncesSinceDeliverySql(id: string, delivery: string): string {
  return `(CASE WHEN EXISTS (SELECT 1 FROM events WHERE address = ${id} AND class = @hard
             AND (time IS NULL OR ${delivery} IS NULL OR time > ${delivery})) THEN ${ADDRESS_FLAGS.hardSinceDelivery} ELSE 0 END
          | ((SELECT count(*) FROM (SELECT 1 FROM events WHERE address = ${id} AND class IN (@soft, @undetermined)
             AND time > coalesce(${delivery}, -1e300) LIMIT ${SOFT_COUNT_MAX})) << ${SOFT_COUNT_SHIFT}))`;
}

/**
 * True (1) for a row of `addresses` (as `a`) that `summarySaysCleaned` (src/policy/history-model.ts)
 * does not settle with the policy bound to @retryDelay, @softWindow, @softLimit at the time bound
 * to @now: the same test, so that the database hands back only the addresses whose events must
 * be read. Keep the two in step.
 */
export const UNSETTLED_ADDRESS_SQL = `coalesce(
    (a.flags & ${ADDRESS_FLAGS.complaint | ADDRESS_FLAGS.suppressed | ADDRESS_FLAGS.overridden}) = 0
    AND ((a.flags & ${ADDRESS_FLAGS.bounce}) = 0
      OR (a.last_delivery IS NOT NULL AND a.last_delivery <= @now AND (a.last_bounce IS NULL OR a.last_bounce <= a.last_delivery))
      OR ((a.last_delivery IS NULL OR a.last_delivery <= @now) AND (a.flags & ${ADDRESS_FLAGS.hardSinceDelivery}) = 0
        AND (a.last_bounce IS NULL
          OR (a.last_bounce + @retryDelay <= @now
            AND ((a.flags & ${ADDRESS_FLAGS.softsSinceDelivery}) = 0
              OR ((a.flags >> ${SOFT_COUNT_SHIFT}) & ${SOFT_COUNT_MAX}) < min(${SOFT_COUNT_MAX}, @softLimit)
              OR a.last_bounce < @now - @softWindow))))),
    0) = 0`;

/** Bits of `events.flags`. */
export const EVENT_FLAGS = {
  /** The message key is the queue id (stored once, in `queue_id`). */
  messageKeyIsQueueId: 1,
} as const;

/** The tables a history of schema 2 must have; one missing means the file is damaged. */
export const REQUIRED_TABLES_V2 = ['meta', 'texts', 'addresses', 'events', 'suppressions', 'overrides'] as const;
/** The tables of the first schema (the previous release). */
export const REQUIRED_TABLES_V1 = ['events', 'suppressions', 'overrides'] as const;

export const SCHEMA_V2_SQL = `
  CREATE TABLE meta (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO meta (name, value) VALUES ('next_address', 1);

  -- Found by a hash of the text: an index of the texts themselves would store each one twice.
  CREATE TABLE texts (
    id    INTEGER PRIMARY KEY,
    hash  INTEGER NOT NULL,
    text  TEXT NOT NULL
  );
  CREATE INDEX texts_by_hash ON texts (hash);

  -- Keyed (and stored) by the address, so a lookup is one descent and the key is stored once;
  -- events refer to the address by its number (meta.next_address gives the next one).
  CREATE TABLE addresses (
    key            TEXT PRIMARY KEY,       -- historyKey()
    id             INTEGER NOT NULL,
    last_delivery  INTEGER,                -- latest delivery of known time (epoch ms)
    last_bounce    INTEGER,                -- latest bounce event of known time (epoch ms)
    flags          INTEGER NOT NULL DEFAULT 0
  ) WITHOUT ROWID;

  CREATE TABLE events (
    address      INTEGER NOT NULL,   -- addresses.id
    identity     INTEGER NOT NULL,   -- eventIdentity(): what the source says, 52 bits
    time         INTEGER,            -- epoch ms; NULL when unknown
    class        INTEGER NOT NULL,   -- texts.id (so are the other INTEGER text columns)
    reason       INTEGER NOT NULL,
    format       INTEGER NOT NULL,
    source_file  INTEGER NOT NULL,   -- the source up to its trailing number ("mail.log:")
    source_line  INTEGER,            -- the trailing number ("1234"), when there is one
    status       INTEGER,
    smtp_code    INTEGER,
    action       INTEGER,
    remote_mta   INTEGER,
    diagnostic   INTEGER,
    queue_id     TEXT,
    flags        INTEGER NOT NULL DEFAULT 0,
    message_key  TEXT,               -- unless it is the queue id (flags)
    at_text      TEXT,               -- the time as written, when it is not the ISO form of time
    recipient    TEXT,               -- as written, when it differs from the address key
    PRIMARY KEY (address, identity)
  ) WITHOUT ROWID;
`;
