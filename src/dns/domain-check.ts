import { isIP } from 'node:net';
import { unusableAddressKind } from './addresses.js';
import { describeFailure, type DnsResolver, type DnsResult, type LookupFailure } from './resolver.js';
import type { DomainFinding } from './types.js';

/**
 * Whether a domain can receive mail, as a sending server would find out (RFC 5321 section 5.1):
 * its MX records, else its address records as the implicit MX. The reference is
 * python-email-validator's deliverability check; like it, a null MX (RFC 7505) means "no mail",
 * and so does a domain with no MX whose SPF record is only `-all` (a parked domain: it says it
 * sends no mail and names no mail server). Unlike it, the MX hosts are resolved too: an MX that
 * points to localhost, a private address or a name that does not exist is `bad-mx`.
 *
 * A failed look-up (timeout, SERVFAIL, REFUSED) never leads to a verdict against the domain:
 * it is `undetermined`.
 */

/** MX hosts looked at, in preference order (a domain whose first ten are all broken is bad-mx). */
const MX_HOSTS_CHECKED = 10;

export async function checkDomain(domain: string, resolver: DnsResolver): Promise<DomainFinding> {
  const mx = await resolver.mx(domain);
  if (mx.ok) return checkMxHosts(domain, mx.records, resolver);
  if (mx.kind === 'failure') {
    return undetermined(`the MX look-up for ${domain} ${describeFailure(mx.failure, mx.code)}`, mx.failure);
  }
  if (mx.kind === 'nxdomain') {
    return {
      verdict: 'no-such-domain',
      detail: `the domain ${domain} does not exist (NXDOMAIN): mail to it bounces`,
      mx: [],
      ttlSeconds: await negativeTtl(parentOf(domain), resolver),
      negative: true,
    };
  }
  return checkImplicitMx(domain, resolver);
}

async function checkMxHosts(
  domain: string,
  records: readonly { exchange: string; priority: number }[],
  resolver: DnsResolver,
): Promise<DomainFinding> {
  // A null MX is "MX 0 ."; RFC 7505 says it stands alone, and like email-validator we ignore
  // it beside real hosts rather than trust one record over the others.
  const hosts = [...records]
    .map((r) => ({ host: r.exchange.replace(/\.$/, '').toLowerCase(), priority: r.priority }))
    .filter((r) => r.host !== '')
    .sort((a, b) => a.priority - b.priority || a.host.localeCompare(b.host));
  if (hosts.length === 0) {
    return {
      verdict: 'domain-accepts-no-mail',
      detail: `${domain} publishes a null MX ("MX 0 ."): it accepts no mail (RFC 7505)`,
      mx: [],
      ttlSeconds: null,
      negative: false,
    };
  }
  const names = [...new Set(hosts.map((h) => h.host))];
  const problems: string[] = [];
  const failures: string[] = [];
  let failure: LookupFailure | null = null;
  let ttl: number | null = null;
  for (const host of names.slice(0, MX_HOSTS_CHECKED)) {
    const usable = await usableHost(host, resolver);
    if (usable.ttl !== null) ttl = ttl === null ? usable.ttl : Math.min(ttl, usable.ttl);
    if (usable.ok) return { verdict: 'accepts-mail', detail: `MX ${host}`, mx: names, ttlSeconds: ttl, negative: false };
    if (usable.failure !== null) {
      failures.push(usable.why);
      failure ??= usable.failure;
    } else problems.push(usable.why);
  }
  if (failures.length > 0) {
    return { ...undetermined(`no usable MX host found for ${domain}, and ${failures.join('; ')}`, failure ?? 'error'), mx: names };
  }
  return {
    verdict: 'bad-mx',
    detail: `the MX of ${domain} points nowhere usable: ${problems.join('; ')}`,
    mx: names,
    ttlSeconds: ttl,
    negative: true,
  };
}

/** No MX: the domain's own address records are its mail server (the implicit MX). */
async function checkImplicitMx(domain: string, resolver: DnsResolver): Promise<DomainFinding> {
  const found = await resolveHost(domain, resolver);
  if (found.failed !== null && found.addresses.length === 0) {
    return undetermined(`${domain} has no MX, and its address look-up ${found.failed}`, found.failure ?? 'error');
  }
  const usable = found.addresses.filter((a) => unusableAddressKind(a) === null);
  if (usable.length > 0) {
    if (await spfSaysNoMail(domain, resolver)) {
      return {
        verdict: 'domain-accepts-no-mail',
        detail: `${domain} has no MX, and its SPF record is only "v=spf1 -all": a parked domain that handles no mail`,
        mx: [],
        ttlSeconds: found.ttl,
        negative: false,
      };
    }
    return {
      verdict: 'accepts-mail',
      detail: `no MX; its address record is the implicit MX (RFC 5321)`,
      mx: [domain],
      ttlSeconds: found.ttl,
      negative: false,
    };
  }
  if (found.addresses.length > 0) {
    return {
      verdict: 'bad-mx',
      detail: `${domain} has no MX, and its address ${describeAddresses(found.addresses)} cannot receive mail from the internet`,
      mx: [domain],
      ttlSeconds: found.ttl,
      negative: true,
    };
  }
  return {
    verdict: 'no-mail-server',
    detail: `${domain} has neither an MX nor an address record: no server receives its mail`,
    mx: [],
    ttlSeconds: await negativeTtl(domain, resolver),
    negative: true,
  };
}

