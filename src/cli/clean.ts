import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { runClean, type CleanOptions } from '../pipeline/clean.js';
import { prepareListRun } from '../pipeline/list-run.js';
import { formatCleanSummary } from '../report/clean-summary.js';
import type { CliContext } from './context.js';
import { stderrColors } from './output.js';
import { createProgress } from './progress.js';
import {
  addBounceReadOptions,
  addDnsOptions,
  addListOptions,
  addStateOptions,
  configFrom,
  domainChecksFrom,
  historyOptionsFrom,
  listOptionsFrom,
} from './shared-options.js';

const USAGE_EXAMPLES = `
Examples:
  $ hygiene clean contacts.csv
  $ hygiene clean export.csv --email-column "E-mail" --out-dir out/
  $ hygiene clean contacts.csv --fix            apply obvious corrections, listed in fixes.csv
  $ hygiene clean contacts.csv --json | jq .counts
  $ hygiene clean contacts.csv --bounces /var/log/mail.log bounces/   apply bounce history
  $ hygiene clean contacts.csv --bounces logs/ --now 2026-11-23T09:00:00Z --no-state

Outputs (in --out-dir, written to temporary names and renamed when complete):
  cleaned.csv       rows safe to send now: the input's columns, values unchanged
  suppressed.csv    never send: input columns + hygiene_reason, hygiene_detail,
                    hygiene_suggestion, hygiene_source
  retry-later.csv   soft bounces waiting out their delay (+ soft count, last bounce, retry after)
  report.json       counts, reasons, flags, input facts
  fixes.csv         with --fix: row, before, after, why`;


export function registerClean(program: Command, context: CliContext): void {
  const command = program
    .command('clean')
    .description('check a contact CSV and write cleaned, suppressed and retry-later lists')
    .argument('<file>', 'contact list (CSV, any common delimiter and encoding)')
    .option('-o, --out-dir <dir>', 'folder for the outputs', 'hygiene-out')
    .option('--fix', 'apply obvious corrections (typo domains, blanks, mailto:, ...) and list them in fixes.csv')
    .option('--bounces <inputs...>', 'bounce logs, ESP exports or bounce mails (files, folders, globs) to apply');
  addListOptions(command);
  addBounceReadOptions(command);
  addDnsOptions(command, true);
  addStateOptions(command, true)
    .option('--json', 'print report.json to stdout instead of the summary')
    .option('-q, --quiet', 'print nothing on success')
    .addHelpText('after', USAGE_EXAMPLES)
    .action(async (file: string, flags: Record<string, unknown>) => {
      const config = configFrom(flags);
      const history = historyOptionsFrom(flags, config);
      const { closeHistory, ...listRun } = await prepareListRun(
        listOptionsFrom(file, flags),
        history,
        domainChecksFrom(flags, config, history, Boolean(flags.fix)),
      );
      const options: CleanOptions = {
        ...listRun,
        outDir: flags.outDir as string,
        fix: Boolean(flags.fix),
      };
      const progress = createProgress({ label: 'clean', totalBytes: statSync(file, { throwIfNoEntry: false })?.size ?? 0 });
      options.onProgress = (state) => progress.update(state.rows, state.bytesRead);
      let report;
      try {
        report = await runClean(options);
      } finally {
        progress.done();
        closeHistory();
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else if (!flags.quiet) process.stderr.write(formatCleanSummary(report, stderrColors(), options.outDir));
      context.setExitCode(0);
    });
}
