/**
 * Ordinary mail that nobody on this project wrote: the 2,403 "ham" messages of the SpamAssassin
 * public corpus (2002: mailing lists, newsletters, replies, a few real bounces among them), as
 * Debian's golang-github-gatherstars-com-jwz-dev ships them for its own tests. Skipped with a
 * notice where that package is not installed: it is not a dependency of the project.
 *
 * A bounce mailbox receives such mail too (replies, list traffic, newsletters), and a failure
 * read from it would suppress a good address or blame a list. What it holds: only the three real
 * bounces in it give records, each with the class its words say; every other message is passed
 * over (or, for a few files that are not messages at all, listed as unparsed).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifiedRecords } from '../helpers.js';

const HAM = '/usr/share/gocode/src/github.com/gatherstars-com/jwz/test/testdata/ham';
const installed = existsSync(HAM);
if (!installed)
  process.stderr.write(
    `\n*** NOTICE: ${HAM} is missing (apt-get install golang-github-gatherstars-com-jwz-dev): ordinary-mail tests SKIPPED. ***\n\n`,
  );

/** The real bounces in the corpus (file-name prefix) and what each says. */
const BOUNCES: Record<string, { recipient: string; class: string; reason: string }> = {
  '1530': { recipient: 'casimir@tgsnopec.com', class: 'soft', reason: 'expired' }, // a delay warning
  '1601': { recipient: 'matt_relay@sbcglobal.net', class: 'hard', reason: 'userunknown' }, // "Unable to find user"
  '1641': { recipient: 'daz@jpci.net', class: 'block', reason: 'policyviolation' }, // a word filter
};

describe.skipIf(!installed)('ordinary mail (SpamAssassin ham corpus)', () => {
  it('gives records only for the real bounces among 2,403 messages', async () => {
    const files = readdirSync(HAM).sort();
    expect(files.length).toBeGreaterThan(2000);
    const found: Record<string, { recipient: string; class: string; reason: string }[]> = {};
    for (const file of files) {
      const records = await classifiedRecords(readFileSync(path.join(HAM, file)).toString('latin1'), file);
      if (records.length > 0) {
        found[file.slice(0, 4)] = records.map((record) => ({ recipient: record.recipient, class: record.class, reason: record.reason }));
      }
    }
    expect(found).toEqual(Object.fromEntries(Object.entries(BOUNCES).map(([file, record]) => [file, [record]])));
  }, 120_000);
});
