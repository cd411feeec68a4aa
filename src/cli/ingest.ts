import type { Command } from 'commander';
import { expandBounceInputs } from '../bounces/input.js';
import { emptyReadStats, readBounces } from '../pipeline/read-bounces.js';
import type { BounceRecord } from '../bounces/types.js';
import { formatReadSummary } from '../report/bounce-output.js';
import { addBounceReadOptions, addStateOptions, bounceReadOptionsFrom } from './shared-options.js';
import type { CliContext } from './context.js';
import { stderrColors } from './output.js';
import { createProgress } from './progress.js';
import { openStateFor } from './state-access.js';

const BATCH = 5_000;

export function registerIngest(program: Command, context: CliContext): void {
  const command = program
    .command('ingest')
    .description('record bounces in the history database without a contact list (for a cron job)')
    .argument('<inputs...>', 'bounce logs, ESP exports, bounce mails: files, folders, globs, or -')
    .option('--json', 'print the counts as JSON on stdout')
    .option('-q, --quiet', 'print nothing on success')
    .addHelpText(
      'after',
      `
Reading the same log twice, or rotated logs that overlap, never counts an event twice.

Examples:
  $ hygiene ingest /var/log/mail.log                 daily, from cron
  $ hygiene ingest 'archive/mail.log.*.gz' --state /srv/hygiene/history.db`,
    );
  addBounceReadOptions(command);
  addStateOptions(command, false).action(async (args: string[], flags: Record<string, unknown>) => {
    const warnings: string[] = [];
    const inputs = await expandBounceInputs(args, warnings);
    for (const warning of warnings) process.stderr.write(`hygiene: warning: ${warning}\n`);
    const store = openStateFor('ingest', flags, { readonly: false });
    const stats = emptyReadStats();
    const progress = createProgress({ label: 'ingest', unit: 'lines' });
    const byClass: Record<string, number> = {};
    let added = 0;
    let duplicates = 0;
    try {
      let batch: BounceRecord[] = [];
      const flush = () => {
        const result = store.ingest(batch, new Date());
        added += result.added;
        duplicates += result.duplicates;
        batch = [];
      };
      for await (const record of readBounces(inputs, bounceReadOptionsFrom(flags), stats)) {
        byClass[record.class] = (byClass[record.class] ?? 0) + 1;
        batch.push(record);
        if (batch.length >= BATCH) {
          flush();
          progress.update(stats.linesRead);
        }
      }
      flush();
    } finally {
      progress.done();
      store.close();
    }
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ files: stats.files, linesRead: stats.linesRead, records: stats.records, skipped: stats.skipped, malformed: stats.malformed, problems: stats.problems, byClass, added, duplicates }, null, 2)}\n`,
      );
    } else if (!flags.quiet) {
      process.stderr.write(formatReadSummary(stats, byClass, stderrColors(), 'ingest'));
      process.stderr.write(`  recorded ${added} new event(s); ${duplicates} already known\n`);
    }
    context.setExitCode(0);
  });
}
