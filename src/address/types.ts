/** Shared types of the address checks. */

/** The contact-list reason codes (docs/architecture.md) that an address check can produce. */
export type AddressReason = 'invalid-syntax' | 'typo-domain' | 'disposable' | 'role';

/** Result of the syntax check of one address as written. */
export interface SyntaxResult {
  valid: boolean;
  /** Short machine code for why not (`display-name`, `local-too-long`, `no-dot-in-domain`, ...). */
  code: string | null;
  /** A sentence a person can act on, e.g. "the domain has no dot (\"example\")". */
  detail: string | null;
  /** An obvious repair (trim, mailto:, [at], comma for dot, ...) as a full address, or null. */
  suggestion: string | null;
  /** Local part as written (null when the address cannot be split). */
  local: string | null;
  /** Domain as written (null when the address cannot be split). */
  domain: string | null;
  /** Domain in lower-case A-label (punycode) form, for lookups; null when invalid. */
  asciiDomain: string | null;
}

/** Result of the typo check of a domain. */
export interface TypoResult {
  /** The corrected domain (lower-case), or null when the domain should be left alone. */
  suggestion: string | null;
  /** Why: `transposition of "ia"`, `TLD ".cmo" for ".com"`, ... */
  why: string | null;
}

/** The public result of `checkAddress`. */
export interface AddressCheck {
  valid: boolean;
  /** First failing check, or null when the address passes every check. */
  reason: AddressReason | null;
  detail: string | null;
  /** A corrected full address, or null. */
  suggestion: string | null;
  /**
   * The mailbox identity used for duplicates: lower-case domain in A-label form and the local
   * part (lower-cased unless the caller asks for case-sensitive local parts). Null when invalid.
   */
  normalized: string | null;
  flags: { role: boolean; disposable: boolean; free: boolean };
}
