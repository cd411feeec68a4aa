import { getDomain } from 'tldts';
import { checkDomain } from './domain-check.js';
import { describeFailure, type DnsResolver } from './resolver.js';
import { hostOfMechanism, SPF_VOID_LOOKUP_LIMIT, voidLookupsOf, type HostMechanism } from './spf-void-lookups.js';

/**
 * The sender's own records, as receivers read them before they accept bulk mail: an SPF record
 * that authorises someone and does not let the whole world send (`+all`), within the limit of
 * ten DNS look-ups (RFC 7208 section 4.6.4, counted through every include and redirect) and
 * of two that name nothing (void look-ups, spf-void-lookups.ts); a
 * DMARC record and its policy (RFC 7489); an MX, so bounces and replies reach the sender.
 * Each finding says what to publish.
 */

export type SenderCheck = 'spf' | 'dmarc' | 'mx';
export type FindingStatus = 'ok' | 'warn' | 'fail' | 'undetermined';

export interface SenderFinding {
  check: SenderCheck;
  status: FindingStatus;
  message: string;
  /** The record to publish (or change) to fix it; null when nothing is to be done. */
  publish: string | null;
}

export interface SenderReport {
  domain: string;
  /** The SPF record found (the first, when there are several), or null. */
  spf: string | null;
  /** DNS look-ups the SPF record costs a receiver (null when it could not be counted). */
  spfLookups: number | null;
  /** The DMARC record that applies (the domain's, else its organisational domain's), or null. */
  dmarc: string | null;
  /** The DMARC policy that applies to this domain (`none`, `quarantine`, `reject`), or null. */
  dmarcPolicy: string | null;
  findings: SenderFinding[];
}

/** RFC 7208 section 4.6.4. */
export const SPF_LOOKUP_LIMIT = 10;
/** Includes nested deeper than this are not followed (a loop, or a record nobody could debug). */
const MAX_INCLUDE_DEPTH = 10;
const LOOKUP_TERMS = new Set(['include', 'a', 'mx', 'ptr', 'exists']);

export async function checkSenderDomain(domain: string, dns: DnsResolver): Promise<SenderReport> {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  const resolver = askingOnce(dns);
  const [spf, dmarc, mx] = await Promise.all([checkSpf(name, resolver), checkDmarc(name, resolver), checkMx(name, resolver)]);
  return {
    domain: name,
    spf: spf.record,
    spfLookups: spf.lookups,
    dmarc: dmarc.record,
    dmarcPolicy: dmarc.policy,
    findings: [...spf.findings, ...dmarc.findings, mx],
  };
}

/**
 * The resolver for one check: a question asked twice (the domain's MX, by the MX check and by an
 * `mx` mechanism's void look-up; a host two mechanisms name) is asked of the DNS once.
 */
