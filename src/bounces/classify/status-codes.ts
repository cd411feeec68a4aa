/**
 * Enhanced status code (RFC 3463) -> reason. Two tables:
 * - SPECIFIC codes say exactly what happened and decide before the text is read, unless the text
 *   names one of the `unlessText` reasons (servers answer "5.1.1 over quota" or "5.1.1 blocked
 *   using ..." often enough that those phrases must win).
 * - GENERAL codes only name a family (x.7.1 "delivery not authorized" covers spam, block lists
 *   and relaying); they decide only when no phrase of the text did.
 * Keys are `D.S.S` with the class digit; both 4.x.x and 5.x.x are listed where they mean the same.
 */
import type { BounceReason } from '../types.js';

export interface SpecificStatus {
  reason: BounceReason;
  /** Text reasons that beat the code. */
  unlessText?: readonly BounceReason[];
}

const NOT_REALLY_UNKNOWN: readonly BounceReason[] = [
  'mailboxfull',
  'norelaying',
  'hasmoved',
  'suspend',
  'notaccept',
  'authfailure',
  'spamdetected',
  'blocked',
  'rejected',
  'filtered',
];

const EXPIRY_CAUSES: readonly BounceReason[] = [
  'userunknown',
  'hostunknown',
  'hasmoved',
  'notaccept',
  'mailboxfull',
  'suspend',
  'filtered',
  'rejected',
  'blocked',
  'badreputation',
  'requireptr',
  'authfailure',
  'policyviolation',
  'spamdetected',
  'virusdetected',
  'contenterror',
  'notcompliantrfc',
  'securityerror',
  'norelaying',
  'systemfull',
  'mailererror',
  'emailtoolarge',
  'ratelimited',
  'failedstarttls',
];

const SPECIFIC_ROWS: ReadonlyArray<readonly [string, SpecificStatus]> = [
  ['X.1.1', { reason: 'userunknown', unlessText: NOT_REALLY_UNKNOWN }],
  ['X.1.2', { reason: 'hostunknown', unlessText: ['notaccept', 'rejected'] }],
  ['X.1.3', { reason: 'userunknown', unlessText: NOT_REALLY_UNKNOWN }],
  ['X.1.6', { reason: 'hasmoved' }],
  ['X.1.7', { reason: 'rejected' }],
  ['X.1.8', { reason: 'rejected' }],
  ['X.1.10', { reason: 'notaccept', unlessText: ['userunknown'] }],
  ['X.2.2', { reason: 'mailboxfull', unlessText: ['ratelimited'] }],
  ['X.2.3', { reason: 'emailtoolarge' }],
  ['X.3.4', { reason: 'emailtoolarge' }],
  ['X.4.4', { reason: 'notaccept', unlessText: ['hostunknown', 'systemerror'] }],
  // Expired is the consequence; the last refusal before giving up (in the text) says why,
  // unless it was only the connection failures that made the queue give up.
  ['X.4.7', { reason: 'expired', unlessText: EXPIRY_CAUSES }],
  ['X.7.13', { reason: 'suspend' }],
  ['X.7.17', { reason: 'hasmoved' }],
  ['X.7.18', { reason: 'hasmoved' }],
  ['X.7.20', { reason: 'authfailure' }],
  ['X.7.21', { reason: 'authfailure' }],
  ['X.7.22', { reason: 'authfailure' }],
  ['X.7.23', { reason: 'authfailure' }],
  ['X.7.24', { reason: 'authfailure' }],
  ['X.7.25', { reason: 'requireptr' }],
  ['X.7.26', { reason: 'authfailure' }],
  ['X.7.27', { reason: 'notaccept' }],
  ['X.7.29', { reason: 'authfailure' }],
  ['X.7.30', { reason: 'failedstarttls' }],
];

const GENERAL_ROWS: ReadonlyArray<readonly [string, BounceReason]> = [
  ['X.1.4', 'systemerror'],
  ['X.1.9', 'systemerror'],
  ['X.2.0', 'filtered'],
  ['X.2.1', 'filtered'],
  ['X.2.4', 'systemerror'],
  ['X.3.0', 'systemerror'],
  ['X.3.1', 'systemfull'],
  ['X.3.2', 'systemerror'],
  ['X.3.3', 'systemerror'],
  ['X.3.5', 'systemerror'],
  ['X.4.0', 'networkerror'],
  ['X.4.1', 'networkerror'],
  ['X.4.2', 'networkerror'],
  ['X.4.3', 'networkerror'],
  ['X.4.5', 'systemfull'],
  ['X.4.6', 'networkerror'],
  ['X.5.1', 'syntaxerror'],
  ['X.5.2', 'syntaxerror'],
  ['X.5.3', 'ratelimited'],
  ['X.5.4', 'syntaxerror'],
  ['X.5.5', 'syntaxerror'],
  ['X.5.6', 'contenterror'],
  ['X.6.0', 'contenterror'],
  ['X.6.1', 'contenterror'],
  ['X.6.2', 'contenterror'],
  ['X.6.3', 'contenterror'],
  ['X.6.4', 'contenterror'],
  ['X.6.5', 'contenterror'],
  ['X.6.6', 'contenterror'],
  ['X.6.7', 'contenterror'],
  ['X.6.8', 'contenterror'],
  ['X.6.9', 'contenterror'],
  ['X.6.10', 'contenterror'],
  ['X.7.0', 'securityerror'],
  ['X.7.1', 'blocked'],
  ['X.7.2', 'securityerror'],
  ['X.7.3', 'securityerror'],
  ['X.7.4', 'securityerror'],
  ['X.7.5', 'securityerror'],
  ['X.7.6', 'securityerror'],
  ['X.7.7', 'securityerror'],
  ['X.7.8', 'securityerror'],
  ['X.7.9', 'securityerror'],
  ['X.7.10', 'failedstarttls'],
  ['X.7.11', 'securityerror'],
  ['X.7.12', 'securityerror'],
  ['X.7.14', 'securityerror'],
  ['X.7.15', 'securityerror'],
  ['X.7.16', 'emailtoolarge'],
  ['X.7.19', 'securityerror'],
  ['X.7.28', 'ratelimited'],
];

function expand<T>(rows: ReadonlyArray<readonly [string, T]>): ReadonlyMap<string, T> {
  const map = new Map<string, T>();
  for (const [key, value] of rows) {
    map.set(key.replace('X', '4'), value);
    map.set(key.replace('X', '5'), value);
  }
  return map;
}

const SPECIFIC = expand(SPECIFIC_ROWS);
const GENERAL = expand(GENERAL_ROWS);

/**
 * Any other x.1.N is about the recipient's address (Microsoft's 5.1.351, 5.1.352, ...), unless
 * the words say the sender hit a limit (Microsoft's 5.1.90: "you've reached your daily limit for
 * message recipients").
 */
const OTHER_ADDRESS_STATUS: SpecificStatus = { reason: 'userunknown', unlessText: [...NOT_REALLY_UNKNOWN, 'ratelimited'] };
const ADDRESS_FAMILY = /^[45]\.1\.\d{2,3}$/;

export function specificStatus(status: string | null): SpecificStatus | null {
  if (status === null) return null;
  return SPECIFIC.get(status) ?? (ADDRESS_FAMILY.test(status) ? OTHER_ADDRESS_STATUS : null);
}

export function generalStatusReason(status: string | null): BounceReason | null {
  return status === null ? null : (GENERAL.get(status) ?? null);
}
