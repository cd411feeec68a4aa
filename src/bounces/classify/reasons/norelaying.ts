import type { ReasonPhrases } from './types.js';

/** The server refused to relay: it is not the recipient's mail host, or wants authentication. */
export const norelaying: ReasonPhrases = {
  reason: 'norelaying',
  phrases: [
    'insecure mail relay',
    'is not permitted to relay through this server without authentication',
    'mail server requires authentication when attempting to send to a non-local e-mail address',
    'not allowed to relay',
    'not an open relay',
    'relay access denied',
    'relay denied',
    'relay not permitted',
    'relaying denied',
    'relaying not allowed',
    'relaying mail to',
    'relay prohibited',
    'this system is not configured to relay mail',
    'unable to relay',
    'we do not relay',
    "we don't handle mail for",
    "that domain isn't in my list of allowed rcpthost",
    'no relaying',
    'relaying is prohibited',
    'not permitted to relay',
    'we do not relay for',
    'relay not allowed',
    'open relay',
    'not a gateway',
    'not local host',
    'as a relay',
  ],
};
