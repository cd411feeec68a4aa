import type { ReasonPhrases } from './types.js';

// Wording families: refusals of messages that break RFC 5322 (duplicate, malformed or missing
// mandatory headers) as Gmail ("not RFC 5322 compliant"), Exchange and smaller MTAs ("Messages
// without To: fields are not accepted") word them.

/** The message breaks RFC 5322 (duplicate or malformed headers). */
export const notcompliantrfc: ReasonPhrases = {
  reason: 'notcompliantrfc',
  phrases: [
    'is not rfc 5322 compliant',
    'not rfc 5322 compliant',
    // Microsoft: "5.7.512 ... message must be RFC 5322 section 3.6.2 compliant".
    'message must be rfc 5322',
    'rfcmessagenoncompliant',
    'not rfc compliant',
    'headers are not rfc compliant',
    'multiple from headers',
    'duplicate header',
    'multiple addresses in from: header',
    'rfc822 compliant',
    'missing date header',
    'missing message-id header',
    'missing required header',
    'without to: fields',
    'without to: field',
    'without from: field',
    'without a from: header',
    'without a date: header',
    'no from header',
    'no date header',
    'no message-id header',
    'missing from header',
    'missing to header',
    'header is missing',
    'malformed header',
    'invalid header',
  ],
  weakPhrases: ['rfc 5322', 'rfc 2822'],
};
