import type { FakeZone } from './fake-dns-server.js';

/**
 * The test zone: one domain per verdict. Addresses of "working" hosts are public-looking
 * numbers; nothing ever connects to them (the checks only resolve names).
 */
export const PUBLIC_IP = '93.184.215.14';

export const ZONE: FakeZone = {
  test: { SOA: { minimum: 900 } },
  'good.test': {
    MX: [
      [10, 'mx1.good.test'],
      [20, 'mx2.good.test'],
    ],
    TXT: ['v=spf1 mx include:_spf.esp.test -all'],
    ttl: 7200,
  },
  'mx1.good.test': { A: [PUBLIC_IP], ttl: 1800 },
  'mx2.good.test': { A: [PUBLIC_IP], ttl: 1800 },
  '_dmarc.good.test': { TXT: ['v=DMARC1; p=reject; rua=mailto:d@good.test'] },
  '_spf.esp.test': { TXT: ['v=spf1 ip4:93.184.215.0/24 -all'] },
  'nullmx.test': { MX: [[0, '']] },
  'aonly.test': { A: [PUBLIC_IP], ttl: 600 },
  'parked.test': { A: [PUBLIC_IP], TXT: ['v=spf1 -all'] },
  'nomail.test': { TXT: ['just text'], SOA: { minimum: 1200 } },
  'dangling.test': { MX: [[10, 'mx.gone.test']] },
  'loopback.test': { MX: [[10, 'mx.loopback.test']] },
  'mx.loopback.test': { A: ['127.0.0.1'] },
  'localmx.test': { MX: [[10, 'localhost']] },
  'private-a.test': { A: ['192.168.1.10'] },
  'mixed.test': {
    MX: [
      [10, 'mx.gone.test'],
      [20, 'mx1.good.test'],
    ],
  },
  'slow.test': { MX: [[10, 'mx1.good.test']], delayMs: 4000 },
  'servfail.test': { rcode: 'SERVFAIL' },
  'refused.test': { rcode: 'REFUSED' },
  // Sender records
  'weak.test': { MX: [[10, 'mx1.good.test']], TXT: ['v=spf1 +all'] },
  '_dmarc.weak.test': { TXT: ['v=DMARC1; p=none'] },
  'deep.test': { MX: [[10, 'mx1.good.test']], TXT: ['v=spf1 include:i1.test include:i2.test include:i3.test ~all'] },
  'i1.test': { TXT: ['v=spf1 a mx include:i4.test -all'] },
  'i2.test': { TXT: ['v=spf1 a mx exists:%{i}.x.test -all'] },
  'i3.test': { TXT: ['v=spf1 a mx ptr -all'] },
  'i4.test': { TXT: ['v=spf1 a mx -all'] },
  'loop.test': { TXT: ['v=spf1 include:loop.test -all'], MX: [[10, 'mx1.good.test']] },
  'twospf.test': { TXT: ['v=spf1 -all', 'v=spf1 mx -all'] },
  'ptr.test': { MX: [[10, 'mx1.good.test']], TXT: ['v=spf1 ptr -all'] },
  'partial.test': { MX: [[10, 'mx1.good.test']], TXT: ['v=spf1 mx -all'] },
  '_dmarc.partial.test': { TXT: ['v=DMARC1; p=reject; pct=25'] },
  '_dmarc.org.test': { TXT: ['v=DMARC1; p=quarantine; sp=reject'] },
  'sub.org.test': { MX: [[10, 'mx1.good.test']], TXT: ['v=spf1 mx -all'] },
  // Void look-ups: hosts that are gone, a domain without MX, an include of a domain that is gone.
  'stale.test': {
    MX: [[10, 'mx1.good.test']],
    TXT: ['v=spf1 a:old1.stale.test a:old2.stale.test/24 mx:moved.test include:gone-esp.test a:v6only.stale.test mx -all'],
  },
  'moved.test': { A: [PUBLIC_IP] },
  'v6only.stale.test': { AAAA: ['2001:db8::25'] },
  // A mechanism whose host does not answer in time: the look-up count stays known.
  'slowa.test': { MX: [[10, 'mx1.good.test']], TXT: ['v=spf1 a:slow.test mx -all'] },
  // Two void look-ups are allowed; a macro names nothing that can be looked up here.
  'twovoid.test': {
    A: [PUBLIC_IP],
    MX: [[10, 'mx1.good.test']],
    TXT: ['v=spf1 a:old1.stale.test mx:moved.test exists:%{i}.x.test a/24 -all'],
  },
};
