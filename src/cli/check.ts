import { appendFileSync } from 'node:fs';
import { domainToASCII } from 'node:url';
import { HygieneError } from '../errors.js';
import { Command, Option } from 'commander';
import type { ConfigOverrides } from '../config/config.js';
import { runClean } from '../pipeline/clean.js';
import { GateCollector } from '../pipeline/gate.js';
import { prepareListRun } from '../pipeline/list-run.js';
import { formatGateGithub, formatGateJson, formatGateJunit, formatGateMarkdown, formatGateText } from '../report/gate-output.js';
import { checkSenderDomain } from '../dns/sender.js';
import { createResolver } from '../dns/resolver.js';
import { formatSenderText } from '../report/dns-output.js';
import type { CliContext } from './context.js';
import { stderrColors } from './output.js';
import {
  addBounceReadOptions,
  addDnsOptions,
  addListOptions,
  addStateOptions,
  configFrom,
  domainChecksFrom,
  historyOptionsFrom,
  listOptionsFrom,
} from './shared-options.js';
import { writeOut } from './stdout.js';

const EXAMPLES = `
Rules (each with a threshold: a number of rows, or a percentage like 5%):
  invalid      invalid syntax                         --max-invalid (default 0)
  typo         misspelt domains                       --max-typo (default 0)
  disposable   throw-away providers                   --max-disposable (default 0)
  suppressed   suppressed by history or by the list   --max-suppressed (default 0)
  complaint    spam complaints                        --max-complaint (default 0)
  duplicates   the same mailbox twice                 --max-duplicates (default 0)
  retry-later  soft bounces and blocks waiting        --max-retry-later (default 5%)
  role         role accounts                          --max-role (default: no limit)
  dead-domain  with --check-domains: domains that cannot receive mail
                                                      --max-dead-domain (default 0)
  dns          with --check-domains: bad MX, or the DNS did not answer
                                                      --max-dns (default: no limit, warns)
  sender       with --sender-domain: failed SPF/DMARC/MX findings
                                                      --max-sender (default 0)
Thresholds also live in hygiene.config.json under "check".

Exit codes: 0 pass, 1 fail, 2 bad usage or input.

Examples:
  $ hygiene check contacts.csv
  $ hygiene check contacts.csv --bounces logs/ --max-retry-later 2% --warn-only typo
  $ hygiene check contacts.csv --format github          annotations in a GitHub Actions job
  $ hygiene check contacts.csv --format junit > hygiene-junit.xml
  $ hygiene check contacts.csv --check-domains --sender-domain example.com`;

const THRESHOLD_FLAGS = {
  maxInvalid: 'invalid',
  maxTypo: 'typo',
  maxDisposable: 'disposable',
  maxSuppressed: 'suppressed',
  maxComplaint: 'complaint',
  maxDuplicates: 'duplicates',
  maxRetryLater: 'retry-later',
  maxRole: 'role',
  maxDeadDomain: 'dead-domain',
  maxDns: 'dns',
  maxSender: 'sender',
} as const;

export function registerCheck(program: Command, context: CliContext): void {
  const command = program
    .command('check')
    .description('the pre-send gate for CI: exit 1 when the list would hurt the sender, saying why')
    .argument('<file>', 'contact list (CSV)')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'github', 'junit']).default('text'))
    .option('-o, --out-dir <dir>', 'also write the lists and report.json there (default: write nothing)')
    .option('--bounces <inputs...>', 'bounce logs, ESP exports or bounce mails to apply')
    .option('--warn-only <rules...>', 'rules that only warn (comma or space separated)')
    .option('--max-rows <n>', 'offending rows listed per rule', '10')
    .option('--sender-domain <domain>', "also check the sending domain's SPF, DMARC and MX records");
  for (const [flag, rule] of Object.entries(THRESHOLD_FLAGS)) {
    command.option(`--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} <n|p%>`, `threshold of the ${rule} rule`);
  }
  addListOptions(command);
  addBounceReadOptions(command);
  addDnsOptions(command, true);
  addStateOptions(command, true)
    .addHelpText('after', EXAMPLES)
    .action(async (file: string, flags: Record<string, unknown>) => {
      const check: NonNullable<ConfigOverrides['check']> = {};
      for (const flag of Object.keys(THRESHOLD_FLAGS) as (keyof typeof THRESHOLD_FLAGS)[]) {
        if (typeof flags[flag] === 'string') check[flag] = flags[flag] as string;
      }
      if (Array.isArray(flags.warnOnly)) check.warnOnly = (flags.warnOnly as string[]).flatMap((w) => w.split(',')).filter(Boolean);
      const config = configFrom(flags, check);
      const keep = Math.max(0, Number.parseInt(String(flags.maxRows), 10) || 0);
      const collector = new GateCollector(keep);
      const outDir = typeof flags.outDir === 'string' ? flags.outDir : null;
      const history = historyOptionsFrom(flags, config);
      const { closeHistory, ...listRun } = await prepareListRun(listOptionsFrom(file, flags), history, domainChecksFrom(flags, config, history, false));
      let report;
      try {
        report = await runClean({ ...listRun, outDir: outDir ?? '.', dryRun: outDir === null, onRow: collector.onRow });
      } finally {
        closeHistory();
      }
      const senderDomain = typeof flags.senderDomain === 'string' ? senderDomainFrom(flags.senderDomain) : null;
      const sender =
        senderDomain !== null
          ? await checkSenderDomain(senderDomain, createResolver({ servers: config.dns.servers, timeoutMs: config.dns.timeoutMs }))
          : undefined;
      const result = collector.evaluate(report, config.check, sender);
      switch (flags.format) {
        case 'json':
          await writeOut(formatGateJson(result));
          break;
        case 'junit':
          await writeOut(formatGateJunit(result));
          break;
        case 'github':
          await writeOut(formatGateGithub(result));
          if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, formatGateMarkdown(result));
          process.stderr.write(formatGateText(result, stderrColors()));
          if (result.sender) process.stderr.write(formatSenderText(result.sender, stderrColors()));
          break;
        default:
          process.stderr.write(formatGateText(result, stderrColors()));
          if (result.sender) process.stderr.write(formatSenderText(result.sender, stderrColors()));
      }
      for (const warning of report.dns?.warnings ?? []) process.stderr.write(`${stderrColors().yellow('warning:')} ${warning}\n`);
      context.setExitCode(result.passed ? 0 : 1);
    });
}

/** `--sender-domain`: a domain name, looked up in its A-label form. */
function senderDomainFrom(text: string): string {
  const domain = domainToASCII(text.trim().replace(/\.$/, ''));
  if (domain === '' || !domain.includes('.') || domain.includes('@')) {
    throw new HygieneError({
      code: 'BAD_OPTION',
      message: `--sender-domain ${JSON.stringify(text)} is not a domain name`,
      hint: 'Give the domain you send from, e.g. --sender-domain example.com (not an address).',
    });
  }
  return domain;
}
