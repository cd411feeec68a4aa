import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { suggestDomain } from '../../src/address/typo.js';
import { requireCorpus } from '../corpus.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/corpus/typo');
const casesFile = path.join(corpusDir, 'cases.json');

interface TypoCase {
  address: string;
  expected: string | null;
  kind: 'domain-typo' | 'no-suggestion' | 'repair' | 'normalize';
  generic?: boolean;
  tags?: string[];
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const percent = (part: number, whole: number) => (whole === 0 ? 0 : (100 * part) / whole);

describe.skipIf(!requireCorpus(casesFile, 'typo corpus (shared/corpus/typo)'))('typo corpus (shared/corpus/typo)', () => {
  // `repair` and `normalize` cases belong to the syntax check; only domain cases are measured here.
  // The body of a skipped describe still runs: read the corpus only where it exists.
  const all = existsSync(casesFile) ? (JSON.parse(readFileSync(casesFile, 'utf8')) as TypoCase[]) : [];
  const cases = all.filter((c) => c.kind === 'domain-typo' || c.kind === 'no-suggestion');
  const typos = cases.filter((c) => c.kind === 'domain-typo');
  const realDomains = cases.filter((c) => c.kind === 'no-suggestion');

  const fixed: string[] = [];
  const wrongFixes: string[] = [];
  const missed: string[] = [];
  for (const c of typos) {
    const domain = domainOf(c.address);
    const expected = domainOf(c.expected!);
    const { suggestion, why } = suggestDomain(domain);
    const tags = [...(c.tags ?? []), ...(c.generic === false ? ['custom-list'] : [])];
    const label = `${domain} -> ${suggestion ?? '(none)'}, expected ${expected}${tags.length ? ` [${tags.join(',')}]` : ''}`;
    if (suggestion === expected) fixed.push(`${domain}: ${why}`);
    else if (suggestion === null) missed.push(label);
    else wrongFixes.push(label);
  }
  const falseSuggestions = realDomains
    .map((c) => domainOf(c.address))
    .flatMap((domain) => {
      const { suggestion, why } = suggestDomain(domain);
      return suggestion === null ? [] : [`${domain} -> ${suggestion} (${why})`];
    });

  const fixedRate = percent(fixed.length, typos.length);
  const wrongRate = percent(wrongFixes.length, typos.length);
  const falseRate = percent(falseSuggestions.length, realDomains.length);

  it('reports the measured figures', () => {
    const lines = [
      `typo corpus: ${typos.length} misspelt domains, ${realDomains.length} real domains`,
      `  typo fixed:        ${fixed.length}/${typos.length} = ${fixedRate.toFixed(1)}%`,
      `  wrong fix:         ${wrongFixes.length}/${typos.length} = ${wrongRate.toFixed(1)}%`,
      `  false suggestions: ${falseSuggestions.length}/${realDomains.length} = ${falseRate.toFixed(1)}%`,
      ...wrongFixes.map((line) => `  wrong fix: ${line}`),
      ...missed.map((line) => `  missed:    ${line}`),
      ...falseSuggestions.map((line) => `  false:     ${line}`),
    ];
    console.log(lines.join('\n'));
    expect(typos.length + realDomains.length).toBeGreaterThan(0);
  });

  // Floors just under what the rules reach on this half (93.8% fixed, 0 wrong, 0 false); the
  // targets of the issue are >= 85% fixed and <= 2% false suggestions.
  it('fixes most misspelt popular domains', () => {
    expect(fixedRate).toBeGreaterThanOrEqual(92);
  });

  it('rarely suggests a wrong domain', () => {
    expect(wrongRate).toBeLessThanOrEqual(1);
  });

  it('almost never "corrects" a real domain', () => {
    expect(falseRate).toBeLessThanOrEqual(1);
  });
});