function askingOnce(resolver: DnsResolver): DnsResolver {
  const answers = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, ask: () => Promise<T>): Promise<T> => {
    let answer = answers.get(key) as Promise<T> | undefined;
    if (answer === undefined) answers.set(key, (answer = ask()));
    return answer;
  };
  return {
    mx: (name) => once(`mx ${name.toLowerCase()}`, () => resolver.mx(name)),
    addresses: (name, family) => once(`a${family} ${name.toLowerCase()}`, () => resolver.addresses(name, family)),
    txt: (name) => once(`txt ${name.toLowerCase()}`, () => resolver.txt(name)),
    soaMinimum: (name) => once(`soa ${name.toLowerCase()}`, () => resolver.soaMinimum(name)),
    cancel: () => resolver.cancel(),
    get queries() {
      return resolver.queries;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// SPF

interface SpfResult {
  record: string | null;
  lookups: number | null;
  findings: SenderFinding[];
}

async function checkSpf(domain: string, resolver: DnsResolver): Promise<SpfResult> {
  const suggested = `${domain}. TXT "v=spf1 mx include:<your sending service> -all"`;
  const found = await spfRecordsOf(domain, resolver);
  if (found.failure !== null) {
    return {
      record: null,
      lookups: null,
      findings: [finding('spf', 'undetermined', `the TXT look-up for ${domain} ${found.failure}`, null)],
    };
  }
  if (found.records.length === 0) {
    return {
      record: null,
      lookups: null,
      findings: [finding('spf', 'fail', `${domain} publishes no SPF record: receivers cannot tell your servers from forgers`, suggested)],
    };
  }
  const record = found.records[0]!;
  if (found.records.length > 1) {
    return {
      record,
      lookups: null,
      findings: [
        finding(
          'spf',
          'fail',
          `${domain} publishes ${found.records.length} SPF records: receivers treat that as an error (permerror)`,
          `one TXT record that merges them, e.g. ${suggested}`,
        ),
      ],
    };
  }
  const findings: SenderFinding[] = [];
  const terms = parseSpf(record);
  const all = terms.find((t) => t.name === 'all');
  const redirect = terms.find((t) => t.name === 'redirect');
  if (all?.qualifier === '+') {
    findings.push(
      finding(
        'spf',
        'fail',
        `the SPF record of ${domain} ends in "+all": every server in the world may send as ${domain}`,
        `the same record with "-all" (or "~all") instead of "+all"`,
      ),
    );
  } else if (all?.qualifier === '?') {
    findings.push(
      finding(
        'spf',
        'warn',
        `the SPF record of ${domain} ends in "?all" (neutral): it protects nothing`,
        `the same record with "~all" or "-all" instead of "?all"`,
      ),
    );
  } else if (!all && !redirect) {
    findings.push(
      finding(
        'spf',
        'warn',
        `the SPF record of ${domain} has no "all" and no redirect: other senders get a neutral result`,
        `the same record with " -all" (or " ~all") at the end`,
      ),
    );
  }
  if (terms.some((t) => t.name === 'ptr')) {
    findings.push(
      finding(
        'spf',
        'warn',
        `the SPF record of ${domain} uses "ptr", which RFC 7208 says not to use: slow, and some receivers skip it`,
        'ip4:/ip6: ranges or a: names instead of ptr',
      ),
    );
  }
  const counted = await countLookups(domain, record, resolver, 0, new Set([domain]));
  if (counted.problems.length > 0) {
    for (const problem of counted.problems) findings.push(finding('spf', problem.status, problem.message, problem.publish));
  }
  if (counted.lookups > SPF_LOOKUP_LIMIT) {
    findings.push(
      finding(
        'spf',
        'fail',
        `the SPF record of ${domain} needs ${counted.lookups} DNS look-ups (through its includes); the limit is ${SPF_LOOKUP_LIMIT}, past it receivers return permerror`,
        'fewer includes: drop services you no longer send through, or replace includes by the ip4:/ip6: ranges they stand for',
      ),
    );
  }
  if (counted.voids.length > SPF_VOID_LOOKUP_LIMIT) {
    findings.push(
      finding(
        'spf',
        'fail',
        `the SPF record of ${domain} makes ${counted.voids.length} look-ups that name nothing (${counted.voids.join(', ')}); past ${SPF_VOID_LOOKUP_LIMIT} receivers return permerror`,
        `remove the mechanisms that name hosts without records: ${counted.voids.join(' ')}`,
      ),
    );
  }
  if (findings.length === 0) {
    findings.push(finding('spf', 'ok', `SPF "${record}" (${counted.lookups} of ${SPF_LOOKUP_LIMIT} look-ups)`, null));
  }
  return { record, lookups: counted.incomplete ? null : counted.lookups, findings };
}

interface SpfTerm {
  qualifier: '+' | '-' | '~' | '?';
  name: string;
  value: string | null;
  /** The value follows a colon (`a:host/24`), not only a CIDR length (`a/24`). */
  hasDomain: boolean;
}

function parseSpf(record: string): SpfTerm[] {
  const terms: SpfTerm[] = [];
  for (const raw of record.trim().split(/\s+/).slice(1)) {
    if (raw === '') continue;
    const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(raw);
    if (modifier) {
      terms.push({ qualifier: '+', name: modifier[1]!.toLowerCase(), value: modifier[2]!, hasDomain: true });
      continue;
    }
    const qualifier = '+-~?'.includes(raw[0]!) ? (raw[0] as SpfTerm['qualifier']) : '+';
    const body = qualifier === raw[0] ? raw.slice(1) : raw;
    const match = /^([a-z0-9]+)(?:([:/])(.*))?$/i.exec(body);
    if (match) terms.push({ qualifier, name: match[1]!.toLowerCase(), value: match[3] ?? null, hasDomain: match[2] === ':' });
  }
  return terms;
}

interface LookupCount {
  lookups: number;
  /** A look-up failed or a nested record was skipped: the count may be too low. */
  incomplete: boolean;
  /** Look-ups that named nothing, through every include (see spf-void-lookups.ts). */
  voids: string[];
  problems: Array<{ status: FindingStatus; message: string; publish: string | null }>;
}

/** The DNS look-ups a receiver makes evaluating `record`, its includes and redirect included. */
async function countLookups(domain: string, record: string, resolver: DnsResolver, depth: number, seen: Set<string>): Promise<LookupCount> {
  const result: LookupCount = { lookups: 0, incomplete: false, voids: [], problems: [] };
  const terms = parseSpf(record);
  const hasAll = terms.some((t) => t.name === 'all');
  const hosts = terms
    .map((term) => hostOfMechanism(term.name, term.value, term.hasDomain, domain))
    .filter((host): host is HostMechanism => host !== null);
  result.voids.push(...(await voidLookupsOf(hosts, resolver)));
  for (const term of terms) {
    const isRedirect = term.name === 'redirect' && !hasAll;
    if (!LOOKUP_TERMS.has(term.name) && !isRedirect) continue;
    result.lookups++;
    if (term.name !== 'include' && !isRedirect) continue;
    const target = (term.value ?? '').toLowerCase().replace(/\.$/, '');
    // Macros (%{i}, ...) depend on the message: nothing to follow here.
    if (target === '' || target.includes('%')) continue;
    if (seen.has(target) || depth >= MAX_INCLUDE_DEPTH) {
      result.problems.push({
        status: 'fail',
        message: `the SPF record of ${domain} includes ${target} in a loop (or nested too deep): receivers return permerror`,
        publish: `remove the include of ${target}`,
      });
      continue;
    }
    const nested = await spfRecordsOf(target, resolver);
    if (nested.void) result.voids.push(`${term.name === 'include' ? 'include' : 'redirect'}:${target}`);
    if (nested.failure !== null) {
      result.incomplete = true;
      result.problems.push({
        status: 'undetermined',
        message: `the SPF record of ${target} (included by ${domain}) could not be read: ${nested.failure}`,
        publish: null,
      });
      continue;
    }
    if (nested.records.length !== 1) {
      const why = nested.records.length === 0 ? 'publishes no SPF record' : `publishes ${nested.records.length} SPF records`;
      result.problems.push({
        status: 'fail',
        message: `${target}, included by the SPF record of ${domain}, ${why}: receivers return permerror`,
        publish: `remove or correct the ${term.name === 'include' ? 'include' : 'redirect'} of ${target}`,
      });
      continue;
    }
    const inner = await countLookups(target, nested.records[0]!, resolver, depth + 1, new Set([...seen, target]));
    result.lookups += inner.lookups;
    result.incomplete ||= inner.incomplete;
    result.voids.push(...inner.voids);
    result.problems.push(...inner.problems);
  }
  return result;
}

/** The SPF records of `domain`; `void` when the name has no TXT record at all (or does not exist). */
async function spfRecordsOf(domain: string, resolver: DnsResolver): Promise<{ records: string[]; failure: string | null; void: boolean }> {
  const txt = await resolver.txt(domain);
  if (!txt.ok) {
    return { records: [], failure: txt.kind === 'failure' ? describeFailure(txt.failure, txt.code) : null, void: txt.kind !== 'failure' };
  }
  return {
    records: txt.records.filter((r) => /^v=spf1(\s|$)/i.test(r.trim())).map((r) => r.trim()),
    failure: null,
    void: txt.records.length === 0,
  };
}

// ---------------------------------------------------------------------------------------------
// DMARC

interface DmarcResult {
  record: string | null;
  policy: string | null;
  findings: SenderFinding[];
}

async function checkDmarc(domain: string, resolver: DnsResolver): Promise<DmarcResult> {
  const suggested = `_dmarc.${domain}. TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@${domain}" (then p=quarantine once the reports look right)`;
  let where = domain;
  let found = await dmarcRecordsOf(domain, resolver);
  let inherited = false;
  const organisational = getDomain(domain);
  if (found.failure === null && found.records.length === 0 && organisational && organisational !== domain) {
    // RFC 7489 section 6.6.3: without its own record, a subdomain follows its organisational domain.
    where = organisational;
    found = await dmarcRecordsOf(organisational, resolver);
    inherited = true;
  }
  if (found.failure !== null) {
    return {
      record: null,
      policy: null,
      findings: [finding('dmarc', 'undetermined', `the DMARC look-up (_dmarc.${where}) ${found.failure}`, null)],
    };
  }
  if (found.records.length === 0) {
    return {
      record: null,
      policy: null,
      findings: [
        finding('dmarc', 'fail', `${domain} publishes no DMARC record: large mailbox providers require one from bulk senders`, suggested),
      ],
    };
  }
  if (found.records.length > 1) {
    return {
      record: found.records[0]!,
      policy: null,
      findings: [
        finding(
          'dmarc',
          'fail',
          `_dmarc.${where} holds ${found.records.length} DMARC records: receivers ignore them all`,
          `one record, e.g. ${suggested}`,
        ),
      ],
    };
  }
  const record = found.records[0]!;
  const tags = new Map<string, string>();
  for (const part of record.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0)
      tags.set(
        part.slice(0, eq).trim().toLowerCase(),
        part
          .slice(eq + 1)
          .trim()
          .toLowerCase(),
      );
  }
  const policy = (inherited ? (tags.get('sp') ?? tags.get('p')) : tags.get('p')) ?? null;
  const source = inherited ? `${where}'s DMARC record (inherited)` : `the DMARC record of ${domain}`;
  if (policy === null || !['none', 'quarantine', 'reject'].includes(policy)) {
    return {
      record,
      policy: null,
      findings: [
        finding(
          'dmarc',
          'fail',
          `${source} has no valid policy (p=${policy ?? 'missing'}): receivers ignore it`,
          `_dmarc.${where}. TXT "v=DMARC1; p=none; rua=mailto:dmarc-reports@${where}"`,
        ),
      ],
    };
  }
  if (policy === 'none') {
    return {
      record,
      policy,
      findings: [
        finding(
          'dmarc',
          'warn',
          `${source} has policy "none": receivers are told to do nothing with forged mail (monitoring only)`,
          `p=quarantine (then p=reject) in _dmarc.${where} once the aggregate reports show all your mail passes`,
        ),
      ],
    };
  }
  const pct = tags.get('pct');
  if (pct !== undefined && /^\d{1,3}$/.test(pct) && Number(pct) < 100) {
    return {
      record,
      policy,
      findings: [
        finding(
          'dmarc',
          'warn',
          `${source} applies policy "${policy}" to only ${Number(pct)}% of failing mail`,
          `pct=100 (or no pct tag) in _dmarc.${where} once you are confident`,
        ),
      ],
    };
  }
  return { record, policy, findings: [finding('dmarc', 'ok', `DMARC policy "${policy}" (${source})`, null)] };
}

async function dmarcRecordsOf(domain: string, resolver: DnsResolver): Promise<{ records: string[]; failure: string | null }> {
  const txt = await resolver.txt(`_dmarc.${domain}`);
  if (!txt.ok) return { records: [], failure: txt.kind === 'failure' ? describeFailure(txt.failure, txt.code) : null };
  return { records: txt.records.filter((r) => /^v=DMARC1\s*(;|$)/i.test(r.trim())).map((r) => r.trim()), failure: null };
}

// ---------------------------------------------------------------------------------------------
// MX for bounces

async function checkMx(domain: string, resolver: DnsResolver): Promise<SenderFinding> {
  const publish = `${domain}. MX 10 <your inbound mail server>.`;
  // The same look-ups as for a recipient domain: bounces travel to the sender like any mail.
  const found = await checkDomain(domain, resolver);
  switch (found.verdict) {
    case 'accepts-mail':
      if (found.mx.length === 1 && found.mx[0] === domain) {
        return finding(
          'mx',
          'warn',
          `${domain} has no MX: bounces go to its address record (implicit MX), often a web server that refuses mail`,
          publish,
        );
      }
      return finding('mx', 'ok', `MX ${found.mx.slice(0, 3).join(', ')}: bounces and replies can reach ${domain}`, null);
    case 'undetermined':
      return finding('mx', 'undetermined', found.detail, null);
    case 'no-such-domain':
      return finding('mx', 'fail', `${domain} does not exist (NXDOMAIN)`, `register the domain, then ${publish}`);
    default:
      return finding(
        'mx',
        'fail',
        `bounces and replies cannot reach ${domain}: ${found.detail}`,
        found.verdict === 'domain-accepts-no-mail' ? `an MX instead: ${publish}` : publish,
      );
  }
}

function finding(check: SenderCheck, status: FindingStatus, message: string, publish: string | null): SenderFinding {
  return { check, status, message, publish };
}
