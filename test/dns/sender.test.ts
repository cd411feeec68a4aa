import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResolver, type DnsResolver } from '../../src/dns/resolver.js';
import { checkSenderDomain, type SenderReport } from '../../src/dns/sender.js';
import { startFakeDns, type FakeDnsServer } from './fake-dns-server.js';
import { ZONE } from './zone.js';

let server: FakeDnsServer;
let resolver: DnsResolver;

beforeAll(async () => {
  server = await startFakeDns(ZONE);
  resolver = createResolver({ servers: [server.address], timeoutMs: 1000 });
});
afterAll(() => server.close());

const statusOf = (report: SenderReport, check: string) => report.findings.filter((f) => f.check === check).map((f) => f.status);

describe('checkSenderDomain', () => {
  it('passes a domain with SPF, a reject DMARC policy and an MX', async () => {
    const report = await checkSenderDomain('good.test', resolver);
    expect(report.findings.every((f) => f.status === 'ok')).toBe(true);
    expect(report.spfLookups).toBe(2);
    expect(report.dmarcPolicy).toBe('reject');
  });

  it('fails +all and warns on p=none, each with what to publish', async () => {
    const report = await checkSenderDomain('weak.test', resolver);
    const spf = report.findings.find((f) => f.check === 'spf')!;
    expect(spf.status).toBe('fail');
    expect(spf.publish).toContain('-all');
    const dmarc = report.findings.find((f) => f.check === 'dmarc')!;
    expect(dmarc.status).toBe('warn');
    expect(dmarc.publish).toContain('p=quarantine');
  });

  it('asks each question once: the MX check and the mx mechanism share the MX answer', async () => {
    const start = server.questions.length;
    await checkSenderDomain('good.test', resolver);
    const asked = server.questions.slice(start).map((q) => `${q.type} ${q.name}`);
    expect(asked.filter((q) => q === 'MX good.test')).toHaveLength(1);
    expect(new Set(asked).size).toBe(asked.length);
  });

  it('warns on the deprecated ptr mechanism', async () => {
    const spf = (await checkSenderDomain('ptr.test', resolver)).findings.filter((f) => f.check === 'spf');
    expect(spf.map((f) => f.status)).toEqual(['warn']);
    expect(spf[0]!.message).toContain('"ptr"');
  });

  it('warns when the DMARC policy covers only part of the failing mail', async () => {
    const dmarc = (await checkSenderDomain('partial.test', resolver)).findings.find((f) => f.check === 'dmarc')!;
    expect(dmarc.status).toBe('warn');
    expect(dmarc.message).toContain('only 25%');
  });

  it("a subdomain without its own DMARC record follows its organisational domain's sp= policy", async () => {
    const report = await checkSenderDomain('sub.org.test', resolver);
    expect(report.dmarcPolicy).toBe('reject');
    expect(report.findings.find((f) => f.check === 'dmarc')!.message).toContain('inherited');
  });

  it('counts look-ups through nested includes and fails past ten', async () => {
    const report = await checkSenderDomain('deep.test', resolver);
    // 3 includes + i1 (a, mx, include) + i4 (a, mx) + i2 (a, mx, exists) + i3 (a, mx, ptr)
    expect(report.spfLookups).toBe(14);
    const over = report.findings.find((f) => f.check === 'spf' && f.message.includes('14 DNS look-ups'));
    expect(over?.status).toBe('fail');
  });

  it('fails a record that makes more than two look-ups naming nothing (RFC 7208 4.6.4), and names them', async () => {
    const spf = (await checkSenderDomain('stale.test', resolver)).findings.filter((f) => f.check === 'spf');
    const voids = spf.find((f) => f.message.includes('look-ups that name nothing'));
    expect(voids?.status).toBe('fail');
    // Two gone hosts (one with a CIDR length), a domain without MX, an include of a gone domain;
    // a host with only an AAAA record and the domain's own MX are not void.
    expect(voids?.message).toContain(
      'makes 4 look-ups that name nothing (a:old1.stale.test, a:old2.stale.test, mx:moved.test, include:gone-esp.test)',
    );
    expect(voids?.publish).toContain('a:old1.stale.test');
  });

  it('allows two void look-ups; a macro names nothing to look up, and a/24 is the domain itself', async () => {
    const report = await checkSenderDomain('twovoid.test', resolver);
    // a:old1.stale.test and mx:moved.test are void; a/24 looks up twovoid.test, which has an A.
    expect(statusOf(report, 'spf')).toEqual(['ok']);
  });

  it('a mechanism host that does not answer leaves the look-up count known, and is not void', async () => {
    const report = await checkSenderDomain('slowa.test', resolver);
    expect(report.spfLookups).toBe(2);
    expect(statusOf(report, 'spf')).toEqual(['ok']);
  });

  it('an include loop and two SPF records are errors; no SPF, DMARC or MX at all is three failures', async () => {
    expect(statusOf(await checkSenderDomain('loop.test', resolver), 'spf')).toContain('fail');
    expect(statusOf(await checkSenderDomain('twospf.test', resolver), 'spf')).toEqual(['fail']);
    const none = await checkSenderDomain('nomail.test', resolver);
    expect(none.findings.map((f) => `${f.check}:${f.status}`)).toEqual(['spf:fail', 'dmarc:fail', 'mx:fail']);
    expect(none.findings.every((f) => f.publish !== null)).toBe(true);
  });

  it('an MX that points to 127.0.0.1 cannot take bounces; a domain with only an A record gets a warning', async () => {
    const loopback = (await checkSenderDomain('loopback.test', resolver)).findings.find((f) => f.check === 'mx')!;
    expect(loopback.status).toBe('fail');
    expect(loopback.message).toContain('127.0.0.1 (loopback)');
    expect((await checkSenderDomain('aonly.test', resolver)).findings.find((f) => f.check === 'mx')!.status).toBe('warn');
  });

  it('a resolver that fails gives undetermined findings, not failures', async () => {
    const dead = createResolver({ servers: ['127.0.0.1:9'], timeoutMs: 300 });
    const report = await checkSenderDomain('good.test', dead);
    expect(report.findings.map((f) => f.status)).toEqual(['undetermined', 'undetermined', 'undetermined']);
  });
});
