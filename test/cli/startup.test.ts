/**
 * Start-up: a command loads its own modules only, and `--version` loads none of the pipeline,
 * so short runs do not pay for the classifier, the address tables and SQLite. Which files were
 * loaded is read from V8's coverage output (NODE_V8_COVERAGE), which lists every script run.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './run-cli.js';

function loadedFiles(args: string[]): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-startup-'));
  try {
    const result = runCli(args, { env: { NODE_V8_COVERAGE: dir } });
    expect(result.status, result.stderr).toBe(0);
    const urls = new Set<string>();
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
      const coverage = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { result: { url: string }[] };
      for (const script of coverage.result) if (script.url.startsWith('file:')) urls.add(script.url);
    }
    return [...urls].map((url) => path.relative(REPO, new URL(url).pathname));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('start-up', () => {
  it('--version loads the CLI entry and the version, nothing of the pipeline', () => {
    const own = loadedFiles(['--version']).filter((file) => file.startsWith('dist/'));
    expect(own.sort()).toEqual(['dist/cli/commander.js', 'dist/cli/index.js', 'dist/version.js']);
  });

  it('a command loads its own pipeline only: config does not load the bounce readers or SQLite', () => {
    const files = loadedFiles(['config', '--print']);
    expect(files.some((file) => file.startsWith('dist/cli/config.js'))).toBe(true);
    const heavy =
      /^dist\/(bounces\/formats|bounces\/classify|pipeline|address|dns)\/|^dist\/contacts\/(reader|writer|mailbox-index)\.js|node_modules\/(better-sqlite3|postal-mime|tldts|tr46)\//;
    expect(files.filter((file) => heavy.test(file))).toEqual([]);
    expect(files.filter((file) => file.startsWith('dist/state/') && file !== 'dist/state/default-path.js')).toEqual([]);
  });

  it('classify of mail messages into JSONL loads neither the configuration nor the CSV reader and writer', () => {
    const files = loadedFiles(['classify', 'fixtures/bounces/eml', '--format', 'jsonl', '--quiet']);
    expect(files.some((file) => file === 'dist/pipeline/read-bounces.js')).toBe(true);
    const unneeded = /^dist\/config\/|^dist\/report\/bounce-csv\.js|node_modules\/(csv-parse|csv-stringify|tinyglobby)\//;
    expect(files.filter((file) => unneeded.test(file))).toEqual([]);
  });

  it('clean of a list without bounces, history or DNS loads no bounce reader, SQLite, DNS, IDN or legacy-encoding code', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-startup-list-'));
    try {
      const list = path.join(dir, 'list.csv');
      writeFileSync(list, 'email,name\nann@example.com,Ann\nbob@gmial.com,Bob\n');
      const files = loadedFiles(['clean', list, '--out-dir', path.join(dir, 'out'), '--state', path.join(dir, 'none.db')]);
      expect(files.some((file) => file === 'dist/pipeline/clean.js')).toBe(true);
      const unneeded =
        /^dist\/(bounces\/formats|bounces\/classify|lint\/rules)\/|^dist\/pipeline\/(read-bounces|domain-checks)|^dist\/state\/history-store|^dist\/dns\/(?!types)|node_modules\/(better-sqlite3|postal-mime|tr46|iconv-lite|tinyglobby)\//;
      expect(files.filter((file) => unneeded.test(file))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
