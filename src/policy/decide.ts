import { BOUNCE_EVENT_CLASSES, type BounceClass } from '../bounces/types.js';
import type { AddressHistory, HistoryEvent, SuppressionEntry, UnsuppressOverride } from './history-model.js';

/**
 * The soft-bounce policy (docs/architecture.md): what to do with one address given its history.
 *
 * Rules, first that applies:
 *   suppressed-manually  on the suppression list, not unsuppressed since
 *   hard-bounce          a hard event not cleared (see "clearing")
 *   complaint            a complaint not cleared by an unsuppress (a delivery does not clear it:
 *                        the person still did not want the mail)
 *   soft-bounce-limit    counted soft events >= softLimit
 *   soft-bounce          retry-later while now < last soft/undetermined event + retryDelay
 *   sender-blocked       retry-later while now < last block event + retryDelay; never escalates
 *   otherwise cleaned
 *
 * Clearing: an unsuppress clears every event and suppression at or before its time. A delivery
 * clears earlier hard, soft, undetermined and block events: the address evidently works. An
 * event at the very same instant as the delivery or unsuppress counts as cleared.
 *
 * Counting: soft and undetermined events, one per message (messageKey; an event without one
 * counts alone), not cleared, within the window. The window is inclusive: with the default 30d
 * an event exactly 30 days before `now` counts, one a millisecond older does not.
 *
 * Time: events, suppressions and overrides later than `now` are ignored, so a past `now`
 * reproduces an old decision. Events of unknown time sort before all others: a hard bounce or
 * complaint of unknown time still suppresses (a permanent verdict needs no date), but soft and
 * block events of unknown time are neither counted nor retried (no window, no retry_after can
 * be computed for them). Auto-replies are ignored.
 */

export interface PolicyConfig {
  /** Counted soft events that suppress the address. */
  softLimit: number;
  /** How far back soft events are counted (ms). */
  softWindowMs: number;
  /** How long after a soft bounce or block the address waits in retry-later (ms). */
  retryDelayMs: number;
}

export const DEFAULT_POLICY: Readonly<PolicyConfig> = Object.freeze({
  softLimit: 4,
  softWindowMs: 30 * 86_400_000,
  retryDelayMs: 24 * 3_600_000,
});

export type DecisionList = 'cleaned' | 'suppressed' | 'retry-later';

export type DecisionReason = 'suppressed-manually' | 'hard-bounce' | 'complaint' | 'soft-bounce-limit' | 'soft-bounce' | 'sender-blocked';

export interface Decision {
  list: DecisionList;
  reason: DecisionReason | null;
  /** A sentence a person can act on: reason, code, date, source, remote text. */
  detail: string | null;
  /** Source of the deciding event (`mail.log:1234`) or of the suppression (`import:...`). */
  source: string | null;
  /** Counted soft/undetermined events (one per message, in the window, not cleared). */
  softCount: number;
  /** Block events counted the same way (they never escalate). */
  blockCount: number;
  /** ISO 8601 UTC of the deciding event, else of the latest bounce known; null if none. */
  lastBounce: string | null;
  /** ISO 8601 UTC; only for retry-later. */
  retryAfter: string | null;
}

const CLEAN: Readonly<Decision> = Object.freeze({
  list: 'cleaned',
  reason: null,
  detail: null,
  source: null,
  softCount: 0,
  blockCount: 0,
  lastBounce: null,
  retryAfter: null,
});

const COUNTED_CLASSES: ReadonlySet<BounceClass> = new Set(['soft', 'undetermined']);

const CLASS_LABEL: Readonly<Record<BounceClass, string>> = {
  hard: 'hard bounce',
  soft: 'soft bounce',
  undetermined: 'undetermined bounce',
  block: 'sender blocked',
  complaint: 'spam complaint',
  'auto-reply': 'auto-reply',
  delivered: 'delivered',
};

const DIAGNOSTIC_MAX = 200;
const UNKNOWN_TIME = Number.NEGATIVE_INFINITY;

/**
 * Decides one address. Pure; `now` is explicit so that runs are reproducible. `history.events`
 * must be sorted as `buildHistories` and the store return them.
 */
