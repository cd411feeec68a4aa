/**
 * The reason phrase tables in the order they are tried: when the text matches phrases of
 * several reasons, the earlier reason wins. The order puts what tells most about the cause
 * first (a full mailbox that is reported as "user unknown (#5.1.1) over quota" is full; a
 * block-list refusal worded "mailbox unavailable" is a block), and vague local failures last.
 * A queue expiry is a consequence: the failure that made it (a timeout, a refusal) ranks first.
 * A reason may have a second, narrower table ranked apart from its main one: the sender's own
 * quotas (ratelimited) and a host out of space (systemfull) rank before the wordings they would
 * otherwise lose to ("quota exceeded" of a full mailbox, "mailbox unavailable" of an unknown user).
 */
import { authfailure } from './authfailure.js';
import { badreputation } from './badreputation.js';
import { blocked } from './blocked.js';
import { contenterror } from './contenterror.js';
import { emailtoolarge } from './emailtoolarge.js';
import { expired } from './expired.js';
import { failedstarttls } from './failedstarttls.js';
import { filtered } from './filtered.js';
import { hasmoved } from './hasmoved.js';
import { hostunknown } from './hostunknown.js';
import { mailboxfull } from './mailboxfull.js';
import { mailererror } from './mailererror.js';
import { networkerror } from './networkerror.js';
import { norelaying } from './norelaying.js';
import { notaccept } from './notaccept.js';
import { notcompliantrfc } from './notcompliantrfc.js';
import { policyviolation } from './policyviolation.js';
import { ratelimited, senderLimits } from './ratelimited.js';
import { rejected } from './rejected.js';
import { requireptr } from './requireptr.js';
import { securityerror } from './securityerror.js';
import { spamdetected } from './spamdetected.js';
import { suppressed } from './suppressed.js';
import { suspend } from './suspend.js';
import { syntaxerror } from './syntaxerror.js';
import { systemerror } from './systemerror.js';
import { storageShortage, systemfull } from './systemfull.js';
import { userunknown } from './userunknown.js';
import { virusdetected } from './virusdetected.js';
import type { ReasonPhrases } from './types.js';

export type { ReasonPhrases } from './types.js';

export const REASONS_IN_ORDER: readonly ReasonPhrases[] = [
  suppressed,
  senderLimits,
  mailboxfull,
  storageShortage,
  emailtoolarge,
  hasmoved,
  norelaying,
  authfailure,
  requireptr,
  notcompliantrfc,
  virusdetected,
  spamdetected,
  badreputation,
  ratelimited,
  suspend,
  userunknown,
  filtered,
  notaccept,
  hostunknown,
  rejected,
  blocked,
  policyviolation,
  contenterror,
  failedstarttls,
  securityerror,
  mailererror,
  syntaxerror,
  systemfull,
  networkerror,
  expired,
  systemerror,
];
