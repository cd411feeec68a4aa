/**
 * One lint run, as `hygiene lint` and `hygiene check --message` do it: read the messages (or the
 * template), lint each, and give the verdict.
 */
import { lintReport, lintMessage } from './lint.js';
import { lintResolver } from './dns.js';
import { loadEml, loadTemplate, type TemplateFiles } from './load.js';
import type { LintSettings } from './settings.js';
import type { LintReport, MessageResult } from './types.js';

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
  /** --dns-server HOST[:PORT] (repeatable): the servers to ask (implies dns); empty: the system's. */
  dnsServers: string[];
  /** --max-warnings: more warnings than this fail the run; null: warnings never fail. */
  maxWarnings: number | null;
}

export async function runLint(options: LintRunOptions): Promise<LintReport> {
  const useDns = options.dns || options.dnsServers.length > 0;
  const environment = { resolver: useDns ? lintResolver(options.dnsServers) : null };
  const lintOptions = { settings: options.settings, bulk: options.bulk, environment };
  const results: MessageResult[] = [];
  for (const file of options.messages) results.push(await lintMessage(await loadEml(file), lintOptions));
  if (options.template) results.push(await lintMessage(await loadTemplate(options.template), lintOptions));
  return lintReport(results, options.settings, options.maxWarnings);
}
