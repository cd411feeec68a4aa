import type { Command } from 'commander';
import { decide, describeEvent } from '../policy/decide.js';
import { historyKey } from '../policy/history-model.js';
import { addressArgument, addStateOptions, parseNow } from './shared-options.js';
import { configFrom } from './config-options.js';
import type { CliContext } from './context.js';
import { stderrColors } from './output.js';
import { openStateFor } from './state-access.js';
import { writeOut } from './stdout.js';

export function registerHistory(program: Command, context: CliContext): void {
  const command = program
    .command('history')
    .description("show an address's bounce events and today's decision, with reasons")
    .argument('<address>', 'the address (any case)')
    .option('--json', 'print the history and decision as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ hygiene history ann@example.org
  $ hygiene history ann@example.org --now 2026-11-30T09:00:00Z --json`,
    );
  addStateOptions(command, true).action(async (value: string, flags: Record<string, unknown>) => {
    const address = addressArgument(value, 'history');
    const config = configFrom(flags);
    const now = parseNow(flags.now);
    const store = openStateFor('history', flags, { readonly: true });
    let history;
    try {
      history = store.historyOf(address);
    } finally {
      store.close();
    }
    const decision = decide(history, config.policy, now);
    if (flags.json) {
      await writeOut(
        `${JSON.stringify({ address: historyKey(address), history: history ?? null, decision, now: now.toISOString() }, null, 2)}\n`,
      );
      context.setExitCode(0);
      return;
    }
    const colors = stderrColors();
    const lines: string[] = [colors.bold(`history of ${historyKey(address)}`)];
    if (!history) lines.push('  no events, not on the suppression list');
    for (const event of history?.events ?? []) lines.push(`  ${(event.at ?? 'unknown time').slice(0, 19)}  ${describeEvent(event)}`);
    if (history?.suppression) {
      const entry = history.suppression;
      lines.push(
        `  on the suppression list: ${entry.reason} from ${entry.origin}${entry.at ? ` since ${entry.at.slice(0, 10)}` : ''}${entry.note ? ` (${entry.note})` : ''}`,
      );
    }
    for (const override of history?.overrides ?? []) {
      lines.push(
        `  unsuppressed ${override.at.slice(0, 19)}${override.note ? `: "${override.note}"` : ''}${override.undoneAt ? ` (undone ${override.undoneAt.slice(0, 19)})` : ''}`,
      );
    }
    const verdict = decision.reason ? `${decision.list} (${decision.reason})` : 'cleaned: send';
    lines.push(`decision at ${now.toISOString()}: ${verdict}`);
    if (decision.detail) lines.push(`  ${decision.detail}`);
    if (decision.retryAfter) lines.push(`  retry after ${decision.retryAfter}`);
    if (decision.softCount > 0 || decision.blockCount > 0)
      lines.push(`  counted: ${decision.softCount} soft, ${decision.blockCount} block (limit ${config.policy.softLimit} soft)`);
    await writeOut(`${lines.join('\n')}\n`);
    context.setExitCode(0);
  });
}
