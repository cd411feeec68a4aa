/**
 * The history's verdicts for a list's addresses, straight from the database: what `clean` asks
 * per batch of rows, on the main thread or on a thread of its own (history-verdicts-thread.ts).
 */
import { decide, type PolicyConfig } from '../policy/decide.js';
import { historyKey, summarySaysCleaned, type AddressHistory } from '../policy/history-model.js';
import type { AddressSummary, HistoryStore } from '../state/history-store.js';
import { digestOf } from '../state/summary-digest.js';
import { UnsettledAddresses } from '../state/unsettled-addresses.js';
import type { HistoryVerdict } from './clean.js';

/** The verdict of one address's history, or null when it leaves the address clean. */
export function verdictOf(history: AddressHistory | undefined, policy: PolicyConfig, now: Date): HistoryVerdict | null {
  if (!history) return null;
  const decision = decide(history, policy, now);
  if (decision.list === 'cleaned') return null;
  return {
    list: decision.list,
    reason: decision.reason,
    detail: decision.detail,
    source: decision.source,
    softCount: decision.softCount,
    lastBounce: decision.lastBounce,
    retryAfter: decision.retryAfter,
  };
}

/** Verdicts of many addresses at once, from the history database. */
export interface StoreVerdictLookup {
  lookUp(addresses: readonly string[]): Array<HistoryVerdict | null>;
  /**
   * With `passInSteps`: reads a little more of the history's unsettled addresses; false when
   * there is nothing more to read. A thread calls it while no lookup waits.
   */
  readAhead(): boolean;
}

/**
 * Looks up many addresses at once: the database hands back only those its summaries do not
 * settle, and only their events are read (in the order they are stored: neighbours share pages).
 */
export function storeVerdictLookup(
  store: HistoryStore,
  policy: PolicyConfig,
  now: Date,
  options: {
    /** About how many addresses will be asked (the list's estimated rows), when known. */
    expectedKeys?: number;
    /** A big list's pass over the history is made in steps, by `readAhead` (see UnsettledAddresses). */
    passInSteps?: boolean;
  } = {},
): StoreVerdictLookup {
  const nowMs = now.getTime();
  const unsettled = new UnsettledAddresses(store, policy, nowMs, options);
  return {
    lookUp(addresses) {
      const keys = addresses.map(historyKey);
      const summaries = unsettled.of(keys);
      const verdicts: Array<HistoryVerdict | null> = new Array<HistoryVerdict | null>(keys.length).fill(null);
      const undecided: Array<{ index: number; summary: AddressSummary }> = [];
      keys.forEach((key, index) => {
        const summary = summaries.get(key);
        if (summary !== undefined && !summarySaysCleaned(digestOf(summary), policy, nowMs)) undecided.push({ index, summary });
      });
      undecided.sort((a, b) => a.summary.id - b.summary.id);
      for (const { index, summary } of undecided)
        verdicts[index] = verdictOf(store.decisiveHistory(keys[index]!, summary, nowMs), policy, now);
      return verdicts;
    },
    readAhead: () => unsettled.readAhead(),
  };
}
