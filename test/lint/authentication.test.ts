import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintResolver } from '../../src/lint/dns.js';
import { lint } from './build.js';
import { startTestDns, type TestDns } from './dns-server.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/lint');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const summary = (result: Awaited<ReturnType<typeof lint>>) => result.findings.map((f) => `${f.rule}:${f.severity}`);

describe('authentication: receiver results and DKIM verified against a local DNS server', () => {
  let dns: TestDns;
  beforeAll(async () => {
    dns = await startTestDns();
  });
  afterAll(async () => {
    await dns.close();
  });
  const withDns = () => ({ environment: { resolver: lintResolver(dns.address) } });

  it('a received copy signed by the From domain verifies: no finding at all', async () => {
    const result = await lint(fixture('good-received.eml'), withDns());
    expect(result.findings).toEqual([]);
    expect(dns.queries).toContain('hygiene2026._domainkey.example.com');
  });

  it('without --dns the signature is only noted as not verified (info)', async () => {
    expect(summary(await lint(fixture('good-received.eml')))).toEqual(['authentication:info']);
  });

  it('a body changed after signing fails verification, even though the receiver said pass', async () => {
    const tampered = Buffer.from(fixture('good-received.eml').toString('latin1').replace('nine to six', 'nine to five'), 'latin1');
    const result = await lint(tampered, withDns());
    expect(summary(result)).toEqual(['authentication:error']);
    expect(result.findings[0]!.message).toMatch(/d=example\.com s=hygiene2026 does not verify \((fail|neutral)/);
  });

  it('a key missing from DNS fails verification', async () => {
    const other = await startTestDns({});
    try {
      const result = await lint(fixture('good-received.eml'), { environment: { resolver: lintResolver(other.address) } });
      expect(summary(result)).toEqual(['authentication:error']);
    } finally {
      await other.close();
    }
  });

  it('signed by the ESP domain: DMARC fails and From is not aligned', async () => {
    const result = await lint(fixture('authentication.eml'), withDns());
    expect(summary(result)).toEqual(['authentication:error', 'authentication:error']);
    expect(result.findings.map((f) => f.message).join('\n')).toMatch(/DMARC check failed[\s\S]*aligned with neither/);
  });

  it('SPF softfail is an error, no SPF record and no DMARC record are warnings', async () => {
    const copy = fixture('good-received.eml').toString('latin1');
    const softfail = copy.replace('spf=pass', 'spf=softfail');
    expect(summary(await lint(Buffer.from(softfail, 'latin1'), withDns()))).toEqual(['authentication:error']);
    const none = copy.replace('spf=pass', 'spf=none').replace('dmarc=pass', 'dmarc=none');
    expect(summary(await lint(Buffer.from(none, 'latin1'), withDns()))).toEqual(['authentication:warning', 'authentication:warning']);
  });

  it('a received copy without DKIM signature is an error; a draft without Received is not checked', async () => {
    const copy = fixture('good-received.eml').toString('latin1');
    const unsigned = copy.replace(/DKIM-Signature:[^\n]*\n(?:[ \t][^\n]*\n)*/, '').replace('dkim=pass', 'dkim=none');
    expect(summary(await lint(Buffer.from(unsigned, 'latin1')))).toEqual(['authentication:error']);
    expect(summary(await lint(fixture('good-html.eml')))).toEqual([]);
  });
});
