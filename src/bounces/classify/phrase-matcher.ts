/**
 * Finds which of many fixed phrases occur in a text in one pass (Aho-Corasick). Each phrase has
 * a rank; `best` returns the lowest rank that occurs. Matching is linear in the text whatever
 * the text holds, which keeps hostile diagnostics cheap on the hot path.
 */
export class PhraseMatcher {
  private readonly next: Array<Map<number, number>> = [new Map()];
  private readonly fail: number[] = [0];
  /** Lowest rank of a phrase ending at this node or at any of its suffix nodes. */
  private readonly rank: number[] = [Infinity];

  constructor(phrases: ReadonlyArray<readonly [phrase: string, rank: number]>) {
    for (const [phrase, rank] of phrases) this.add(phrase, rank);
    this.link();
  }

  /** The lowest rank among phrases found in `text`, or -1 when none occurs. */
  best(text: string): number {
    let state = 0;
    let best = Infinity;
    for (let i = 0; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      let target = this.next[state]!.get(ch);
      while (target === undefined && state !== 0) {
        state = this.fail[state]!;
        target = this.next[state]!.get(ch);
      }
      state = target ?? 0;
      const rank = this.rank[state]!;
      if (rank < best) best = rank;
    }
    return best === Infinity ? -1 : best;
  }

  private add(phrase: string, rank: number): void {
    if (phrase === '') return;
    let state = 0;
    for (let i = 0; i < phrase.length; i++) {
      const ch = phrase.charCodeAt(i);
      let target = this.next[state]!.get(ch);
      if (target === undefined) {
        target = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.rank.push(Infinity);
        this.next[state]!.set(ch, target);
      }
      state = target;
    }
    this.rank[state] = Math.min(this.rank[state]!, rank);
  }

  private link(): void {
    const queue: number[] = [];
    for (const child of this.next[0]!.values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head]!;
      for (const [ch, child] of this.next[state]!) {
        let fallback = this.fail[state]!;
        while (fallback !== 0 && !this.next[fallback]!.has(ch)) fallback = this.fail[fallback]!;
        const target = this.next[fallback]!.get(ch);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        this.rank[child] = Math.min(this.rank[child]!, this.rank[this.fail[child]!]!);
        queue.push(child);
      }
    }
  }
}
