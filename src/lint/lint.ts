/**
 * Lints messages: every rule on every message, then the config's grades (a rule switched off,
 * or all its findings re-graded), then the verdict.
 */
import type { LintMessage } from './message.js';
import { LINT_RULES } from './rules/index.js';
import type { LintSettings } from './settings.js';
import { SEVERITIES, type Finding, type LintReport, type MessageResult, type SeverityCounts } from './types.js';
import { viewOf, type LintEnvironment } from './view.js';

export interface LintOptions {
  settings: LintSettings;
  /** --bulk: one-click unsubscribe is required (an error when missing). */
  bulk: boolean;
  environment: LintEnvironment;
}

export async function lintMessage(message: LintMessage, options: LintOptions): Promise<MessageResult> {
  const view = viewOf(message, options.settings.thresholds, options.bulk);
  const findings: Finding[] = [];
  for (const rule of LINT_RULES) {
    const grade = options.settings.grades[rule.id];
    if (grade === 'off') continue;
    for (const finding of await rule.check(view, options.environment)) {
      findings.push({ rule: rule.id, ...finding, severity: grade ?? finding.severity });
    }
  }
  findings.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return {
    file: message.file,
    kind: message.kind,
    subject: message.subject,
    from: message.from[0]?.address || null,
    bulk: view.bulk,
    findings,
    counts: countSeverities(findings),
  };
}

/** The verdict over all messages: no error, and at most `maxWarnings` warnings when given. */
export function lintReport(messages: MessageResult[], settings: LintSettings, maxWarnings: number | null): LintReport {
  const counts = countSeverities(messages.flatMap((message) => message.findings));
  const passed = counts.error === 0 && (maxWarnings === null || counts.warning <= maxWarnings);
  const rules = LINT_RULES.map((rule) => rule.id).filter((id) => settings.grades[id] !== 'off');
  return { passed, maxWarnings, rules, messages, counts };
}

export function countSeverities(findings: Finding[]): SeverityCounts {
  const counts: SeverityCounts = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
