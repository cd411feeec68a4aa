import type { ChalkInstance } from 'chalk';
import type { Threshold } from '../config/config.js';
import type { GateResult, RuleResult } from '../pipeline/gate.js';

/**
 * The table of rules and the first offending rows, for a person reading a CI log. The sender
 * rule's findings are not listed when the sender table follows (`formatSenderText`), which
 * shows each of them with what to publish: once is enough.
 */
export function formatGateText(result: GateResult, colors: ChalkInstance, options: { senderTableFollows?: boolean } = {}): string {
  const lines: string[] = [];
  const verdict = result.passed ? colors.green('PASSED') : colors.red('FAILED');
  lines.push(`${colors.bold('hygiene check')} ${result.file}: ${verdict} (${result.rows} rows)`);
  lines.push('');
  lines.push(`  ${'rule'.padEnd(12)} ${'rows'.padStart(7)}  ${'limit'.padEnd(10)} result`);
  for (const rule of result.rules) {
    const status = rule.status === 'pass' ? colors.green('pass') : rule.status === 'warn' ? colors.yellow('warn') : colors.red('FAIL');
    lines.push(`  ${rule.rule.padEnd(12)} ${String(rule.count).padStart(7)}  ${describeLimit(rule.limit).padEnd(10)} ${status}`);
  }
  if (result.notRows) lines.push('', `  ${colors.yellow('note:')} ${describeNotRows(result.notRows)}`);
  for (const rule of result.rules.filter((r) => r.status !== 'pass')) {
    lines.push('');
    const name = rule.status === 'fail' ? colors.red(rule.rule) : colors.yellow(rule.rule);
    if (rule.rule === 'sender' && options.senderTableFollows) {
      lines.push(`  ${name}: ${rule.count} finding(s), ${describeLimit(rule.limit)}: see the sender domain below`);
      continue;
    }
    lines.push(
      `  ${name}: ${rule.count} row(s), ${describeLimit(rule.limit)}${rule.count > rule.rows.length ? `; the first ${rule.rows.length}:` : ':'}`,
    );
    for (const row of rule.rows) lines.push(`    ${where(result.file, row)}  ${row.address}  ${row.detail}${fix(row)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** "3 line(s) of notes above the header and 2 footer line(s) after the data are not rows: not checked". */
function describeNotRows(notRows: NonNullable<GateResult['notRows']>): string {
  const parts: string[] = [];
  if (notRows.preambleLines > 0) parts.push(`${notRows.preambleLines} line(s) of notes above the header`);
  if (notRows.footerLines > 0) parts.push(`${notRows.footerLines} footer line(s) after the data`);
  return `${parts.join(' and ')} are not rows: not checked`;
}

export function formatGateJson(result: GateResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

/** GitHub Actions workflow commands: one annotation per offending row listed. */
export function formatGateGithub(result: GateResult): string {
  const lines: string[] = [];
  for (const rule of result.rules.filter((r) => r.status !== 'pass')) {
    const level = rule.status === 'fail' ? 'error' : 'warning';
    for (const row of rule.rows) {
      lines.push(
        `::${level} file=${escapeProperty(result.file)}${row.line > 0 ? `,line=${row.line}` : ''},title=${escapeProperty(`hygiene ${rule.rule}`)}::${escapeData(`${row.address}: ${row.detail}${fix(row)}`)}`,
      );
    }
    lines.push(
      `::${level} title=${escapeProperty(`hygiene ${rule.rule}`)}::${escapeData(`${rule.count} row(s) (${describeLimit(rule.limit)}) in ${result.file}`)}`,
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** A markdown summary for $GITHUB_STEP_SUMMARY. */
export function formatGateMarkdown(result: GateResult): string {
  const lines = [
    `### hygiene check: ${result.passed ? 'passed' : 'failed'}`,
    '',
    `\`${result.file}\`, ${result.rows} rows`,
    '',
    '| rule | rows | limit | result |',
    '|---|---:|---|---|',
    ...result.rules.map(
      (r) =>
        `| ${r.rule} | ${r.count} | ${describeLimit(r.limit)} | ${r.status === 'fail' ? '❌ fail' : r.status === 'warn' ? '⚠️ warn' : '✅ pass'} |`,
    ),
  ];
  for (const rule of result.rules.filter((r) => r.status !== 'pass' && r.rows.length > 0)) {
    lines.push(
      '',
      `<details><summary>${rule.rule}: first ${rule.rows.length} of ${rule.count}</summary>`,
      '',
      '| line | address | why |',
      '|---:|---|---|',
    );
    for (const row of rule.rows) lines.push(`| ${row.line} | ${markdownCell(row.address)} | ${markdownCell(row.detail + fix(row))} |`);
    lines.push('', '</details>');
  }
  return `${lines.join('\n')}\n`;
}

/** Test suites that go into the same JUnit report (`check --message` adds the lint's). */
export interface ExtraJunitSuites {
  tests: number;
  failures: number;
  suites: string[];
}

/** JUnit XML: one test case per rule, a failure (or a skipped warning) when over its limit. */
export function formatGateJunit(result: GateResult, extra?: ExtraJunitSuites): string {
  const failures = result.rules.filter((r) => r.status === 'fail').length;
  const cases = result.rules.map((rule) => junitCase(rule, result.file));
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hygiene check" tests="${result.rules.length + (extra?.tests ?? 0)}" failures="${failures + (extra?.failures ?? 0)}">`,
    `  <testsuite name="hygiene check ${xml(result.file)}" tests="${result.rules.length}" failures="${failures}" errors="0" skipped="0">`,
    ...cases,
    '  </testsuite>',
    ...(extra?.suites ?? []),
    '</testsuites>',
    '',
  ].join('\n');
}

function junitCase(rule: RuleResult, file: string): string {
  const open = `    <testcase classname="hygiene.check" name="${xml(rule.rule)}" file="${xml(file)}">`;
  const listing = rule.rows.map((row) => `${where(file, row)} ${row.address}: ${row.detail}${fix(row)}`).join('\n');
  const message = `${rule.count} row(s), ${describeLimit(rule.limit)}`;
  if (rule.status === 'fail')
    return `${open}\n      <failure message="${xml(message)}" type="${xml(rule.rule)}">${xml(listing)}</failure>\n    </testcase>`;
  if (rule.status === 'warn') return `${open}\n      <system-out>${xml(`warning: ${message}\n${listing}`)}</system-out>\n    </testcase>`;
  return `${open}</testcase>`;
}

/** `file:line`, or the file alone for a finding that belongs to no row (sender records). */
function where(file: string, row: { line: number }): string {
  return row.line > 0 ? `${file}:${row.line}` : file;
}

function fix(row: { suggestion: string | null }): string {
  return row.suggestion ? ` (fix: ${row.suggestion})` : '';
}

export function xml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function markdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function describeLimit(limit: Threshold | null): string {
  return limit === null ? 'no limit' : `max ${limit}`;
}
