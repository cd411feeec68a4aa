/**
 * Replies quoted in ZoneMTA's bounce rules (config/bounces.txt of the zone-mta package), which
 * collects what real receiving servers answered, each with ZoneMTA's category. Nobody on this
 * project wrote them, so they check that our phrases carry over to other senders' bounces. The
 * last rows are ZoneMTA's rule texts completed into a whole reply.
 */
import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../../src/bounces/classify/index.js';
import type { BounceClass, BounceReason } from '../../../src/bounces/types.js';

const REPLIES: ReadonlyArray<readonly [zoneMtaCategory: string, reply: string, reason: BounceReason, cls: BounceClass]> = [
  [
    'blacklist',
    '554 IP=11.22.33.44 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)',
    'blocked',
    'block',
  ],
  [
    'blacklist',
    '554 IP:11.22.33.44 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.)',
    'blocked',
    'block',
  ],
  ['blacklist', '550 Rejected: 11.22.33.44 is listed at work.drbl.example.net', 'blocked', 'block'],
  ['blacklist', '550 Rejected due to DNSBL server response (dnsbl.cobion.com - 1.2.3.4)', 'blocked', 'block'],
  [
    'blacklist',
    '554 resimta-po-11v.sys.comcast.net resimta-po-11v.sys.comcast.net 1.2.3.4 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010',
    'blocked',
    'block',
  ],
  // A limit on the sending session, said of whichever recipient came next: not a dead address.
  ['other', '550 Too many invalid recipients', 'ratelimited', 'block'],
  ['virus', '554 rejected due to virus (Eicar-Test-Signature)', 'virusdetected', 'block'],
  ['message', '550 5.7.512 Access denied, message must be RFC 5322 section 3.6.2 compliant', 'notcompliantrfc', 'block'],
  ['recipient', '554 5.2.1 <ann@mail.ee>: Inactive user', 'suspend', 'soft'],
  ['recipient', '550 5.2.1 <ann@hot.ee> is expired account', 'suspend', 'soft'],
];

describe('replies collected by ZoneMTA', () => {
  it.each(REPLIES)('%s: %s', (_category, reply, reason, cls) => {
    const code = reply.slice(0, 3);
    expect(classifyBounce({ diagnostic: reply, smtpCode: code, action: 'failed' })).toMatchObject({ reason, class: cls });
  });

  it('still reads a dead address that a session limit did not cause as unknown', () => {
    expect(classifyBounce({ diagnostic: '550 5.1.1 <ann@example.org>: invalid recipient', action: 'failed' })).toMatchObject({
      reason: 'userunknown',
      class: 'hard',
    });
  });
});
