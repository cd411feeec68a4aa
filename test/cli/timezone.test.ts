/**
 * Log times without a zone are read in the machine's zone (TZ), or the one --timezone names,
 * by every command that reads bounces: classify, ingest, and clean/check --bounces.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'hygiene-tz-'));
}

// Postfix logs local time: 12:00 in Berlin in July is 10:00 UTC, in January 11:00 UTC.
const SUMMER =
  'Jul  1 12:00:00 mx1 postfix/smtp[1]: 4B2A1C: to=<ann@example.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.1]:25: Connection timed out)\n';
const WINTER =
  'Jan 15 12:00:00 mx1 postfix/smtp[1]: 5C3B2D: to=<bob@example.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.1]:25: Connection timed out)\n';

function classifyTimes(args: string[], env: Record<string, string> = {}): string[] {
  const dir = tmp();
  const log = path.join(dir, 'mail.log');
  writeFileSync(log, SUMMER + WINTER);
  const result = runCli(['classify', log, '--format', 'jsonl', '--year', '2026', ...args], { env });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line).at as string)
    .sort();
}

describe('log times without a zone', () => {
  it("are read in the machine's zone (TZ), summer and winter time", () => {
    expect(classifyTimes([], { TZ: 'Europe/Berlin' })).toEqual(['2026-01-15T11:00:00.000Z', '2026-07-01T10:00:00.000Z']);
    expect(classifyTimes([], { TZ: 'UTC' })).toEqual(['2026-01-15T12:00:00.000Z', '2026-07-01T12:00:00.000Z']);
  });

  it('are read in the zone --timezone names, an IANA name or an offset, whatever TZ says', () => {
    expect(classifyTimes(['--timezone', 'America/New_York'], { TZ: 'Europe/Berlin' })).toEqual([
      '2026-01-15T17:00:00.000Z',
      '2026-07-01T16:00:00.000Z',
    ]);
    expect(classifyTimes(['--timezone', '+05:30'], { TZ: 'Europe/Berlin' })).toEqual([
      '2026-01-15T06:30:00.000Z',
      '2026-07-01T06:30:00.000Z',
    ]);
    expect(classifyTimes(['--timezone', 'UTC'], { TZ: 'Asia/Tokyo' })).toEqual(['2026-01-15T12:00:00.000Z', '2026-07-01T12:00:00.000Z']);
  });

  it('an unknown zone is a usage error (exit 2) with a hint, for every command that reads bounces', () => {
    const dir = tmp();
    const log = path.join(dir, 'mail.log');
    writeFileSync(log, SUMMER);
    writeFileSync(path.join(dir, 'list.csv'), 'email\nann@example.org\n');
    for (const args of [
      ['classify', log],
      ['ingest', log, '--state', path.join(dir, 'h.db')],
      ['clean', path.join(dir, 'list.csv'), '--bounces', log, '--no-state', '--out-dir', path.join(dir, 'out')],
      ['check', path.join(dir, 'list.csv'), '--bounces', log, '--no-state'],
    ]) {
      const result = runCli([...args, '--timezone', 'Mars/Olympus_Mons']);
      expect(result.status, args[0]).toBe(2);
      expect(result.stderr).toContain('--timezone "Mars/Olympus_Mons" is not a time zone');
      expect(result.stderr).toMatch(/IANA zone name .*offset/);
    }
  });

  it('ingest stores, and clean --bounces reports, the time read in the named zone', () => {
    const dir = tmp();
    const log = path.join(dir, 'mail.log');
    writeFileSync(log, SUMMER);
    const state = path.join(dir, 'h.db');
    expect(runCli(['ingest', log, '--year', '2026', '--timezone', 'Europe/Berlin', '--state', state, '--quiet']).status).toBe(0);
    const history = runCli(['history', 'ann@example.org', '--state', state, '--json', '--now', '2026-07-01T11:00:00Z']);
    expect(JSON.parse(history.stdout).history.events[0].at).toBe('2026-07-01T10:00:00.000Z');

    writeFileSync(path.join(dir, 'list.csv'), 'email\nann@example.org\n');
    const out = path.join(dir, 'out');
    const clean = runCli([
      'clean',
      path.join(dir, 'list.csv'),
      '--bounces',
      log,
      '--year',
      '2026',
      '--timezone',
      '-04:00',
      '--no-state',
      '--out-dir',
      out,
      '--now',
      '2026-07-01T17:00:00Z',
    ]);
    expect(clean.status, clean.stderr).toBe(0);
    expect(readFileSync(path.join(out, 'retry-later.csv'), 'utf8')).toContain('2026-07-01T16:00:00');
  });
});
