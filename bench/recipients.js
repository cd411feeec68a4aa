#!/usr/bin/env node
// npm run bench:recipients : does every bounce message yield the recipient the report says
// failed? Reads ../shared/corpus/dsn and ../shared/corpus/cws with the COMPILED reader (dist/,
// the same path as `hygiene classify`), asks Sisimai (bench/sisimai-recipients.pl, Debian's
// libsisimai-perl) for its recipients of the same files, and scores both against the truth:
// where the two agree, their answer; where they disagree, the hand-checked answer in
// bench/recipient-truth.json (a message whose truth is not recorded there is listed, unscored).
// Neither corpus has recipient labels of its own. Exits 0 with a note when a corpus is absent.
// A third set, written by nobody on this project: the ~110 real bounces (1999-2020, qmail,
// Exim, Postfix, Sendmail, Exchange, IMail, MDaemon, Yahoo, ...) that Mailman's flufl.bounce
// tests its detectors on, with the addresses its tests expect (Debian's python3-flufl.bounce;
// skipped with a note when it is not installed). Its expectations differ from ours by design in
// two places: an expanded alias counts both addresses (ours: the list address, the target in
// finalRecipient), and an auto-reply names nobody (ours: its sender, class auto-reply, left out).
//   node bench/recipients.js [--verbose]     lists every disagreement with both answers
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { emptyReadStats } from '../dist/pipeline/read-bounces.js';
import { parseBounces } from '../dist/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = path.resolve(REPO, '../shared/corpus');
const CORPORA = ['dsn', 'cws'];
const verbose = process.argv.includes('--verbose');
const { _comment, ...truth } = JSON.parse(readFileSync(path.join(REPO, 'bench/recipient-truth.json'), 'utf8'));

const lower = (values) => [...new Set(values.map((value) => value.toLowerCase()))].sort();

async function ours(file, { withAutoReplies = true } = {}) {
  const stats = emptyReadStats();
  const recipients = [];
  try {
    for await (const record of parseBounces(createReadStream(file), { file, stats })) {
      if (withAutoReplies || record.class !== 'auto-reply') recipients.push(record.recipient);
    }
  } catch (error) {
    return { recipients: [], problem: error.message.split('\n')[0] };
  }
  return { recipients: lower(recipients), problem: stats.problems[0]?.message ?? null };
}

