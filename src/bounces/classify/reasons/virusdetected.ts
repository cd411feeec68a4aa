import type { ReasonPhrases } from './types.js';

/** A virus or malware scanner refused the message. */
export const virusdetected: ReasonPhrases = {
  reason: 'virusdetected',
  phrases: [
    'it has a potentially executable attachment',
    'message contains a virus',
    'message was infected with virus',
    'virus detected',
    'virus found',
    'infected with a virus',
    'contains a virus',
    'malware detected',
    'infected with',
  ],
  weakPhrases: ['virus'],
};
