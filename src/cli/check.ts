import { appendFileSync } from 'node:fs';
import { domainToASCII } from 'node:url';
import { HygieneError } from '../errors.js';
import { Command, Option } from './commander.js';
import type { ConfigOverrides } from '../config/config.js';
import { runClean } from '../pipeline/clean.js';
import { GateCollector } from '../pipeline/gate.js';
import { runLint } from '../pipeline/lint-run.js';
import { prepareListRun } from '../pipeline/list-run.js';
import { formatGateGithub, formatGateJson, formatGateJunit, formatGateMarkdown, formatGateText } from '../report/gate-output.js';
import { checkSenderDomain } from '../dns/sender.js';
import { createResolver } from '../dns/resolver.js';
import { formatSenderText } from '../report/dns-output.js';
import { formatGateWithLintJson, formatLintGithub, formatLintMarkdown, formatLintText, lintJunitSuites } from '../report/lint-output.js';
import type { CliContext } from './context.js';
import { stderrColors } from './output.js';
import {
  addBounceReadOptions,
  addDnsOptions,
  addListOptions,
  addStateOptions,
  domainChecksFrom,
  historyOptionsFrom,
  listOptionsFrom,
} from './shared-options.js';
import { configFrom } from './config-options.js';
import { writeOut } from './stdout.js';

const EXAMPLES = `
Rules (each with a threshold: a number of rows, or a percentage like 5%):
  invalid      invalid syntax or several per cell     --max-invalid (default 0)
  typo         misspelt domains                       --max-typo (default 0)
  disposable   throw-away providers                   --max-disposable (default 0)
  suppressed   suppressed by history or by the list   --max-suppressed (default 0)
  complaint    spam complaints                        --max-complaint (default 0)
  duplicates   the same mailbox twice                 --max-duplicates (default 0)
  retry-later  soft bounces and blocks waiting        --max-retry-later (default 5%)
  role         role accounts                          --max-role (default: no limit)
  no-address   rows without any address               --max-no-address (default: no limit)
  dead-domain  with --check-domains: domains that cannot receive mail
                                                      --max-dead-domain (default 0)
  dns          with --check-domains: bad MX, or the DNS did not answer
                                                      --max-dns (default: no limit, warns)
  sender       with --sender-domain: failed SPF/DMARC/MX findings
                                                      --max-sender (default 0)
Thresholds also live in hygiene.config.json under "check".

--message campaign.eml also lints the message (see hygiene lint --help; its rules are set in
hygiene.config.json under "lint"): one report, and exit 1 when the list fails or a lint error fires.

Exit codes: 0 pass, 1 fail, 2 bad usage or input.

Examples:
  $ hygiene check contacts.csv
  $ hygiene check contacts.csv --bounces logs/ --max-retry-later 2% --warn-only typo
  $ hygiene check contacts.csv --format github          annotations in a GitHub Actions job
  $ hygiene check contacts.csv --format junit > hygiene-junit.xml
  $ hygiene check contacts.csv --check-domains --sender-domain example.com
  $ hygiene check contacts.csv --message campaign.eml     the list and the message, one verdict`;

const THRESHOLD_FLAGS = {
  maxInvalid: 'invalid',
  maxTypo: 'typo',
  maxDisposable: 'disposable',
  maxSuppressed: 'suppressed',
  maxComplaint: 'complaint',
  maxDuplicates: 'duplicates',
  maxRetryLater: 'retry-later',
  maxRole: 'role',
  maxNoAddress: 'no-address',
  maxDeadDomain: 'dead-domain',
  maxDns: 'dns',
  maxSender: 'sender',
} as const;

export function registerCheck(program: Command, context: CliContext): void {
  const command = program
    .command('check')
    .description('the pre-send gate for CI: exit 1 when the list would hurt the sender, saying why')
    .argument('<file>', 'contact list (CSV); - reads it from stdin')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'github', 'junit']).default('text'))
    .option('-o, --out-dir <dir>', 'also write the lists and report.json there (default: write nothing)')
    .option('--bounces <inputs...>', 'bounce logs, ESP exports or bounce mails to apply')
    .option('--warn-only <rules...>', 'rules that only warn (comma or space separated)')
    .option('--max-rows <n>', 'offending rows listed per rule', '10')
    .option('--sender-domain <domain>', "also check the sending domain's SPF, DMARC and MX records")
    .option('--message <files...>', 'also lint these campaign messages (.eml): one report, one exit code');
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
      // The messages first: an unreadable one stops the run before any list is written.
      const messages = Array.isArray(flags.message) ? (flags.message as string[]) : [];
      const lint =
        messages.length === 0
          ? null
          : await runLint({
              messages,
              template: null,
              settings: config.lintSettings,
              bulk: false,
              dns: false,
              dnsServers: [],
              maxWarnings: null,
            });
      const keep = Math.max(0, Number.parseInt(String(flags.maxRows), 10) || 0);
      const collector = new GateCollector(keep);
      const outDir = typeof flags.outDir === 'string' ? flags.outDir : null;
      const history = historyOptionsFrom(flags, config);
      const { closeHistory, ...listRun } = await prepareListRun(
        listOptionsFrom(file, flags),
        history,
        domainChecksFrom(flags, config, history, false),
      );
      let report;
      try {
        report = await runClean({
          ...listRun,
          outDir: outDir ?? '.',
          dryRun: outDir === null,
          onRow: collector.onRow,
          onRestart: collector.reset,
        });
      } finally {
        closeHistory();
      }
      const senderDomain = typeof flags.senderDomain === 'string' ? senderDomainFrom(flags.senderDomain) : null;
      const sender =
        senderDomain !== null
          ? await checkSenderDomain(senderDomain, createResolver({ servers: config.dns.servers, timeoutMs: config.dns.timeoutMs }))
          : undefined;
      const result = collector.evaluate(report, config.check, sender);
      const passed = result.passed && (lint === null || lint.passed);
      const colors = stderrColors();
      const dnsWarnings = (report.dns?.warnings ?? []).map((warning) => `${colors.yellow('warning:')} ${warning}\n`).join('');
      const text = () =>
        formatGateText(result, colors, { senderTableFollows: result.sender !== undefined }) +
        (result.sender ? formatSenderText(result.sender, colors) : '') +
        dnsWarnings +
        (lint === null
          ? ''
          : `\n${formatLintText(lint, colors)}\nhygiene check: ${passed ? 'PASSED' : 'FAILED'} (list ${result.passed ? 'passed' : 'failed'}, message ${lint.passed ? 'passed' : 'failed'})\n`);
      switch (flags.format) {
        case 'json':
          await writeOut(lint === null ? formatGateJson(result) : formatGateWithLintJson(result, lint));
          process.stderr.write(dnsWarnings);
          break;
        case 'junit':
          await writeOut(formatGateJunit(result, lint === null ? undefined : lintJunitSuites(lint)));
          process.stderr.write(dnsWarnings);
          break;
        case 'github':
          await writeOut(formatGateGithub(result) + (lint === null ? '' : formatLintGithub(lint)));
          if (process.env.GITHUB_STEP_SUMMARY)
            appendFileSync(
              process.env.GITHUB_STEP_SUMMARY,
              formatGateMarkdown(result) + (lint === null ? '' : `\n${formatLintMarkdown(lint)}`),
            );
          process.stderr.write(text());
          break;
        default:
          process.stderr.write(text());
      }
      context.setExitCode(passed ? 0 : 1);
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