export function decide(history: AddressHistory | undefined, config: PolicyConfig, now: Date): Decision {
  if (history === undefined) return { ...CLEAN };
  const nowMs = now.getTime();
  const events = knownBy(history.events, nowMs);
  const unsuppressedAt = activeUnsuppressTime(history.overrides, nowMs);
  const lastDeliveryAt = latestTime(events, 'delivered');
  const windowStart = nowMs - config.softWindowMs;

  const clearedByOverride = (time: number): boolean => unsuppressedAt !== null && time <= unsuppressedAt;
  const cleared = (time: number): boolean => clearedByOverride(time) || (lastDeliveryAt !== null && time <= lastDeliveryAt);

  let hard: HistoryEvent | null = null;
  let complaint: HistoryEvent | null = null;
  let lastSoft: HistoryEvent | null = null;
  let lastBlock: HistoryEvent | null = null;
  let latestBounce: HistoryEvent | null = null;
  const countedSoft = new Set<string>();
  const countedBlocks = new Set<string>();
  let firstCounted: HistoryEvent | null = null;
  let lastCounted: HistoryEvent | null = null;

  for (const event of events) {
    if (!BOUNCE_EVENT_CLASSES.has(event.class)) continue;
    const time = event.time ?? UNKNOWN_TIME;
    if (event.time !== null) latestBounce = event;
    if (event.class === 'complaint') {
      if (!clearedByOverride(time)) complaint = event;
      continue;
    }
    if (cleared(time)) continue;
    if (event.class === 'hard') {
      hard = event;
      continue;
    }
    if (event.time === null) continue;
    const inWindow = event.time >= windowStart;
    const messageKey = event.messageKey === null ? `event:${event.id}` : `message:${event.messageKey}`;
    if (event.class === 'block') {
      lastBlock = event;
      if (inWindow) countedBlocks.add(messageKey);
    } else if (COUNTED_CLASSES.has(event.class)) {
      lastSoft = event;
      if (inWindow) {
        countedSoft.add(messageKey);
        firstCounted ??= event;
        lastCounted = event;
      }
    }
  }

  const softCount = countedSoft.size;
  const blockCount = countedBlocks.size;
  const base = { softCount, blockCount, lastBounce: latestBounce?.at ?? null, retryAfter: null };

  const suppression = history.suppression;
  if (suppression !== null && suppressionInForce(suppression, nowMs, clearedByOverride)) {
    return {
      ...base,
      list: 'suppressed',
      reason: 'suppressed-manually',
      detail: describeSuppression(suppression),
      source: suppression.origin,
    };
  }
  if (hard !== null) return suppressedBy('hard-bounce', hard, describeEvent(hard), base);
  if (complaint !== null) return suppressedBy('complaint', complaint, describeEvent(complaint), base);
  if (softCount >= config.softLimit && lastCounted !== null && firstCounted !== null) {
    const detail =
      `${softCount} soft bounces since ${day(firstCounted)} (limit ${config.softLimit}): ` +
      `last ${codeOf(lastCounted, ' ')} on ${day(lastCounted)} from ${lastCounted.source}${diagnosticTail(lastCounted)}`;
    return suppressedBy('soft-bounce-limit', lastCounted, detail, base);
  }
  const softRetry = retryTime(lastSoft, config, nowMs);
  if (lastSoft !== null && softRetry !== null) {
    const detail =
      `${describeEventHead(lastSoft)} (${softCount} of ${config.softLimit} toward suppression)` + `${diagnosticTail(lastSoft)}`;
    return retryLater('soft-bounce', lastSoft, detail, softRetry, base);
  }
  const blockRetry = retryTime(lastBlock, config, nowMs);
  if (lastBlock !== null && blockRetry !== null) {
    // A feedback report of the receiving system (DMARC failure, virus) is about the message too.
    const about =
      lastBlock.reason === 'feedback'
        ? 'the receiving system reported your message (an authentication failure or virus report), not the address'
        : 'the receiving server refused the sender, not the address';
    const detail = `${describeEventHead(lastBlock)}: ${about}` + `${diagnosticTail(lastBlock)}`;
    return retryLater('sender-blocked', lastBlock, detail, blockRetry, base);
  }
  return { ...CLEAN, ...base };
}

/**
 * One event as a sentence: "hard bounce (userunknown, 5.1.1) on 2026-11-20 from
 * bounces/mail.log:1234: 550 5.1.1 user unknown" (remote text cut to about 200 characters).
 */
export function describeEvent(event: HistoryEvent): string {
  return `${describeEventHead(event)}${diagnosticTail(event)}`;
}

function describeEventHead(event: HistoryEvent): string {
  return `${CLASS_LABEL[event.class]} (${codeOf(event, ', ')}) on ${day(event)} from ${event.source}`;
}

