import { Command, Option } from './commander.js';
import { FORMATS } from '../bounces/formats/index.js';
import { expandBounceInputs } from '../bounces/input.js';
import { emptyReadStats, readBounces } from '../pipeline/read-bounces.js';
import { HygieneError } from '../errors.js';
import { formatReadSummary, tableHeader, toJsonLine, toTableRow } from '../report/bounce-output.js';
import type { CliContext } from './context.js';
import { stderrColors, stdoutColors } from './output.js';
import { addBounceReadOptions, bounceReadOptionsFrom } from './shared-options.js';
import { StdoutBatcher, writeOut } from './stdout.js';

const EXAMPLES = `
Examples:
  $ hygiene classify /var/log/mail.log                    a table for people
  $ hygiene classify logs/ 'archive/mail.log.*.gz' --format jsonl > bounces.jsonl
  $ hygiene classify bounces/ --format csv               a folder of .eml files, or a Maildir
  $ zcat mail.log.2.gz | hygiene classify - --year 2025
  $ hygiene classify /var/log/mail.log --timezone Europe/Berlin   log times are local
  $ hygiene classify --list-formats

Fields (jsonl/csv): recipient, class, reason, action, status, smtpCode, diagnostic,
remoteMta, at, queueId, format, source, finalRecipient.  class: hard, soft, block, complaint,
auto-reply, delivered, undetermined.  reason: Sisimai's vocabulary.`;

export function registerClassify(program: Command, context: CliContext): void {
  const command = program
    .command('classify')
    .description('read bounce logs, ESP exports or bounce mails and classify every delivery result')
    .argument('[inputs...]', 'files, folders (recursive), quoted globs, gzip files, or - for stdin')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'jsonl', 'csv']).default('table'))
    .option('--list-formats', 'list the input formats and exit');
  addBounceReadOptions(command)
    .option('-q, --quiet', 'no summary on stderr')
    .addHelpText('after', EXAMPLES)
    .action(async (args: string[], flags: Record<string, unknown>) => {
      if (flags.listFormats) {
        for (const format of FORMATS) await writeOut(`${format.name.padEnd(14)} ${format.description}\n`);
        context.setExitCode(0);
        return;
      }
      if (args.length === 0) {
        throw new HygieneError({
          code: 'USAGE',
          message: 'classify needs at least one input',
          hint: 'Give bounce log files, folders, globs, or - for stdin.',
        });
      }
      const warnings: string[] = [];
      const inputs = await expandBounceInputs(args, warnings);
      for (const warning of warnings) process.stderr.write(`hygiene: warning: ${warning}\n`);
      const stats = emptyReadStats();
      const colors = stderrColors();
      const byClass: Record<string, number> = {};
      const output = flags.format as string;
      const csv = output === 'csv' ? await import('../report/bounce-csv.js') : null;
      const tableColors = stdoutColors();
      const out = new StdoutBatcher();
      let first = true;
      try {
        for await (const record of readBounces(inputs, bounceReadOptionsFrom(flags), stats)) {
          if (first) {
            first = false;
            if (csv) out.add(csv.csvHeader());
            if (output === 'table') out.add(tableHeader(tableColors));
          }
          byClass[record.class] = (byClass[record.class] ?? 0) + 1;
          const text = output === 'jsonl' ? toJsonLine(record) : csv ? csv.toCsvRow(record) : toTableRow(record, tableColors);
          if (out.add(text)) await out.flush();
        }
        if (first && csv) out.add(csv.csvHeader());
      } finally {
        // Records read before an error are printed before the error, as they were read.
        await out.flush();
      }
      if (!flags.quiet) process.stderr.write(formatReadSummary(stats, byClass, colors));
      context.setExitCode(0);
    });
}
