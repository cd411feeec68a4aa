import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync as runCli } from '../reliability/cli-process.js';
import { CLI_ZONE } from './cli-zone.js';
import { startFakeDns, type FakeDnsServer } from './fake-dns-server.js';

/**
 * The built CLI against a real DNS server on 127.0.0.1 (nothing beyond loopback is asked:
 * every run names the server with --dns-server).
 */
const LIST = 'fixtures/dns/contacts.csv';
const NOW = '2026-11-23T09:00:00Z';
let server: FakeDnsServer;
let dns: string[];

beforeAll(async () => {
  server = await startFakeDns(CLI_ZONE);
  dns = ['--check-domains', '--dns-server', server.address, '--dns-timeout', '1', '--now', NOW];
});
afterAll(() => server.close());

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'hygiene-dns-'));
const readCsv = (file: string): Record<string, string>[] => parse(readFileSync(file), { columns: true, bom: true });
const questionsSince = (start: number) => server.questions.slice(start);

describe('hygiene clean --check-domains', () => {
  it('routes every row by its domain verdict, keeps undetermined domains, and reports the DNS step', async () => {
    const dir = tmp();
    const result = await runCli(['clean', LIST, ...dns, '--state', path.join(dir, 'h.db'), '--out-dir', dir]);
    expect(result.stderr).toContain('dns:');
    expect(result.status).toBe(0);
    const cleaned = readCsv(path.join(dir, 'cleaned.csv')).map((r) => r.email);
    const suppressed = Object.fromEntries(readCsv(path.join(dir, 'suppressed.csv')).map((r) => [r.email, r.hygiene_reason]));
    const retry = readCsv(path.join(dir, 'retry-later.csv'));
    expect(cleaned).toEqual([
      'ann@northwind-traders.com',
      'dee@tiny-bakery.net',
      'ida@slow-dns.com',
      'jo@broken-dns.com',
      'kim@gmail.com',
      'max@northwind-traders.com',
      'nia@bücher-shop.de',
    ]);
    expect(suppressed).toEqual({
      'bob@defunct-startup.com': 'no-such-domain',
      'cy@no-mail-here.org': 'domain-accepts-no-mail',
      'eve@parked-name.net': 'domain-accepts-no-mail',
      'fay@text-only.org': 'no-mail-server',
      'lee@defunct-startup.com': 'no-such-domain',
    });
    expect(retry.map((r) => [r.email, r.hygiene_reason])).toEqual([
      ['gus@dangling-mx.com', 'bad-mx'],
      ['hal@loopback-mx.com', 'bad-mx'],
    ]);
    expect(retry[1]!.hygiene_detail).toContain('127.0.0.1 (loopback)');
    expect(retry[0]!.hygiene_retry_after).toMatch(/^2026-11-2\dT/);

    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8'));
    expect(report.reasons).toEqual({ 'no-such-domain': 2, 'domain-accepts-no-mail': 2, 'no-mail-server': 1, 'bad-mx': 2 });
    expect(report.dns).toMatchObject({ domains: 12, notQueried: 1, undetermined: 2, retried: 2, undeterminedRows: 2 });
    expect(report.dns.undeterminedDomains.map((d: { domain: string }) => d.domain).sort()).toEqual(['broken-dns.com', 'slow-dns.com']);
    expect(result.stderr).toMatch(/2 of 12 domain\(s\) could not be checked .*their 2 address\(es\) were kept/);
  });

  it('never asks about well-known mailbox providers, and asks about IDNs in A-label form', async () => {
    const start = server.questions.length;
    await runCli(['clean', LIST, ...dns, '--no-state', '--out-dir', tmp()]);
    const names = new Set(questionsSince(start).map((q) => q.name));
    expect(names.has('gmail.com')).toBe(false);
    expect(names.has('xn--bcher-shop-9db.de')).toBe(true);
    expect([...names].some((n) => /[^\x00-\x7f]/.test(n))).toBe(false);
  });

  it('caches answers in the history database: a second run asks only about undetermined domains; expired ones are asked again', async () => {
    const dir = tmp();
    const state = ['--state', path.join(dir, 'h.db')];
    await runCli(['clean', LIST, ...dns, ...state, '--out-dir', path.join(dir, 'a')]);

    const start = server.questions.length;
    const second = await runCli(['clean', LIST, ...dns, ...state, '--out-dir', path.join(dir, 'b'), '--json']);
    expect(second.status).toBe(0);
    expect(new Set(questionsSince(start).map((q) => q.name))).toEqual(new Set(['slow-dns.com', 'broken-dns.com']));
    expect(JSON.parse(second.stdout).dns).toMatchObject({ fromCache: 9, lookedUp: 2 });
    expect(readFileSync(path.join(dir, 'b/suppressed.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'a/suppressed.csv'), 'utf8'));

    // Two days on, every answer has expired (TTLs are at most a day for these): all asked again.
    const later = server.questions.length;
    const third = await runCli([
      'clean',
      LIST,
      ...dns,
      ...state,
      '--now',
      '2026-11-25T09:00:00Z',
      '--out-dir',
      path.join(dir, 'c'),
      '--json',
    ]);
    expect(JSON.parse(third.stdout).dns).toMatchObject({ fromCache: 0, lookedUp: 11 });
    expect(questionsSince(later).some((q) => q.name === 'defunct-startup.com')).toBe(true);

    // --no-dns-cache asks everything again, even though the cache is fresh.
    const bypass = server.questions.length;
    await runCli(['clean', LIST, ...dns, ...state, '--now', '2026-11-25T09:00:00Z', '--no-dns-cache', '--out-dir', path.join(dir, 'd')]);
    expect(questionsSince(bypass).some((q) => q.name === 'northwind-traders.com')).toBe(true);
  });

  it("keeps each resolver's answers apart: what one --dns-server said is not reused with another", async () => {
    // A second server that sees defunct-startup.com alive (a company resolver's own view, say).
    const other = await startFakeDns({ ...CLI_ZONE, 'defunct-startup.com': { MX: [[10, 'mx1.northwind-traders.com']] } });
    try {
      const dir = tmp();
      const state = ['--state', path.join(dir, 'h.db')];
      const first = await runCli(['clean', LIST, ...dns, ...state, '--out-dir', path.join(dir, 'a'), '--json']);
      expect(first.status).toBe(0);
      expect(readFileSync(path.join(dir, 'a/suppressed.csv'), 'utf8')).toContain('bob@defunct-startup.com');

      const otherDns = ['--check-domains', '--dns-server', other.address, '--dns-timeout', '1', '--now', NOW];
      const second = await runCli(['clean', LIST, ...otherDns, ...state, '--out-dir', path.join(dir, 'b'), '--json']);
      expect(second.status).toBe(0);
      expect(JSON.parse(second.stdout).dns).toMatchObject({ fromCache: 0, lookedUp: 11 });
      expect(other.questions.some((q) => q.name === 'defunct-startup.com')).toBe(true);
      const cleaned = readCsv(path.join(dir, 'b/cleaned.csv')).map((r) => r.email);
      expect(cleaned).toEqual(expect.arrayContaining(['bob@defunct-startup.com', 'lee@defunct-startup.com']));

      // Back on the first server, its own answers are still there.
      const third = await runCli(['clean', LIST, ...dns, ...state, '--out-dir', path.join(dir, 'c'), '--json']);
      expect(JSON.parse(third.stdout).dns).toMatchObject({ fromCache: 9, lookedUp: 2 });
      expect(readFileSync(path.join(dir, 'c/suppressed.csv'), 'utf8')).toBe(readFileSync(path.join(dir, 'a/suppressed.csv'), 'utf8'));
    } finally {
      await other.close();
    }
  });

  it('the history database with the DNS cache still serves every other command', async () => {
    const dir = tmp();
    const db = path.join(dir, 'h.db');
    await runCli(['clean', LIST, ...dns, '--state', db, '--out-dir', path.join(dir, 'out')]);
    const list = await runCli(['suppressions', 'list', '--state', db]);
    expect(list.status).toBe(0);
    const ingest = await runCli(['ingest', 'fixtures/demo/bounces/mail.log', '--state', db]);
    expect(ingest.status).toBe(0);
  });

  it('"checkDomains": true in the config file turns the checks on; --no-check-domains off', async () => {
    const dir = tmp();
    writeFileSync(
      path.join(dir, 'hygiene.config.json'),
      JSON.stringify({ checkDomains: true, dnsServers: [server.address], dnsTimeout: 1 }),
    );
    const on = await runCli(['clean', path.resolve(LIST), '--no-state', '--now', NOW, '--json', '--out-dir', path.join(dir, 'on')], {
      cwd: dir,
    });
    expect(JSON.parse(on.stdout).reasons['no-such-domain']).toBe(2);
    const off = await runCli(
      ['clean', path.resolve(LIST), '--no-check-domains', '--no-state', '--json', '--out-dir', path.join(dir, 'off')],
      { cwd: dir },
    );
    expect(JSON.parse(off.stdout).dns).toBeUndefined();
  });

  it('--no-state means no cache: nothing is written', async () => {
    const dir = tmp();
    const result = await runCli(['clean', LIST, ...dns, '--no-state', '--out-dir', path.join(dir, 'out')]);
    expect(result.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'out/report.json'), 'utf8')).dns.cache).toBe(false);
  });

  it('a resolver that does not answer at all: exit 0, every address kept, a clear warning', async () => {
    const dir = tmp();
    const result = await runCli([
      'clean',
      LIST,
      '--check-domains',
      '--dns-server',
      '127.0.0.1:9',
      '--dns-timeout',
      '0.3',
      '--no-state',
      '--out-dir',
      dir,
    ]);
    expect(result.status).toBe(0);
    expect(readCsv(path.join(dir, 'cleaned.csv'))).toHaveLength(14);
    expect(result.stderr).toMatch(/DNS: no domain could be checked .*every address was kept/);
  });

  it('refuses a resolver given as a host name, with a hint (exit 2)', async () => {
    const result = await runCli(['clean', LIST, '--check-domains', '--dns-server', 'dns.example.net', '--no-state', '--out-dir', tmp()]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/dnsServers|--dns-server/);
    expect(result.stderr).toMatch(/hint:/);
  });

  it('without --check-domains nothing is looked up', async () => {
    const start = server.questions.length;
    const dir = tmp();
    await runCli(['clean', LIST, '--dns-server', server.address, '--no-state', '--out-dir', dir]);
    expect(server.questions.length).toBe(start);
    expect(JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')).dns).toBeUndefined();
  });
});

describe('hygiene check --check-domains', () => {
  const rulesOf = (stdout: string) =>
    Object.fromEntries(JSON.parse(stdout).rules.map((r: { rule: string; status: string; count: number }) => [r.rule, [r.status, r.count]]));

  it('fails on dead domains; bad MX and undetermined domains only warn', async () => {
    const result = await runCli(['check', LIST, ...dns, '--no-state', '--format', 'json']);
    expect(result.status).toBe(1);
    const rules = rulesOf(result.stdout);
    expect(rules['dead-domain']).toEqual(['fail', 5]);
    expect(rules.dns).toEqual(['warn', 4]);
    expect(rules['retry-later']).toEqual(['pass', 0]);
  });

  it('a resolver that fails entirely passes the gate, unless the dns rule is made fatal', async () => {
    const dead = ['--check-domains', '--dns-server', '127.0.0.1:9', '--dns-timeout', '0.3', '--no-state'];
    const lenient = await runCli(['check', LIST, ...dead]);
    expect(lenient.status).toBe(0);
    expect(lenient.stderr).toMatch(/dns\s+13\s+no limit\s+warn/);
    const fatal = await runCli(['check', LIST, ...dead, '--max-dns', '0', '--format', 'json']);
    expect(fatal.status).toBe(1);
    expect(rulesOf(fatal.stdout).dns).toEqual(['fail', 13]);
  });

  it('--sender-domain checks SPF, DMARC and MX and says what to publish', async () => {
    const good = await runCli([
      'check',
      'fixtures/dns/contacts.csv',
      '--dns-server',
      server.address,
      '--no-state',
      '--sender-domain',
      'northwind-traders.com',
      '--max-invalid',
      '0',
      '--format',
      'json',
    ]);
    const gate = JSON.parse(good.stdout);
    expect(gate.sender.findings.map((f: { status: string }) => f.status)).toEqual(['ok', 'ok', 'ok']);
    expect(rulesOf(good.stdout).sender).toEqual(['pass', 0]);
    expect(good.status).toBe(0);

    const weak = await runCli(['check', LIST, '--dns-server', server.address, '--no-state', '--sender-domain', 'leaky-sender.com']);
    expect(weak.status).toBe(1);
    expect(weak.stderr).toMatch(/sender\s+2\s+max 0\s+FAIL/);
    expect(weak.stderr).toContain('+all');
    expect(weak.stderr).toContain('publish: _dmarc.leaky-sender.com. TXT "v=DMARC1; p=none');
    // Each failed finding is shown once, in the sender table, not also under the rule.
    expect(weak.stderr.split('publish: _dmarc.leaky-sender.com.').length - 1).toBe(1);
    expect(weak.stderr).toContain('sender: 2 finding(s), max 0: see the sender domain below');
  });

  it('--sender-domain fails an SPF record with more than two look-ups that name nothing, naming them', async () => {
    const stale = await runCli(['check', LIST, '--dns-server', server.address, '--no-state', '--sender-domain', 'stale-sender.com']);
    expect(stale.status).toBe(1);
    // The gone include is also its own finding (an include without SPF is permerror by itself).
    expect(stale.stderr).toMatch(/sender\s+2\s+max 0\s+FAIL/);
    expect(stale.stderr).toContain(
      'makes 3 look-ups that name nothing (a:old-mail.stale-sender.com, a:relay.stale-sender.com, include:gone-esp.net)',
    );
  });
});

describe('hygiene domains', () => {
  it('prints per-domain verdicts as json, csv and a table, problems first, writing no list', async () => {
    const dir = tmp();
    const json = await runCli(
      ['domains', path.resolve(LIST), '--dns-server', server.address, '--dns-timeout', '1', '--no-state', '--format', 'json'],
      { cwd: dir },
    );
    expect(json.status).toBe(0);
    const { domains, summary } = JSON.parse(json.stdout);
    expect(domains[0]).toMatchObject({ domain: 'defunct-startup.com', rows: 2, verdict: 'no-such-domain', list: 'suppressed' });
    expect(domains.find((d: { domain: string }) => d.domain === 'gmail.com')).toMatchObject({
      verdict: 'well-known-provider',
      source: 'not-queried',
    });
    expect(summary.domains).toBe(12);
    expect(existsSync(path.join(dir, 'hygiene-out'))).toBe(false);

    const csv = await runCli(
      ['domains', path.resolve(LIST), '--dns-server', server.address, '--dns-timeout', '1', '--no-state', '--format', 'csv'],
      { cwd: dir },
    );
    const rows = parse(csv.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['domain', 'rows', 'verdict', 'list', 'detail', 'mx', 'source', 'checkedAt', 'expiresAt']);
    expect(rows.find((r) => r.domain === 'loopback-mx.com')).toMatchObject({
      verdict: 'bad-mx',
      list: 'retry-later',
      mx: 'mx.loopback-mx.com',
    });

    const table = await runCli(['domains', path.resolve(LIST), '--dns-server', server.address, '--dns-timeout', '1', '--no-state'], {
      cwd: dir,
    });
    expect(table.stdout).toMatch(/^domain\s+rows\s+verdict\s+detail/);
    expect(table.stdout).toMatch(/no-mail-here\.org\s+1\s+domain-accepts-no-mail/);
  });
});
