import { Command, CommanderError } from './commander.js';
import { VERSION } from '../version.js';
import type { CliContext } from './context.js';

type Register = (program: Command, context: CliContext) => void;

/**
 * Commander suggests an option only within three edits; `--out` for `--out-dir` is four away,
 * though plainly a start of it. A flag that starts one or a few long options gets those.
 */
const MAX_COMPLETIONS = 3;
class HygieneCommand extends Command {
  override createCommand(name?: string): Command {
    return new HygieneCommand(name);
  }

  unknownOption(flag: string): void {
    const options = this.options.map((option) => option.long).filter((long): long is string => long !== undefined);
    const completions = flag.startsWith('--') ? options.filter((long) => long.startsWith(flag)) : [];
    if (completions.length > 0 && completions.length <= MAX_COMPLETIONS) {
      const named = completions.length === 1 ? completions[0] : `${completions.slice(0, -1).join(', ')} or ${completions.at(-1)}`;
      this.error(`error: unknown option '${flag}'\n(Did you mean ${named}?)`, { code: 'commander.unknownOption' });
    }
    (Command.prototype as unknown as { unknownOption(flag: string): void }).unknownOption.call(this, flag);
  }
}

/**
 * The commands, in the order help lists them. Each is imported only when it runs (or for help):
 * a command's module pulls in its whole pipeline, and `hygiene --version` or a short `config`
 * run should not pay for the classifier, the address tables and SQLite.
 */
const COMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ['clean', async () => (await import('./clean.js')).registerClean],
  ['classify', async () => (await import('./classify.js')).registerClassify],
  ['check', async () => (await import('./check.js')).registerCheck],
  ['domains', async () => (await import('./domains.js')).registerDomains],
  ['lint', async () => (await import('./lint.js')).registerLint],
  ['ingest', async () => (await import('./ingest.js')).registerIngest],
  ['history', async () => (await import('./history.js')).registerHistory],
  ['prune', async () => (await import('./prune.js')).registerPrune],
  ['suppressions', async () => (await import('./suppressions.js')).registerSuppressions],
  ['unsuppress', async () => (await import('./unsuppress.js')).registerUnsuppress],
  ['config', async () => (await import('./config.js')).registerConfig],
];

/** The commands a command line needs: the one it names, none for the version, else all (help, errors). */
function commandsFor(argv: readonly string[]): typeof COMMANDS {
  const first = argv[2];
  const named = COMMANDS.filter(([name]) => name === first);
  if (named.length > 0) return named;
  if (argv.length === 3 && (first === '-V' || first === '--version')) return [];
  return COMMANDS;
}

/** The program with the commands `argv` needs (all of them by default). */
export async function buildProgram(context: CliContext, argv: readonly string[] = []): Promise<Command> {
  const program = new HygieneCommand();
  program
    .name('hygiene')
    .description(
      'Email list hygiene: check a contact list (syntax, typo domains, duplicates, disposable and role ' +
        'accounts), classify bounces, and write cleaned, suppressed and retry-later lists.',
    )
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run with --help for usage)')
    .showSuggestionAfterError(true)
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
  const registers = await Promise.all(commandsFor(argv).map(([, load]) => load()));
  for (const register of registers) register(program, context);
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
  const context: CliContext = {
    setExitCode(code) {
      exitCode = code;
    },
  };
  try {
    const program = await buildProgram(context, argv);
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
      // `hygiene` with no command prints the help as an error: it did nothing that was asked.
      if (error.code === 'commander.help') return error.exitCode === 0 ? 0 : 2;
      return 2;
    }
    const { printError } = await import('./output.js');
    return printError(error);
  }
}
