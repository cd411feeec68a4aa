import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINT_RULE_IDS } from '../../src/lint/types.js';
import { REPO, type CliResult } from '../cli/run-cli.js';
import { runCliAsync } from './run-cli-async.js';
import { startTestDns, type TestDns } from './dns-server.js';

const FIXTURES = 'fixtures/lint';
const fixture = (name: string) => `${FIXTURES}/${name}`;
const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'hygiene-lint-'));

/** The rule fixtures: each fires its rule and no other; errors exit 1, warnings exit 0. */
const RULE_FIXTURES: Record<string, { severity: 'error' | 'warning'; exit: number }> = {
  'size-limit': { severity: 'warning', exit: 0 },
  'html-clipped': { severity: 'warning', exit: 0 },
  'no-text-part': { severity: 'warning', exit: 0 },
  'image-only': { severity: 'warning', exit: 0 },
  'subject-caps': { severity: 'warning', exit: 0 },
  'body-caps': { severity: 'warning', exit: 0 },
  punctuation: { severity: 'warning', exit: 0 },
  'spam-phrases': { severity: 'warning', exit: 0 },
  'too-many-links': { severity: 'warning', exit: 0 },
  'url-shortener': { severity: 'warning', exit: 0 },
  'link-mismatch': { severity: 'error', exit: 1 },
  'ip-link': { severity: 'error', exit: 1 },
  'dangerous-content': { severity: 'error', exit: 1 },
  'test-string': { severity: 'error', exit: 1 },
  'list-unsubscribe': { severity: 'warning', exit: 0 },
  headers: { severity: 'error', exit: 1 },
  authentication: { severity: 'error', exit: 1 },
};
const WELL_MADE = ['good-plain.eml', 'good-html.eml', 'good-received.eml'];

interface JsonFinding {
  rule: string;
  severity: string;
  where: { area: string; fileLine?: number };
  message: string;
  fix: string;
}
interface JsonReport {
  passed: boolean;
  counts: { error: number; warning: number; info: number };
  messages: Array<{ file: string; findings: JsonFinding[] }>;
}

function json(result: CliResult): JsonReport {
  return JSON.parse(result.stdout) as JsonReport;
}

describe('hygiene lint: one fixture per rule fires that rule and only it', () => {
  for (const [rule, expected] of Object.entries(RULE_FIXTURES)) {
    it(`${rule}.eml -> ${rule} (${expected.severity}, exit ${expected.exit})`, async () => {
      const result = await runCliAsync(['lint', fixture(`${rule}.eml`), '--format', 'json']);
      expect(result.status, result.stderr).toBe(expected.exit);
      const findings = json(result).messages[0]!.findings;
      expect([...new Set(findings.map((f) => f.rule))]).toEqual([rule]);
      expect(findings.some((f) => f.severity === expected.severity)).toBe(true);
      for (const finding of findings) {
        expect(finding.message.length).toBeGreaterThan(20);
        expect(finding.fix.length).toBeGreaterThan(10);
      }
    });
  }
});

