import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectMatchesFile, runCli } from './run-cli.js';

const LIST = 'fixtures/check/list.csv';
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'hygiene-check-'));
// The list has, by line where each row starts: a typo (4), invalid syntax (7), a disposable
// domain (8), a duplicate (9), a role account (10); multi-line quoted rows come first.
const STATELESS = ['--no-state'];

describe('hygiene check: exit codes and thresholds', () => {
  it('fails by default on invalid, typo, disposable and duplicate rows (exit 1)', () => {
    const result = runCli(['check', LIST, ...STATELESS, '--format', 'json']);
    expect(result.status).toBe(1);
    const gate = JSON.parse(result.stdout);
    const status = Object.fromEntries(
      gate.rules.map((r: { rule: string; status: string; count: number }) => [r.rule, [r.status, r.count]]),
    );
    expect(status).toEqual({
      invalid: ['fail', 1],
      typo: ['fail', 1],
      disposable: ['fail', 1],
      suppressed: ['pass', 0],
      complaint: ['pass', 0],
      duplicates: ['fail', 1],
      'retry-later': ['pass', 0],
      role: ['pass', 1],
      'no-address': ['pass', 0],
    });
  });

  it('says which lines were not rows and not checked: notes above the header, a report footer', () => {
    const linkedin = runCli(['check', 'fixtures/exports/linkedin-connections.csv', ...STATELESS]);
    expect(linkedin.stderr).toContain('note: 3 line(s) of notes above the header are not rows: not checked');
    const salesforce = JSON.parse(runCli(['check', 'fixtures/exports/salesforce-report.csv', ...STATELESS, '--format', 'json']).stdout);
    expect(salesforce.notRows).toEqual({ preambleLines: 0, footerLines: 5 });
    expect(JSON.parse(runCli(['check', LIST, ...STATELESS, '--format', 'json']).stdout).notRows).toBeUndefined();
  });

  it('passes (exit 0) when every rule is within its threshold', () => {
    const result = runCli([
      'check',
      LIST,
      ...STATELESS,
      '--max-invalid',
      '1',
      '--max-typo',
      '1',
      '--max-disposable',
      '1',
      '--max-duplicates',
      '1',
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/PASSED/);
  });

  it('each threshold is exact: count == limit passes, limit below count fails', () => {
    for (const [flag, rule] of [
      ['--max-invalid', 'invalid'],
      ['--max-typo', 'typo'],
      ['--max-disposable', 'disposable'],
      ['--max-duplicates', 'duplicates'],
      ['--max-role', 'role'],
    ]) {
      const others = ['--max-invalid', '5', '--max-typo', '5', '--max-disposable', '5', '--max-duplicates', '5'].filter(
        (_, i, all) => all[i - (i % 2)] !== flag,
      );
      expect(runCli(['check', LIST, ...STATELESS, ...others, flag!, '1']).status, `${rule} at 1`).toBe(0);
      expect(runCli(['check', LIST, ...STATELESS, ...others, flag!, '0']).status, `${rule} at 0`).toBe(1);
    }
  });

  it('takes percentages: 1 row of 8 is 12.5%', () => {
    const base = ['check', LIST, ...STATELESS, '--max-invalid', '5', '--max-typo', '5', '--max-disposable', '5'];
    expect(runCli([...base, '--max-duplicates', '12.5%']).status).toBe(0);
    expect(runCli([...base, '--max-duplicates', '12%']).status).toBe(1);
  });

  it('--warn-only turns a failing rule into a warning', () => {
    const result = runCli(['check', LIST, ...STATELESS, '--warn-only', 'invalid,typo', 'disposable', 'duplicates']);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/invalid .*warn/);
  });

  it('reads thresholds from hygiene.config.json', () => {
    const dir = tmp();
    writeFileSync(
      path.join(dir, 'hygiene.config.json'),
      JSON.stringify({ check: { maxInvalid: 1, maxTypo: 1, maxDisposable: 1, maxDuplicates: 1 } }),
    );
    const result = runCli(['check', path.resolve(LIST), ...STATELESS], { cwd: dir });
    expect(result.status).toBe(0);
  });

  it('fails on suppressed and complaint rows from the bounce history', () => {
    const result = runCli([
      'check',
      'fixtures/demo/contacts.csv',
      '--bounces',
      'fixtures/demo/bounces',
      ...STATELESS,
      '--now',
      '2026-11-23T18:00:00Z',
      '--format',
      'json',
      '--warn-only',
      'invalid,typo,disposable,duplicates',
    ]);
    expect(result.status).toBe(1);
    const rules = JSON.parse(result.stdout).rules as { rule: string; status: string }[];
    expect(rules.filter((r) => r.status === 'fail').map((r) => r.rule)).toEqual(['suppressed', 'complaint']);
  });

  it('bad input exits 2', () => {
    expect(runCli(['check', 'fixtures/bad/no-email-column.csv', ...STATELESS]).status).toBe(2);
    expect(runCli(['check', LIST, ...STATELESS, '--max-invalid', 'lots']).status).toBe(2);
    expect(runCli(['check', LIST, ...STATELESS, '--format', 'xml']).status).toBe(2);
  });

  it('writes the lists only with --out-dir', () => {
    const out = tmp();
    runCli(['check', LIST, ...STATELESS, '--out-dir', out]);
    expect(readFileSync(path.join(out, 'cleaned.csv'), 'utf8')).toContain('ed.kim@example.org');
  });
});

describe('hygiene check: report formats', () => {
  it('text: a table of rules and the first offending rows with their lines', () => {
    const result = runCli(['check', LIST, ...STATELESS]);
    expectMatchesFile(result.stderr, 'check/text.txt');
  });

  it('json', () => {
    expectMatchesFile(runCli(['check', LIST, ...STATELESS, '--format', 'json']).stdout, 'check/report.json');
  });

  it('github: annotations on the line where each quoted multi-line row starts, and a step summary', () => {
    const dir = tmp();
    const summary = path.join(dir, 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const result = runCli(['check', LIST, ...STATELESS, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('::error file=fixtures/check/list.csv,line=4,title=hygiene typo::bob.ray@gmial.com: the domain');
    expect(result.stdout).toContain('line=7,title=hygiene invalid::cy.doe@@example.org');
    expect(result.stdout).toContain('line=9,title=hygiene duplicates::ANN.LEE@example.com: same mailbox as row 2');
    expectMatchesFile(result.stdout, 'check/github.txt');
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.startsWith('# earlier step\n### hygiene check: failed')).toBe(true);
    expectMatchesFile(markdown, 'check/github-summary.md');
  });

  it('junit: a test case per rule, failures for failing rules', () => {
    const result = runCli(['check', LIST, ...STATELESS, '--format', 'junit']);
    expect(result.stdout).toMatch(/<testsuites name="hygiene check" tests="9" failures="4">/);
    expect(result.stdout).toMatch(/<testcase classname="hygiene.check" name="typo"[^>]*>\s*<failure message="1 row\(s\), max 0"/);
    expectMatchesFile(result.stdout, 'check/junit.xml');
  });
});
