import { readFileSync } from 'node:fs';
import { Option, type Command } from './commander.js';
import { stringify } from 'csv-stringify/sync';
import { HygieneError } from '../errors.js';
import { escapeFormula } from '../contacts/escape.js';
import { parseSuppressionExport } from '../state/suppression-import.js';
import {
  countByReason,
  effectiveSuppressionsOf,
  EXPORT_FORMATS,
  EXPORT_LAYOUTS,
  SUPPRESSION_KINDS,
  type EffectiveSuppression,
  type ExportFormat,
  type SuppressionKind,
} from '../pipeline/suppression-list.js';
import { addStateOptions, parseNow } from './shared-options.js';
import { configFrom } from './config-options.js';
import type { CliContext } from './context.js';
import { stderrColors } from './output.js';
import { openStateFor } from './state-access.js';
import { writeOut } from './stdout.js';

export function registerSuppressions(program: Command, context: CliContext): void {
  const suppressions = program
    .command('suppressions')
    .description('the effective suppression list: list, export for an ESP, import ESP exports')
    .addHelpText(
      'after',
      `
Examples:
  $ hygiene suppressions import sendgrid-bounces.csv ses-suppressed.json unsubscribed_members_export.csv
  $ hygiene suppressions list --only learnt
  $ hygiene suppressions export > suppressions.csv
  $ hygiene suppressions export --format ses > ses-import.csv

list and export show every address the history suppresses now: hard bounces, complaints and
soft bounces at the limit learnt from bounces, the manual and imported list, minus what
unsuppress cleared. import reads the suppression exports of Amazon SES, SendGrid, Mailgun,
Postmark, Mailchimp's unsubscribed/cleaned member exports, and plain address lists (one per
line). Importing the same file twice changes nothing.`,
    );

  const listCommand = suppressions.command('list').description('print the effective suppression list as a table').addOption(onlyOption());
  addStateOptions(listCommand, true).action(async (flags: Record<string, unknown>) => {
    const entries = effectiveList(flags);
    for (const entry of entries) {
      await writeOut(
        `${entry.email.padEnd(36)} ${entry.reason.padEnd(17)} ${(entry.date ?? '').slice(0, 10).padEnd(10)} ${entry.source}\n`,
      );
    }
    const counts = Object.entries(countByReason(entries))
      .map(([reason, count]) => `${count} ${reason}`)
      .join(', ');
    process.stderr.write(`${entries.length} suppressed address(es)${counts ? `: ${counts}` : ''}\n`);
    context.setExitCode(0);
  });

  const exportCommand = suppressions
    .command('export')
    .description("write the effective suppression list as CSV to stdout, in hygiene's layout or an ESP's import layout")
    .addOption(onlyOption())
    .addOption(
      new Option(
        '--format <layout>',
        'plain: email,reason,source,date,detail,list_reason; sendgrid: email; mailchimp: Email Address; ses: address,BOUNCE|COMPLAINT without header',
      )
        .choices([...EXPORT_FORMATS])
        .default('plain'),
    );
  addStateOptions(exportCommand, true).action(async (flags: Record<string, unknown>) => {
    const entries = effectiveList(flags);
    const layout = EXPORT_LAYOUTS[flags.format as ExportFormat];
    if (layout.header) await writeOut(stringify([layout.header]));
    for (const entry of entries) {
      // Sources and details hold remote text and file names: escaped like every added text.
      await writeOut(stringify([layout.row(entry).map(escapeFormula)]));
    }
    context.setExitCode(0);
  });

  addStateOptions(
    suppressions
      .command('import')
      .description('add the addresses of suppression exports (SES, SendGrid, Mailgun, Postmark, Mailchimp, plain list)')
      .argument('<files...>', 'export files')
      .option('--skip-bad', 'list rows without a valid address and import the rest (default: one bad row imports nothing)'),
    false,
  ).action(async (files: string[], flags: Record<string, unknown>) => {
    const skipBad = flags.skipBad === true;
    // Every file is read before anything is written: a bad row anywhere imports nothing.
    const parsed = files.map((file) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new HygieneError({
          code: 'INPUT_NOT_FOUND',
          file,
          message: `${file}: cannot be read`,
          hint: 'Check the path of the export.',
        });
      }
      return { file, result: parseSuppressionExport(text, file, { skipBad }) };
    });
    const colors = stderrColors();
    withStore(flags, false, (store) => {
      for (const { file, result } of parsed) {
        const counts = store.addSuppressions(result.entries);
        process.stderr.write(
          `${colors.bold(file)} (${result.provider}): ${result.entries.length} address(es): ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} already listed` +
            `${result.skipped.length > 0 ? `; ${result.skipped.length} skipped (${result.skipped[0]!.why})` : ''}\n`,
        );
        if (result.bad.length > 0) {
          process.stderr.write(`  ${colors.yellow(`${result.bad.length} bad line(s) not imported`)} (--skip-bad):\n`);
          for (const bad of result.bad.slice(0, SHOWN_BAD_LINES)) process.stderr.write(`    ${bad.location}: ${bad.why}\n`);
          if (result.bad.length > SHOWN_BAD_LINES) process.stderr.write(`    ... and ${result.bad.length - SHOWN_BAD_LINES} more\n`);
        }
      }
    });
    context.setExitCode(0);
  });
}

const SHOWN_BAD_LINES = 50;

function onlyOption(): Option {
  return new Option('--only <kind>', 'only manual (by hand), imported (ESP exports) or learnt (from bounces) suppressions').choices([
    ...SUPPRESSION_KINDS,
  ]);
}

/** The effective list of the history database, as of --now, narrowed by --only. */
function effectiveList(flags: Record<string, unknown>): EffectiveSuppression[] {
  const config = configFrom(flags);
  const now = parseNow(flags.now);
  const entries = withStore(flags, true, (store) => effectiveSuppressionsOf(store, config.policy, now));
  const only = flags.only as SuppressionKind | undefined;
  return only === undefined ? entries : entries.filter((entry) => entry.kind === only);
}

function withStore<T>(flags: Record<string, unknown>, readonly: boolean, action: (store: ReturnType<typeof openStateFor>) => T): T {
  const store = openStateFor('suppressions', flags, { readonly });
  try {
    return action(store);
  } finally {
    store.close();
  }
}
