import { Command, Option } from './commander.js';
import { prepareDomainChecks } from '../pipeline/domain-checks.js';
import { domainRows, formatDnsSummaryLines, formatDomainsCsv, formatDomainsJson, formatDomainsTable } from '../report/dns-output.js';
import type { CliContext } from './context.js';
import { stderrColors, stdoutColors } from './output.js';
import { writeOut } from './stdout.js';
import {
  addDnsOptions,
  addListReadOptions,
  addStateOptions,
  dnsOptionsFrom,
  listOptionsFrom,
  parseNow,
  statePathFrom,
} from './shared-options.js';
import { configFrom } from './config-options.js';

const EXAMPLES = `
Verdicts (problems first):
  no-such-domain          NXDOMAIN                                   -> suppressed
  domain-accepts-no-mail  null MX, or no MX and SPF "v=spf1 -all"    -> suppressed
  no-mail-server          neither MX nor A/AAAA                      -> suppressed
  bad-mx                  MX to localhost, private/reserved, nowhere -> retry-later
  undetermined            timeout, SERVFAIL, REFUSED                 -> kept
  accepts-mail            usable MX (or A/AAAA as implicit MX)       -> kept
  well-known-provider     gmail.com, outlook.com, ...: not asked     -> kept

Examples:
  $ hygiene domains contacts.csv
  $ hygiene domains contacts.csv --format csv > domains.csv
  $ hygiene domains contacts.csv --dns-server 9.9.9.9 --format json | jq '.domains[] | select(.list != "cleaned")'`;

/** `hygiene domains LIST.csv`: the DNS verdict of each distinct domain of a list; writes no list. */
export function registerDomains(program: Command, context: CliContext): void {
  const command = program
    .command('domains')
    .description("print the DNS verdict of each domain of a contact list (why a whole company's addresses were suppressed)")
    .argument('<file>', 'contact list (CSV)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--fix', 'check the domains of corrected addresses, as clean --fix would route them')
    .option('--allow-disposable', 'also look up the domains of disposable mailbox providers');
  addListReadOptions(command);
  addDnsOptions(command, false);
  addStateOptions(command, false)
    .option('--now <iso>', 'the time of the run, for the cache (default: now)')
    .addHelpText('after', EXAMPLES)
    .action(async (file: string, flags: Record<string, unknown>) => {
      const config = configFrom(flags);
      const now = parseNow(flags.now);
      const dns = dnsOptionsFrom(flags, config, { statePath: statePathFrom(flags), now });
      const { prepared } = await prepareDomainChecks(file, { ...listOptionsFrom(file, flags), fix: Boolean(flags.fix) }, dns);
      const rows = domainRows(prepared);
      if (flags.format === 'json') await writeOut(formatDomainsJson(rows, prepared.summary));
      else if (flags.format === 'csv') await writeOut(formatDomainsCsv(rows));
      else {
        await writeOut(formatDomainsTable(rows, stdoutColors()));
        process.stderr.write(`${formatDnsSummaryLines(prepared.summary, stderrColors()).join('\n')}\n`);
      }
      if (flags.format !== 'table')
        for (const warning of prepared.summary.warnings) process.stderr.write(`${stderrColors().yellow('warning:')} ${warning}\n`);
      context.setExitCode(0);
    });
}
