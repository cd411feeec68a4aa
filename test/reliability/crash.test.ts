/**
 * Crash safety: `hygiene clean` killed with SIGKILL half-way (no handler runs, nothing is
 * flushed) never leaves a final-named list that is half-written, never damages the history
 * database, and the next run just works.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { startCli, waitFor } from './cli-process.js';

const FINAL_NAMES = ['cleaned.csv', 'suppressed.csv', 'retry-later.csv', 'report.json'];
const NOW = '2026-11-24T00:00:00Z';

let dir: string;
let bigList: string;
let smallList: string;
let smallLog: string;

function postfixLine(i: number, recipient: string): string {
  const second = String(i % 60).padStart(2, '0');
  const minute = String(Math.floor(i / 60) % 60).padStart(2, '0');
  const hour = String(10 + Math.floor(i / 3600)).padStart(2, '0');
  const queueId = (0xc00000 + i).toString(16).toUpperCase();
  return `2026-11-20T${hour}:${minute}:${second}+00:00 mx1 postfix/smtp[4242]: ${queueId}: to=<${recipient}>, relay=mx.example.org[192.0.2.7]:25, delay=1, delays=0.1/0/0.5/0.4, dsn=5.1.1, status=bounced (host mx.example.org[192.0.2.7] said: 550 5.1.1 No such user (in reply to RCPT TO command))`;
}

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-crash-'));
  // ~300k rows (13 MB): several seconds of work, so a kill lands in the middle.
  const rows = ['first,last,email,company'];
  for (let i = 0; i < 300_000; i++) rows.push(`Ann${i},Lee,ann.lee${i}@${i % 7 === 0 ? 'gmial.com' : 'example.com'},Acme`);
  bigList = path.join(dir, 'big.csv');
  writeFileSync(bigList, `${rows.join('\n')}\n`);
  smallList = path.join(dir, 'small.csv');
  writeFileSync(smallList, 'email\nann.lee1@example.com\nbo@example.org\n');
  smallLog = path.join(dir, 'mail.log');
  writeFileSync(smallLog, `${postfixLine(0, 'ann.lee1@example.com')}\n${postfixLine(1, 'ann.lee2@example.com')}\n`);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function eventCount(db: string): number {
  if (!existsSync(db)) return 0;
  const connection = new Database(db, { fileMustExist: true });
  try {
    return (connection.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  } catch {
    return 0; // schema not created yet
  } finally {
    connection.close();
  }
}

function integrity(db: string): string {
  const connection = new Database(db, { fileMustExist: true });
  try {
    return connection.pragma('integrity_check', { simple: true }) as string;
  } finally {
    connection.close();
  }
}

function tempOutputBytes(outDir: string): number {
  if (!existsSync(outDir)) return 0;
  return readdirSync(outDir)
    .filter((name) => name.startsWith('.cleaned.csv.') && name.endsWith('.tmp'))
    .reduce((sum, name) => sum + statSync(path.join(outDir, name), { throwIfNoEntry: false })!.size, 0);
}

/** Starts `clean` on the big list and kills it once it is writing its lists. */
async function killWhileWriting(outDir: string, state: string): Promise<void> {
  const run = startCli(['clean', bigList, '--bounces', smallLog, '--state', state, '--now', NOW, '--out-dir', outDir, '-q']);
  await waitFor(() => tempOutputBytes(outDir) > 256 * 1024 || run.child.exitCode !== null, 30_000, 'clean to start writing');
  run.child.kill('SIGKILL');
  const ended = await run.done;
  expect(ended.signal, `the run ended before it was killed: ${ended.stderr}`).toBe('SIGKILL');
}

describe('SIGKILL during hygiene clean', () => {
  it('while writing the lists: no final-named output at all, the history is intact, the next run completes', async () => {
    const outDir = path.join(dir, 'fresh-out');
    const state = path.join(dir, 'fresh.db');
    await killWhileWriting(outDir, state);

    const left = readdirSync(outDir);
    expect(left.filter((name) => FINAL_NAMES.includes(name))).toEqual([]);
    // What a kill leaves is only dot-named temporary files, never something that looks complete.
    for (const name of left) expect(name).toMatch(/^\.[a-z-]+\.(csv|json)\.[0-9a-f.]+\.tmp$/);

    expect(integrity(state)).toBe('ok');
    expect(eventCount(state)).toBe(2);
    const history = runCli(['history', 'ann.lee1@example.com', '--state', state, '--now', NOW]);
    expect(history.status).toBe(0);
    expect(history.stdout).toMatch(/suppressed \(hard-bounce\)/);

    // The leftovers do not get in the way of the next run (same folder, same history).
    const rerun = runCli(['clean', smallList, '--bounces', smallLog, '--state', state, '--now', NOW, '--out-dir', outDir, '--json']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).counts).toEqual({ cleaned: 1, suppressed: 1, retryLater: 0 });
    expect(eventCount(state)).toBe(2);
  });

  it('over the lists of an earlier run: those stay byte for byte as they were, never half-replaced', async () => {
    const outDir = path.join(dir, 'previous-out');
    const state = path.join(dir, 'previous.db');
    const first = runCli(['clean', smallList, '--bounces', smallLog, '--state', state, '--now', NOW, '--out-dir', outDir, '-q']);
    expect(first.status, first.stderr).toBe(0);
    const before = new Map(FINAL_NAMES.map((name) => [name, readFileSync(path.join(outDir, name))]));

    await killWhileWriting(outDir, state);

    for (const [name, bytes] of before) expect(readFileSync(path.join(outDir, name)).equals(bytes), name).toBe(true);
    expect(integrity(state)).toBe('ok');
    expect(eventCount(state)).toBe(2);
  });

  it('while recording bounces: only whole batches are stored, and a rerun stores the rest, each event once', async () => {
    const events = 20_000;
    const log = path.join(dir, 'big-mail.log');
    writeFileSync(log, `${Array.from({ length: events }, (_, i) => postfixLine(i, `u${i}@example.org`)).join('\n')}\n`);
    const state = path.join(dir, 'ingest.db');
    const outDir = path.join(dir, 'ingest-out');
    const args = ['clean', smallList, '--bounces', log, '--state', state, '--now', NOW, '--out-dir', outDir, '-q'];

    const run = startCli(args);
    await waitFor(() => eventCount(state) > 0 || run.child.exitCode !== null, 30_000, 'the first batch of events to be stored');
    run.child.kill('SIGKILL');
    const ended = await run.done;
    expect(ended.signal, `the run ended before it was killed: ${ended.stderr}`).toBe('SIGKILL');

    expect(integrity(state)).toBe('ok');
    const partial = eventCount(state);
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(events);
    expect(existsSync(path.join(outDir, 'cleaned.csv'))).toBe(false);

    const rerun = runCli(args);
    expect(rerun.status, rerun.stderr).toBe(0);
    const connection = new Database(state, { readonly: true });
    try {
      expect(
        connection
          .prepare(
            'SELECT count(*) AS n, (SELECT count(*) FROM (SELECT DISTINCT address, identity FROM events)) AS ids, count(DISTINCT address) AS addresses FROM events',
          )
          .get(),
      ).toEqual({
        n: events,
        ids: events,
        addresses: events,
      });
    } finally {
      connection.close();
    }
  });
});
