import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSyntax } from '../../src/address/syntax.js';
import { requireCorpus } from '../corpus.js';

interface Case {
  address: string;
  valid: boolean;
  reason: string;
  tags: string[];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const casesFile = path.resolve(repoRoot, '../shared/corpus/syntax/cases.json');

/** Raise when the checker improves; it guards against regressions on the labelled half. */
const AGREEMENT_FLOOR = 0.97;

describe.skipIf(!requireCorpus(casesFile, 'syntax check against the labelled corpus'))('syntax check against the labelled corpus', () => {
  it('agrees with the labelled verdicts', () => {
    const cases = JSON.parse(readFileSync(casesFile, 'utf8')) as Case[];
    const disagreements = cases.filter((entry) => checkSyntax(entry.address).valid !== entry.valid);
    const agree = cases.length - disagreements.length;
    const share = agree / cases.length;
    console.log(`syntax corpus: ${agree}/${cases.length} = ${(share * 100).toFixed(1)}% agree`);
    for (const entry of disagreements) {
      const result = checkSyntax(entry.address);
      console.log(
        `  ${JSON.stringify(entry.address)}: label ${entry.valid ? 'valid' : `invalid (${entry.reason})`}, ` +
          `checker ${result.valid ? 'valid' : `invalid (${result.code}: ${result.detail})`}`,
      );
    }
    expect(share).toBeGreaterThanOrEqual(AGREEMENT_FLOOR);
  });

  it('never suggests a repair that is itself invalid', () => {
    const cases = JSON.parse(readFileSync(casesFile, 'utf8')) as Case[];
    for (const entry of cases) {
      const { suggestion } = checkSyntax(entry.address);
      if (suggestion !== null) expect(checkSyntax(suggestion).valid, suggestion).toBe(true);
    }
  });
});
