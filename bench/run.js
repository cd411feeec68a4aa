#!/usr/bin/env node
// npm run bench [-- --sizes 100k,1m] : throughput and memory of the real CLI on generated data.
// See bench/README.md for what each figure means. Every measurement that fails is reported as
// failed (with the end of its stderr) and the run goes on; the exit code is 0 unless the bench
// itself is broken, because targets are figures to read, not a CI gate.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, rmSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { listMessages, repeatMessages, writeContactsCsv, writePostfixLog } from './generate.js';
import { bytesPerEvent, HISTORY_NOW, listAddresses, writeHistory } from './history-scale.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// --hygiene DIR measures another checkout's built CLI (say main's) with this bench: before/after.
const hygieneArg = process.argv.indexOf('--hygiene');
const BIN = path.join(hygieneArg === -1 ? REPO : path.resolve(process.argv[hygieneArg + 1] ?? REPO), 'bin', 'hygiene.js');
const SISIMAI_SCRIPT = path.join(REPO, 'bench', 'sisimai.pl');
const RESULTS = path.join(REPO, 'bench', 'results.json');
const MB = 1024 * 1024;

const TARGETS = {
  cleanRatio: 1.0, // clean wall time / floor wall time at 1M and 10M rows
  peakRssMB: 300, // at 1M, 5M and 10M rows
  postfixLinesPerSecond: 300_000,
  messagesPerSecond: 5_000,
  messagesVsSisimai: 5, // hygiene messages/s / Sisimai messages/s on the same messages
  historyCleanRatio: 1.3, // clean with a big history / the same clean without history
  historyPeakRssMB: 300,
  ingestLinesPerSecond: 100_000,
  bytesPerEvent: 120,
  versionSeconds: 0.15, // `hygiene --version`, median wall time
  cleanTenRowsSeconds: 0.3, // `hygiene clean` of a 10-row list, median wall time
};
/** Start-up runs are short: the median of this many tells more than one run. */
const STARTUP_RUNS = 11;

const USAGE = `usage: node bench/run.js [options]   (npm run bench -- [options] builds first)
  --sizes LIST          contact list sizes to measure (default 100k,1m,5m; 10m for the 10M-row target)
  --only LIST           any of clean,postfix,dsn,history,startup (default all)
  --history-events N    events generated into the history of the history case (default 10m)
  --history-list N      rows of the list cleaned with and without that history (default 1m)
  --ingest-lines N      Postfix lines ingested into a new history (default 300k)
  --postfix-lines N     lines in the generated Postfix log (default 1m)
  --dsn-messages N      bounce messages to classify (default 10000), also read by Sisimai
                        (Debian's libsisimai-perl) for the reference column when installed
  --hygiene DIR         measure the built CLI of another checkout (e.g. /path/to/main)
  --profile             after each measurement, run it again under --cpu-prof and list the
                        functions with the most self time (the measured figures stay unprofiled)
  --repeat N            run each measurement N times and keep the fastest (default 1); use 3 on
                        a shared machine, where other work only ever adds time
  --timeout MINUTES     give up on one measurement after this long (default 30)
  --rss proc            read peak RSS from /proc even when GNU time is there
  --tmp DIR             where to generate data (default bench/tmp)
  --keep                keep the generated data and outputs
  --no-write            do not write bench/results.json`;

function parseCount(text) {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`not a count: ${JSON.stringify(text)} (use e.g. 100k, 1m, 250000)`);
  const factor = { '': 1, k: 1e3, m: 1e6 }[match[2].toLowerCase()];
  return Math.round(Number(match[1]) * factor);
}

function sizeLabel(count) {
  if (count >= 1e6 && count % 1e6 === 0) return `${count / 1e6}m`;
  if (count >= 1e3 && count % 1e3 === 0) return `${count / 1e3}k`;
  return String(count);
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '100k,1m,5m' },
      only: { type: 'string', default: 'clean,postfix,dsn,history,startup' },
      'history-events': { type: 'string', default: '10m' },
      'history-list': { type: 'string', default: '1m' },
      'ingest-lines': { type: 'string', default: '300k' },
      'postfix-lines': { type: 'string', default: '1m' },
      'dsn-messages': { type: 'string', default: '10000' },
      hygiene: { type: 'string' },
      profile: { type: 'boolean', default: false },
      repeat: { type: 'string', default: '1' },
      timeout: { type: 'string', default: '30' },
      rss: { type: 'string', default: 'auto' },
      tmp: { type: 'string', default: path.join(REPO, 'bench', 'tmp') },
      keep: { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const only = new Set(
    values.only
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );
  for (const part of only)
    if (!['clean', 'postfix', 'dsn', 'history', 'startup'].includes(part)) throw new Error(`--only: unknown part ${part}`);
  return {
    help: values.help,
    sizes: values.sizes.split(',').filter(Boolean).map(parseCount),
    only,
    postfixLines: parseCount(values['postfix-lines']),
    dsnMessages: parseCount(values['dsn-messages']),
    historyEvents: parseCount(values['history-events']),
    historyList: parseCount(values['history-list']),
    ingestLines: parseCount(values['ingest-lines']),
    profile: values.profile,
    repeat: Math.max(1, Math.floor(Number(values.repeat)) || 1),
    timeoutMs: Number(values.timeout) * 60_000,
    rssFromProc: values.rss === 'proc',
    tmp: path.resolve(values.tmp),
    keep: values.keep,
    write: !values['no-write'],
  };
}

const log = (text) => process.stderr.write(`${text}\n`);

// ---------------------------------------------------------------------------------------------
// Peak memory of a child process

