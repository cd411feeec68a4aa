import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectMatchesFile, REPO, runCli } from './run-cli.js';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'hygiene-cli-'));
const NOW = '2026-11-23T18:00:00Z';

function countRows(file: string): number {
  // Every output has a header; the demo has no multi-line field in the lists compared here.
  return readFileSync(file, 'utf8').split(/\r\n/).filter(Boolean).length - 1;
}

describe('hygiene clean (built CLI)', () => {
  it('writes the three lists and report for the README demo, with bounces', () => {
    const out = tmp();
    const result = runCli([
      'clean',
      'fixtures/demo/contacts.csv',
      '--bounces',
      'fixtures/demo/bounces',
      '--now',
      NOW,
      '--no-state',
      '--out-dir',
      out,
    ]);
    expect(result.stderr).toMatch(/355 rows in/);
    expect(result.status).toBe(0);
    for (const name of ['cleaned.csv', 'suppressed.csv', 'retry-later.csv']) {
      expectMatchesFile(readFileSync(path.join(out, name), 'utf8'), `demo/${name}`);
    }
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.input.rows).toBe(355);
    expect(report.counts.cleaned + report.counts.suppressed + report.counts.retryLater).toBe(355);
    // Every reason of the contract that the demo can show without a suppression import.
    for (const reason of [
      'invalid-syntax',
      'typo-domain',
      'disposable',
      'duplicate',
      'hard-bounce',
      'complaint',
      'soft-bounce-limit',
      'soft-bounce',
      'sender-blocked',
    ]) {
      expect(report.reasons[reason], reason).toBeGreaterThan(0);
    }
    expect(report.flags.role).toBeGreaterThan(0);
    expect(report.bounces.warnings.join(' ')).toMatch(/Gmail 5\.7\.26/);
    expect(countRows(path.join(out, 'cleaned.csv'))).toBe(report.counts.cleaned);
    // No temporary file is left behind.
    expect(readdirSync(out).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps cleaned rows byte for byte and copies the header and delimiter', () => {
    const out = tmp();
    const result = runCli(['clean', 'fixtures/contacts/semicolon-latin1.csv', '--out-dir', out, '--quiet']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    // Windows-1252 in, Windows-1252 out: the unchanged rows are the input's own bytes.
    const cleaned = readFileSync(path.join(out, 'cleaned.csv'));
    const input = readFileSync('fixtures/contacts/semicolon-latin1.csv');
    expect(cleaned.toString('latin1')).toBe(
      'Nom;Prénom;Courriel;Ville\r\nDurand;Zoé;zoe.durand@example.fr;Orléans\r\nMartin;Loïc;loic.martin@example.fr;Besançon\r\n',
    );
    for (const line of cleaned.toString('latin1').split('\r\n').filter(Boolean)) expect(input.toString('latin1')).toContain(line);
    const suppressed = readFileSync(path.join(out, 'suppressed.csv'), 'latin1');
    expect(suppressed.split('\r\n')[1]).toMatch(/^Petit;Aurélie;aurelie\.\.petit@example\.fr;Nîmes;invalid-syntax;/);
  });

  it('--fix corrects the address in cleaned.csv and records every change in fixes.csv', () => {
    const out = tmp();
    const result = runCli(['clean', 'fixtures/contacts/multiline.csv', '--fix', '--out-dir', out]);
    expect(result.status).toBe(0);
    const cleaned = readFileSync(path.join(out, 'cleaned.csv'), 'utf8');
    expect(cleaned).toContain('Bob,"a ""quoted"" word",bob@gmail.com');
    expect(cleaned).toContain('cy@example.org');
    const fixes = readFileSync(path.join(out, 'fixes.csv'), 'utf8').split('\r\n');
    expect(fixes[0]).toBe('row,before,after,why,column');
    expect(fixes[1]).toMatch(/^4,bob@gmial\.com,bob@gmail\.com,/);
    expect(fixes[2]).toMatch(/^5,cy@@example\.org,cy@example\.org,/);
  });

  it('without --fix nothing in the data changes', () => {
    const out = tmp();
    runCli(['clean', 'fixtures/contacts/multiline.csv', '--out-dir', out]);
    expect(existsSync(path.join(out, 'fixes.csv'))).toBe(false);
    const suppressed = readFileSync(path.join(out, 'suppressed.csv'), 'utf8');
    expect(suppressed).toContain('bob@gmial.com,typo-domain,');
  });

  it('--json prints report.json to stdout and nothing else there', () => {
    const out = tmp();
    const result = runCli(['clean', 'fixtures/contacts/utf8-bom-pipe.csv', '--json', '--out-dir', out]);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.input.delimiter).toBe('|');
    expect(report.reasons).toEqual({ 'typo-domain': 1, duplicate: 1 });
    expect(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')).counts).toEqual(report.counts);
  });

  it('--suppress-role and --dedupe-aliases change the lists as documented', () => {
    const dir = tmp();
    const input = path.join(dir, 'list.csv');
    writeFileSync(input, 'email\ninfo@example.com\nann.lee@gmail.com\nannlee+news@gmail.com\n');
    const plain = runCli(['clean', input, '--json', '--out-dir', path.join(dir, 'a')]);
    expect(JSON.parse(plain.stdout).counts).toEqual({ cleaned: 3, suppressed: 0, retryLater: 0 });
    const strict = runCli(['clean', input, '--json', '--suppress-role', '--dedupe-aliases', '--out-dir', path.join(dir, 'b')]);
    expect(JSON.parse(strict.stdout).reasons).toEqual({ role: 1, duplicate: 1 });
  });

  it('refuses an output folder that would overwrite the input', () => {
    const dir = tmp();
    const input = path.join(dir, 'cleaned.csv');
    writeFileSync(input, 'email\nann@example.com\n');
    const result = runCli(['clean', input, '--out-dir', dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/never overwrites an input/);
    expect(readFileSync(input, 'utf8')).toBe('email\nann@example.com\n');
  });

  it('prints help with examples, and the version', () => {
    expect(runCli(['clean', '--help']).stdout).toMatch(/Examples:[\s\S]*hygiene clean contacts\.csv/);
    expect(runCli(['--help']).stdout).toMatch(/classify/);
    const version = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    expect(runCli(['--version']).stdout.trim()).toBe(version);
  });
});

describe('hygiene clean on bad input: exit 2, file and line, no outputs', () => {
  const cases: [string, RegExp][] = [
    ['empty.csv', /empty\.csv: the file is empty/],
    ['binary.csv', /binary\.csv:3: binary data/],
    ['nul-bytes.csv', /nul-bytes\.csv:3: /],
    ['mixed-encodings.csv', /mixed-encodings\.csv:8: .*mixes encodings/],
    ['ragged.csv', /ragged\.csv:3: 2 row\(s\) do not have 3 fields .*lines 3, 4/],
    ['unterminated-quote.csv', /unterminated-quote\.csv:3: a quoted field/],
    ['no-email-column.csv', /no-email-column\.csv:1: no email column/],
  ];
  for (const [file, message] of cases) {
    it(file, () => {
      const out = path.join(tmp(), 'out');
      const result = runCli(['clean', `fixtures/bad/${file}`, '--out-dir', out]);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/hint: /);
      const left = existsSync(out) ? readdirSync(out) : [];
      expect(left).toEqual([]);
    });
  }

  it('accepts ragged rows with --relax-columns and keeps them', () => {
    const out = tmp();
    const result = runCli(['clean', 'fixtures/bad/ragged.csv', '--relax-columns', '--json', '--out-dir', out]);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).input.rows).toBe(4);
  });

  it('a missing file and an unknown option are usage errors', () => {
    expect(runCli(['clean', 'nope.csv']).status).toBe(2);
    expect(runCli(['clean', 'fixtures/demo/contacts.csv', '--frobnicate']).status).toBe(2);
  });
});
