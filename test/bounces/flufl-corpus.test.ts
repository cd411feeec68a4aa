/**
 * Real bounces that nobody on this project wrote: the ~110 messages (1999-2020: qmail, Exim,
 * Postfix, Sendmail, Exchange, IMail, MDaemon, Yahoo, ...) that Mailman's flufl.bounce tests its
 * detectors on, with the addresses its tests expect, read from Debian's python3-flufl.bounce where
 * it is installed (skipped with a notice elsewhere: it is not a dependency of the project).
 *
 * What it holds: the recipients found match flufl's expectations on at least the files they
 * matched when this test was written, and every message flufl reads as a temporary failure is
 * soft. Two expectations differ from ours by design and are left out of the exact count's
 * shortfall: an alias Sendmail expanded counts both addresses for flufl (for us the list address
 * is the recipient, the target its finalRecipient), and an auto-reply names nobody for flufl.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BounceRecord } from '../../src/bounces/types.js';
import { classifiedRecords } from '../helpers.js';

const PACKAGE = '/usr/lib/python3/dist-packages/flufl/bounce';
const TABLE = path.join(PACKAGE, 'testing/helpers.py');
const installed = existsSync(TABLE);
if (!installed)
  process.stderr.write(`\n*** NOTICE: ${TABLE} is missing (apt-get install python3-flufl.bounce): flufl tests SKIPPED. ***\n\n`);

interface Expectation {
  addresses: string[];
  temporary: boolean;
}

/** flufl's `DATA` table: file -> the addresses its tests expect, and whether the failure is temporary. */
function expectations(): Map<string, Expectation> {
  const source = readFileSync(TABLE, 'utf8');
  const table = new Map<string, Expectation>();
  for (const entry of source.slice(source.indexOf('DATA = (')).matchAll(/\('(\w+)',\s*'([\w.]+)',\s*\[([^\]]*)\](\s*,\s*True)?/g)) {
    const addresses = [...new Set([...entry[3]!.matchAll(/b'([^']+)'/g)].map((match) => match[1]!.toLowerCase()))].sort();
    // A file listed twice (one detector finds nothing, another finds the address) counts by its finding.
    if (addresses.length > 0 || !table.has(entry[2]!)) table.set(entry[2]!, { addresses, temporary: entry[4] !== undefined });
  }
  return table;
}

function readFile(file: string): Promise<BounceRecord[]> {
  return classifiedRecords(readFileSync(path.join(PACKAGE, 'tests/data', file)).toString('latin1'), file);
}

describe.skipIf(!installed)("flufl.bounce's real bounces", () => {
  it('finds the expected recipients, and reads temporary failures as soft', async () => {
    const table = expectations();
    expect(table.size).toBeGreaterThan(100);
    const misses: string[] = [];
    const notSoft: string[] = [];
    for (const [file, expected] of table) {
      const records = (await readFile(file)).filter((record) => record.class !== 'auto-reply');
      const found = [...new Set(records.map((record) => record.recipient.toLowerCase()))].sort();
      if (found.join() !== expected.addresses.join()) misses.push(`${file}: ${JSON.stringify(found)}`);
      if (expected.temporary && records.some((record) => record.class !== 'soft')) notSoft.push(file);
    }
    // 113 files; 107 matched when written. The six others: an AOL screen name and an LLNL
    // directory reply with no address to complete them from, Sendmail's expanded alias and a
    // quota reply naming a second address (flufl counts both), a redacted `david...@` address
    // flufl's reader refuses, and Yale's directory reply whose example address we take.
    // (Another release of the package may hold more files: the same share of them.)
    expect(misses.length, misses.join('\n')).toBeLessThanOrEqual(Math.max(6, Math.floor((table.size * 6) / 113)));
    expect(notSoft).toEqual([]);
  });
});
