import type { AddressSummary, HistoryStore } from './history-store.js';
import type { SummaryIndex } from './summary-index.js';
import type { SettlingPolicy } from '../policy/history-model.js';

/**
 * A list is checked against the history in batches. Per batch, the database looks up each
 * address (about 2.5 µs each on a cold cache, history of a million addresses); one pass over all
 * addresses costs about 0.5 µs per address, after which each key is a lookup in memory. So once a
 * list has asked about a tenth as many addresses as the history holds, the unsettled addresses of
 * the whole history are read in one pass and the rest of the list is answered from memory: a
 * small list never pays for a big history, and a list that ends just after the switch pays about
 * one pass more than it would have asked per batch.
 */
const SCAN_AFTER_SHARE = 0.1;
/** At most this many summaries are kept (about 100 bytes each); with more, every batch is asked. */
const MAX_KEPT = 500_000;

/** The addresses of a list whose summaries do not settle them as clean (see `summarySaysCleaned`). */
export class UnsettledAddresses {
  private all: SummaryIndex | null = null;
  private asked = 0;
  private readonly scanAfter: number;

  constructor(
    private readonly store: HistoryStore,
    private readonly policy: SettlingPolicy,
    private readonly nowMs: number,
    options: { scanAfterShare?: number; expectedKeys?: number } = {},
  ) {
    this.scanAfter = store.addressCountEstimate() * (options.scanAfterShare ?? SCAN_AFTER_SHARE);
    // A list known to be that big passes the threshold anyway: the pass then comes first.
    if ((options.expectedKeys ?? 0) > this.scanAfter) this.scanAfter = 0;
  }

  /**
   * The summaries of those of `keys` (history keys) whose events must be read to decide them.
   * A key the result does not have is clean as far as the history goes.
   */
  of(keys: readonly string[]): { get(key: string): AddressSummary | undefined } {
    if (this.all !== null) return this.all;
    if (this.asked <= this.scanAfter) {
      this.asked += keys.length;
      if (this.asked > this.scanAfter) {
        this.all = this.store.allUnsettledSummaries(this.policy, this.nowMs, MAX_KEPT);
        if (this.all !== null) return this.all;
      }
    }
    return this.store.unsettledSummariesOf(keys, this.policy, this.nowMs);
  }
}
