import type { BounceRecord } from '../bounces/types.js';
import { eventIdentity, historyKey } from './event-identity.js';

export { historyKey } from './event-identity.js';

/** Why an address is on the suppression list (import or by hand). */
export type SuppressionReason = 'hard-bounce' | 'complaint' | 'unsubscribe' | 'invalid' | 'manual' | 'other';

/** One address on the suppression list. */
export interface SuppressionEntry {
  /** `historyKey` of the address. */
  address: string;
  reason: SuppressionReason;
  /** The provider's own words (bounce text, origin), or a person's note. */
  note: string | null;
  /** Where it came from: `import:<file>:<line>`, `manual`, ... */
  origin: string;
  /** When the address was suppressed (ISO 8601 UTC); null when the source does not say. */
  at: string | null;
}

/** A stored bounce record with its identity and parsed time. */
export interface HistoryEvent extends BounceRecord {
  /** `eventIdentity` of the record. */
  id: string;
  messageKey: string | null;
  /** `at` in epoch milliseconds; null when the time is unknown (or unreadable). */
  time: number | null;
}

/** A manual `unsuppress`: overrides the history before `at`, unless undone. */
export interface UnsuppressOverride {
  at: string;
  note: string | null;
  /** When the override was undone (it is kept, not deleted); null while in force. */
  undoneAt: string | null;
}

/** Everything known about one address, as `decide` needs it. */
export interface AddressHistory {
  address: string;
  /**
   * Sorted by time; events of unknown time come first. Ties are broken by source and identity
   * so that the order never depends on the order of ingestion.
   */
  events: HistoryEvent[];
  suppression: SuppressionEntry | null;
  /** Ordered by time. */
  overrides: UnsuppressOverride[];
}

/**
 * A record as the history keeps it. A delivery keeps no remote text: only its time clears
 * earlier bounces, and its texts ("250 2.0.0 Ok: queued as 4D5B36A0E7") are unique per message,
 * so storing them would double the size of a history that is mostly deliveries.
 */
export function toHistoryEvent(record: BounceRecord, id: string = eventIdentity(record)): HistoryEvent {
  const parsed = record.at === null ? Number.NaN : Date.parse(record.at);
  return {
    recipient: record.recipient,
    class: record.class,
    reason: record.reason,
    action: record.action,
    status: record.status,
    smtpCode: record.smtpCode,
    diagnostic: record.class === 'delivered' ? null : record.diagnostic,
    remoteMta: record.remoteMta,
    at: record.at,
    queueId: record.queueId,
    format: record.format,
    source: record.source,
    messageKey: record.messageKey ?? null,
    id,
    time: Number.isNaN(parsed) ? null : parsed,
  };
}

// Made at the first comparison of two events of one time: an ICU collator costs ~10 ms to
// create, which every run that loads this module (every clean) should not pay at import.
let naturalOrder: Intl.Collator | null = null;

export function compareEvents(a: HistoryEvent, b: HistoryEvent): number {
  if (a.time !== b.time) {
    if (a.time === null) return -1;
    if (b.time === null) return 1;
    return a.time - b.time;
  }
  naturalOrder ??= new Intl.Collator('en', { numeric: true });
  return naturalOrder.compare(a.source, b.source) || compareText(a.source, b.source) || compareText(a.id, b.id);
}

/**
 * When the same event was read from two places (rotated logs that overlap), which reading to
 * keep: the smallest source, so the result is the same whatever order the files came in.
 */
export function preferredReading(kept: HistoryEvent, other: HistoryEvent): HistoryEvent {
  return compareText(other.source, kept.source) < 0 ? other : kept;
}

export function emptyHistory(address: string): AddressHistory {
  return { address, events: [], suppression: null, overrides: [] };
}

/**
 * Builds histories in memory from bounce records (stateless runs, `--no-state`). Duplicate
 * readings of one event are merged exactly as the store merges them, so a stateless run and a
 * run against a fresh store decide alike.
 */
