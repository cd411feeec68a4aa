import { isDisposableDomain } from './disposable.js';
import { isFreeMailDomain } from './domains.js';
import { isRoleLocal } from './role.js';
import { checkSyntax } from './syntax.js';
import { suggestDomain } from './typo.js';
import type { AddressCheck } from './types.js';

export interface CheckOptions {
  /** Treat `Ann@x` and `ann@x` as different mailboxes (RFC 5321 allows it; almost no one does it). */
  caseSensitiveLocal?: boolean;
  /** Fold Gmail dots and `+tags` when computing the mailbox identity. */
  dedupeAliases?: boolean;
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Checks one address as written: syntax, then domain typo, then disposable provider; the role
 * flag is reported but does not make the address invalid. The first failing check decides.
 */
export function checkAddress(address: string, options: CheckOptions = {}): AddressCheck {
  const syntax = checkSyntax(address);
  if (!syntax.valid || syntax.local === null || syntax.asciiDomain === null) {
    return {
      valid: false,
      reason: 'invalid-syntax',
      detail: syntax.detail ?? 'not a valid address',
      suggestion: syntax.suggestion === null ? null : withDomainFixed(syntax.suggestion),
      normalized: null,
      flags: { role: false, disposable: false, free: false },
    };
  }
  const local = syntax.local;
  const domain = syntax.asciiDomain;
  const flags = {
    role: isRoleLocal(local),
    disposable: isDisposableDomain(domain),
    free: isFreeMailDomain(domain),
  };
  const normalized = mailboxKey(local, domain, options);
  const typo = suggestDomain(domain);
  if (typo.suggestion !== null) {
    return {
      valid: false,
      reason: 'typo-domain',
      detail: `the domain "${domain}" looks like a misspelling of "${typo.suggestion}"${typo.why ? ` (${typo.why})` : ''}`,
      suggestion: `${local}@${typo.suggestion}`,
      normalized,
      flags,
    };
  }
  if (flags.disposable) {
    return {
      valid: false,
      reason: 'disposable',
      detail: `"${domain}" is a disposable (throw-away) mailbox provider`,
      suggestion: null,
      normalized,
      flags,
    };
  }
  return {
    valid: true,
    reason: flags.role ? 'role' : null,
    detail: flags.role ? `"${local}" is a role account, read by a team rather than a person` : null,
    suggestion: null,
    normalized,
    flags,
  };
}

/** A repaired address whose domain is also misspelt (`user@gmial..com`) gets both fixes. */
function withDomainFixed(repaired: string): string {
  const again = checkSyntax(repaired);
  if (!again.valid || again.local === null || again.asciiDomain === null) return repaired;
  const typo = suggestDomain(again.asciiDomain);
  return typo.suggestion === null ? repaired : `${again.local}@${typo.suggestion}`;
}

/** The mailbox identity used to find duplicates. */
export function mailboxKey(local: string, asciiDomain: string, options: CheckOptions = {}): string {
  let key = options.caseSensitiveLocal ? local : local.toLowerCase();
  let domain = asciiDomain;
  if (options.dedupeAliases && !key.startsWith('"')) {
    const plus = key.indexOf('+');
    if (plus > 0) key = key.slice(0, plus);
    if (GMAIL_DOMAINS.has(domain)) {
      key = key.replaceAll('.', '');
      domain = 'gmail.com';
    }
  }
  return `${key}@${domain}`;
}
