/**
 * The classifier on ../shared/corpus/cws: real bounces, many of them older non-DSN formats, with
 * weak labels (the status code a PHP bounce handler put in the file name). Skips when the corpus
 * is absent. What it holds: every record read from a bounce file gets a class (none stays
 * undetermined), and every 5.1.1-named file that yields records is hard, except the files listed
 * below where we are sure the weak label is wrong.
 * (Whether every file yields a recipient is the parsers' matter, tested with them.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BounceRecord } from '../../src/bounces/types.js';
import { classifiedRecords } from '../helpers.js';
import { requireCorpus } from '../corpus.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const corpus = path.resolve(here, '../../../shared/corpus/cws');
const labelsFile = path.join(corpus, 'labels.tsv');

/**
 * Yahoo's `554 delivery error: dd Sorry your message to x cannot be delivered. This account has
 * been disabled or discontinued [#102]`: the handler named these 5.1.1, but the reply says the
 * mailbox is disabled, not unknown. We read it as `suspend` (soft, escalates to suppression
 * after repeated refusals), as the DSN corpus's labels do for the same reply (lhost-postfix-52,
 * lhost-x2-02#2) and as the class table decides for disabled mailboxes.
 */
const DISABLED_NOT_UNKNOWN = new Set(['bounce_511_018.eml', 'bounce_511_022.eml', 'bounce_511_025.eml', 'bounce_511_041.eml']);

function readFile(file: string): Promise<BounceRecord[]> {
  return classifiedRecords(readFileSync(path.join(corpus, 'emails', file)).toString('latin1'), file);
}

describe.skipIf(!requireCorpus(labelsFile, 'cws corpus: classes of real older-format bounces'))(
  'cws corpus: classes of real older-format bounces',
  () => {
    it('no record stays undetermined, and 5.1.1-named files are hard', async () => {
      const labels = readFileSync(labelsFile, 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split('\t'));
      const undetermined: string[] = [];
      const notHard: string[] = [];
      let named511 = 0;
      let hard511 = 0;
      for (const [file, kind, status] of labels) {
        if (kind !== 'bounce') continue;
        const records = await readFile(file!);
        for (const record of records) {
          if (record.class === 'undetermined') undetermined.push(`${file}: ${record.reason} | ${record.diagnostic?.slice(0, 100)}`);
        }
        if (status !== '5.1.1' || records.length === 0) continue;
        named511++;
        if (records.every((record) => record.class === 'hard')) hard511++;
        else if (!DISABLED_NOT_UNKNOWN.has(file!)) notHard.push(`${file}: ${records.map((r) => `${r.reason}/${r.class}`).join(', ')}`);
        else
          expect(
            records.map((record) => record.reason),
            file,
          ).toContain('suspend');
      }
      console.log(
        `cws corpus: ${hard511}/${named511} 5.1.1-named files with records are hard; ${undetermined.length} undetermined records`,
      );
      expect(undetermined).toEqual([]);
      expect(notHard).toEqual([]);
    });
  },
);
