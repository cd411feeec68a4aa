import type { ReasonPhrases } from './types.js';

/**
 * A recipient-side filter refused the message: the recipient (or their domain's filter) does not
 * want mail from this sender, although the mailbox itself may exist.
 */
export const filtered: ReasonPhrases = {
  reason: 'filtered',
  phrases: [
    'because the recipient is only accepting mail from specific email addresses',
    'bounced address',
    'due to extended inactivity new mail is not currently being accepted for this mailbox',
    'has restricted sms e-mail',
    'is not accepting any mail',
    'message rejected due to user rules',
    'not found recipient account',
    'refused due to recipient preferences',
    'resolver.rst.notauthorized',
    'this account is protected by',
    'user refuses to receive this mail',
    'user reject',
    'refuse to receive mail',
    'you have been blocked by the recipient',
    'rejected by the domain filter',
    'recipient has chosen not to receive',
    'rejected by recipient',
    'mail filter',
    'blocked by the recipient',
  ],
};

/**
 * Words that name a policy, filter or spam cause. A user-unknown wording that comes with one of
 * them ("550 user unknown - rejected by policy", "unknown user (spam filter)") is a filter
 * dressed as a missing mailbox, not proof that the address is dead.
 */
export const FILTER_CAUSE_PHRASES: readonly string[] = [
  'filter',
  'policy',
  'policies',
  'spam',
  'blacklist',
  'blocklist',
  'block list',
  'blocked',
  'dnsbl',
  'not authorized',
  'unauthorized',
  'reputation',
  'prohibited',
];
