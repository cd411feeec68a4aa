import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAddress } from '../../src/address/check.js';
import { requireCorpus } from '../corpus.js';

// The shared typo corpus measured through the whole address check (syntax repairs + typo),
// as a user sees it in hygiene_suggestion. Skipped where the corpus is absent.
const corpus = path.resolve(__dirname, '../../../shared/corpus/typo/cases.json');

interface TypoCase {
  address: string;
  expected: string | null;
  kind: 'domain-typo' | 'no-suggestion' | 'repair' | 'normalize';
}

/** What a user gets: the suggestion, or the address itself (domain case folded) when it is fine. */
function outcome(address: string): string | null {
  const check = checkAddress(address);
  if (check.suggestion !== null) return check.suggestion;
  if (check.reason === 'invalid-syntax') return null;
  const at = address.lastIndexOf('@');
  return `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`;
}

describe.skipIf(!requireCorpus(corpus, 'address check on the shared typo corpus'))('address check on the shared typo corpus', () => {
  const cases = existsSync(corpus) ? (JSON.parse(readFileSync(corpus, 'utf8')) as TypoCase[]) : [];

  it('fixes typos and repairs, and leaves real domains alone', () => {
    const byKind = new Map<string, { agree: number; total: number; misses: string[] }>();
    let falseSuggestions = 0;
    for (const c of cases) {
      const ours = outcome(c.address);
      const expected = c.kind === 'no-suggestion' ? (outcome(c.address) === null ? null : c.address) : c.expected;
      const entry = byKind.get(c.kind) ?? { agree: 0, total: 0, misses: [] };
      entry.total++;
      if (c.kind === 'no-suggestion') {
        const suggested = checkAddress(c.address).suggestion !== null;
        if (suggested) falseSuggestions++;
        if (!suggested) entry.agree++;
        else entry.misses.push(`${c.address} -> ${ours}`);
      } else if (ours === expected) {
        entry.agree++;
      } else {
        entry.misses.push(`${JSON.stringify(c.address)} -> ${JSON.stringify(ours)} (expected ${JSON.stringify(expected)})`);
      }
      byKind.set(c.kind, entry);
    }
    for (const [kind, { agree, total, misses }] of byKind) {
      console.log(`check corpus ${kind}: ${agree}/${total} = ${((agree / total) * 100).toFixed(1)}%`);
      for (const miss of misses) console.log(`  ${miss}`);
    }
    const typo = byKind.get('domain-typo')!;
    const real = byKind.get('no-suggestion')!;
    expect(typo.agree / typo.total).toBeGreaterThanOrEqual(0.9);
    expect(falseSuggestions / real.total).toBeLessThanOrEqual(0.02);
  });
});
