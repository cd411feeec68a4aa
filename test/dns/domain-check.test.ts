import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomain } from '../../src/dns/domain-check.js';
import { createResolver, type DnsResolver } from '../../src/dns/resolver.js';
import { startFakeDns, type FakeDnsServer } from './fake-dns-server.js';
import { ZONE } from './zone.js';

let server: FakeDnsServer;
let resolver: DnsResolver;

beforeAll(async () => {
  server = await startFakeDns(ZONE);
  resolver = createResolver({ servers: [server.address], timeoutMs: 1000 });
});
afterAll(() => server.close());

describe('checkDomain against a real DNS server on 127.0.0.1', () => {
  it('accepts a domain whose MX resolves to a public address, with the hosts in preference order', async () => {
    const finding = await checkDomain('good.test', resolver);
    expect(finding.verdict).toBe('accepts-mail');
    expect(finding.mx).toEqual(['mx1.good.test', 'mx2.good.test']);
    expect(finding.ttlSeconds).toBe(1800);
  });

  it('NXDOMAIN is no-such-domain, cached per the SOA minimum of the zone above', async () => {
    const finding = await checkDomain('closed-company.test', resolver);
    expect(finding).toMatchObject({ verdict: 'no-such-domain', negative: true, ttlSeconds: 900 });
    expect(finding.detail).toContain('does not exist');
  });

  it('a null MX is domain-accepts-no-mail', async () => {
    expect((await checkDomain('nullmx.test', resolver)).verdict).toBe('domain-accepts-no-mail');
  });

  it('no MX but a public A record is the implicit MX', async () => {
    const finding = await checkDomain('aonly.test', resolver);
    expect(finding).toMatchObject({ verdict: 'accepts-mail', mx: ['aonly.test'], ttlSeconds: 600 });
  });

  it('no MX, an A record, and SPF "v=spf1 -all" is a parked domain: accepts no mail', async () => {
    const finding = await checkDomain('parked.test', resolver);
    expect(finding.verdict).toBe('domain-accepts-no-mail');
    expect(finding.detail).toContain('v=spf1 -all');
  });

  it('neither MX nor address record is no-mail-server, negative TTL from its own SOA', async () => {
    expect(await checkDomain('nomail.test', resolver)).toMatchObject({ verdict: 'no-mail-server', ttlSeconds: 1200, negative: true });
  });

  it('an MX to a name that does not resolve is bad-mx', async () => {
    const finding = await checkDomain('dangling.test', resolver);
    expect(finding.verdict).toBe('bad-mx');
    expect(finding.detail).toContain('mx.gone.test does not resolve');
  });

  it('an MX to 127.0.0.1 or to localhost is bad-mx, saying which', async () => {
    expect((await checkDomain('loopback.test', resolver)).detail).toContain('127.0.0.1 (loopback)');
    expect((await checkDomain('localmx.test', resolver)).verdict).toBe('bad-mx');
  });

  it('no MX and only a private address is bad-mx', async () => {
    const finding = await checkDomain('private-a.test', resolver);
    expect(finding.verdict).toBe('bad-mx');
    expect(finding.detail).toContain('192.168.1.10 (private)');
  });

  it('one usable MX host among broken ones is enough', async () => {
    expect((await checkDomain('mixed.test', resolver)).verdict).toBe('accepts-mail');
  });

  it('a timeout, SERVFAIL or REFUSED is undetermined, never a verdict against the domain', async () => {
    const started = Date.now();
    const slow = await checkDomain('slow.test', resolver);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(slow.verdict).toBe('undetermined');
    expect(slow.detail).toContain('timed out');
    expect((await checkDomain('servfail.test', resolver)).detail).toContain('SERVFAIL');
    expect((await checkDomain('refused.test', resolver)).detail).toContain('REFUSED');
  });

  it('a resolver nobody answers at is undetermined for every domain', async () => {
    const dead = createResolver({ servers: ['127.0.0.1:9'], timeoutMs: 300 });
    expect((await checkDomain('good.test', dead)).verdict).toBe('undetermined');
  });
});
