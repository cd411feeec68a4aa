import type { ReasonPhrases } from './types.js';

// Wording families: RFC 3463 X.1.2 "bad destination system address"; resolver answers (NXDOMAIN,
// no MX, "host not found") as Postfix, Exim ("Unrouteable address", "all relevant MX records
// point to non-existent hosts"), Sendmail, qmail and Exchange word them; Sisimai's
// lib/Sisimai/Reason/HostUnknown.pm list was read for the families, not copied.

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
    // qmail: "Sorry, I couldn't find any host by that name. (#4.1.2)"; Sendmail: "Host unknown
    // (Name server: x: host not found)"; Exchange: "the domain name could not be found".
    "couldn't find any host by that name",
    'could not find any host by that name',
    'no mx found',
    'no mx records found',
    'no mx record found',
    'mx record not found',
    'no mail exchanger',
    'domain name could not be found',
    'domain could not be found',
    'no such host',
    'illegal host/domain name found',
    'dns type mx lookup',
    'domain name not found',
    'no mx or a record for domain',
    'no mx record for domain',
    'domain has no mx',
    'nxdomain',
    // Exim's, au (KDDI)'s and Gmail's words for a domain with no address to deliver to.
    'all host address lookups failed permanently',
    'remote domain doesnt exist',
    "remote domain doesn't exist",
    'dns server returned answer with no data',
  ],
  patterns: [
    // `553 example.org does not exist`: a domain (no @ before it) that does not exist.
    /(?:^|\s)(?:domain )?[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){1,8}\.? does not exist/,
  ],
};