interface HostAddresses {
  addresses: string[];
  ttl: number | null;
  /** Why a look-up failed (when one did), else null. */
  failed: string | null;
  failure: LookupFailure | null;
}

async function resolveHost(host: string, resolver: DnsResolver): Promise<HostAddresses> {
  const [v4, v6] = await Promise.all([resolver.addresses(host, 4), resolver.addresses(host, 6)]);
  const addresses: string[] = [];
  let ttl: number | null = null;
  let failed: string | null = null;
  let failure: LookupFailure | null = null;
  for (const [result, type] of [
    [v4, 'A'],
    [v6, 'AAAA'],
  ] as const) {
    if (result.ok) {
      addresses.push(...result.records);
      if (result.ttl !== null) ttl = ttl === null ? result.ttl : Math.min(ttl, result.ttl);
    } else if (result.kind === 'failure') {
      failed ??= `(${type}) ${describeFailure(result.failure, result.code)}`;
      failure ??= result.failure;
    }
  }
  return { addresses, ttl, failed, failure };
}

interface HostCheck {
  ok: boolean;
  /** How the look-up failed (nothing can be concluded about this host), else null. */
  failure: LookupFailure | null;
  why: string;
  ttl: number | null;
}

async function usableHost(host: string, resolver: DnsResolver): Promise<HostCheck> {
  if (isIP(host) !== 0) {
    // Not allowed by RFC 5321 (an MX names a host), but some zones do it; judge the address.
    const kind = unusableAddressKind(host);
    return { ok: kind === null, failure: null, why: `MX ${host} is an address (${kind ?? 'public'}), not a host name`, ttl: null };
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return { ok: false, failure: null, why: `MX ${host} is this machine (localhost)`, ttl: null };
  }
  const found = await resolveHost(host, resolver);
  if (found.addresses.some((a) => unusableAddressKind(a) === null)) return { ok: true, failure: null, why: '', ttl: found.ttl };
  if (found.addresses.length > 0) {
    return { ok: false, failure: null, why: `MX ${host} points to ${describeAddresses(found.addresses)}`, ttl: found.ttl };
  }
  if (found.failed !== null) return { ok: false, failure: found.failure, why: `the look-up of MX ${host} ${found.failed}`, ttl: null };
  return { ok: false, failure: null, why: `MX ${host} does not resolve`, ttl: null };
}

function describeAddresses(addresses: readonly string[]): string {
  return addresses
    .slice(0, 3)
    .map((a) => `${a} (${unusableAddressKind(a) ?? 'public'})`)
    .join(', ');
}

/** True when the domain's only SPF record is "v=spf1 -all" (no mechanism, reject everything). */
async function spfSaysNoMail(domain: string, resolver: DnsResolver): Promise<boolean> {
  const txt = await resolver.txt(domain);
  if (!txt.ok) return false;
  const spf = txt.records.filter((r) => /^v=spf1(\s|$)/i.test(r.trim()));
  return spf.length === 1 && /^v=spf1\s+-all$/i.test(spf[0]!.trim().replace(/\s+/g, ' '));
}

/**
 * The negative-caching time of RFC 2308: the SOA minimum of the zone the name is in, found by
 * walking up from `name` (a few steps at most). Null when no SOA is found.
 */
async function negativeTtl(name: string | null, resolver: DnsResolver): Promise<number | null> {
  let current = name;
  for (let step = 0; current !== null && step < 4; step++) {
    const soa: DnsResult<number> = await resolver.soaMinimum(current);
    if (soa.ok) return soa.records[0] ?? null;
    if (soa.kind === 'failure') return null;
    current = parentOf(current);
  }
  return null;
}

function parentOf(name: string): string | null {
  const dot = name.indexOf('.');
  return dot < 0 || dot === name.length - 1 ? null : name.slice(dot + 1);
}

function undetermined(detail: string, failure: LookupFailure): DomainFinding {
  return { verdict: 'undetermined', detail, mx: [], ttlSeconds: null, negative: false, failure };
}