function sisimai(files) {
  const run = spawnSync('perl', [path.join(REPO, 'bench/sisimai-recipients.pl'), ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) return null;
  return new Map(JSON.parse(run.stdout).map((entry) => [entry.file, lower(entry.records.map((record) => record.recipient))]));
}

function score(found, expected) {
  const right = found.filter((address) => expected.includes(address)).length;
  return { right, found: found.length, expected: expected.length };
}

const percent = (part, whole) => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

for (const corpus of CORPORA) {
  const folder = path.join(SHARED, corpus, 'emails');
  if (!existsSync(folder)) {
    console.log(`${corpus}: corpus not found at ${folder}, skipped`);
    continue;
  }
  const names = readdirSync(folder)
    .filter((name) => name.endsWith('.eml'))
    .sort();
  const files = names.map((name) => path.join(folder, name));
  const theirs = sisimai(files);
  if (theirs === null)
    console.log(`${corpus}: Sisimai not available (apt-get install libsisimai-perl): scoring ours only where truth is recorded`);
  const totals = { ours: { right: 0, found: 0, expected: 0 }, sisimai: { right: 0, found: 0, expected: 0 } };
  let withRecipient = 0;
  const unscored = [];
  const lines = [];
  for (const [i, file] of files.entries()) {
    const key = `${corpus}/${names[i]}`;
    const mine = await ours(file);
    if (mine.recipients.length > 0) withRecipient++;
    const other = theirs?.get(file) ?? null;
    const agree = other !== null && mine.recipients.join() === other.join();
    const expected = truth[key] ?? (agree ? mine.recipients : null);
    if (!agree && verbose)
      lines.push(
        `  ${key}: ours ${JSON.stringify(mine.recipients)}${mine.problem ? ` (${mine.problem})` : ''} sisimai ${JSON.stringify(other)} truth ${JSON.stringify(truth[key] ?? null)}`,
      );
    if (expected === null) {
      unscored.push(key);
      continue;
    }
    for (const [name, found] of [
      ['ours', mine.recipients],
      ['sisimai', other],
    ]) {
      if (found === null) continue;
      const s = score(found, expected);
      totals[name].right += s.right;
      totals[name].found += s.found;
      totals[name].expected += s.expected;
    }
  }
  console.log(`${corpus}: ${files.length} messages, ${withRecipient} yield a recipient with hygiene`);
  for (const name of ['ours', 'sisimai']) {
    const t = totals[name];
    if (t.expected === 0 && t.found === 0) continue;
    console.log(
      `  ${name.padEnd(8)} recall ${percent(t.right, t.expected).padStart(6)} (${t.right}/${t.expected})  precision ${percent(t.right, t.found).padStart(6)} (${t.right}/${t.found})`,
    );
  }
  if (unscored.length > 0) console.log(`  ${unscored.length} disagreements without a recorded truth: ${unscored.join(', ')}`);
  for (const line of lines) console.log(line);
}

/**
 * flufl.bounce's test messages and the addresses its tests expect (its `DATA` table, read from
 * the installed package): file -> lower-cased addresses. Null when the package is not installed.
 */
function fluflExpectations() {
  const base = '/usr/lib/python3/dist-packages/flufl/bounce';
  const table = path.join(base, 'testing/helpers.py');
  if (!existsSync(table)) return null;
  const source = readFileSync(table, 'utf8');
  const expected = new Map();
  for (const entry of source.slice(source.indexOf('DATA = (')).matchAll(/\('(\w+)',\s*'([\w.]+)',\s*\[([^\]]*)\]/g)) {
    const addresses = [...entry[3].matchAll(/b'([^']+)'/g)].map((match) => match[1].toLowerCase());
    // A file listed twice (one detector finds nothing, another finds the address) counts by its finding.
    if (addresses.length > 0 || !expected.has(entry[2])) expected.set(entry[2], [...new Set(addresses)].sort());
  }
  return { folder: path.join(base, 'tests/data'), expected };
}

const flufl = fluflExpectations();
if (flufl === null) {
  console.log('flufl: not installed (apt-get install python3-flufl.bounce), skipped');
} else {
  const files = [...flufl.expected.keys()].map((name) => path.join(flufl.folder, name));
  const theirs = sisimai(files);
  const totals = { ours: { right: 0, found: 0, expected: 0 }, sisimai: { right: 0, found: 0, expected: 0 } };
  let exact = 0;
  const lines = [];
  for (const file of files) {
    const expected = flufl.expected.get(path.basename(file));
    const mine = await ours(file, { withAutoReplies: false });
    if (mine.recipients.join() === expected.join()) exact++;
    else if (verbose)
      lines.push(
        `  ${path.basename(file)}: ours ${JSON.stringify(mine.recipients)}${mine.problem ? ` (${mine.problem})` : ''} expected ${JSON.stringify(expected)}`,
      );
    for (const [name, found] of [
      ['ours', mine.recipients],
      ['sisimai', theirs?.get(file) ?? null],
    ]) {
      if (found === null) continue;
      const s = score(found, expected);
      totals[name].right += s.right;
      totals[name].found += s.found;
      totals[name].expected += s.expected;
    }
  }
  console.log(`flufl: ${files.length} messages, ${exact} with exactly the expected recipients`);
  for (const name of ['ours', 'sisimai']) {
    const t = totals[name];
    if (t.expected === 0 && t.found === 0) continue;
    console.log(
      `  ${name.padEnd(8)} recall ${percent(t.right, t.expected).padStart(6)} (${t.right}/${t.expected})  precision ${percent(t.right, t.found).padStart(6)} (${t.right}/${t.found})`,
    );
  }
  for (const line of lines) console.log(line);
}
