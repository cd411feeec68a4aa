/**
 * Matchers built once from the phrase tables: provider texts, then reason phrases, then the
 * vague "weak" phrases. Each returns the reason of the earliest table row found in the text.
 */
import type { BounceReason } from '../types.js';
import { PhraseMatcher } from './phrase-matcher.js';
import { PROVIDER_RULES } from './providers.js';
import { FILTER_CAUSE_PHRASES } from './reasons/filtered.js';
import { REASONS_IN_ORDER } from './reasons/index.js';

interface RankedTable {
  matcher: PhraseMatcher;
  reasons: readonly BounceReason[];
  /** Patterns with the rank of their row, tried only when they could beat the phrase found. */
  patterns: ReadonlyArray<readonly [RegExp, number]>;
}

function build(rows: ReadonlyArray<readonly [string | RegExp, BounceReason]>): RankedTable {
  const phrases: Array<[string, number]> = [];
  const patterns: Array<[RegExp, number]> = [];
  const reasons: BounceReason[] = [];
  rows.forEach(([match, reason], rank) => {
    reasons.push(reason);
    if (typeof match === 'string') phrases.push([match, rank]);
    else patterns.push([match, rank]);
  });
  return { matcher: new PhraseMatcher(phrases), reasons, patterns };
}

function lookup(table: RankedTable, text: string): BounceReason | null {
  if (text === '') return null;
  let rank = table.matcher.best(text);
  for (const [pattern, patternRank] of table.patterns) {
    if (rank !== -1 && patternRank >= rank) break;
    if (pattern.test(text)) {
      rank = patternRank;
      break;
    }
  }
  return rank === -1 ? null : table.reasons[rank]!;
}

interface Tables {
  providers: RankedTable;
  strong: RankedTable;
  weak: RankedTable;
}

let tables: Tables | null = null;

/** Built at the first classification, not at import: most runs of the CLI classify nothing. */
function built(): Tables {
  tables ??= {
    providers: build(PROVIDER_RULES.map(([match, reason]) => [match, reason] as const)),
    /**
     * Rows ranked by table order, so an earlier table's phrase beats a later one's (a reason may
     * have more than one table: the sender's limits rank apart from the other rate limits).
     */
    strong: build(
      REASONS_IN_ORDER.flatMap((table) => [
        ...table.phrases.map((phrase) => [phrase, table.reason] as const),
        ...(table.patterns ?? []).map((pattern) => [pattern, table.reason] as const),
      ]),
    ),
    weak: build(REASONS_IN_ORDER.flatMap((table) => (table.weakPhrases ?? []).map((phrase) => [phrase, table.reason] as const))),
  };
  return tables;
}

export function providerReason(text: string): BounceReason | null {
  return lookup(built().providers, text);
}

export function phraseReason(text: string): BounceReason | null {
  return lookup(built().strong, text);
}

export function weakPhraseReason(text: string): BounceReason | null {
  return lookup(built().weak, text);
}

const FILTER_CAUSES = new PhraseMatcher(FILTER_CAUSE_PHRASES.map((phrase) => [phrase, 0] as const));

/** Whether the text names a policy, filter or spam cause (see FILTER_CAUSE_PHRASES). */
export function filterCauseInText(text: string): boolean {
  if (text === '') return false;
  // Addresses and links are names, not causes (`filtered@example.org`, `.../policies`).
  const words = text.replace(/\S{0,200}(?:@|:\/\/)\S{0,200}/g, ' ');
  return FILTER_CAUSES.best(words) !== -1;
}