function describeSuppression(entry: SuppressionEntry): string {
  const since = entry.at === null ? '' : ` since ${entry.at.slice(0, 10)}`;
  const note = entry.note === null ? '' : `: ${cleanText(entry.note)}`;
  return `on the suppression list (${entry.reason})${since} from ${entry.origin}${note}`;
}

function suppressedBy(
  reason: DecisionReason,
  event: HistoryEvent,
  detail: string,
  base: Pick<Decision, 'softCount' | 'blockCount'>,
): Decision {
  return decidedBy('suppressed', reason, event, detail, null, base);
}

function retryLater(
  reason: DecisionReason,
  event: HistoryEvent,
  detail: string,
  retryAfter: number,
  base: Pick<Decision, 'softCount' | 'blockCount'>,
): Decision {
  const retryAfterIso = new Date(retryAfter).toISOString();
  return decidedBy('retry-later', reason, event, `${detail}; retry after ${retryAfterIso}`, retryAfterIso, base);
}

/**
 * A decision an event made. One whole literal, in the order a spread of `base` used to give: V8
 * builds a spread whose fields are then overridden many times slower, and a big list decides
 * this per address.
 */
function decidedBy(
  list: 'suppressed' | 'retry-later',
  reason: DecisionReason,
  event: HistoryEvent,
  detail: string,
  retryAfter: string | null,
  base: Pick<Decision, 'softCount' | 'blockCount'>,
): Decision {
  return {
    softCount: base.softCount,
    blockCount: base.blockCount,
    lastBounce: event.at,
    retryAfter,
    list,
    reason,
    detail,
    source: event.source,
  };
}

/** The retry time, or null once it has passed (now = last + delay exactly is already past). */
function retryTime(event: HistoryEvent | null, config: PolicyConfig, nowMs: number): number | null {
  if (event === null || event.time === null) return null;
  const retryAfter = event.time + config.retryDelayMs;
  return nowMs < retryAfter ? retryAfter : null;
}

function suppressionInForce(entry: SuppressionEntry, nowMs: number, clearedByOverride: (time: number) => boolean): boolean {
  const parsed = entry.at === null ? Number.NaN : Date.parse(entry.at);
  const time = Number.isNaN(parsed) ? UNKNOWN_TIME : parsed;
  return time <= nowMs && !clearedByOverride(time);
}

/**
 * The time of the latest unsuppress in force at `now`, or null. Undoing the latest override
 * brings back the state before it, which may still include an earlier override.
 */
function activeUnsuppressTime(overrides: readonly UnsuppressOverride[], nowMs: number): number | null {
  let latest: number | null = null;
  for (const override of overrides) {
    const at = Date.parse(override.at);
    if (Number.isNaN(at) || at > nowMs) continue;
    if (override.undoneAt !== null && Date.parse(override.undoneAt) <= nowMs) continue;
    if (latest === null || at > latest) latest = at;
  }
  return latest;
}

/** Events up to `now` (the list is sorted, unknown times first). */
function knownBy(events: readonly HistoryEvent[], nowMs: number): readonly HistoryEvent[] {
  let end = events.length;
  while (end > 0 && events[end - 1]!.time !== null && events[end - 1]!.time! > nowMs) end--;
  return end === events.length ? events : events.slice(0, end);
}

function latestTime(events: readonly HistoryEvent[], cls: BounceClass): number | null {
  let latest: number | null = null;
  for (const event of events) {
    if (event.class !== cls) continue;
    const time = event.time ?? UNKNOWN_TIME;
    if (latest === null || time > latest) latest = time;
  }
  return latest;
}

function codeOf(event: HistoryEvent, separator: string): string {
  const code = event.status ?? event.smtpCode;
  return code === null ? event.reason : `${event.reason}${separator}${code}`;
}

function day(event: HistoryEvent): string {
  return event.time === null ? 'an unknown date' : new Date(event.time).toISOString().slice(0, 10);
}

function diagnosticTail(event: HistoryEvent): string {
  return event.diagnostic === null || event.diagnostic.trim() === '' ? '' : `: ${cleanText(event.diagnostic)}`;
}

// Remote text is hostile: cut it before any regular expression runs, keep it on one line.
function cleanText(text: string): string {
  const oneLine = text
    .slice(0, 4096)
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return oneLine.length > DIAGNOSTIC_MAX ? `${oneLine.slice(0, DIAGNOSTIC_MAX - 1)}…` : oneLine;
}
