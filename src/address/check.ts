import { isDisposableDomain } from './disposable.js';
import { isFreeMailDomain, popularDomains } from './domains.js';
import { repairAddress } from './repair.js';
import { isRoleLocal } from './role.js';
import { checkSyntax } from './syntax.js';
import { suggestDomain } from './typo.js';
import type { AddressCheck, SyntaxResult } from './types.js';

export interface CheckOptions {
  /** Treat `Ann@x` and `ann@x` as different mailboxes (RFC 5321 allows it; almost no one does it). */
  caseSensitiveLocal?: boolean;
  /** Fold Gmail dots and `+tags` when computing the mailbox identity. */
  dedupeAliases?: boolean;
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** Syntax failures where the local part passed and only the domain's TLD is missing or broken. */
const DOMAIN_ONLY_FAILURES: ReadonlySet<string> = new Set(['no-dot-in-domain', 'bad-tld', 'numeric-tld']);

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
      suggestion: syntax.suggestion === null ? withDomainGuessed(address, syntax) : withDomainFixed(syntax.suggestion),
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

/**
 * A repaired address whose domain is also misspelt (`user@gmial..com`) gets both fixes. The
 * domain is given in lower case, like every typo suggestion.
 */
function withDomainFixed(repaired: string): string {
  const again = checkSyntax(repaired);
  if (!again.valid || again.local === null || again.asciiDomain === null || again.domain === null) return repaired;
  const typo = suggestDomain(again.asciiDomain);
  return `${again.local}@${typo.suggestion ?? again.domain.toLowerCase()}`;
}

/**
 * `user@yahoo`, `user@gmail.c0m`, `mailto:user@gmail.com1`: the local part is fine and only the
 * TLD is missing or broken, so the typo check may name the domain meant.
 */
function withDomainGuessed(address: string, syntax: SyntaxResult): string | null {
  const repaired = repairAddress(address);
  const split = repaired === address ? syntax : checkSyntax(repaired);
  if (split.code === null || !DOMAIN_ONLY_FAILURES.has(split.code) || split.local === null || split.domain === null) {
    return null;
  }
  const domain = split.domain.toLowerCase();
  const fixed = suggestDomain(domain).suggestion;
  if (fixed === null || isUnsureTldGuess(domain, fixed)) return null;
  const suggestion = `${split.local}@${fixed}`;
  return checkSyntax(suggestion).valid ? suggestion : null;
}

let popularSet: ReadonlySet<string> | undefined;

/**
 * A one-letter TLD is a cut-short ".com" on gmail.c, but on an unknown name it could as well be
 * .ca, .ch, .co or .cz: only popular domains get that guess.
 */
function isUnsureTldGuess(typed: string, fixed: string): boolean {
  const typedTld = typed.slice(typed.lastIndexOf('.') + 1);
  if (!typed.includes('.') || typedTld.length > 1) return false;
  popularSet ??= new Set(popularDomains());
  return !popularSet.has(fixed);
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
