import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/**
 * Whether a file of the shared corpus (../shared beside the clone) is there. Where it is not,
 * the tests that need it are skipped with a loud notice, and under CI (CI set) a failing test
 * says so: a CI run that silently skips its accuracy tests proves nothing.
 */
export function requireCorpus(file: string, suite: string): boolean {
  if (existsSync(file)) return true;
  process.stderr.write(
    `\n*** NOTICE: ${suite}: ${file} is missing; these corpus tests are SKIPPED. ***\n*** The shared corpus is expected as ../shared beside the clone. ***\n\n`,
  );
  if (process.env.CI) {
    describe(suite, () => {
      it('needs the shared corpus under CI', () => {
        throw new Error(`${file} is missing: CI must run with ../shared beside the clone`);
      });
    });
  }
  return false;
}
