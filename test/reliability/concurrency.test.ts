/**
 * Two runs on one history database: they wait for each other and together store every event
 * exactly once. A damaged database is refused with a clear message and left byte for byte as it
 * was: never silently reset.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HygieneError } from '../../src/errors.js';
import { HistoryStore } from '../../src/state/history-store.js';
import type { BounceRecord } from '../../src/bounces/types.js';
import { runCli } from '../cli/run-cli.js';
import { REPO, runCliAsync, startCli } from './cli-process.js';

const NOW = '2026-11-24T00:00:00Z';
let dir: string;
let list: string;

function postfixLine(i: number): string {
  const second = String(i % 60).padStart(2, '0');
  const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
  const queueId = (0xd00000 + i).toString(16).toUpperCase();
  const soft = i % 3 === 0;
  return `2026-11-20T10:${minute}:${second}+00:00 mx1 postfix/smtp[77]: ${queueId}: to=<u${i}@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=${soft ? '4.2.2' : '5.1.1'}, status=${soft ? 'deferred' : 'bounced'} (host mx.example.org[192.0.2.7] said: ${soft ? '452 4.2.2 Mailbox full' : '550 5.1.1 No such user'} (in reply to RCPT TO command))`;
}

function writeLog(name: string, from: number, to: number): string {
  const file = path.join(dir, name);
  const lines: string[] = [];
  for (let i = from; i < to; i++) lines.push(postfixLine(i));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function storedEvents(db: string): { n: number; ids: number } {
  const connection = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return connection
      .prepare('SELECT count(*) AS n, (SELECT count(*) FROM (SELECT DISTINCT address, identity FROM events)) AS ids FROM events')
      .get() as { n: number; ids: number };
  } finally {
    connection.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-concurrency-'));
  list = path.join(dir, 'contacts.csv');
  writeFileSync(list, 'email\nu1@example.org\nu3@example.org\nu2500@example.org\nkeep@example.com\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('two runs on the same history database', () => {
  it('two clean runs at once on a new database both succeed; overlapping logs are stored once', async () => {
    // a.log: events 0..1999, b.log: 1000..2999 (1000 lines in both).
    const a = writeLog('a.log', 0, 2000);
    const b = writeLog('b.log', 1000, 3000);
    const state = path.join(dir, 'shared.db');
    const run = (log: string, out: string) =>
      startCli(['clean', list, '--bounces', log, '--state', state, '--now', NOW, '--out-dir', path.join(dir, out), '--json']);
    const [first, second] = await Promise.all([run(a, 'out-a').done, run(b, 'out-b').done]);
    expect(first.status, first.stderr).toBe(0);
    expect(second.status, second.stderr).toBe(0);
    expect(JSON.parse(first.stdout).bounces.events).toBe(2000);
    expect(JSON.parse(second.stdout).bounces.events).toBe(2000);
    expect(storedEvents(state)).toEqual({ n: 3000, ids: 3000 });

    // An event read by both runs is in the history once.
    const history = runCli(['history', 'u1500@example.org', '--state', state, '--now', NOW, '--json']);
    expect(history.status).toBe(0);
    expect(JSON.parse(history.stdout).history.events).toHaveLength(1);
    // And each run's own lists used the history: u1 (hard) and u3 (soft) in both, per their log.
    const suppressedA = readFileSync(path.join(dir, 'out-a', 'suppressed.csv'), 'utf8');
    expect(suppressedA).toMatch(/^u1@example\.org,hard-bounce,/m);
  });

  it('four runs creating the same new history at once all succeed, each event stored once', async () => {
    // The previous release switched a new, empty file to WAL in place; two runs doing that at the
    // same moment got "database is locked" at once, whatever the busy timeout (SQLite does not
    // wait inside a journal-mode switch). A history is now built aside and linked into place.
    const state = path.join(dir, 'created-at-once.db');
    const logs = [0, 1, 2, 3].map((n) => writeLog(`at-once-${n}.log`, n * 500, n * 500 + 1000));
    const runs = logs.map((log) => startCli(['ingest', log, '--state', state, '--json']));
    const results = await Promise.all(runs.map((run) => run.done));
    for (const result of results) expect(result.status, result.stderr).toBe(0);
    expect(results.reduce((sum, result) => sum + JSON.parse(result.stdout).added, 0)).toBe(2500);
    expect(storedEvents(state)).toEqual({ n: 2500, ids: 2500 });
    expect(readdirSync(dir).filter((name) => name.includes('.creating'))).toEqual([]);
  });

  it('a history in rollback-journal mode held by a writer: the switch to WAL waits for it', async () => {
    const state = path.join(dir, 'rollback.db');
    HistoryStore.open(state).close();
    const setup = new Database(state);
    setup.pragma('journal_mode = DELETE');
    setup.close();
    const holdMs = 800;
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const Database = require('better-sqlite3');
         const db = new Database(process.argv[1]);
         db.exec('BEGIN IMMEDIATE');
         db.exec("INSERT INTO overrides (address, at, note) VALUES ('held@example.com', '2026-01-01T00:00:00.000Z', 'held')");
         process.stdout.write('locked\\n');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${holdMs});`,
        state,
      ],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      holder.on('exit', (code) => reject(new Error(`lock holder exited early (${code})`)));
    });
    const store = HistoryStore.open(state);
    store.close();
    await exited;
    const check = new Database(state, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(check.prepare("SELECT count(*) FROM overrides WHERE note = 'held'").pluck().get()).toBe(1);
    check.close();
  });

  it('a run waits while another holds the database, then completes', async () => {
    const state = path.join(dir, 'held.db');
    const log = writeLog('held.log', 0, 50);
    const seed = runCli(['ingest', log, '--state', state, '-q']);
    expect(seed.status, seed.stderr).toBe(0);

    const holder = new Database(state);
    holder.pragma('busy_timeout = 5000');
    holder.prepare('BEGIN IMMEDIATE').run();
    const other = writeLog('held-2.log', 50, 100);
    const started = Date.now();
    const waiting = startCli([
      'clean',
      list,
      '--bounces',
      other,
      '--state',
      state,
      '--now',
      NOW,
      '--out-dir',
      path.join(dir, 'out-held'),
      '-q',
    ]);
    const holdMs = 1500;
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    expect(waiting.child.exitCode, 'the second run must wait, not fail').toBeNull();
    holder.prepare('COMMIT').run();
    holder.close();
    const ended = await waiting.done;
    expect(ended.status, ended.stderr).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(holdMs);
    expect(storedEvents(state)).toEqual({ n: 100, ids: 100 });
  });

  it('a database held for longer than the wait gives a clear "busy" error, not a crash', () => {
    const state = path.join(dir, 'busy.db');
    HistoryStore.open(state).close();
    const holder = new Database(state);
    holder.prepare('BEGIN IMMEDIATE').run();
    const store = HistoryStore.open(state, { busyTimeoutMs: 100 });
    const record: BounceRecord = {
      recipient: 'ann@example.org',
      class: 'hard',
      reason: 'userunknown',
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 no such user',
      remoteMta: null,
      at: '2026-11-20T10:00:00.000Z',
      queueId: 'Q1',
      format: 'postfix',
      source: 'mail.log:1',
    };
    try {
      let failure: unknown = null;
      try {
        store.ingest([record], new Date(NOW));
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(HygieneError);
      expect(failure).toMatchObject({ code: 'STATE_BUSY', exitCode: 2 });
      expect((failure as HygieneError).message).toMatch(/another hygiene run kept the history busy/);
    } finally {
      store.close();
      holder.prepare('ROLLBACK').run();
      holder.close();
    }
  });
});

describe('a damaged history database is refused, never reset', () => {
  const bounces = path.join(REPO, 'fixtures/demo/bounces');
  let good: string;
  beforeAll(() => {
    good = path.join(dir, 'good.db');
    const seeded = runCli(['ingest', bounces, '--state', good, '-q']);
    expect(seeded.status, seeded.stderr).toBe(0);
  });
  const everyCommand = (state: string, outDir: string) => [
    ['clean', list, '--bounces', bounces, '--state', state, '--now', NOW, '--out-dir', outDir],
    ['ingest', bounces, '--state', state],
    ['history', 'ann@example.org', '--state', state],
  ];
  const cases: { name: string; make: (file: string) => void; commands: (state: string, outDir: string) => string[][] }[] = [
    {
      name: 'junk bytes',
      make: (file) => writeFileSync(file, 'this is not a database\n'.repeat(300)),
      commands: (state, outDir) => everyCommand(state, outDir).slice(0, 1),
    },
    {
      name: 'a real history with damaged pages',
      make: (file) => {
        const bytes = readFileSync(good);
        // Keep the header page, overwrite every other page: what a bad disk or a half copy leaves.
        for (let offset = 4096; offset < bytes.length; offset += 4) bytes.writeUInt32BE(0xdeadbeef, offset);
        writeFileSync(file, bytes);
      },
      commands: everyCommand,
    },
    {
      name: 'a truncated copy',
      make: (file) => writeFileSync(file, readFileSync(good).subarray(0, 5000)),
      commands: (state, outDir) => everyCommand(state, outDir).slice(0, 1),
    },
  ];
  for (const { name, make, commands } of cases) {
    it(`${name}: exit 2 with a clear message; the file is unchanged`, async () => {
      const state = path.join(dir, `${name.replace(/\W+/g, '-')}.db`);
      make(state);
      const before = readFileSync(state);
      const outDir = path.join(dir, `out-${path.basename(state)}`);
      const runs = commands(state, outDir);
      const results = await Promise.all(runs.map((args) => runCliAsync(args)));
      for (const [index, result] of results.entries()) {
        const args = runs[index]!;
        expect(result.status, `${args[0]}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toMatch(/damaged or foreign history: .*left as it is and will NOT be reset/);
        expect(result.stderr).toMatch(/hint: Restore it from a backup, or move it aside/);
        expect(readFileSync(state).equals(before), `${args[0]} left the file as it was`).toBe(true);
      }
      expect(existsSync(path.join(outDir, 'cleaned.csv'))).toBe(false);
      expect(existsSync(`${state}-wal`) ? readFileSync(`${state}-wal`).length : 0).toBe(0);
    });
  }
});
