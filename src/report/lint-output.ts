/**
 * The `hygiene lint` report: text for people (grouped by severity, ending with "N errors,
 * M warnings"), JSON, GitHub Actions annotations and JUnit XML, in the conventions of `check`.
 */
import type { ChalkInstance } from 'chalk';
import { LINT_RULES } from '../lint/rules/index.js';
import type { GateResult } from '../pipeline/gate.js';
import { SEVERITIES, type Finding, type LintReport, type MessageResult, type Severity, type Where } from '../lint/types.js';
import { escapeData, escapeProperty, xml } from './gate-output.js';

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };

export function formatLintText(report: LintReport, colors: ChalkInstance): string {
  const paint: Record<Severity, (text: string) => string> = { error: colors.red, warning: colors.yellow, info: colors.cyan };
  const lines: string[] = [];
  const verdict = report.passed ? colors.green('PASSED') : colors.red('FAILED');
  const subjects = report.messages.length === 1 ? report.messages[0]!.file : `${report.messages.length} messages`;
  lines.push(`${colors.bold('hygiene lint')} ${subjects}: ${verdict}`);
  for (const severity of SEVERITIES) {
    const entries = report.messages.flatMap((message) =>
      message.findings.filter((f) => f.severity === severity).map((finding) => ({ message, finding })),
    );
    if (entries.length === 0) continue;
    lines.push('', paint[severity](`${HEADINGS[severity]} (${entries.length})`));
    for (const { message, finding } of entries) {
      const file = report.messages.length > 1 ? `${message.file}  ` : '';
      lines.push(`  ${file}${paint[severity](finding.rule)}  ${describeWhere(finding.where)}`);
      lines.push(`      ${finding.message}`);
      lines.push(`      ${colors.dim('fix:')} ${finding.fix}`);
    }
  }
  if (report.counts.error + report.counts.warning + report.counts.info === 0) lines.push('', colors.green('No findings.'));
  if (report.maxWarnings !== null && report.counts.warning > report.maxWarnings) {
    lines.push('', colors.red(`More warnings than --max-warnings ${report.maxWarnings} allows.`));
  }
  lines.push('', lintSummaryLine(report));
  return `${lines.join('\n')}\n`;
}

/** "1 error, 3 warnings": the last line of the text report. */
export function lintSummaryLine(report: LintReport): string {
  const { error, warning } = report.counts;
  return `${error} error${error === 1 ? '' : 's'}, ${warning} warning${warning === 1 ? '' : 's'}`;
}

