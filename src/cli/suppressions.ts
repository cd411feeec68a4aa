import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { HygieneError } from '../errors.js';
import { escapeFormula } from '../contacts/escape.js';
import { parseSuppressionExport } from '../state/suppression-import.js';
import { addStateOptions } from './shared-options.js';
import type { CliContext } from './context.js';
import { stderrColors } from './output.js';
import { openStateFor } from './state-access.js';
import { writeOut } from './stdout.js';

const EXPORT_COLUMNS = ['address', 'reason', 'note', 'origin', 'at'] as const;

export function registerSuppressions(program: Command, context: CliContext): void {
  const suppressions = program
    .command('suppressions')
    .description('the suppression list: list, export as CSV, import ESP exports')
    .addHelpText(
      'after',
      `
Examples:
  $ hygiene suppressions import sendgrid-bounces.csv ses-suppressed.json unsubscribed.txt
  $ hygiene suppressions list
  $ hygiene suppressions export > suppressions.csv

import reads the suppression exports of Amazon SES, SendGrid, Mailgun and Postmark, and plain
address lists (one per line). Importing the same file twice changes nothing.`,
    );

  addStateOptions(suppressions.command('list').description('print the suppression list as a table'), false).action(
    async (flags: Record<string, unknown>) => {
      const entries = withStore(flags, true, (store) => store.listSuppressions());
      for (const entry of entries) {
        await writeOut(`${entry.address.padEnd(36)} ${entry.reason.padEnd(12)} ${(entry.at ?? '').slice(0, 10).padEnd(10)} ${entry.origin}${entry.note ? `  ${entry.note.slice(0, 60)}` : ''}\n`);
      }
      process.stderr.write(`${entries.length} suppressed address(es)\n`);
      context.setExitCode(0);
    },
  );

  addStateOptions(suppressions.command('export').description('write the suppression list as CSV to stdout'), false).action(
    async (flags: Record<string, unknown>) => {
      const entries = withStore(flags, true, (store) => store.listSuppressions());
      await writeOut(stringify([EXPORT_COLUMNS as unknown as string[]]));
      for (const entry of entries) {
        await writeOut(stringify([EXPORT_COLUMNS.map((column) => escapeFormula(String(entry[column] ?? '')))]));
      }
      context.setExitCode(0);
    },
  );

  addStateOptions(
    suppressions
      .command('import')
      .description('add the addresses of suppression exports (SES, SendGrid, Mailgun, Postmark, plain list)')
      .argument('<files...>', 'export files'),
    false,
  ).action(async (files: string[], flags: Record<string, unknown>) => {
    const parsed = files.map((file) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new HygieneError({ code: 'INPUT_NOT_FOUND', file, message: `${file}: cannot be read`, hint: 'Check the path of the export.' });
      }
      return { file, result: parseSuppressionExport(text, file) };
    });
    const colors = stderrColors();
    withStore(flags, false, (store) => {
      for (const { file, result } of parsed) {
        const counts = store.addSuppressions(result.entries);
        process.stderr.write(
          `${colors.bold(file)} (${result.provider}): ${result.entries.length} address(es): ${counts.added} added, ${counts.updated} updated, ${counts.unchanged} already listed` +
            `${result.skipped.length > 0 ? `; ${result.skipped.length} skipped (${result.skipped[0]!.why})` : ''}\n`,
        );
      }
    });
    context.setExitCode(0);
  });
}

function withStore<T>(flags: Record<string, unknown>, readonly: boolean, action: (store: ReturnType<typeof openStateFor>) => T): T {
  const store = openStateFor('suppressions', flags, { readonly });
  try {
    return action(store);
  } finally {
    store.close();
  }
}
