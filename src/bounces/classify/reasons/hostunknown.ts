import type { ReasonPhrases } from './types.js';

/** The recipient's domain does not exist or has no mail host. */
export const hostunknown: ReasonPhrases = {
  reason: 'hostunknown',
  phrases: [
    'bad destination system address',
    'domain does not exist',
    'domain is not reachable',
    'domain must exist',
    'domain not found',
    'host or domain name not found',
    'host unknown',
    'host not found',
    'mail domain mentioned in email address is unknown',
    'name or service not known',
    'no such domain',
    'recipient address rejected: unknown domain',
    'recipient domain must exist',
    'the account or domain may not exist',
    'unknown host',
    'unrouteable address',
    'unroutable address',
    'unrouteable mail domain',
    "couldn't find any host named",
    'illegal host/domain name found',
    'dns type mx lookup',
    'domain name not found',
    'no mx or a record for domain',
    'no mx record for domain',
    'domain has no mx',
    'nxdomain',
  ],
  patterns: [
    // `553 example.org does not exist`: a domain (no @ before it) that does not exist.
    /(?:^|\s)(?:domain )?[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}\.? does not exist/,
  ],
};
