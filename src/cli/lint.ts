import { appendFileSync } from 'node:fs';
import { Command, Option } from './commander.js';
import { HygieneError } from '../errors.js';
import { runLint } from '../pipeline/lint-run.js';
import { formatLintGithub, formatLintJson, formatLintJunit, formatLintMarkdown, formatLintText } from '../report/lint-output.js';

import { configFrom } from './config-options.js';
import type { CliContext } from './context.js';
import { stderrColors } from './output.js';
import { writeOut } from './stdout.js';

const HELP = `
Rules (ids for hygiene.config.json "lint.rules"):
  size-limit html-clipped no-text-part image-only subject-caps body-caps punctuation spam-phrases
  too-many-links url-shortener link-mismatch ip-link dangerous-content test-string list-unsubscribe
  headers authentication
Switch one off or re-grade it: { "lint": { "rules": { "spam-phrases": "off", "no-text-part": "error" } } }
Thresholds: { "lint": { "rules": { "too-many-links": { "maxLinks": 40, "maxDomains": 10 } } } }

Exit codes: 0 no error (warnings allowed unless --max-warnings), 1 an error rule fired, 2 bad usage
or an unreadable message.

Examples:
  $ hygiene lint campaign.eml
  $ hygiene lint --html spring.html --text spring.txt --subject "Spring is here" --from "Shop <news@shop.example>"
  $ hygiene lint received-copy.eml --dns                   also verify the DKIM signature
  $ hygiene lint drafts/*.eml --bulk --max-warnings 0 --format github`;

export function registerLint(program: Command, context: CliContext): void {
  program
    .command('lint')
    .description('review a campaign message before it is sent: size, content, links, unsubscribe, headers, authentication')
    .argument('[messages...]', 'messages (.eml): a draft exported from the ESP, or a test copy received in a mailbox')
    .option('--html <file>', 'lint a template: its HTML')
    .option('--text <file>', "the template's text version")
    .option('--subject <text>', "the template's subject")
    .option('--from <address>', 'the template\'s From, like "Shop <news@shop.example>"')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'github', 'junit']).default('text'))
    .option('--max-warnings <n>', 'fail (exit 1) when there are more warnings than this')
    .option('--bulk', 'lint as bulk mail: one-click unsubscribe is required (default when Precedence: bulk or List-Id is present)')
    .option('--dns', 'verify DKIM signatures of received copies (looks up the key in DNS)')
    .option(
      '--dns-server <ip[:port]>',
      'a DNS server to ask (repeatable; implies --dns; default: "dnsServers" in the config, else the system resolvers)',
      collect,
    )
    .option('--config <file>', 'configuration file (default: hygiene.config.json if present)')
    .addHelpText('after', HELP)
    .action(async (messages: string[], flags: Record<string, unknown>) => {
      const template = templateFrom(flags);
      if (messages.length === 0 && template === null) {
        throw new HygieneError({
          code: 'USAGE',
          message: 'lint needs messages (.eml files) or a template (--html)',
          hint: 'Run hygiene lint campaign.eml, or hygiene lint --html FILE --subject TEXT --from ADDRESS.',
        });
      }
      const config = configFrom(flags);
      const report = await runLint({
        messages,
        template,
        settings: config.lintSettings,
        bulk: flags.bulk === true,
        // --dns-server goes through the config like everywhere (validated as resolver addresses).
        dns: flags.dns === true || Array.isArray(flags.dnsServer),
        dnsServers: config.dns.servers,
        dnsTimeoutMs: config.dns.timeoutMs,
        maxWarnings: maxWarningsFrom(flags.maxWarnings),
      });
      switch (flags.format) {
        case 'json':
          await writeOut(formatLintJson(report));
          break;
        case 'junit':
          await writeOut(formatLintJunit(report));
          break;
        case 'github':
          await writeOut(formatLintGithub(report));
          if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, formatLintMarkdown(report));
          process.stderr.write(formatLintText(report, stderrColors()));
          break;
        default:
          process.stderr.write(formatLintText(report, stderrColors()));
      }
      context.setExitCode(report.passed ? 0 : 1);
    });
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function templateFrom(flags: Record<string, unknown>) {
  const given = (name: string) => typeof flags[name] === 'string';
  if (!given('html')) {
    const stray = ['text', 'subject', 'from'].filter(given);
    if (stray.length > 0) {
      throw new HygieneError({
        code: 'USAGE',
        message: `--${stray.join(', --')} only go with --html`,
        hint: 'Lint a template with --html FILE --subject TEXT --from ADDRESS [--text FILE].',
      });
    }
    return null;
  }
  const missing = ['subject', 'from'].filter((name) => !given(name));
  if (missing.length > 0) {
    throw new HygieneError({
      code: 'USAGE',
      message: `a template needs --${missing.join(' and --')}`,
      hint: 'Lint a template with --html FILE --subject TEXT --from ADDRESS [--text FILE].',
    });
  }
  return {
    html: flags.html as string,
    text: given('text') ? (flags.text as string) : null,
    subject: flags.subject as string,
    from: flags.from as string,
  };
}

function maxWarningsFrom(value: unknown): number | null {
  if (value === undefined) return null;
  const text = String(value).trim();
  if (!/^\d{1,9}$/.test(text)) {
    throw new HygieneError({
      code: 'BAD_OPTION',
      message: `--max-warnings ${JSON.stringify(text)} is not a whole number`,
      hint: 'Give the number of warnings allowed, e.g. --max-warnings 0.',
    });
  }
  return Number(text);
}
