import type { Command } from 'commander';
import { runPrune } from '../pipeline/prune.js';
import { DEFAULT_STATE_PATH } from '../state/history-store.js';
import type { CliContext } from './context.js';
import { parseNow, statePathFrom } from './shared-options.js';
import { configFrom } from './config-options.js';
import { stderrColors } from './output.js';
import { createProgress } from './progress.js';
import { openStateFor } from './state-access.js';

/** Counts as `1,234`: made when printed (an Intl formatter costs ~20 ms, which every command would pay at import). */
function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

export function registerPrune(program: Command, context: CliContext): void {
  program
    .command('prune')
    .description('remove history events that can no longer change a decision (old, superseded deliveries and soft bounces)')
    .option('--retention <duration>', 'keep every event younger than this (default: config "retention", 90d; at least the soft window)')
    .option('--vacuum', 'then rewrite the file to give the freed space back to the disk (VACUUM; needs free space the size of the history)')
    .option('--now <iso>', 'the time to prune at (default: now)')
    .option('--state <path>', 'history database', DEFAULT_STATE_PATH)
    .option('--config <file>', 'configuration file (default: hygiene.config.json if present)')
    .option('--json', 'print what was removed as JSON on stdout')
    .option('-q, --quiet', 'print nothing on success')
    .addHelpText(
      'after',
      `
Removed: events older than the retention, of known time, that a later event supersedes:
a delivery once a later delivery exists; a soft bounce, block or auto-reply once any later
event exists. Hard bounces, complaints, the suppression list and unsuppress overrides are kept.
Decisions made now or later are the same before and after.

Examples:
  $ hygiene prune                      weekly, from cron
  $ hygiene prune --retention 180d --vacuum`,
    )
    .action(async (flags: Record<string, unknown>) => {
      const config = configFrom(flags);
      const now = parseNow(flags.now);
      // Refuses --no-state, a missing history and a foreign file with the usual messages.
      openStateFor('prune', flags, { readonly: true }).close();
      const progress = createProgress({ label: 'prune', unit: 'addresses' });
      let report;
      try {
        report = runPrune({
          statePath: statePathFrom(flags)!,
          config,
          now,
          vacuum: Boolean(flags.vacuum),
          onProgress: (done) => progress.update(done),
        });
      } finally {
        progress.done();
      }
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else if (!flags.quiet) {
        const colors = stderrColors();
        const classes = Object.entries(report.byClass)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([cls, count]) => `${formatCount(count)} ${cls}`)
          .join(', ');
        const lines = [
          `${colors.bold(report.state)}: removed ${formatCount(report.removed)} of ${formatCount(report.before)} event(s)${classes ? ` (${classes})` : ''}; ${formatCount(report.kept)} kept`,
          `  retention ${report.retention}: only events before ${report.cutoff} that a later event supersedes`,
        ];
        if (report.vacuum) lines.push(`  vacuum: ${mb(report.vacuum.bytesBefore)} -> ${mb(report.vacuum.bytesAfter)}`);
        process.stderr.write(`${lines.join('\n')}\n`);
      }
      context.setExitCode(0);
    });
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
