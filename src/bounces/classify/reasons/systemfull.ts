import type { ReasonPhrases } from './types.js';

/** The recipient host itself is out of storage. */
export const systemfull: ReasonPhrases = {
  reason: 'systemfull',
  phrases: [
    'mail system congestion',
    'insufficient disk space',
    'mail system full',
    'insufficient system storage',
    'insufficient system resources',
    'out of disk space',
    'no space left on device',
    'system full',
    'disk full',
    'file system full',
    'mail queue is full',
  ],
};

/**
 * "mailbox unavailable (not enough free space)" (qmail, and servers that word it so): the host is
 * out of space, ranked before the "mailbox unavailable" that would read it as an unknown user.
 */
export const storageShortage: ReasonPhrases = {
  reason: 'systemfull',
  phrases: ['not enough free space'],
};
