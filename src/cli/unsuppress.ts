import type { Command } from 'commander';
import { HygieneError } from '../errors.js';
import { historyKey } from '../policy/history-model.js';
import { createInterface } from 'node:readline/promises';
import { checkBeforeUnsuppress } from '../pipeline/suppression-list.js';
import { stderrColors } from './output.js';
import { addressArgument, addStateOptions, parseNow } from './shared-options.js';
import { configFrom } from './config-options.js';
import type { CliContext } from './context.js';
import { openStateFor } from './state-access.js';

export function registerUnsuppress(program: Command, context: CliContext): void {
  const command = program
    .command('unsuppress')
    .description('override the history of an address (recorded with time and note); --undo takes it back')
    .argument('<address>', 'the address to send to again')
    .option('--note <text>', 'why (recorded; required unless --undo)')
    .option('--undo', 'undo the latest unsuppress of this address')
    .option('--yes', 'clear a spam complaint without asking (needed in scripts)')
    .option('--now <iso>', 'the time to record (default: now)')
    .addHelpText(
      'after',
      `
Everything known about the address until now (hard bounces, complaints, soft bounces, the
suppression list) stops counting; later bounces count again.

Examples:
  $ hygiene unsuppress ann@example.org --note "customer called: mailbox fixed"
  $ hygiene unsuppress ann@example.org --undo
  $ hygiene unsuppress bo@example.org --note "asked to be mailed again" --yes   (a complaint)

An address that is not suppressed is left alone (a note says so). Clearing a spam complaint
prints a warning and asks; without a terminal it needs --yes.`,
    );
  addStateOptions(command, false).action(async (value: string, flags: Record<string, unknown>) => {
    const address = addressArgument(value, 'unsuppress');
    const now = parseNow(flags.now);
    if (!flags.undo && (typeof flags.note !== 'string' || flags.note.trim() === '')) {
      throw new HygieneError({
        code: 'USAGE',
        message: 'unsuppress needs --note "why" (it is kept with the override)',
        hint: 'e.g. hygiene unsuppress ann@example.org --note "confirmed by phone"',
      });
    }
    const key = historyKey(address);
    const colors = stderrColors();
    const store = openStateFor('unsuppress', flags, { readonly: false });
    try {
      if (flags.undo) {
        store.undoUnsuppress(address, now);
        process.stderr.write(`${key}: the latest unsuppress is undone\n`);
        context.setExitCode(0);
        return;
      }
      const before = checkBeforeUnsuppress(store.historyOf(address), configFrom(flags).policy, now);
      if (!before.suppressed) {
        process.stderr.write(`${colors.yellow('note:')} ${key} is not suppressed: nothing to clear, nothing recorded\n`);
        context.setExitCode(0);
        return;
      }
      if (before.complaint) {
        process.stderr.write(
          `${colors.yellow('warning:')} ${key} reported your mail as spam (a spam complaint). Mailing a person who complained ` +
            'again risks more complaints and your sender reputation; clear it only if they asked to be mailed again.\n',
        );
        if (flags.yes !== true && !(await confirm(`Clear the complaint of ${key}? [y/N] `))) {
          throw new HygieneError({
            code: 'CONFIRMATION_NEEDED',
            message: `${key}: not unsuppressed: clearing a spam complaint needs confirmation`,
            hint: `Add --yes to clear it anyway: hygiene unsuppress ${key} --note "..." --yes`,
          });
        }
      }
      store.unsuppress(address, String(flags.note), now);
    } finally {
      store.close();
    }
    process.stderr.write(`${key}: unsuppressed at ${now.toISOString()}\n`);
    context.setExitCode(0);
  });
}

/** Asks on the terminal; without one (a script, CI) the answer is no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await prompt.question(question)).trim());
  } finally {
    prompt.close();
  }
}
