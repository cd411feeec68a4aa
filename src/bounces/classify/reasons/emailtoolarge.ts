import type { ReasonPhrases } from './types.js';

/** The message is larger than the recipient side accepts. */
export const emailtoolarge: ReasonPhrases = {
  reason: 'emailtoolarge',
  phrases: [
    'message too big for system',
    'exceeded maximum inbound message size',
    'exceeds size limit',
    'exceeds the maximum size',
    'line limit exceeded',
    'max message size exceeded',
    'message file too big',
    'message is too big',
    'message is too large',
    'message length exceeds administrative limit',
    'message size exceeds',
    'message size limit',
    'message too big',
    'message too large',
    'message exceeds the maximum size',
    'size limit exceeded',
    'taille limite du message atteinte',
    'the message was too large',
    'your message was too big',
    'message size is greater than',
    'message larger than',
    'email size exceeds',
    'email size exceeded',
  ],
  patterns: [
    // `has exceeded the maximum incoming message size`, `exceeds the maximum allowed message size`
    /exceed(?:s|ed)? (?:the )?maximum (?:incoming |inbound |allowed )?(?:message |mail |e-?mail )?size/,
  ],
};