/** GNU time reports the child's peak RSS exactly; check it understands -f and -o first. */
function findGnuTime(tmp) {
  const candidate = '/usr/bin/time';
  if (!existsSync(candidate)) return null;
  const probe = path.join(tmp, 'time-probe.txt');
  const result = spawnSync(candidate, ['-f', '%M', '-o', probe, process.execPath, '-e', '0'], { stdio: 'ignore' });
  const works = result.status === 0 && existsSync(probe);
  rmSync(probe, { force: true });
  return works ? candidate : null;
}

const POLL_INTERVAL_MS = 50;

/** Without GNU time: VmHWM is the kernel's high-water mark, so the last reading before exit is the peak. */
function pollPeakRss(pid) {
  let peakKb = 0;
  const read = async () => {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
      if (match) peakKb = Math.max(peakKb, Number(match[1]));
    } catch {
      // the process has exited between two readings
    }
  };
  const timer = setInterval(read, POLL_INTERVAL_MS);
  void read();
  return {
    stop() {
      clearInterval(timer);
      return peakKb > 0 ? peakKb / 1024 : null;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running the CLI

let childCounter = 0;
/** Children run in their own process groups, so Ctrl-C on the bench must stop them itself. */
const runningGroups = new Set();

function stopRunningChildren(signal) {
  for (const pid of runningGroups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  process.exit(signal === 'SIGINT' ? 130 : 143);
}
process.once('SIGINT', stopRunningChildren);
process.once('SIGTERM', stopRunningChildren);

/**
 * Runs `node <nodeArgs>` in the repo and measures wall time and peak RSS. Never throws for a
 * failing child: the result says ok: false and carries the end of its stderr.
 */
async function runNode(nodeArgs, context, options = {}) {
  return runProgram(process.execPath, nodeArgs, context, options);
}

/** `runNode` for any program (Sisimai's Perl); `keepStdout` keeps what it prints. */
async function runProgram(program, programArgs, context, { countStdoutLines = false, keepStdout = false } = {}) {
  const id = ++childCounter;
  const rssFile = context.gnuTime ? path.join(context.tmp, `rss-${id}.txt`) : null;
  const command = context.gnuTime ?? program;
  // Peak RSS, then user and system CPU seconds: on a shared machine CPU time is the steadier figure.
  const args = context.gnuTime ? ['-f', '%M %U %S', '-o', rssFile, program, ...programArgs] : programArgs;
  let stderr = '';
  let stdout = '';
  let stdoutLines = 0;
  const started = performance.now();
  // Its own process group, so a timeout can stop node and not only the time wrapper.
  const child = spawn(command, args, {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', countStdoutLines || keepStdout ? 'pipe' : 'ignore', 'pipe'],
    env: { ...process.env, NO_COLOR: '1', CI: '1' },
  });
  if (child.pid) runningGroups.add(child.pid);
  const poller = context.gnuTime ? null : pollPeakRss(child.pid);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    stderr = (stderr + text).slice(-4000);
  });
  if (keepStdout) child.stdout.on('data', (chunk) => (stdout += chunk));
  if (countStdoutLines) {
    child.stdout.on('data', (chunk) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) stdoutLines++;
    });
  }
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, context.timeoutMs);
  const [code, signal] = await new Promise((resolve) => {
    child.on('error', (error) => {
      stderr += String(error);
      resolve([null, null]);
    });
    child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal]));
  });
  clearTimeout(timer);
  runningGroups.delete(child.pid);
  const seconds = (performance.now() - started) / 1000;
  let peakRssMB = poller ? poller.stop() : null;
  let cpuSeconds = null;
  if (rssFile) {
    // GNU time appends "Command exited with non-zero status N" before the figure on failure.
    const text = await readFile(rssFile, 'utf8').catch(() => '');
    const lines = text.trim().split('\n');
    const [kb, user, system] = lines[lines.length - 1].trim().split(/\s+/).map(Number);
    peakRssMB = Number.isFinite(kb) && kb > 0 ? kb / 1024 : null;
    cpuSeconds = Number.isFinite(user) && Number.isFinite(system) ? user + system : null;
    await rm(rssFile, { force: true });
  }
  const ok = code === 0 && !timedOut;
  const error = ok
    ? null
    : timedOut
      ? `timed out after ${context.timeoutMs / 60_000} min`
      : `exit ${code ?? signal}: ${stderr.trim() || '(no stderr)'}`;
  return { ok, seconds, cpuSeconds, peakRssMB, stdoutLines, stdout, error, stderrTail: stderr.trim() || null };
}

/**
 * Runs a measurement `times` times and keeps the fastest run (with the highest peak RSS seen):
 * on a shared machine other work only ever adds time. A failure is returned at once.
 */
async function fastestOf(times, measure) {
  let best = null;
  let peakRssMB = null;
  for (let i = 0; i < times; i++) {
    const run = await measure();
    if (!run.ok) return run;
    if (run.peakRssMB != null) peakRssMB = Math.max(peakRssMB ?? 0, run.peakRssMB);
    if (!best || run.seconds < best.seconds) best = run;
  }
  return { ...best, peakRssMB: best.peakRssMB == null ? null : peakRssMB, runs: times };
}

/** Runs the same command under --cpu-prof and returns the functions with the most self time. */
async function profileNode(nodeArgs, context, name) {
  const dir = path.join(context.tmp, 'profiles', name);
  await rm(dir, { recursive: true, force: true }); // a profile of an earlier run must not be read as this one
  await mkdir(dir, { recursive: true });
  const run = await runNode(['--cpu-prof', '--cpu-prof-dir', dir, ...nodeArgs], context, { countStdoutLines: true });
  const files = (await readdir(dir)).filter((file) => file.endsWith('.cpuprofile'));
  if (files.length === 0) return { ok: false, error: run.error ?? 'no profile written', top: [] };
  const profile = JSON.parse(await readFile(path.join(dir, files[0]), 'utf8'));
  return {
    ok: run.ok,
    seconds: run.seconds,
    file: path.relative(REPO, path.join(dir, files[0])),
    top: topSelfTime(profile, 15, functionKey),
    topFiles: topSelfTime(profile, 8, fileKey),
    topProjectInclusive: topProjectInclusive(profile, 12),
  };
}

