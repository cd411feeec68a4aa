/**
 * One lint run, as `hygiene lint` and `hygiene check --message` do it: read the messages (or the
 * template), run every rule on each, apply the config's grades (a rule switched off, or all its
 * findings re-graded), and give the verdict.
 */
import { lintResolver } from '../lint/dns.js';
import { loadEml, loadTemplate, type TemplateFiles } from '../lint/load.js';
import type { LintMessage } from '../lint/message.js';
import { LINT_RULES } from '../lint/rules/index.js';
import { defaultLintSettings, type LintSettings } from '../lint/settings.js';
import { SEVERITIES, type Finding, type LintReport, type MessageResult, type SeverityCounts } from '../lint/types.js';
import { viewOf, type LintEnvironment } from '../lint/view.js';

export interface LintRunOptions {
  /** .eml files. */
  messages: string[];
  /** A template, linted after the .eml files. */
  template: TemplateFiles | null;
  settings: LintSettings;
  /** --bulk: lint as bulk mail whatever the headers say. */
  bulk: boolean;
  /** --dns: verify DKIM signatures (the key comes from DNS). */
  dns: boolean;
  /** The resolvers to ask when `dns` (IP[:PORT]); empty: the system's. */
  dnsServers: string[];
  /** How long one DNS question may take. */
  dnsTimeoutMs?: number;
  /** --max-warnings: more warnings than this fail the run; null: warnings never fail. */
  maxWarnings: number | null;
}

export async function runLint(options: LintRunOptions): Promise<LintReport> {
  const environment = { resolver: options.dns ? lintResolver(options.dnsServers, options.dnsTimeoutMs) : null };
  const lintOptions = { settings: options.settings, bulk: options.bulk, environment };
  const results: MessageResult[] = [];
  for (const file of options.messages) results.push(await lintMessage(await loadEml(file), lintOptions));
  if (options.template) results.push(await lintMessage(await loadTemplate(options.template), lintOptions));
  return lintReport(results, options.settings, options.maxWarnings);
}

export interface LintOptions {
  settings: LintSettings;
  /** --bulk: one-click unsubscribe is required (an error when missing). */
  bulk: boolean;
  environment: LintEnvironment;
}

/**
 * Every rule on one message (from `readEml` or `templateMessage`). Left out, the options are
 * those of `hygiene lint` without a config or flags: default settings, bulk only when the
 * headers say so, no DNS (DKIM signatures are not verified).
 */
export async function lintMessage(message: LintMessage, options: Partial<LintOptions> = {}): Promise<MessageResult> {
  const settings = options.settings ?? defaultLintSettings();
  const environment = options.environment ?? { resolver: null };
  const view = viewOf(message, settings.thresholds, options.bulk ?? false);
  const findings: Finding[] = [];
  for (const rule of LINT_RULES) {
    const grade = settings.grades[rule.id];
    if (grade === 'off') continue;
    for (const finding of await rule.check(view, environment)) {
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
