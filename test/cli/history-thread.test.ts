/**
 * A big list is checked against the history on a thread of its own, each batch routed while the
 * next one's lookup runs: the lists and counts must be those of the same run on one thread
 * (HYGIENE_WORKERS=0), whatever the history says about the rows.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HISTORY_THREAD_MIN_ROWS } from '../../src/pipeline/clean.js';
import { runCliAsync } from '../reliability/cli-process.js';
import { REPO } from './run-cli.js';

const NOW = '2026-11-23T18:00:00Z';
const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-history-thread-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('clean with a history lookup thread', () => {
  it('writes the same lists and counts as one thread, the history deciding rows all through the list', async () => {
    // The demo's rows (bounced, complained, soft-bounced addresses among them) spread through
    // more rows than the thread's threshold, so that many batches each ask the history.
    const demo = readFileSync(path.join(REPO, 'fixtures/demo/contacts.csv'), 'utf8').split('\r\n').filter(Boolean);
    const [header, ...rows] = demo;
    const lines = [header!];
    const every = Math.floor(HISTORY_THREAD_MIN_ROWS / rows.length);
    for (let i = 0; i < HISTORY_THREAD_MIN_ROWS + 5_000; i++) {
      lines.push(i % every === 0 && rows.length > 0 ? rows.shift()! : `Filler,Row,filler${i}@example.com,,NL,2026-01-01,,`);
    }
    lines.push(...rows);
    const list = path.join(dir, 'list.csv');
    writeFileSync(list, `${lines.join('\r\n')}\r\n`);
    const state = path.join(dir, 'history.db');
    const ingest = await runCliAsync(['ingest', path.join(REPO, 'fixtures/demo/bounces'), '--state', state, '--quiet']);
    expect(ingest.status, ingest.stderr).toBe(0);

    const run = (out: string, env: Record<string, string>) =>
      runCliAsync(['clean', list, '--state', state, '--now', NOW, '--out-dir', path.join(dir, out), '--quiet'], { env });
    // The coverage output lists every script run, the thread's too: it proves the thread was used.
    const coverage = path.join(dir, 'coverage');
    const [single, threaded] = [await run('single', { HYGIENE_WORKERS: '0' }), await run('threaded', { NODE_V8_COVERAGE: coverage })];
    expect(single.status, single.stderr).toBe(0);
    expect(threaded.status, threaded.stderr).toBe(0);
    for (const name of ['cleaned.csv', 'suppressed.csv', 'retry-later.csv']) {
      expect(readFileSync(path.join(dir, 'threaded', name)), name).toEqual(readFileSync(path.join(dir, 'single', name)));
    }
    const scripts = readdirSync(coverage).map((file) => readFileSync(path.join(coverage, file), 'utf8'));
    expect(scripts.some((text) => text.includes('history-verdicts-worker.js'))).toBe(true);
    const report = (out: string) => JSON.parse(readFileSync(path.join(dir, out, 'report.json'), 'utf8'));
    expect(report('threaded').reasons).toEqual(report('single').reasons);
    for (const reason of ['hard-bounce', 'complaint', 'soft-bounce']) expect(report('threaded').reasons[reason], reason).toBeGreaterThan(0);
  }, 120_000);
});
