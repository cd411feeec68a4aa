import type { FakeZone } from './fake-dns-server.js';
import { PUBLIC_IP } from './zone.js';

/**
 * The zone behind fixtures/dns/contacts.csv (names under real TLDs, since the address checks
 * refuse .test): one domain per verdict, plus the records of two sending domains.
 */
export const CLI_ZONE: FakeZone = {
  com: { SOA: { minimum: 900 } },
  org: { SOA: { minimum: 900 } },
  net: { SOA: { minimum: 900 } },
  de: { SOA: { minimum: 900 } },
  'northwind-traders.com': { MX: [[10, 'mx1.northwind-traders.com']], TXT: ['v=spf1 mx include:spf.mailer-service.net -all'] },
  'mx1.northwind-traders.com': { A: [PUBLIC_IP], ttl: 3600 },
  '_dmarc.northwind-traders.com': { TXT: ['v=DMARC1; p=quarantine; rua=mailto:dmarc@northwind-traders.com'] },
  'spf.mailer-service.net': { TXT: ['v=spf1 ip4:93.184.215.0/24 -all'] },
  'no-mail-here.org': { MX: [[0, '']] },
  'tiny-bakery.net': { A: [PUBLIC_IP], ttl: 600 },
  'parked-name.net': { A: [PUBLIC_IP], TXT: ['v=spf1 -all'] },
  'text-only.org': { TXT: ['hello'] },
  'dangling-mx.com': { MX: [[10, 'mx.nowhere-host.com']] },
  'loopback-mx.com': { MX: [[10, 'mx.loopback-mx.com']] },
  'mx.loopback-mx.com': { A: ['127.0.0.1'] },
  'slow-dns.com': { MX: [[10, 'mx1.northwind-traders.com']], delayMs: 5000 },
  'broken-dns.com': { rcode: 'SERVFAIL' },
  'xn--bcher-shop-9db.de': { MX: [[10, 'mx1.northwind-traders.com']] },
  // A sender whose SPF record still names hosts and a service that are gone (void look-ups)
  'stale-sender.com': {
    MX: [[10, 'mx1.northwind-traders.com']],
    TXT: ['v=spf1 mx a:old-mail.stale-sender.com a:relay.stale-sender.com include:gone-esp.net -all'],
  },
  '_dmarc.stale-sender.com': { TXT: ['v=DMARC1; p=reject'] },
  // A sender with weak records
  'leaky-sender.com': { MX: [[10, 'mx1.northwind-traders.com']], TXT: ['v=spf1 +all'] },
};
