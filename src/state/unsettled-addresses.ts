import type { AddressSummary, HistoryStore } from './history-store.js';
import { SummaryIndex } from './summary-index.js';
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

/** Addresses read per step of a pass made between lookups (one page of the store's walk). */
const PASS_STEP = 5_000;

/** The addresses of a list whose summaries do not settle them as clean (see `summarySaysCleaned`). */
export class UnsettledAddresses {
  private all: SummaryIndex | null = null;
  private asked = 0;
  private scanAfter: number;
  /** A pass made a step at a time (`passInSteps`): the walk, and what it has read so far. */
  private pass: { walk: Iterator<[string, AddressSummary]>; index: SummaryIndex } | null = null;

  constructor(
    private readonly store: HistoryStore,
    private readonly policy: SettlingPolicy,
    private readonly nowMs: number,
    options: {
      scanAfterShare?: number;
      expectedKeys?: number;
      /**
       * Make the pass a step at a time (`readAhead`) between lookups, which are asked per batch
       * until it is done, instead of at once on the first lookup: a thread that answers lookups
       * answers the first ones without first reading the whole history.
       */
      passInSteps?: boolean;
    } = {},
  ) {
    this.scanAfter = store.addressCountEstimate() * (options.scanAfterShare ?? SCAN_AFTER_SHARE);
    // A list known to be that big passes the threshold anyway: the pass then comes first.
    if ((options.expectedKeys ?? 0) > this.scanAfter) {
      this.scanAfter = 0;
      if (options.passInSteps) this.startPass();
    }
  }

  /**
   * The summaries of those of `keys` (history keys) whose events must be read to decide them.
   * A key the result does not have is clean as far as the history goes.
   */
  of(keys: readonly string[]): { get(key: string): AddressSummary | undefined } {
    if (this.all !== null) return this.all;
    if (this.pass === null && this.asked <= this.scanAfter) {
      this.asked += keys.length;
      if (this.asked > this.scanAfter) {
        // The whole pass at once (it gives up when there are more than MAX_KEPT to keep).
        this.startPass();
        while (this.readAhead());
        if (this.all !== null) return this.all;
      }
    }
    return this.store.unsettledSummariesOf(keys, this.policy, this.nowMs);
  }

  private startPass(): void {
    this.pass = { walk: this.store.unsettledSummaries(this.policy, this.nowMs), index: new SummaryIndex() };
  }

  /**
   * Makes one step of a pass made in steps; false when there is nothing more to do (no such
   * pass, or it is done: the lookups are then answered from memory).
   */
  readAhead(): boolean {
    const pass = this.pass;
    if (pass === null) return false;
    for (let read = 0; read < PASS_STEP; read++) {
      const next = pass.walk.next();
      if (next.done) {
        this.all = pass.index;
        this.pass = null;
        return false;
      }
      if (pass.index.size === MAX_KEPT) {
        // Too many to keep: every batch stays a query.
        pass.walk.return?.(undefined);
        this.pass = null;
        this.scanAfter = Number.POSITIVE_INFINITY;
        return false;
      }
      pass.index.set(next.value[0], next.value[1]);
    }
    return true;
  }
}