describe('hygiene lint: well-made messages', () => {
  let dns: TestDns;
  beforeAll(async () => {
    dns = await startTestDns();
  });
  afterAll(async () => {
    await dns.close();
  });

  for (const name of WELL_MADE) {
    it(`${name}: no error, no warning, exit 0`, async () => {
      const result = await runCliAsync(['lint', fixture(name), '--format', 'json', '--max-warnings', '0']);
      expect(result.status, result.stdout).toBe(0);
      const report = json(result);
      expect(report.counts.error + report.counts.warning).toBe(0);
    });
  }

  it('the received copy verifies with --dns against the local DNS server: no finding at all', async () => {
    const result = await runCliAsync(['lint', fixture('good-received.eml'), '--dns', '--dns-server', dns.address, '--format', 'json']);
    expect(result.status, result.stderr).toBe(0);
    expect(json(result).counts).toEqual({ error: 0, warning: 0, info: 0 });
    expect(dns.queries).toContain('hygiene2026._domainkey.example.com');
  });

  it('a copy changed after signing fails DKIM with --dns (exit 1)', async () => {
    const dir = tmp();
    const changed = path.join(dir, 'changed.eml');
    writeFileSync(
      changed,
      readFileSync(path.join(REPO, fixture('good-received.eml')), 'latin1').replace('from nine to six', 'from eight to six'),
      'latin1',
    );
    const result = await runCliAsync(['lint', changed, '--dns-server', dns.address]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/authentication .*DKIM-Signature[\s\S]*d=example\.com s=hygiene2026 does not verify/);
  });

  it('a template (--html, --text, --subject, --from) passes, with a note that the ESP adds List-Unsubscribe', async () => {
    const result = await runCliAsync([
      'lint',
      '--html',
      fixture('template/spring.html'),
      '--text',
      fixture('template/spring.txt'),
      '--subject',
      'Our spring hiking collection is here',
      '--from',
      'Example Outfitters <news@news.example.com>',
      '--format',
      'json',
    ]);
    expect(result.status).toBe(0);
    const report = json(result);
    expect(report.messages[0]!.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(['list-unsubscribe:info']);
  });

  it('a template without text part and with a shouting subject: findings point at the template file and line', async () => {
    const result = await runCliAsync([
      'lint',
      '--html',
      fixture('template/spring.html'),
      '--subject',
      'OUR SPRING HIKING COLLECTION',
      '--from',
      'news@news.example.com',
      '--format',
      'github',
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^::warning file=fixtures\/lint\/template\/spring\.html,title=hygiene lint no-text-part::/m);
    expect(result.stdout).toMatch(/^::warning file=fixtures\/lint\/template\/spring\.html,title=hygiene lint subject-caps::/m);
  });
});

describe('hygiene lint: formats', () => {
  it('text: grouped by severity, last line "N errors, M warnings", on stderr', async () => {
    const result = await runCliAsync(['lint', fixture('punctuation.eml'), fixture('ip-link.eml'), fixture('good-received.eml')]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    const text = result.stderr;
    const errors = text.indexOf('\nErrors (1)');
    const warnings = text.indexOf('\nWarnings (2)');
    const info = text.indexOf('\nInfo (1)');
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(errors);
    expect(info).toBeGreaterThan(warnings);
    expect(text).toMatch(
      /fixtures\/lint\/ip-link\.eml {2}ip-link {2}link http:\/\/192\.0\.2\.10\/spring \(text\/html line 15\)\n {6}the link .*\n {6}fix: /,
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 error, 2 warnings');
  });

  it('json: every finding with rule, severity, where, message and fix', async () => {
    const result = await runCliAsync(['lint', fixture('headers.eml'), fixture('subject-caps.eml'), '--format', 'json']);
    expect(result.status).toBe(1);
    const report = json(result);
    expect(report.passed).toBe(false);
    expect(report.counts).toEqual({ error: 1, warning: 1, info: 0 });
    expect(report.messages.map((m) => m.file)).toEqual([fixture('headers.eml'), fixture('subject-caps.eml')]);
    expect(report.messages[1]!.findings[0]).toMatchObject({
      rule: 'subject-caps',
      severity: 'warning',
      where: { area: 'subject', fileLine: 3 },
    });
  });

  it('github: one annotation per finding, with the line of the header in the file', async () => {
    const result = await runCliAsync(['lint', fixture('subject-caps.eml'), fixture('dangerous-content.eml'), '--format', 'github']);
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^::warning file=fixtures\/lint\/subject-caps\.eml,line=3,title=hygiene lint subject-caps::subject \(line 3\): 6 of the subject/,
    );
    expect(lines[1]).toMatch(
      /^::error file=fixtures\/lint\/dangerous-content\.eml,title=hygiene lint dangerous-content::text\/html line \d+: the HTML has a <form>/,
    );
    expect(result.stderr).toMatch(/1 error, 1 warning\n$/);
  });

  it('junit: a suite per message, a test case per rule, failures for errors', async () => {
    const result = await runCliAsync(['lint', fixture('ip-link.eml'), fixture('good-html.eml'), '--format', 'junit']);
    expect(result.status).toBe(1);
    const xml = result.stdout;
    // A test case per rule and message.
    const cases = 2 * LINT_RULE_IDS.length;
    expect(xml.startsWith(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="hygiene lint" tests="${cases}" failures="1">`)).toBe(
      true,
    );
    expect(xml.match(/<testsuite /g)).toHaveLength(2);
    expect(xml.match(/<testcase /g)).toHaveLength(cases);
    expect(xml).toMatch(
      /<testcase classname="hygiene.lint" name="ip-link: [^"]*" file="fixtures\/lint\/ip-link.eml">\n {6}<failure message="the link http:\/\/192.0.2.10\/spring goes to the raw IP address/,
    );
    expect(xml.match(/<failure /g)).toHaveLength(1);
  });
});

describe('hygiene lint: exit codes and options', () => {
  it('--max-warnings: more warnings than allowed exit 1', async () => {
    expect((await runCliAsync(['lint', fixture('punctuation.eml'), '--max-warnings', '2'])).status).toBe(0);
    const over = await runCliAsync(['lint', fixture('punctuation.eml'), '--max-warnings', '1']);
    expect(over.status).toBe(1);
    expect(over.stderr).toMatch(/More warnings than --max-warnings 1 allows/);
  });

  it('--bulk makes a missing one-click unsubscribe an error', async () => {
    const result = await runCliAsync(['lint', fixture('list-unsubscribe.eml'), '--bulk', '--format', 'json']);
    expect(result.status).toBe(1);
    expect(json(result).messages[0]!.findings.map((f) => `${f.rule}:${f.severity}`)).toEqual(['list-unsubscribe:error']);
  });

  it('bad usage and unreadable messages exit 2 naming the problem', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['lint'], /lint needs messages/],
      [['lint', '--html', fixture('template/spring.html')], /a template needs --subject and --from/],
      [['lint', fixture('good-html.eml'), '--subject', 'x'], /--subject only go with --html/],
      [['lint', 'fixtures/lint/nope.eml'], /fixtures\/lint\/nope\.eml: message not found/],
      [['lint', 'fixtures/lint'], /fixtures\/lint: cannot read the message/],
      [['lint', 'fixtures/check/list.csv'], /fixtures\/check\/list\.csv: not a mail message/],
      [['lint', fixture('good-html.eml'), '--max-warnings', 'some'], /--max-warnings "some" is not a whole number/],
      [['lint', fixture('good-html.eml'), '--dns-server', 'dns.example'], /dnsServers must be a list of resolver addresses/],
      [['lint', fixture('good-html.eml'), '--format', 'xml'], /Allowed choices are text, json, github, junit/],
    ];
    for (const [args, message] of cases) {
      const result = await runCliAsync(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
  });
});

describe('hygiene lint: lint.rules in hygiene.config.json', () => {
  const withConfig = (config: unknown, args: string[]) => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'hygiene.config.json'), JSON.stringify(config));
    return runCliAsync([
      'lint',
      ...args.map((a) => (a.startsWith('fixtures/') ? path.join(REPO, a) : a)),
      '--config',
      path.join(dir, 'hygiene.config.json'),
      '--format',
      'json',
    ]);
  };

  it('switches a rule off, re-grades another, and sets thresholds', async () => {
    const off = await withConfig({ lint: { rules: { 'ip-link': 'off' } } }, [fixture('ip-link.eml')]);
    expect(off.status).toBe(0);
    expect(json(off).counts).toEqual({ error: 0, warning: 0, info: 0 });
    const regraded = await withConfig({ lint: { rules: { 'no-text-part': 'error' } } }, [fixture('no-text-part.eml')]);
    expect(regraded.status).toBe(1);
    const links = await withConfig({ lint: { rules: { 'too-many-links': { maxLinks: 40 } } } }, [fixture('too-many-links.eml')]);
    expect(json(links).counts.warning).toBe(0);
    const bulk = await withConfig({ lint: { rules: { 'list-unsubscribe': { bulk: true } } } }, [fixture('list-unsubscribe.eml')]);
    expect(bulk.status).toBe(1);
  });

  it('rejects unknown rules and bad values (exit 2, naming the key)', async () => {
    const unknown = await withConfig({ lint: { rules: { 'spam-words': 'off' } } }, [fixture('good-html.eml')]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown key "lint.rules.spam-words"/);
    const bad = await withConfig({ lint: { rules: { 'too-many-links': { maxLinks: -3 } } } }, [fixture('good-html.eml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/lint.rules.too-many-links.maxLinks must be a whole number >= 1, got -3/);
    const grade = await withConfig({ lint: { rules: { headers: 'fatal' } } }, [fixture('good-html.eml')]);
    expect(grade.status).toBe(2);
    expect(grade.stderr).toMatch(/lint.rules.headers must be "off", "error", "warning", "info"/);
  });
});
