/**
 * Reason -> our class (docs/architecture.md, class table). The ambiguous ones, decided:
 * - notaccept: the domain takes no mail (null MX, 521/556). Hard when permanent (5xx); a 4xx
 *   notaccept is a host that is not accepting *right now*, which is soft.
 * - filtered: a recipient-side filter refused the message (the recipient, or their domain,
 *   rejects this sender or "unknown" senders). The mailbox exists, so not hard (Sisimai's hard
 *   flag agrees); it is not a sender problem a sender can fix either, so not block. Soft makes
 *   repeated refusals escalate to suppression, which protects the list from an address that
 *   will never take our mail, while one stray filter hit costs only a retry.
 * - rejected: the *envelope sender* was refused (bad MAIL FROM, not allowed to post): a sender
 *   problem, block.
 * - contenterror, notcompliantrfc, syntaxerror: the message or the sending MTA's SMTP was at
 *   fault, not the address; block, so a broken campaign never suppresses good addresses and the
 *   report points at the sender.
 * - failedstarttls, securityerror: TLS or authentication the receiver requires from the sending
 *   side; block for the same reason.
 * - emailtoolarge, mailererror, systemerror, systemfull, networkerror, expired, mailboxfull,
 *   suspend: the recipient side has a problem that may pass; soft.
 * - suppressed: an ESP already refuses to send to the address because it bounced hard before;
 *   hard.
 * - onhold, undefined: not enough information; undetermined (counted as soft by the policy).
 */
import type { BounceClass, BounceReason } from '../types.js';

const CLASS_OF_REASON: Readonly<Record<BounceReason, BounceClass>> = {
  userunknown: 'hard',
  hostunknown: 'hard',
  hasmoved: 'hard',
  notaccept: 'hard',
  suppressed: 'hard',
  mailboxfull: 'soft',
  suspend: 'soft',
  filtered: 'soft',
  systemerror: 'soft',
  systemfull: 'soft',
  networkerror: 'soft',
  expired: 'soft',
  emailtoolarge: 'soft',
  mailererror: 'soft',
  rejected: 'block',
  blocked: 'block',
  badreputation: 'block',
  requireptr: 'block',
  authfailure: 'block',
  policyviolation: 'block',
  spamdetected: 'block',
  virusdetected: 'block',
  contenterror: 'block',
  notcompliantrfc: 'block',
  securityerror: 'block',
  norelaying: 'block',
  syntaxerror: 'block',
  failedstarttls: 'block',
  ratelimited: 'block',
  feedback: 'complaint',
  vacation: 'auto-reply',
  delivered: 'delivered',
  onhold: 'undetermined',
  undefined: 'undetermined',
};

/** The class of a reason; `temporary` is true when the code says 4xx (only notaccept cares). */
export function classOfReason(reason: BounceReason, temporary: boolean): BounceClass {
  if (reason === 'notaccept' && temporary) return 'soft';
  return CLASS_OF_REASON[reason] ?? 'undetermined';
}
