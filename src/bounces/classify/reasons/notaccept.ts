import type { ReasonPhrases } from './types.js';

/** The domain says it takes no mail at all (null MX, RFC 7505; 521/556 replies). */
export const notaccept: ReasonPhrases = {
  reason: 'notaccept',
  phrases: [
    'system not accepting network messages',
    'indicated no smtp service',
    'does not accept mail (nullmx)',
    'domain does not accept mail',
    'host does not accept mail',
    'host/domain does not accept mail',
    'mail receiving disabled',
    'name server: .: host not found',
    'no mx record found for domain=',
    'no route for current request',
    'null mx',
    'nullmx',
    "couldn't find a mail exchanger",
    'smtp protocol returned a permanent error',
    'domain does not receive mail',
  ],
  patterns: [
    // `521 example.org does not accept mail` (RFC 7504), but not "... does not accept mail from you".
    /(?:^|\s)[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}\.? does not accept mail(?! from)/,
  ],
};
