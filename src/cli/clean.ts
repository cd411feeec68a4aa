import { statSync } from 'node:fs';
import type { Command } from 'commander';
import type { EffectiveConfig } from '../config/config.js';
import { runClean, type CleanOptions } from '../pipeline/clean.js';
import { prepareHistory } from '../pipeline/history.js';
import { addBounceReadOptions, readOptions } from './classify.js';
import { addStateOptions, configFrom, parseNow, statePathFrom } from './common.js';
import { formatCleanSummary } from '../report/clean-summary.js';
import type { CliContext } from './index.js';
import { stderrColors } from './output.js';
import { createProgress } from './progress.js';

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


/** Options shared by `clean` and `check`: how to read the list and which checks apply. */
export function addListOptions(command: Command): Command {
  return command
    .option('--email-column <name|number>', 'the column holding addresses (header name, or 1-based number); default: detected')
    .option('--encoding <name>', 'input encoding: utf-8, utf-16le, utf-16be, windows-1252; default: detected')
    .option('--delimiter <char>', 'field delimiter (",", ";", "tab", "|"); default: detected')
    .option('--no-header', 'the first row is data, not a header (default: detected)')
    .option('--relax-columns', 'accept rows with more or fewer fields than the header')
    .option('--suppress-role', 'suppress role accounts (info@, sales@, ...); by default they are only counted')
    .option('--allow-disposable', 'keep addresses at disposable mailbox providers')
    .option('--dedupe-aliases', 'also treat Gmail dots and +tags as the same mailbox when finding duplicates')
    .option('--case-sensitive-local', 'treat local parts that differ only in case as different mailboxes')
    .option('--escape-formulas', "also escape input values that spreadsheets would run as formulas (= + - @ first): changes the data, adds a leading '");
}

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
  addStateOptions(command, true)
    .option('--json', 'print report.json to stdout instead of the summary')
    .option('-q, --quiet', 'print nothing on success')
    .addHelpText('after', USAGE_EXAMPLES)
    .action(async (file: string, flags: Record<string, unknown>) => {
      const { closeHistory, ...listOptions } = await listRunOptions(file, flags, configFrom(flags));
      const options: CleanOptions = {
        ...listOptions,
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

/**
 * What `clean` and `check` share: this run's bounces read and recorded, the history's verdict
 * for each address, and the list options.
 */
export async function listRunOptions(
  file: string,
  flags: Record<string, unknown>,
  config: EffectiveConfig,
): Promise<Omit<CleanOptions, 'outDir'> & { closeHistory(): void }> {
  const history = await prepareHistory({
    bounces: (flags.bounces as string[] | undefined) ?? [],
    statePath: statePathFrom(flags),
    readOptions: readOptions(flags),
    config,
    now: parseNow(flags.now),
  });
  const { read: _read, ingested: _ingested, ...bounceSummary } = history.summary;
  return {
    input: file,
    suppressRole: Boolean(flags.suppressRole),
    allowDisposable: Boolean(flags.allowDisposable),
    dedupeAliases: Boolean(flags.dedupeAliases),
    caseSensitiveLocal: Boolean(flags.caseSensitiveLocal),
    relaxColumns: Boolean(flags.relaxColumns),
    ...readFlags(flags),
    historyVerdict: history.verdictFor,
    historyVerdicts: history.verdictsFor,
    otherInputs: history.inputPaths,
    bounceSummary,
    closeHistory: history.close,
  };
}

type ListFlags = Pick<CleanOptions, 'emailColumn' | 'encoding' | 'delimiter' | 'header' | 'escapeFormulas'>;

/** The list options of addListOptions that say how to read and write the list (clean and check). */
export function readFlags(flags: Record<string, unknown>): ListFlags {
  const picked: ListFlags = {};
  if (typeof flags.emailColumn === 'string') picked.emailColumn = flags.emailColumn;
  if (typeof flags.encoding === 'string') picked.encoding = flags.encoding;
  if (typeof flags.delimiter === 'string') picked.delimiter = flags.delimiter;
  if (flags.header === false) picked.header = false;
  if (flags.escapeFormulas === true) picked.escapeFormulas = true;
  return picked;
}
