#!/usr/bin/env node
// npm run bench:dsn : accuracy of the bounce-message parser and classifier on the labelled DSN
// corpus (../shared/corpus/dsn, one row per recipient with Sisimai's verdict), and its speed.
// Uses the COMPILED code in dist/ (npm run bench:dsn builds first); mirrors
// test/bounces/dsn-corpus.test.ts. Exits 0 with a note when the corpus is absent.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyBounce, detectStage } from '../dist/bounces/classify/index.js';
import { emlFormat } from '../dist/bounces/formats/eml.js';
import { mboxFormat } from '../dist/bounces/formats/mbox.js';
import { numberLines } from './number-lines.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CORPUS = path.resolve(REPO, '../shared/corpus/dsn');
const ROUNDS = 3;

if (!existsSync(path.join(CORPUS, 'expected.json'))) {
  console.log(`DSN corpus not found at ${CORPUS}: nothing to measure.`);
  process.exit(0);
}

const rows = JSON.parse(readFileSync(path.join(CORPUS, 'expected.json'), 'utf8'));
const files = readdirSync(path.join(CORPUS, 'emails'))
  .filter((name) => name.endsWith('.eml'))
  .map((name) => {
    const file = `emails/${name}`;
    return { file, text: readFileSync(path.join(CORPUS, file)).toString('latin1') };
  });

/** Every file read as hygiene reads it: latin1 lines, format by detection, recipients numbered. */
async function readAll() {
  const ours = new Map();
  for (const { file, text } of files) {
    const sample = text.slice(0, 65536);
    const format = mboxFormat.detect(sample, file) > emlFormat.detect(sample, file) ? mboxFormat : emlFormat;
    let index = 0;
    for await (const item of format.parse(numberLines(text), { file })) {
      if (item.kind !== 'record') continue;
      index++;
      const result = classifyBounce(item.record);
      // Filtered-labelled rows we read as userunknown only because no stage is known count as
      // agreeing (the README's class section): at DATA the same record reads filtered.
      const byStageDecision =
        result.reason === 'userunknown' &&
        detectStage(item.record) === null &&
        classifyBounce({ ...item.record, command: 'DATA' }).reason === 'filtered';
      ours.set(`${file}#${index}`, { ...result, byStageDecision, diagnostic: item.record.diagnostic });
    }
  }
  return ours;
}

let ours = await readAll();
let best = Infinity;
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now();
  ours = await readAll();
  best = Math.min(best, performance.now() - started);
}

let reasonAgree = 0;
let hardAgree = 0;
const disagreements = [];
for (const row of rows) {
  const mine = ours.get(`${row.file}#${row.index}`);
  const hard = mine?.class === 'hard';
  const decided = mine?.byStageDecision === true && row.reason === 'filtered';
  if (mine?.reason === row.reason || decided) reasonAgree++;
  if ((mine && hard === row.hard) || decided) hardAgree++;
  if (!decided && (!mine || mine.reason !== row.reason || hard !== row.hard)) {
    const what = mine ? `${mine.reason}/${mine.class} ${mine.status ?? '-'}` : 'MISSING';
    const text = mine?.diagnostic ? ` | ${mine.diagnostic.replace(/\s+/g, ' ').slice(0, 120)}` : '';
    disagreements.push(`  ${row.file}#${row.index}: ours ${what}, label ${row.reason}/${row.hard ? 'hard' : 'not-hard'}${text}`);
  }
}

const percent = (count) => `${((count / rows.length) * 100).toFixed(1)}%`;
console.log(`DSN corpus: ${files.length} messages, ${rows.length} labelled recipients`);
console.log(`reason agreement     ${percent(reasonAgree)} (${reasonAgree}/${rows.length})   target >= 93%`);
console.log(`hard-flag agreement  ${percent(hardAgree)} (${hardAgree}/${rows.length})   target >= 98%`);
console.log(`speed                ${Math.round((files.length / best) * 1000)} messages/s (parse + classify, best of ${ROUNDS})`);
if (disagreements.length > 0) console.log(`disagreements (${disagreements.length}):\n${disagreements.join('\n')}`);
