#!/usr/bin/env node
// npm run bench:zonemta : do our bounce classes carry over to replies nobody on this project
// wrote? ZoneMTA (an outbound MTA, npm package zone-mta) keeps in config/bounces.txt a list of
// rules for the replies of real receiving servers, and quotes many of those replies in comments
// above the rule that handles them. Each quoted reply is labelled with that rule's category
// (recipient, blacklist, spam, capacity, ...) when the first rule that matches it in file order
// (as ZoneMTA reads the file) is that rule. The measure is the hard flag: a reply of ZoneMTA's
// "recipient" category is a dead address (hard), every other category is not (suppressing for
// those would drop a good address). Sisimai's reading of the same text (Sisimai::Reason->match,
// Debian's libsisimai-perl) is shown beside ours when it is installed.
// The package is fetched with `npm pack` into bench/tmp the first time (or set ZONEMTA_BOUNCES
// to a bounces.txt); without the registry it exits 0 with a note.
//   node bench/zonemta-replies.js [--verbose]     lists every reply whose class differs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifyBounce } from '../dist/bounces/classify/index.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VERSION = '3.10.3';
const TMP = path.join(REPO, 'bench/tmp/zone-mta');
const verbose = process.argv.includes('--verbose');
/** What Sisimai calls a dead address (its hard-bounce reasons). */
const SISIMAI_HARD = new Set(['userunknown', 'hostunknown', 'hasmoved', 'notaccept', 'suppressed']);

function rulesFile() {
  if (process.env.ZONEMTA_BOUNCES) return process.env.ZONEMTA_BOUNCES;
  const file = path.join(TMP, 'package/config/bounces.txt');
  if (existsSync(file)) return file;
  mkdirSync(TMP, { recursive: true });
  const pack = spawnSync('npm', ['pack', `zone-mta@${VERSION}`, '--pack-destination', TMP, '--silent'], { encoding: 'utf8' });
  const tarball = readdirSync(TMP).find((name) => name.endsWith('.tgz'));
  if (pack.status !== 0 || !tarball) return null;
  const untar = spawnSync('tar', ['xzf', path.join(TMP, tarball), '-C', TMP, 'package/config/bounces.txt']);
  return untar.status === 0 && existsSync(file) ? file : null;
}

/** The quoted replies, each with the action and category of the rule below it. */
function quotedReplies(text) {
  const rules = [];
  const replies = [];
  let pending = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line) return;
    if (line.startsWith('#')) {
      const quoted = line.replace(/^#\s*/, '');
      if (/^[245]\d\d[ -]/.test(quoted)) pending.push({ text: quoted, line: index + 1 });
      return;
    }
    const [source, action, category] = line.split(',');
    let pattern;
    try {
      pattern = new RegExp(source, 'im');
    } catch {
      return;
    }
    rules.push({ pattern, action, category });
    for (const reply of pending) replies.push({ ...reply, action, category });
    pending = [];
  });
  return replies.filter((reply) => {
    const first = rules.find((rule) => rule.pattern.test(reply.text));
    return first && first.category === reply.category && first.action === reply.action;
  });
}

function sisimaiReasons(texts) {
  const script = 'use Sisimai::Reason; while (my $t = <STDIN>) { chomp $t; print((Sisimai::Reason->match(lc $t) // "undefined"), "\\n") }';
  const run = spawnSync('perl', ['-e', script], { input: texts.join('\n') + '\n', encoding: 'utf8' });
  if (run.status !== 0) return null;
  return run.stdout.trim().split('\n');
}

const file = rulesFile();
if (!file) {
  console.log(`zone-mta ${VERSION} could not be fetched (npm registry unreachable?) and ZONEMTA_BOUNCES is not set: skipped`);
  process.exit(0);
}
const replies = quotedReplies(readFileSync(file, 'utf8'));
const sisimai = sisimaiReasons(replies.map((reply) => reply.text));
const byCategory = new Map();
let ours = 0;
let theirs = 0;
let undetermined = 0;
for (const [index, reply] of replies.entries()) {
  const code = reply.text.slice(0, 3);
  const result = classifyBounce({ diagnostic: reply.text, smtpCode: code, action: code.startsWith('4') ? 'delayed' : 'failed' });
  const hard = reply.category === 'recipient';
  if ((result.class === 'hard') === hard) ours++;
  else if (verbose) console.log(`  ours ${result.class}/${result.reason}, ZoneMTA ${reply.category} (line ${reply.line}): ${reply.text}`);
  if (result.class === 'undetermined') undetermined++;
  if (sisimai && SISIMAI_HARD.has(sisimai[index]) === hard) theirs++;
  const classes = byCategory.get(reply.category) ?? new Map();
  classes.set(result.class, (classes.get(result.class) ?? 0) + 1);
  byCategory.set(reply.category, classes);
}
const percent = (part) => `${((100 * part) / replies.length).toFixed(1)}%`;
console.log(`ZoneMTA ${VERSION} quoted replies: ${replies.length} (${path.relative(REPO, file)})`);
console.log(`  hard flag agrees: hygiene ${ours}/${replies.length} = ${percent(ours)}`);
if (sisimai) console.log(`                   Sisimai ${theirs}/${replies.length} = ${percent(theirs)} (text alone)`);
else console.log('                   Sisimai not installed (apt-get install libsisimai-perl): no reference');
console.log(`  undetermined: ${undetermined}`);
for (const [category, classes] of [...byCategory].sort((a, b) => a[0].localeCompare(b[0]))) {
  console.log(`  ${category.padEnd(10)} ${[...classes].map(([cls, count]) => `${cls} ${count}`).join(', ')}`);
}
