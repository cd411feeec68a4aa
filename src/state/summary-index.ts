import type { AddressSummary } from './event-table.js';

const NONE = Number.NaN;

/**
 * The summaries of many addresses, kept compactly: the keys in one Map, the columns in typed
 * arrays (a quarter of a million summaries as objects would cost several times the memory).
 */
export class SummaryIndex {
  private readonly rows = new Map<string, number>();
  private ids = new Float64Array(1024);
  private deliveries = new Float64Array(1024);
  private bounces = new Float64Array(1024);
  private flags = new Int32Array(1024);

  get size(): number {
    return this.rows.size;
  }

  set(key: string, summary: AddressSummary): void {
    let row = this.rows.get(key);
    if (row === undefined) {
      row = this.rows.size;
      if (row === this.ids.length) this.grow();
      this.rows.set(key, row);
    }
    this.ids[row] = summary.id;
    this.deliveries[row] = summary.lastDelivery ?? NONE;
    this.bounces[row] = summary.lastBounce ?? NONE;
    this.flags[row] = summary.flags;
  }

  get(key: string): AddressSummary | undefined {
    const row = this.rows.get(key);
    if (row === undefined) return undefined;
    const delivery = this.deliveries[row]!;
    const bounce = this.bounces[row]!;
    return {
      id: this.ids[row]!,
      lastDelivery: Number.isNaN(delivery) ? null : delivery,
      lastBounce: Number.isNaN(bounce) ? null : bounce,
      flags: this.flags[row]!,
    };
  }

  private grow(): void {
    const size = this.ids.length * 2;
    const grown = <T extends Float64Array | Int32Array>(from: T, to: T): T => {
      to.set(from);
      return to;
    };
    this.ids = grown(this.ids, new Float64Array(size));
    this.deliveries = grown(this.deliveries, new Float64Array(size));
    this.bounces = grown(this.bounces, new Float64Array(size));
    this.flags = grown(this.flags, new Int32Array(size));
  }
}
