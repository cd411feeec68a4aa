import type { ReasonPhrases } from './types.js';

/** Authentication or encryption the server requires is missing or invalid. */
export const securityerror: ReasonPhrases = {
  reason: 'securityerror',
  phrases: [
    'security conversion required but not possible',
    'security features not supported',
    'cryptographic failure',
    'cryptographic algorithm not supported',
    'message integrity failure',
    'trust relationship required',
    'authentication credentials invalid',
    'authentication failure',
    'authentication failed',
    'authentication required',
    'authentication turned on in your email client',
    'client not authenticated',
    'executable files are not allowed in compressed files',
    "sorry, you don't authenticate",
    'you are not authorized to send mail, authentication is required',
    "you don't authenticate",
    'must be authenticated',
    'not authenticated',
    'sender is not authorized',
    'authorization required',
    'account not subscribed to ses',
    'verification failure',
    'encryption required',
    'security policy',
    // OpenSMTPD: no credentials for the relay it must authenticate to.
    'could not retrieve credentials',
    'authentication credentials invalid',
    'not authorized to perform ses:sendrawemail',
    'turn on smtp authentication',
  ],
};
