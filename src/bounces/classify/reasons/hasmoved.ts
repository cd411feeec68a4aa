import type { ReasonPhrases } from './types.js';

/** The mailbox moved to a new address (RFC 3463 x.1.6). */
export const hasmoved: ReasonPhrases = {
  reason: 'hasmoved',
  phrases: [' has been replaced by ', 'mailbox has moved', 'address has changed', 'user has moved', 'destination mailbox has moved'],
};
