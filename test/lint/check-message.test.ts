import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINT_RULE_IDS } from '../../src/lint/types.js';
import { REPO } from '../cli/run-cli.js';
import { runCliAsync } from './run-cli-async.js';

const LIST = 'fixtures/check/list.csv';
// The list fails on invalid, typo, disposable and duplicate rows unless these allow one each.
const LIST_PASSES = ['--no-state', '--max-invalid', '1', '--max-typo', '1', '--max-disposable', '1', '--max-duplicates', '1'];
const LIST_FAILS = ['--no-state'];

describe('hygiene check LIST --message MESSAGE: one report, one exit code', () => {
  it('exit 0 only when the list passes and the message has no lint error', async () => {
    const both = await runCliAsync(['check', LIST, ...LIST_PASSES, '--message', 'fixtures/lint/good-html.eml']);
    expect(both.status).toBe(0);
    expect(both.stderr).toMatch(/hygiene check: PASSED \(list passed, message passed\)\n$/);
    // warnings alone do not fail the check
    expect((await runCliAsync(['check', LIST, ...LIST_PASSES, '--message', 'fixtures/lint/punctuation.eml'])).status).toBe(0);
  });

  it('exit 1 when the message has a lint error, though the list passes', async () => {
    const result = await runCliAsync(['check', LIST, ...LIST_PASSES, '--message', 'fixtures/lint/ip-link.eml']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Errors \(1\)\n {2}ip-link/);
    expect(result.stderr).toMatch(/hygiene check: FAILED \(list passed, message failed\)\n$/);
  });

  it('exit 1 when the list fails, though the message is well made', async () => {
    const result = await runCliAsync(['check', LIST, ...LIST_FAILS, '--message', 'fixtures/lint/good-plain.eml']);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/hygiene check: FAILED \(list failed, message passed\)\n$/);
  });

  it('json: the gate report with passed for both, listPassed, and the lint report', async () => {
    const result = await runCliAsync([
      'check',
      LIST,
      ...LIST_PASSES,
      '--message',
      'fixtures/lint/headers.eml',
      'fixtures/lint/good-html.eml',
      '--format',
      'json',
    ]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.passed).toBe(false);
    expect(report.listPassed).toBe(true);
    expect(report.rules).toHaveLength(9);
    expect(report.lint.counts).toEqual({ error: 1, warning: 0, info: 0 });
    expect(report.lint.messages.map((m: { file: string }) => m.file)).toEqual(['fixtures/lint/headers.eml', 'fixtures/lint/good-html.eml']);
  });

  it('junit: the lint suites beside the gate suite, counted in the totals', async () => {
    const result = await runCliAsync([
      'check',
      LIST,
      ...LIST_PASSES,
      '--message',
      'fixtures/lint/dangerous-content.eml',
      '--format',
      'junit',
    ]);
    expect(result.status).toBe(1);
    // The gate's 9 test cases and one per lint rule.
    expect(result.stdout).toContain(`<testsuites name="hygiene check" tests="${9 + LINT_RULE_IDS.length}" failures="1">`);
    expect(result.stdout.match(/<testsuite /g)).toHaveLength(2);
    expect(result.stdout).toMatch(
      /<testcase classname="hygiene.lint" name="dangerous-content: [^"]*" file="fixtures\/lint\/dangerous-content.eml">\n {6}<failure /,
    );
  });

  it('github: the lint annotations after the gate annotations', async () => {
    const result = await runCliAsync(['check', LIST, ...LIST_FAILS, '--message', 'fixtures/lint/subject-caps.eml', '--format', 'github']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^::error file=fixtures\/check\/list\.csv,line=\d+,title=hygiene invalid::/m);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^::warning file=fixtures\/lint\/subject-caps\.eml,line=3,title=hygiene lint subject-caps::/,
    );
  });

  it('lint.rules from the config apply: a re-graded rule fails the check', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-check-lint-'));
    writeFileSync(path.join(dir, 'hygiene.config.json'), JSON.stringify({ lint: { rules: { punctuation: 'error' } } }));
    const result = await runCliAsync(
      ['check', path.join(REPO, LIST), ...LIST_PASSES, '--message', path.join(REPO, 'fixtures/lint/punctuation.eml')],
      { cwd: dir },
    );
    expect(result.status).toBe(1);
  });

  it('an unreadable message is exit 2 before any list is written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hygiene-check-lint-'));
    const out = path.join(dir, 'out');
    const result = await runCliAsync(['check', LIST, ...LIST_PASSES, '--out-dir', out, '--message', 'fixtures/lint/missing.eml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/fixtures\/lint\/missing\.eml: message not found/);
    expect(existsSync(out)).toBe(false);
  });
});
