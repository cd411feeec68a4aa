import type { ReasonPhrases } from './types.js';

/** The message breaks RFC 5322 (duplicate or malformed headers). */
export const notcompliantrfc: ReasonPhrases = {
  reason: 'notcompliantrfc',
  phrases: [
    'is not rfc 5322 compliant',
    'not rfc 5322 compliant',
    'rfcmessagenoncompliant',
    'not rfc compliant',
    'headers are not rfc compliant',
    'multiple from headers',
    'duplicate header',
    'multiple addresses in from: header',
    'rfc822 compliant',
    'missing date header',
    'missing message-id header',
  ],
  weakPhrases: ['rfc 5322', 'rfc 2822'],
};
