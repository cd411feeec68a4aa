import { getDomain } from 'tldts';
import { parseAuthenticationResults, type MethodResult } from '../auth-results.js';
import { headerWhere, type LintEnvironment, type LintRule, type MessageView, type RuleFinding } from '../view.js';

const SPF_FAILING = new Set(['fail', 'softfail', 'permerror']);
const NOT_SET_UP = new Set(['none', 'neutral']);

/** The organisational domain, for DMARC's relaxed alignment (mail.shop.example ~ shop.example). */
function organisational(domain: string): string {
  const lower = domain.toLowerCase().replace(/\.$/, '');
  return getDomain(lower) ?? lower;
}

function domainOfAddress(address: string | undefined): string | null {
  if (!address) return null;
  const at = address.lastIndexOf('@');
  return at === -1 ? address.toLowerCase() : address.slice(at + 1).toLowerCase();
}

/** The tags of a DKIM-Signature header (d=, s=, ...). */
function signatureTags(value: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of value.split(';')) {
    const equals = part.indexOf('=');
    if (equals === -1) continue;
    tags[part.slice(0, equals).trim().toLowerCase()] = part.slice(equals + 1).replace(/\s+/g, '');
  }
  return tags;
}

/**
 * For a copy received in a mailbox: what the receiver concluded (Authentication-Results) and,
 * with --dns, whether the DKIM signature verifies here too.
 */
export const authentication: LintRule = {
  id: 'authentication',
  summary: 'a received copy: DKIM missing or failing, SPF failing, DMARC failing or From not aligned with DKIM d= or SPF domain',
  async check(view, environment) {
    const { message } = view;
    const received = message.headers.has('authentication-results') || message.headers.has('received');
    if (message.kind !== 'eml' || !received) return [];
    const findings: RuleFinding[] = [];
    const where = headerWhere(view, 'authentication-results', 'Authentication-Results');
    const fromDomain = domainOfAddress(message.from[0]?.address);
    const signatures = (message.headers.get('dkim-signature') ?? []).map(signatureTags);
    if (signatures.length === 0) {
      findings.push({
        severity: 'error',
        where: { area: 'header', name: 'DKIM-Signature' },
        message: 'the message has no DKIM signature; Gmail and Yahoo require DKIM of bulk senders',
        fix: 'Set up DKIM signing for your From domain at your ESP or mail server, and publish its key in DNS.',
      });
    }
    // The topmost Authentication-Results is the one the final receiver added.
    const topmost = message.headers.get('authentication-results')?.[0];
    const results = topmost ? parseAuthenticationResults(topmost).results : [];
    const byMethod = (method: string) => results.filter((result) => result.method === method);
    const passingDomains: Array<{ method: string; domain: string }> = [];

    const dkim = byMethod('dkim');
    const dkimPass = dkim.filter((result) => result.result === 'pass');
    for (const result of dkimPass) {
      const domain = result.properties['header.d'] ?? domainOfAddress(result.properties['header.i']);
      if (domain) passingDomains.push({ method: 'DKIM', domain });
    }
    if (signatures.length > 0 && dkim.length > 0 && dkimPass.length === 0) {
      findings.push({
        severity: 'error',
        where,
        message: `the receiver's DKIM check did not pass (${describe(dkim)})`,
        fix: 'Check that the public key in DNS matches the signing key, and that nothing changes the message after signing (footers, link rewriting).',
        evidence: describe(dkim),
      });
    }

    const spf = byMethod('spf')[0];
    if (spf && spf.result === 'pass') {
      const domain = domainOfAddress(spf.properties['smtp.mailfrom']) ?? spf.properties['smtp.helo'];
      if (domain) passingDomains.push({ method: 'SPF', domain });
    } else if (spf) {
      findings.push({
        severity: SPF_FAILING.has(spf.result) ? 'error' : 'warning',
        where,
        message: NOT_SET_UP.has(spf.result)
          ? `the receiver found no usable SPF record (spf=${spf.result}${spf.properties['smtp.mailfrom'] ? ` for ${spf.properties['smtp.mailfrom']}` : ''})`
          : `the receiver's SPF check failed (spf=${spf.result}${spf.properties['smtp.mailfrom'] ? ` for ${spf.properties['smtp.mailfrom']}` : ''})`,
        fix: 'Publish an SPF record for the envelope sender (Return-Path) domain that lists the servers your ESP sends from.',
        evidence: `spf=${spf.result}`,
      });
    }

    const dmarc = byMethod('dmarc')[0];
    if (dmarc && dmarc.result !== 'pass') {
      findings.push({
        severity: dmarc.result === 'fail' ? 'error' : 'warning',
        where,
        message:
          dmarc.result === 'fail'
            ? `the receiver's DMARC check failed for ${dmarc.properties['header.from'] ?? fromDomain ?? 'the From domain'}`
            : `the receiver found no DMARC policy for ${dmarc.properties['header.from'] ?? fromDomain ?? 'the From domain'} (dmarc=${dmarc.result}); Gmail and Yahoo require one of bulk senders`,
        fix: 'Publish a DMARC record (_dmarc.your.domain TXT "v=DMARC1; p=none; rua=mailto:...") and sign with DKIM on the From domain.',
        evidence: `dmarc=${dmarc.result}`,
      });
    }

    if (environment.resolver !== null && message.raw !== null && signatures.length > 0) {
      findings.push(...(await verifySignatures(view, environment, passingDomains)));
    } else if (signatures.length > 0) {
      findings.push({
        severity: 'info',
        where: { area: 'header', name: 'DKIM-Signature' },
        message: `the DKIM signature (d=${signatures.map((tags) => tags.d ?? '?').join(', d=')}) was not verified here: that needs DNS`,
        fix: 'Run with --dns to fetch the public key and verify the signature.',
      });
    }

    if (fromDomain && passingDomains.length > 0) {
      const aligned = passingDomains.some((passing) => organisational(passing.domain) === organisational(fromDomain));
      if (!aligned) {
        findings.push({
          severity: 'error',
          where: headerWhere(view, 'from'),
          message: `the From domain ${fromDomain} is aligned with neither the DKIM d= nor the SPF domain (${passingDomains.map((p) => `${p.method} ${p.domain}`).join(', ')}); DMARC needs one of them to match`,
          fix: `Sign with DKIM as ${fromDomain} (d=${fromDomain}), or send with a Return-Path on ${fromDomain}.`,
          evidence: fromDomain,
        });
      }
    }
    return findings;
  },
};

