/**
 * A bounded memo of classifications. Big MTA logs repeat the same reply thousands of times
 * (a deferral retried every few minutes, one provider's refusal sent to many recipients); with
 * addresses and IPs masked (maskNames) those are one input, classified once.
 *
 * Bounded in entries and in key length; when full, the oldest entry goes (insertion order), so
 * memory stays flat on logs with endless distinct texts.
 */
export class BoundedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly maxEntries: number,
    /** Keys longer than this are not kept (one long text would crowd out many short ones). */
    readonly maxKeyLength: number,
  ) {}

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    if (key.length > this.maxKeyLength) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, value);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