/**
 * Total time (self + callees) of the project's own functions: self time alone scatters a slow
 * path over Node internals (a write per record shows up as writeUtf8String, not as its caller).
 */
function topProjectInclusive(profile, limit) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const isProject = (frame) => frame.url.includes('/dist/') && shortUrl(frame.url).startsWith('dist/');
  const byFunction = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const micros = profile.timeDeltas[i] ?? 0;
    total += micros;
    const counted = new Set(); // recursion must not count a sample twice
    for (let id = profile.samples[i]; id !== undefined; id = parents.get(id)) {
      const frame = nodes.get(id)?.callFrame;
      if (!frame || !isProject(frame)) continue;
      const key = functionKey(frame);
      if (counted.has(key)) continue;
      counted.add(key);
      byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    }
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, micros]) => ({ name, totalMs: Math.round(micros / 1000), percent: round((micros / total) * 100, 1) }));
}

function functionKey(frame) {
  const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
}

/** Per source file, with Node internals and pseudo-frames ((garbage collector), (idle)) kept apart. */
function fileKey(frame) {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const file = shortUrl(frame.url);
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (dependency) return `node_modules/${dependency[1]}`;
  return file.startsWith('node:') ? '(node internals)' : file;
}

/** Self time per function (summed over every node of the call tree that is that function). */
function topSelfTime(profile, limit, keyOf) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const micros = profile.timeDeltas[i] ?? 0;
    const node = nodes.get(profile.samples[i]);
    if (!node) continue;
    const key = keyOf(node.callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
    total += micros;
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, micros]) => ({ name, selfMs: Math.round(micros / 1000), percent: round((micros / total) * 100, 1) }));
}

function shortUrl(url) {
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  return file.startsWith(REPO) ? path.relative(REPO, file) : file;
}

// ---------------------------------------------------------------------------------------------
// Measurements

/** The floor: the same CSV parsed and written again with no work per row, in this process. */
async function measureFloor(input, output) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  try {
    const parser = parse({ delimiter: ',' });
    await pipeline(createReadStream(input), parser, stringify({ delimiter: ',' }), createWriteStream(output));
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    return { ok: true, seconds: (performance.now() - started) / 1000, cpuSeconds, records: parser.info.records, error: null };
  } catch (error) {
    return { ok: false, seconds: null, records: null, error: String(error?.message ?? error) };
  } finally {
    await rm(output, { force: true });
  }
}

async function measureClean(rows, context) {
  const label = sizeLabel(rows);
  const input = path.join(context.tmp, `contacts-${label}.csv`);
  log(`[clean ${label}] generating ${rows.toLocaleString('en-US')} contact rows`);
  const generated = await writeContactsCsv(input, rows);
  log(`[clean ${label}] floor: csv-parse -> csv-stringify`);
  const floor = await fastestOf(context.repeat, () => measureFloor(input, path.join(context.tmp, `floor-${label}.csv`)));
  const outDir = path.join(context.tmp, `clean-out-${label}`);
  const args = [BIN, 'clean', input, '--out-dir', outDir, '--quiet'];
  log(`[clean ${label}] hygiene clean`);
  const run = await fastestOf(context.repeat, () => runNode(args, context));
  const result = {
    size: label,
    rows,
    bytes: generated.bytes,
    generated,
    floor: {
      ok: floor.ok,
      seconds: round(floor.seconds, 3),
      cpuSeconds: round(floor.cpuSeconds, 3),
      records: floor.records,
      error: floor.error,
    },
    clean: {
      ok: run.ok,
      seconds: round(run.seconds, 3),
      cpuSeconds: round(run.cpuSeconds, 3),
      peakRssMB: round(run.peakRssMB, 1),
      rowsPerSecond: run.ok ? Math.round(rows / run.seconds) : null,
      error: run.error,
    },
    ratio: run.ok && floor.ok ? round(run.seconds / floor.seconds, 2) : null,
    cpuRatio: run.ok && floor.ok && run.cpuSeconds && floor.cpuSeconds ? round(run.cpuSeconds / floor.cpuSeconds, 2) : null,
  };
  if (run.ok) {
    // The report proves the run saw every row: a fast run that dropped rows is no result.
    // (With --repeat it is the last run's report; every run wrote the same counts.)
    const report = await readFile(path.join(outDir, 'report.json'), 'utf8').then(JSON.parse, () => null);
    if (report) {
      result.clean.lastReport = { rows: report.input?.rows, counts: report.counts, reasons: report.reasons, timings: report.timings };
      if (report.input?.rows !== rows) result.clean.warning = `report.json counts ${report.input?.rows} rows, ${rows} were written`;
    } else {
      result.clean.warning = 'no readable report.json';
    }
  }
  if (context.profile && run.ok) {
    log(`[clean ${label}] profiling`);
    result.clean.profile = await profileNode(args, context, `clean-${label}`);
  }
  if (!context.keep) {
    await rm(outDir, { recursive: true, force: true });
    await rm(input, { force: true });
  }
  return result;
}