export function formatLintJson(report: LintReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/**
 * `check --message` as JSON: the gate's report as without --message, with `passed` for the list
 * and the messages together, `listPassed` for the list alone, and the lint report in `lint`.
 */
export function formatGateWithLintJson(gate: GateResult, lint: LintReport): string {
  return `${JSON.stringify({ ...gate, passed: gate.passed && lint.passed, listPassed: gate.passed, lint }, null, 2)}\n`;
}

/** GitHub Actions workflow commands: one annotation per finding, on the file line when there is one. */
export function formatLintGithub(report: LintReport): string {
  const lines: string[] = [];
  const level: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
  for (const message of report.messages) {
    for (const finding of message.findings) {
      const file = finding.where.file ?? message.file;
      const line = finding.where.fileLine !== undefined ? `,line=${finding.where.fileLine}` : '';
      const text = `${describeWhere(finding.where)}: ${finding.message}. Fix: ${finding.fix}`;
      lines.push(
        `::${level[finding.severity]} file=${escapeProperty(file)}${line},title=${escapeProperty(`hygiene lint ${finding.rule}`)}::${escapeData(text)}`,
      );
    }
  }
  if (report.maxWarnings !== null && report.counts.warning > report.maxWarnings) {
    lines.push(
      `::error title=${escapeProperty('hygiene lint')}::${escapeData(`${report.counts.warning} warnings, more than --max-warnings ${report.maxWarnings}`)}`,
    );
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** JUnit XML: a test suite per message, a test case per rule; errors fail it, warnings are printed. */
export function formatLintJunit(report: LintReport): string {
  const { tests, failures, suites } = lintJunitSuites(report);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="hygiene lint" tests="${tests}" failures="${failures}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** The <testsuite> elements with their counts, so `check --message` can put them beside its own. */
export function lintJunitSuites(report: LintReport): { tests: number; failures: number; suites: string[] } {
  return {
    tests: report.rules.length * report.messages.length,
    failures: report.messages.reduce((sum, m) => sum + failedRules(m, report).length, 0),
    suites: junitSuiteLines(report),
  };
}

function junitSuiteLines(report: LintReport): string[] {
  const out: string[] = [];
  const summaries = new Map(LINT_RULES.map((rule) => [rule.id, rule.summary]));
  for (const message of report.messages) {
    const failures = failedRules(message, report).length;
    out.push(
      `  <testsuite name="hygiene lint ${xml(message.file)}" tests="${report.rules.length}" failures="${failures}" errors="0" skipped="0">`,
    );
    for (const rule of report.rules) {
      const findings = message.findings.filter((f) => f.rule === rule);
      const open = `    <testcase classname="hygiene.lint" name="${xml(rule)}: ${xml(summaries.get(rule) ?? '')}" file="${xml(message.file)}">`;
      const listing = findings.map((f) => `${f.severity}: ${describeWhere(f.where)}: ${f.message}\nfix: ${f.fix}`).join('\n');
      const errors = findings.filter((f) => f.severity === 'error');
      if (errors.length > 0) {
        out.push(
          `${open}\n      <failure message="${xml(errors[0]!.message)}" type="${xml(rule)}">${xml(listing)}</failure>\n    </testcase>`,
        );
      } else if (findings.length > 0) {
        out.push(`${open}\n      <system-out>${xml(listing)}</system-out>\n    </testcase>`);
      } else out.push(`${open}</testcase>`);
    }
    out.push('  </testsuite>');
  }
  return out;
}

function failedRules(message: MessageResult, report: LintReport): string[] {
  return report.rules.filter((rule) => message.findings.some((f: Finding) => f.rule === rule && f.severity === 'error'));
}

/** "header From (line 3)", "text/html line 12", "link https://x.example/ (text/html line 4)". */
export function describeWhere(where: Where): string {
  const line = where.line !== undefined ? ` line ${where.line}` : '';
  switch (where.area) {
    case 'header':
      return `header ${where.name ?? ''}${where.line !== undefined ? ` (line ${where.line})` : ''}`;
    case 'subject':
      return `subject${where.line !== undefined ? ` (line ${where.line})` : ''}`;
    case 'link':
      return `link ${where.name ?? ''}${where.line !== undefined ? ` (${where.file ?? where.part ?? 'body'} line ${where.line})` : ''}`;
    case 'attachment':
      return `attachment ${where.name ?? ''}`;
    case 'message':
      return 'message';
    default:
      return `${where.file ? `${where.file}` : where.area}${line}`;
  }
}

/** A markdown summary for $GITHUB_STEP_SUMMARY. */
export function formatLintMarkdown(report: LintReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
  const icon: Record<Severity, string> = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' };
  const lines = [`### hygiene lint: ${report.passed ? 'passed' : 'failed'}`, '', lintSummaryLine(report), ''];
  const findings = report.messages.flatMap((message) => message.findings.map((finding) => ({ message, finding })));
  if (findings.length > 0) {
    lines.push('| message | rule | severity | where | what | fix |', '|---|---|---|---|---|---|');
    for (const { message, finding } of findings) {
      lines.push(
        `| ${cell(message.file)} | ${finding.rule} | ${icon[finding.severity]} | ${cell(describeWhere(finding.where))} | ${cell(finding.message)} | ${cell(finding.fix)} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