export function buildHistories(records: Iterable<BounceRecord>): Map<string, AddressHistory> {
  const byId = new Map<string, HistoryEvent>();
  for (const record of records) {
    const event = toHistoryEvent(record);
    const kept = byId.get(event.id);
    byId.set(event.id, kept === undefined ? event : preferredReading(kept, event));
  }
  const histories = new Map<string, AddressHistory>();
  for (const event of byId.values()) {
    const key = historyKey(event.recipient);
    let history = histories.get(key);
    if (history === undefined) {
      history = emptyHistory(key);
      histories.set(key, history);
    }
    history.events.push(event);
  }
  for (const history of histories.values()) history.events.sort(compareEvents);
  return histories;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the store keeps per address besides its events (see src/state/schema.ts). */
export interface AddressDigest {
  /** Latest delivery of known time (epoch ms), or null. */
  lastDelivery: number | null;
  /** Latest bounce event (hard, soft, block, undetermined, complaint) of known time, or null. */
  lastBounce: number | null;
  /** Whether it has any bounce event, any complaint, a suppression, an override. */
  hasBounce: boolean;
  hasComplaint: boolean;
  suppressed: boolean;
  overridden: boolean;
}

/**
 * True when `decide` would certainly say "cleaned" without looking at the events: nothing but
 * deliveries (and auto-replies), or a delivery, known by `now`, at or after every bounce (a
 * delivery clears the bounces before it). Complaints, suppressions and overrides always need
 * the whole history. This is what lets a list of a million addresses be checked against a
 * history of ten million events without reading them.
 */
export function digestSaysCleaned(digest: AddressDigest, nowMs: number): boolean {
  if (digest.hasComplaint || digest.suppressed || digest.overridden) return false;
  if (!digest.hasBounce) return true;
  const delivery = digest.lastDelivery;
  return delivery !== null && delivery <= nowMs && (digest.lastBounce === null || digest.lastBounce <= delivery);
}

/** An AddressDigest with what the store counts since the address's latest delivery. */
export interface SettlingDigest extends AddressDigest {
  /**
   * Whether a hard bounce may be uncleared by the latest delivery: false only when every hard
   * bounce is of known time, at or before the latest delivery of known time.
   */
  hardSinceDelivery: boolean;
  /** Soft and undetermined bounces of known time after the latest delivery (all, without one). */
  softsSinceDelivery: number;
  /** True when the store stopped counting at `softsSinceDelivery`: there may be more. */
  softsCountCapped: boolean;
}

/** What of the policy `summarySaysCleaned` needs (PolicyConfig of src/policy/decide.ts). */
export interface SettlingPolicy {
  softLimit: number;
  softWindowMs: number;
  retryDelayMs: number;
}

/**
 * True when `decide` would certainly say "cleaned" without looking at the events: what
 * `digestSaysCleaned` settles, and also an address whose bounces since its latest delivery
 * (known by `now`, or none) are no hard bounce, too old to wait for, and too few or too old to
 * reach the soft limit. Complaints, suppressions and overrides always need the whole history.
 * The test over the database's rows is UNSETTLED_ADDRESS_SQL (src/state/schema.ts).
 */
export function summarySaysCleaned(digest: SettlingDigest, policy: SettlingPolicy, nowMs: number): boolean {
  if (digestSaysCleaned(digest, nowMs)) return true;
  if (digest.hasComplaint || digest.suppressed || digest.overridden) return false;
  // A delivery after now does not count now: an earlier one would clear less.
  if (digest.lastDelivery !== null && digest.lastDelivery > nowMs) return false;
  if (digest.hardSinceDelivery) return false;
  // Only bounces of unknown time: not hard (see above), so neither counted nor waited for.
  if (digest.lastBounce === null) return true;
  // The latest bounce is at least as late as any soft bounce or block: no retry is pending.
  if (digest.lastBounce + policy.retryDelayMs > nowMs) return false;
  const softs = digest.softsSinceDelivery;
  const fewSofts = softs === 0 || (!digest.softsCountCapped && softs < policy.softLimit);
  return fewSofts || digest.lastBounce < nowMs - policy.softWindowMs;
}