async function measurePostfix(context) {
  const lines = context.postfixLines;
  const input = path.join(context.tmp, `postfix-${sizeLabel(lines)}.log`);
  log(`[classify postfix] generating ${lines.toLocaleString('en-US')} log lines`);
  const generated = await writePostfixLog(input, lines);
  const args = [BIN, 'classify', input, '--format', 'jsonl', '--quiet', '--year', '2025'];
  log('[classify postfix] hygiene classify');
  const run = await fastestOf(context.repeat, () => runNode(args, context, { countStdoutLines: true }));
  const result = {
    lines,
    bytes: generated.bytes,
    generated,
    ok: run.ok,
    seconds: round(run.seconds, 3),
    peakRssMB: round(run.peakRssMB, 1),
    records: run.ok ? run.stdoutLines : null,
    linesPerSecond: run.ok ? Math.round(lines / run.seconds) : null,
    recordsPerSecond: run.ok ? Math.round(run.stdoutLines / run.seconds) : null,
    error: run.error,
  };
  if (run.ok && run.stdoutLines === 0) result.warning = 'classify printed no records';
  if (context.profile && run.ok) {
    log('[classify postfix] profiling');
    result.profile = await profileNode(args, context, 'classify-postfix');
  }
  if (!context.keep) await rm(input, { force: true });
  return result;
}

async function measureDsn(context) {
  const corpus = path.resolve(REPO, '../shared/corpus/dsn/emails');
  const fixtures = path.join(REPO, 'fixtures/bounces/eml');
  const source = existsSync(corpus) ? corpus : existsSync(fixtures) ? fixtures : null;
  if (!source)
    return { ok: false, skipped: true, error: 'no bounce messages: neither ../shared/corpus/dsn/emails nor fixtures/bounces/eml exists' };
  // The plain-text bounces of the cws corpus too, when it is there: not only RFC 3464 reports.
  const cws = path.resolve(REPO, '../shared/corpus/cws/emails');
  const sources = [...(await listMessages(source)), ...(source === corpus && existsSync(cws) ? await listMessages(cws) : [])];
  if (sources.length === 0) return { ok: false, skipped: true, error: `no .eml files in ${source}` };
  const dir = path.join(context.tmp, `dsn-${context.dsnMessages}`);
  await rm(dir, { recursive: true, force: true });
  log(`[classify dsn] copying ${sources.length} messages to ${context.dsnMessages.toLocaleString('en-US')}`);
  const copied = await repeatMessages(sources, dir, context.dsnMessages);
  const args = [BIN, 'classify', dir, '--format', 'jsonl', '--quiet'];
  log('[classify dsn] hygiene classify');
  const run = await fastestOf(context.repeat, () => runNode(args, context, { countStdoutLines: true }));
  const result = {
    source: path.relative(REPO, source),
    distinctMessages: sources.length,
    messages: copied.messages,
    bytes: copied.bytes,
    ok: run.ok,
    seconds: round(run.seconds, 3),
    peakRssMB: round(run.peakRssMB, 1),
    records: run.ok ? run.stdoutLines : null,
    messagesPerSecond: run.ok ? Math.round(copied.messages / run.seconds) : null,
    recordsPerSecond: run.ok ? Math.round(run.stdoutLines / run.seconds) : null,
    error: run.error,
  };
  result.cpuSeconds = round(run.cpuSeconds, 3);
  result.sisimai = await measureSisimai(dir, context);
  if (result.sisimai.ok && run.ok) result.vsSisimai = round(result.sisimai.seconds / run.seconds, 2);
  // CPU seconds (all threads) per message, Sisimai's over hygiene's: the steadier figure on a busy machine.
  if (result.sisimai.ok && run.ok && run.cpuSeconds && result.sisimai.cpuSeconds)
    result.vsSisimaiCpu = round(result.sisimai.cpuSeconds / run.cpuSeconds, 2);
  if (context.profile && run.ok) {
    log('[classify dsn] profiling');
    result.profile = await profileNode(args, context, 'classify-dsn');
  }
  if (!context.keep) await rm(dir, { recursive: true, force: true });
  return result;
}

/**
 * The reference for bounce messages: Sisimai (Perl, Debian's libsisimai-perl) reading the same
 * folder as a Maildir, timed the same way. Skipped with a note where Perl cannot load it.
 */
