import type { ReasonPhrases } from './types.js';

/** The address is already on a sending service's suppression list. */
export const suppressed: ReasonPhrases = {
  reason: 'suppressed',
  phrases: [
    'suppression list',
    'address is suppressed',
    'recipient address is suppressed',
    'has suppressed sending to this address',
    'on the suppression list',
    'onaccountsuppressionlist',
    'suppressed address',
    // Mailgun's 605 and 606 as its suppression exports and events word them (its 607, a
    // complaint, is left to the vendor's verdict, which says complaint).
    'not delivering to previously bounced address',
    'not delivering to unsubscribed address',
  ],
};
