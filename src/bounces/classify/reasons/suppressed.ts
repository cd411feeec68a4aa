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
  ],
};
