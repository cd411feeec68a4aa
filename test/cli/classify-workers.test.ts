/**
 * A big folder of bounce messages is read on worker threads: the output must be the same bytes,
 * the same summary and the same first error as reading it on one thread (HYGIENE_WORKERS=0).
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_MIN_INPUTS } from '../../src/pipeline/read-bounces-workers.js';
import { REPO, runCli } from './run-cli.js';

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'hygiene-workers-'));
  const sources = readdirSync(path.join(REPO, 'fixtures/bounces/eml')).sort();
  // More messages than the threshold, so that the default run uses workers.
  for (let i = 0; i < WORKER_MIN_INPUTS + 100; i++) {
    const source = sources[i % sources.length]!;
    copyFileSync(path.join(REPO, 'fixtures/bounces/eml', source), path.join(folder, `${String(i).padStart(5, '0')}-${source}`));
  }
});

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('classify on worker threads', () => {
  it('prints the same records in the same order, and the same summary, as one thread', () => {
    for (const format of ['jsonl', 'csv']) {
      const threaded = runCli(['classify', folder, '--format', format], { env: { HYGIENE_WORKERS: '2' } });
      const single = runCli(['classify', folder, '--format', format], { env: { HYGIENE_WORKERS: '0' } });
      expect(threaded.status).toBe(0);
      expect(threaded.stdout.split('\n').length).toBeGreaterThan(WORKER_MIN_INPUTS);
      expect(threaded.stdout).toBe(single.stdout);
      expect(threaded.stderr).toBe(single.stderr);
    }
  }, 120_000);

  it('stops at the same first error with --strict', () => {
    const broken = path.join(folder, '00500-broken.eml');
    writeFileSync(broken, 'this is not a bounce message at all\n');
    try {
      const threaded = runCli(['classify', folder, '--strict'], { env: { HYGIENE_WORKERS: '2' } });
      const single = runCli(['classify', folder, '--strict'], { env: { HYGIENE_WORKERS: '0' } });
      expect(threaded.status).toBe(2);
      expect(threaded.stderr).toContain('00500-broken.eml');
      expect({ status: threaded.status, stdout: threaded.stdout, stderr: threaded.stderr }).toEqual({
        status: single.status,
        stdout: single.stdout,
        stderr: single.stderr,
      });
    } finally {
      rmSync(broken);
    }
  }, 120_000);
});

describe('classify on worker threads, with standard input among the inputs', () => {
  it('reads - on the main thread, so its records are there', () => {
    const message = readFileSync(path.join(REPO, 'fixtures/bounces/eml/postfix-dsn.eml'), 'utf8');
    const threaded = runCli(['classify', folder, '-', '--format', 'jsonl'], { input: message, env: { HYGIENE_WORKERS: '2' } });
    const single = runCli(['classify', folder, '-', '--format', 'jsonl'], { input: message, env: { HYGIENE_WORKERS: '0' } });
    expect(threaded.status).toBe(0);
    expect(threaded.stdout).toContain('"source":"-#1"');
    expect(threaded.stdout).toBe(single.stdout);
  }, 120_000);
});

describe('classify on worker threads, with a time zone for zone-less log times', () => {
  it('reads the logs in the zone given, as one thread does', () => {
    const logs = Array.from({ length: 5 }, (_, i) => path.join(folder, `00${i}-mail.log`));
    for (const log of logs) copyFileSync(path.join(REPO, 'fixtures/bounces/postfix/mail.log'), log);
    try {
      const args = ['classify', folder, '--format', 'jsonl', '--year', '2026', '--timezone', 'Europe/Berlin'];
      const threaded = runCli(args, { env: { HYGIENE_WORKERS: '2' } });
      const single = runCli(args, { env: { HYGIENE_WORKERS: '0' } });
      expect(threaded.status).toBe(0);
      expect(threaded.stdout).toContain('"format":"postfix"');
      expect(threaded.stdout).toBe(single.stdout);
      // The same logs read as UTC give other times: the zone did reach the workers.
      const utc = runCli(['classify', folder, '--format', 'jsonl', '--year', '2026', '--timezone', 'UTC'], {
        env: { HYGIENE_WORKERS: '2' },
      });
      expect(utc.stdout).not.toBe(threaded.stdout);
    } finally {
      for (const log of logs) rmSync(log);
    }
  }, 120_000);
});