async function measureSisimai(dir, context) {
  const probe = spawnSync('perl', ['-MSisimai', '-e', 'print $Sisimai::VERSION'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return { ok: false, skipped: true, error: 'Sisimai is not installed (apt-get install libsisimai-perl): no reference column' };
  }
  log(`[classify dsn] Sisimai ${probe.stdout.trim()} on the same messages`);
  const run = await fastestOf(context.repeat, () => runProgram('perl', [SISIMAI_SCRIPT, dir], context, { keepStdout: true }));
  let counts = null;
  try {
    counts = JSON.parse(run.stdout ?? '');
  } catch {
    // reported below as a failed run
  }
  const ok = run.ok && counts !== null;
  return {
    ok,
    version: probe.stdout.trim(),
    seconds: round(run.seconds, 3),
    cpuSeconds: round(run.cpuSeconds, 3),
    peakRssMB: round(run.peakRssMB, 1),
    messages: counts?.messages ?? null,
    records: counts?.records ?? null,
    messagesPerSecond: ok ? Math.round(counts.messages / run.seconds) : null,
    error: ok ? null : (run.error ?? `unreadable output: ${String(run.stdout).slice(0, 200)}`),
  };
}

/**
 * Start-up: `hygiene --version` and `clean` of a 10-row list, beside `node -e 0` (what any Node
 * program pays before its first line), each the median of STARTUP_RUNS runs.
 */
async function measureStartup(context) {
  const dir = path.join(context.tmp, 'startup');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const list = path.join(dir, 'ten.csv');
  await writeContactsCsv(list, 10);
  const median = async (args) => {
    const runs = [];
    for (let i = 0; i < STARTUP_RUNS; i++) {
      const run = await runNode(args, context);
      if (!run.ok) return { ok: false, seconds: null, error: run.error };
      runs.push(run.seconds);
    }
    runs.sort((a, b) => a - b);
    return { ok: true, seconds: round(runs[Math.floor(runs.length / 2)], 3), fastest: round(runs[0], 3), error: null };
  };
  log(`[startup] node -e 0, hygiene --version, clean of 10 rows (median of ${STARTUP_RUNS} each)`);
  const node = await median(['-e', '0']);
  const version = await median([BIN, '--version']);
  const cleanTen = await median([
    BIN,
    'clean',
    list,
    '--out-dir',
    path.join(dir, 'out'),
    '--quiet',
    '--state',
    path.join(dir, 'history.db'),
  ]);
  if (!context.keep) await rm(dir, { recursive: true, force: true });
  const ratio = (run) => (run.ok && node.ok ? round(run.seconds / node.seconds, 2) : null);
  return { runs: STARTUP_RUNS, node, version: { ...version, vsNode: ratio(version) }, cleanTen: { ...cleanTen, vsNode: ratio(cleanTen) } };
}

/**
 * History at scale: a history of `historyEvents` events (generated straight into the database
 * through the store's batch API), then `clean` of the same list without and with it, ingest of a
 * Postfix log into a new history, bytes per stored event, and a prune of the big history.
 */
async function measureHistory(context) {
  const { HistoryStore } = await import(pathToFileURL(path.join(REPO, 'dist', 'state', 'history-store.js')).href);
  const listLabel = sizeLabel(context.historyList);
  const eventsLabel = sizeLabel(context.historyEvents);
  const list = path.join(context.tmp, `history-list-${listLabel}.csv`);
  const db = path.join(context.tmp, `history-${eventsLabel}.db`);
  log(`[history] generating a ${context.historyList.toLocaleString('en-US')}-row list`);
  await writeContactsCsv(list, context.historyList);
  const listed = await listAddresses(list);
  // A history kept (--keep) by an earlier run of the same size and schema is used again: it is
  // deterministic, and generating 10M events takes minutes. The stamp is written once it is whole.
  const { SCHEMA_VERSION } = await import(pathToFileURL(path.join(REPO, 'dist', 'state', 'migrations.js')).href);
  const stamp = JSON.stringify({ events: context.historyEvents, listRows: context.historyList, schema: SCHEMA_VERSION });
  const stampFile = `${db}.stamp`;
  const reused = context.keep && (await readFile(stampFile, 'utf8').catch(() => null)) === stamp && existsSync(db);
  let generated;
  let generateSeconds = null;
  if (reused) {
    log(`[history] using the kept ${path.relative(REPO, db)}`);
    generated = await readHistoryStats(db, HistoryStore);
  } else {
    for (const suffix of ['', '-wal', '-shm', '.stamp']) await rm(`${db}${suffix}`, { force: true });
    log(`[history] generating ${context.historyEvents.toLocaleString('en-US')} events into ${path.relative(REPO, db)}`);
    const started = performance.now();
    generated = await writeHistory(db, context.historyEvents, listed, { HistoryStore }, log);
    generateSeconds = (performance.now() - started) / 1000;
    if (context.keep) await writeFile(stampFile, stamp);
  }
  const outDir = path.join(context.tmp, 'history-clean-out');
  const cleanArgs = [BIN, 'clean', list, '--out-dir', outDir, '--quiet', '--now', HISTORY_NOW];
  log('[history] clean without history');
  const without = await fastestOf(context.repeat, () => runNode([...cleanArgs, '--no-state'], context));
  log('[history] clean with the history');
  const withHistory = await fastestOf(context.repeat, () => runNode([...cleanArgs, '--state', db], context));
  const report = withHistory.ok ? await readFile(path.join(outDir, 'report.json'), 'utf8').then(JSON.parse, () => null) : null;

  log(`[history] prune of the ${eventsLabel}-event history`);
  // On a copy, so that a kept history stays as generated.
  const pruneDb = path.join(context.tmp, `history-${eventsLabel}-prune.db`);
  await copyFile(db, pruneDb);
  const prune = await runNode([BIN, 'prune', '--state', pruneDb, '--now', HISTORY_NOW, '--quiet'], context);
  for (const suffix of ['', '-wal', '-shm']) await rm(`${pruneDb}${suffix}`, { force: true });

  const log2 = path.join(context.tmp, `ingest-${sizeLabel(context.ingestLines)}.log`);
  const ingestDb = path.join(context.tmp, 'ingest-history.db');
  for (const suffix of ['', '-wal', '-shm']) await rm(`${ingestDb}${suffix}`, { force: true });
  log(`[history] ingest of ${context.ingestLines.toLocaleString('en-US')} Postfix lines into a new history`);
  const logStats = await writePostfixLog(log2, context.ingestLines);
  const ingest = await runNode([BIN, 'ingest', log2, '--state', ingestDb, '--quiet', '--year', '2025'], context);
  let ingestEvents = null;
  let ingestBytes = null;
  if (ingest.ok) {
    const store = HistoryStore.open(ingestDb, { readonly: true });
    ingestEvents = store.eventCount();
    store.close();
    ingestBytes = (await stat(ingestDb)).size;
  }
  const result = {
    events: generated.events,
    listRows: context.historyList,
    generateSeconds: generateSeconds === null ? null : round(generateSeconds, 1),
    bytes: generated.bytes,
    bytesPerEvent: bytesPerEvent(generated.bytes, generated.events),
    cleanWithout: { ok: without.ok, seconds: round(without.seconds, 3), peakRssMB: round(without.peakRssMB, 1), error: without.error },
    cleanWith: {
      ok: withHistory.ok,
      seconds: round(withHistory.seconds, 3),
      peakRssMB: round(withHistory.peakRssMB, 1),
      error: withHistory.error,
      counts: report?.counts ?? null,
    },
    ratio: without.ok && withHistory.ok ? round(withHistory.seconds / without.seconds, 2) : null,
    prune: { ok: prune.ok, seconds: round(prune.seconds, 2), error: prune.error },
    ingest: {
      ok: ingest.ok,
      lines: context.ingestLines,
      records: logStats.sent + logStats.bounced + logStats.deferred,
      seconds: round(ingest.seconds, 3),
      linesPerSecond: ingest.ok ? Math.round(context.ingestLines / ingest.seconds) : null,
      peakRssMB: round(ingest.peakRssMB, 1),
      events: ingestEvents,
      bytesPerEvent: ingestBytes === null ? null : bytesPerEvent(ingestBytes, ingestEvents),
      error: ingest.error,
    },
  };
  if (!context.keep) {
    for (const file of [db, `${db}-wal`, `${db}-shm`, `${db}.stamp`, ingestDb, `${ingestDb}-wal`, `${ingestDb}-shm`, list, log2])
      await rm(file, { force: true });
    await rm(outDir, { recursive: true, force: true });
  }
  return result;
}

/** Events and size of a kept history, as `writeHistory` reports them for a new one. */
async function readHistoryStats(db, HistoryStore) {
  const store = HistoryStore.open(db, { readonly: true });
  try {
    return { events: store.eventCount(), bytes: (await stat(db)).size };
  } finally {
    store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Targets and output

function judgeTargets(results) {
  const bySize = new Map(results.clean.map((entry) => [entry.size, entry]));
  const verdict = (value, pass) => (value === null || value === undefined ? 'FAIL' : pass ? 'PASS' : 'MISS');
  const targets = [];
  for (const size of ['1m', '10m']) {
    const entry = bySize.get(size);
    if (!entry) continue;
    targets.push({
      target: `clean <= ${TARGETS.cleanRatio}x floor at ${size.toUpperCase()} rows`,
      value: entry.ratio,
      unit: 'x',
      verdict: verdict(entry.ratio, entry.ratio <= TARGETS.cleanRatio),
    });
  }
  for (const size of ['1m', '5m', '10m']) {
    const entry = bySize.get(size);
    if (!entry) continue;
    const rss = entry.clean.ok ? entry.clean.peakRssMB : null;
    targets.push({
      target: `peak RSS < ${TARGETS.peakRssMB} MB at ${size.toUpperCase()} rows`,
      value: rss,
      unit: 'MB',
      verdict: verdict(rss, rss < TARGETS.peakRssMB),
    });
  }
  if (results.classify.postfix) {
    const value = results.classify.postfix.linesPerSecond;
    targets.push({
      target: `classify >= ${fmt(TARGETS.postfixLinesPerSecond)} Postfix lines/s`,
      value,
      unit: 'lines/s',
      verdict: verdict(value, value >= TARGETS.postfixLinesPerSecond),
    });
  }
  if (results.classify.dsn) {
    const dsn = results.classify.dsn;
    const value = dsn.messagesPerSecond ?? null;
    targets.push({
      target: `bounce messages >= ${fmt(TARGETS.messagesPerSecond)}/s`,
      value,
      unit: 'msg/s',
      verdict: dsn.skipped ? 'SKIP' : verdict(value, value >= TARGETS.messagesPerSecond),
    });
    const ratio = dsn.vsSisimai ?? null;
    const sisimaiMissing = dsn.skipped || !dsn.sisimai || dsn.sisimai.skipped;
    targets.push({
      target: `bounce messages >= ${TARGETS.messagesVsSisimai}x Sisimai's rate`,
      value: ratio,
      unit: 'x',
      verdict: sisimaiMissing ? 'SKIP' : verdict(ratio, ratio >= TARGETS.messagesVsSisimai),
    });
  }
  const history = results.history;
  if (history) {
    targets.push({
      target: `clean with a ${sizeLabel(history.events)}-event history <= ${TARGETS.historyCleanRatio}x without`,
      value: history.ratio,
      unit: 'x',
      verdict: verdict(history.ratio, history.ratio <= TARGETS.historyCleanRatio),
    });
    const rss = history.cleanWith.ok ? history.cleanWith.peakRssMB : null;
    targets.push({
      target: `peak RSS < ${TARGETS.historyPeakRssMB} MB cleaning with that history`,
      value: rss,
      unit: 'MB',
      verdict: verdict(rss, rss < TARGETS.historyPeakRssMB),
    });
    targets.push({
      target: `ingest >= ${fmt(TARGETS.ingestLinesPerSecond)} Postfix lines/s`,
      value: history.ingest.linesPerSecond,
      unit: 'lines/s',
      verdict: verdict(history.ingest.linesPerSecond, history.ingest.linesPerSecond >= TARGETS.ingestLinesPerSecond),
    });
    targets.push({
      target: `history <= ${TARGETS.bytesPerEvent} bytes per event (generated)`,
      value: history.bytesPerEvent,
      unit: 'B',
      verdict: verdict(history.bytesPerEvent, history.bytesPerEvent <= TARGETS.bytesPerEvent),
    });
    targets.push({
      target: `history <= ${TARGETS.bytesPerEvent} bytes per event (ingested log)`,
      value: history.ingest.bytesPerEvent,
      unit: 'B',
      verdict: verdict(history.ingest.bytesPerEvent, history.ingest.bytesPerEvent <= TARGETS.bytesPerEvent),
    });
  }
  const startup = results.startup;
  if (startup) {
    targets.push({
      target: `hygiene --version <= ${TARGETS.versionSeconds} s (median)`,
      value: startup.version.seconds,
      unit: 's',
      verdict: verdict(startup.version.seconds, startup.version.seconds <= TARGETS.versionSeconds),
    });
    targets.push({
      target: `clean of a 10-row list <= ${TARGETS.cleanTenRowsSeconds} s (median)`,
      value: startup.cleanTen.seconds,
      unit: 's',
      verdict: verdict(startup.cleanTen.seconds, startup.cleanTen.seconds <= TARGETS.cleanTenRowsSeconds),
    });
  }
  return targets;
}

function formatReport(results) {
  const out = [];
  out.push(`hygiene bench  ${results.date}  node ${results.node}  ${results.cpu} x${results.cpus}  load ${results.loadAverage.join(' ')}`);
  if (results.hygiene !== path.join('bin', 'hygiene.js')) out.push(`measuring the CLI at ${results.hygiene}`);
  out.push(
    `peak RSS from ${results.rssMethod}; ${results.options.repeat > 1 ? `fastest of ${results.options.repeat} runs` : 'one run each'}`,
  );
  if (results.clean.length > 0) {
    out.push('');
    const header = [
      'size',
      'rows',
      'MB in',
      'floor s',
      'clean s',
      'ratio',
      'floor CPU s',
      'clean CPU s',
      'CPU ratio',
      'peak RSS MB',
      'rows/s',
    ];
    const rows = results.clean.map((entry) => [
      entry.size,
      fmt(entry.rows),
      fmt(entry.bytes / MB, 1),
      entry.floor.ok ? fmt(entry.floor.seconds, 2) : 'FAILED',
      entry.clean.ok ? fmt(entry.clean.seconds, 2) : 'FAILED',
      entry.ratio === null ? '-' : `${fmt(entry.ratio, 2)}x`,
      entry.floor.cpuSeconds == null ? '-' : fmt(entry.floor.cpuSeconds, 2),
      entry.clean.cpuSeconds == null ? '-' : fmt(entry.clean.cpuSeconds, 2),
      entry.cpuRatio == null ? '-' : `${fmt(entry.cpuRatio, 2)}x`,
      entry.clean.ok ? fmt(entry.clean.peakRssMB, 0) : '-',
      entry.clean.ok ? fmt(entry.clean.rowsPerSecond) : '-',
    ]);
    out.push(...table(header, rows));
  }
  const classify = [];
  const { postfix, dsn } = results.classify;
  if (postfix) {
    classify.push([
      'postfix log',
      `${fmt(postfix.lines)} lines`,
      postfix.ok ? fmt(postfix.seconds, 2) : 'FAILED',
      postfix.ok ? `${fmt(postfix.linesPerSecond)} lines/s` : '-',
      postfix.ok ? `${fmt(postfix.recordsPerSecond)} records/s (${fmt(postfix.records)})` : '-',
      postfix.ok ? fmt(postfix.peakRssMB, 0) : '-',
    ]);
  }
  if (dsn) {
    const state = dsn.skipped ? 'SKIPPED' : 'FAILED';
    classify.push([
      'bounce messages',
      dsn.messages ? `${fmt(dsn.messages)} msgs` : '-',
      dsn.ok ? fmt(dsn.seconds, 2) : state,
      dsn.ok ? `${fmt(dsn.messagesPerSecond)} msgs/s` : '-',
      dsn.ok ? `${fmt(dsn.recordsPerSecond)} records/s (${fmt(dsn.records)})` : '-',
      dsn.ok ? fmt(dsn.peakRssMB, 0) : '-',
    ]);
    const sisimai = dsn.sisimai;
    if (sisimai && !sisimai.skipped) {
      classify.push([
        `  Sisimai ${sisimai.version ?? ''} (same msgs)`,
        sisimai.messages ? `${fmt(sisimai.messages)} msgs` : '-',
        sisimai.ok ? fmt(sisimai.seconds, 2) : 'FAILED',
        sisimai.ok ? `${fmt(sisimai.messagesPerSecond)} msgs/s` : '-',
        sisimai.ok
          ? `${fmt(sisimai.records)} records; hygiene ${fmt(dsn.vsSisimai, 2)}x${dsn.vsSisimaiCpu ? ` (CPU time ${fmt(dsn.vsSisimaiCpu, 2)}x)` : ''}`
          : '-',
        sisimai.ok ? fmt(sisimai.peakRssMB, 0) : '-',
      ]);
    }
  }
  if (classify.length > 0) {
    out.push('');
    out.push(...table(['classify', 'input', 'seconds', 'input rate', 'output rate', 'peak RSS MB'], classify));
  }
  const history = results.history;
  if (history) {
    out.push('');
    const rows = [
      [
        `clean ${fmt(history.listRows)} rows, no history`,
        history.cleanWithout.ok ? fmt(history.cleanWithout.seconds, 2) : 'FAILED',
        '1.00x',
        history.cleanWithout.ok ? fmt(history.cleanWithout.peakRssMB, 0) : '-',
      ],
      [
        `clean ${fmt(history.listRows)} rows, ${fmt(history.events)} events`,
        history.cleanWith.ok ? fmt(history.cleanWith.seconds, 2) : 'FAILED',
        history.ratio === null ? '-' : `${fmt(history.ratio, 2)}x`,
        history.cleanWith.ok ? fmt(history.cleanWith.peakRssMB, 0) : '-',
      ],
      [
        `ingest ${fmt(history.ingest.lines)} Postfix lines`,
        history.ingest.ok ? fmt(history.ingest.seconds, 2) : 'FAILED',
        history.ingest.ok ? `${fmt(history.ingest.linesPerSecond)} lines/s` : '-',
        history.ingest.ok ? fmt(history.ingest.peakRssMB, 0) : '-',
      ],
      [`prune ${fmt(history.events)} events`, history.prune.ok ? fmt(history.prune.seconds, 2) : 'FAILED', '-', '-'],
    ];
    out.push(...table(['history', 'seconds', 'ratio / rate', 'peak RSS MB'], rows));
    out.push(
      `history size: ${fmt(history.bytes / MB, 1)} MB for ${fmt(history.events)} generated events (${fmt(history.bytesPerEvent, 1)} bytes/event, generated in ${fmt(history.generateSeconds, 0)} s); ingested log: ${fmt(history.ingest.bytesPerEvent, 1)} bytes/event over ${fmt(history.ingest.events)} events`,
    );
  }
  const startup = results.startup;
  if (startup) {
    out.push('');
    const row = (name, run) => [
      name,
      run.ok ? fmt(run.seconds, 3) : 'FAILED',
      run.ok ? fmt(run.fastest, 3) : '-',
      run.vsNode === undefined ? '1.00x' : run.vsNode === null ? '-' : `${fmt(run.vsNode, 2)}x`,
    ];
    out.push(
      ...table(
        [`start-up (median of ${startup.runs})`, 'seconds', 'fastest', 'vs node -e 0'],
        [
          row('node -e 0 (reference)', startup.node),
          row('hygiene --version', startup.version),
          row('hygiene clean, 10 rows', startup.cleanTen),
        ],
      ),
    );
  }
  if (results.targets.length > 0) {
    out.push('');
    out.push(
      ...table(
        ['target', 'measured', 'verdict'],
        results.targets.map((t) => [
          t.target,
          t.value === null ? '-' : `${fmt(t.value, t.unit === 'x' ? 2 : t.unit === 's' ? 3 : 0)} ${t.unit}`,
          t.verdict,
        ]),
      ),
    );
  }
  const problems = [];
  for (const [name, run] of Object.entries(results.startup ?? {}))
    if (run && run.ok === false) problems.push(`start-up ${name}: ${run.error}`);
  for (const entry of results.clean) {
    if (!entry.floor.ok) problems.push(`floor ${entry.size}: ${entry.floor.error}`);
    if (!entry.clean.ok) problems.push(`clean ${entry.size}: ${entry.clean.error}`);
    if (entry.clean.warning) problems.push(`clean ${entry.size}: ${entry.clean.warning}`);
  }
  if (results.history) {
    const history = results.history;
    for (const [name, entry] of [
      ['clean without history', history.cleanWithout],
      ['clean with history', history.cleanWith],
      ['prune', history.prune],
      ['ingest', history.ingest],
    ]) {
      if (!entry.ok) problems.push(`history ${name}: ${entry.error}`);
    }
  }
  for (const [name, entry] of Object.entries(results.classify)) {
    if (entry?.sisimai && !entry.sisimai.ok) problems.push(`${entry.sisimai.skipped ? 'note' : 'Sisimai'}: ${entry.sisimai.error}`);
    if (entry && !entry.ok) problems.push(`classify ${name}: ${entry.error}`);
    if (entry?.warning) problems.push(`classify ${name}: ${entry.warning}`);
  }
  if (problems.length > 0) {
    out.push('', 'problems:');
    for (const problem of problems) out.push(`  ${briefly(problem).replaceAll('\n', '\n    ')}`);
  }
  const profiles = [
    ...results.clean.map((entry) => [`clean ${entry.size}`, entry.clean.profile]),
    ...Object.entries(results.classify).map(([name, entry]) => [`classify ${name}`, entry?.profile]),
  ];
  for (const [name, profile] of profiles) {
    if (!profile?.top?.length) continue;
    out.push('', `top self time, ${name} (${profile.file}):`);
    for (const item of profile.top) out.push(`  ${String(item.percent).padStart(5)}%  ${String(item.selfMs).padStart(7)} ms  ${item.name}`);
    out.push(`  by file: ${profile.topFiles.map((item) => `${item.name} ${item.percent}%`).join(', ')}`);
    out.push('  project functions, total time (self + callees):');
    for (const item of profile.topProjectInclusive)
      out.push(`  ${String(item.percent).padStart(5)}%  ${String(item.totalMs).padStart(7)} ms  ${item.name}`);
  }
  return `${out.join('\n')}\n`;
}

/** Stack frames and blank lines out, so the cause fits on screen (results.json keeps it all). */
function briefly(text) {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line));
  return lines.slice(0, 8).join('\n');
}

function table(header, rows) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)];
}

