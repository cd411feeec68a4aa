import type { Command } from 'commander';
import { HygieneError } from '../errors.js';
import { historyKey } from '../policy/history-model.js';
import { addStateOptions, parseNow } from './shared-options.js';
import type { CliContext } from './context.js';
import { openStateFor } from './state-access.js';

export function registerUnsuppress(program: Command, context: CliContext): void {
  const command = program
    .command('unsuppress')
    .description('override the history of an address (recorded with time and note); --undo takes it back')
    .argument('<address>', 'the address to send to again')
    .option('--note <text>', 'why (recorded; required unless --undo)')
    .option('--undo', 'undo the latest unsuppress of this address')
    .option('--now <iso>', 'the time to record (default: now)')
    .addHelpText(
      'after',
      `
Everything known about the address until now (hard bounces, complaints, soft bounces, the
suppression list) stops counting; later bounces count again.

Examples:
  $ hygiene unsuppress ann@example.org --note "customer called: mailbox fixed"
  $ hygiene unsuppress ann@example.org --undo`,
    );
  addStateOptions(command, false).action(async (address: string, flags: Record<string, unknown>) => {
    const now = parseNow(flags.now);
    if (!flags.undo && (typeof flags.note !== 'string' || flags.note.trim() === '')) {
      throw new HygieneError({
        code: 'USAGE',
        message: 'unsuppress needs --note "why" (it is kept with the override)',
        hint: 'e.g. hygiene unsuppress ann@example.org --note "confirmed by phone"',
      });
    }
    const store = openStateFor('unsuppress', flags, { readonly: false });
    try {
      if (flags.undo) store.undoUnsuppress(address, now);
      else store.unsuppress(address, String(flags.note), now);
    } finally {
      store.close();
    }
    process.stderr.write(
      flags.undo ? `${historyKey(address)}: the latest unsuppress is undone\n` : `${historyKey(address)}: unsuppressed at ${now.toISOString()}\n`,
    );
    context.setExitCode(0);
  });
}
