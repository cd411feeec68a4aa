import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerCheck } from './check.js';
import { registerClassify } from './classify.js';
import { registerClean } from './clean.js';
import { registerConfig } from './config.js';
import { registerDomains } from './domains.js';
import { registerHistory } from './history.js';
import { registerIngest } from './ingest.js';
import { registerPrune } from './prune.js';
import { registerSuppressions } from './suppressions.js';
import { registerUnsuppress } from './unsuppress.js';
import type { CliContext } from './context.js';
import { printError } from './output.js';


export function buildProgram(context: CliContext): Command {
  const program = new Command();
  program
    .name('hygiene')
    .description(
      'Email list hygiene: check a contact list (syntax, typo domains, duplicates, disposable and role ' +
        'accounts), classify bounces, and write cleaned, suppressed and retry-later lists.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Examples:
  $ hygiene clean contacts.csv                     check a list, write hygiene-out/
  $ hygiene clean contacts.csv --fix --out-dir out correct obvious typos, record them in fixes.csv
  $ hygiene classify /var/log/mail.log             classify every bounce in a mail log
  $ hygiene check contacts.csv --bounces logs/      the pre-send gate for CI (exit 1 = do not send)
  $ hygiene clean contacts.csv --check-domains     also drop domains that cannot receive mail (DNS)
  $ hygiene domains contacts.csv                   the DNS verdict of each domain of a list

Exit codes: 0 success, 1 a check failed (CI gate), 2 bad usage or bad input.`,
    );
  // Set before the commands are added, so that they inherit it: usage errors exit 2, not 1.
  program.exitOverride();
  program.configureOutput({
    writeErr: (text) => process.stderr.write(text),
    writeOut: (text) => process.stdout.write(text),
  });
  registerClean(program, context);
  registerClassify(program, context);
  registerCheck(program, context);
  registerDomains(program, context);
  registerIngest(program, context);
  registerHistory(program, context);
  registerPrune(program, context);
  registerSuppressions(program, context);
  registerUnsuppress(program, context);
  registerConfig(program, context);
  return program;
}

/** Runs the CLI and returns the exit code (bin/hygiene.js sets it). */
export async function main(argv: string[]): Promise<number> {
  // `hygiene classify log | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  let exitCode = 0;
  const program = buildProgram({
    setExitCode(code) {
      exitCode = code;
    },
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
      return 2;
    }
    return printError(error);
  }
}