function fmt(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return '-';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function round(value, digits) {
  if (value === null || value === undefined) return null;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const options = readOptions();
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  await mkdir(options.tmp, { recursive: true });
  const gnuTime = options.rssFromProc ? null : findGnuTime(options.tmp);
  const context = { ...options, gnuTime };
  if (!existsSync(path.join(REPO, 'dist', 'cli', 'index.js')))
    log('warning: dist/cli/index.js is missing; run npm run build (CLI measurements will fail)');

  const cpus = os.cpus();
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus[0]?.model?.trim() ?? 'unknown',
    cpus: cpus.length,
    memoryMB: Math.round(os.totalmem() / MB),
    platform: `${os.platform()} ${os.release()}`,
    loadAverage: os.loadavg().map((load) => round(load, 2)),
    rssMethod: gnuTime ? `${gnuTime} -f %M (exact peak)` : `/proc/<pid>/status VmHWM polled every ${POLL_INTERVAL_MS} ms`,
    hygiene: path.relative(REPO, BIN) || BIN,
    options: {
      sizes: options.sizes,
      postfixLines: options.postfixLines,
      dsnMessages: options.dsnMessages,
      historyEvents: options.historyEvents,
      historyList: options.historyList,
      ingestLines: options.ingestLines,
      repeat: options.repeat,
      profile: options.profile,
    },
    clean: [],
    classify: {},
    targets: [],
  };

  if (options.only.has('clean')) {
    for (const rows of options.sizes) results.clean.push(await measureClean(rows, context));
  }
  if (options.only.has('postfix')) results.classify.postfix = await measurePostfix(context);
  if (options.only.has('dsn')) results.classify.dsn = await measureDsn(context);
  if (options.only.has('history')) results.history = await measureHistory(context);
  if (options.only.has('startup')) results.startup = await measureStartup(context);
  results.targets = judgeTargets(results);

  process.stdout.write(formatReport(results));
  if (options.write) {
    await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote ${path.relative(process.cwd(), RESULTS) || RESULTS}`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
