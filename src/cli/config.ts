import type { Command } from 'commander';
import { configValues, formatConfig } from '../config/config.js';
import { HygieneError } from '../errors.js';

import { configFrom } from './config-options.js';
import type { CliContext } from './context.js';
import { writeOut } from './stdout.js';

export function registerConfig(program: Command, context: CliContext): void {
  program
    .command('config')
    .description('show the effective configuration (defaults, hygiene.config.json, flags)')
    .option('--print', 'print every value and where it came from')
    .option('--json', 'print the values as plain JSON (a valid hygiene.config.json)')
    .option('--config <file>', 'configuration file (default: hygiene.config.json if present)')
    .addHelpText(
      'after',
      `
Examples:
  $ hygiene config --print
  $ hygiene config --json > hygiene.config.json      start a config file from the defaults`,
    )
    .action(async (flags: Record<string, unknown>) => {
      if (!flags.print && !flags.json) {
        throw new HygieneError({ code: 'USAGE', message: 'config needs --print or --json', hint: 'hygiene config --print' });
      }
      const config = configFrom(flags);
      await writeOut(flags.json ? `${JSON.stringify(configValues(config), null, 2)}\n` : `${formatConfig(config)}\n`);
      context.setExitCode(0);
    });
}