async function verifySignatures(
  view: MessageView,
  environment: LintEnvironment,
  passingDomains: Array<{ method: string; domain: string }>,
): Promise<RuleFinding[]> {
  const findings: RuleFinding[] = [];
  // Loaded only here: mailauth is large, and most runs never reach DNS.
  const { dkimVerify } = await import('mailauth/lib/dkim/verify.js');
  const resolver = environment.resolver as NonNullable<Parameters<typeof dkimVerify>[1]>['resolver'];
  const verified = await dkimVerify(view.message.raw!, { resolver });
  for (const result of verified.results ?? []) {
    const domain = result.signingDomain ?? '?';
    const outcome = result.status?.result ?? 'none';
    if (outcome === 'pass') {
      if (!passingDomains.some((p) => p.method === 'DKIM' && p.domain === domain)) passingDomains.push({ method: 'DKIM', domain });
      continue;
    }
    const comment = result.status?.comment ? `: ${result.status.comment}` : '';
    findings.push({
      severity: outcome === 'temperror' ? 'warning' : 'error',
      where: { area: 'header', name: 'DKIM-Signature' },
      message: `the DKIM signature d=${domain} s=${result.selector ?? '?'} does not verify (${outcome}${comment})`,
      fix:
        outcome === 'temperror'
          ? 'The key could not be fetched; check the DNS server and try again.'
          : "Publish the selector's public key in DNS and make sure nothing changes the message after it is signed.",
      evidence: `dkim=${outcome}`,
    });
  }
  return findings;
}

function describe(results: MethodResult[]): string {
  return results
    .map(
      (result) =>
        `dkim=${result.result}${result.properties['header.d'] ? ` header.d=${result.properties['header.d']}` : result.properties['header.i'] ? ` header.i=${result.properties['header.i']}` : ''}`,
    )
    .join(', ');
}
