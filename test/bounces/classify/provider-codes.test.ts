/**
 * Error codes that receiving services document, read from replies as those services write them
 * (texts written for these tests after the services' published examples; addresses and IPs from
 * documentation ranges).
 */
import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../../src/bounces/classify/index.js';
import { providerCodeReason } from '../../../src/bounces/classify/provider-codes.js';
import { normalizeDiagnostic } from '../../../src/bounces/smtp-text.js';

const reasonOf = (reply: string) => providerCodeReason(normalizeDiagnostic(reply) ?? '');

describe('documented service error codes', () => {
  it('tells apart the Orange replies that share their words by their code', () => {
    const blocked =
      '550 mwinf5c10 ME Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR006_103 203.0.113.9 [103]';
    const ownFailure =
      '421 4.2.0 Service refuse. Veuillez essayer plus tard. Service refused, please try later. OFR005_505 [505] (in reply to end of DATA command)';
    expect(classifyBounce({ diagnostic: blocked })).toMatchObject({ reason: 'blocked', class: 'block' });
    expect(classifyBounce({ diagnostic: ownFailure })).toMatchObject({ reason: 'systemerror', class: 'soft' });
  });

  it('reads La Poste and Orange codes in each of their shapes', () => {
    expect(reasonOf('550 5.7.1 Service unavailable; client [203.0.113.9] blocked using Spamhaus LPNAAA_101')).toBe('blocked');
    expect(
      reasonOf('421 mwinf5c79 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. LPN105_104'),
    ).toBe('ratelimited');
    expect(reasonOf('550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]')).toBe('userunknown');
    expect(reasonOf('552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]')).toBe('mailboxfull');
  });

  it('leaves an undocumented code to the words', () => {
    expect(reasonOf('550 5.5.0 Service refuse. Veuillez essayer plus tard. service refused, please try later. LPN001_108')).toBeNull();
    expect(classifyBounce({ diagnostic: '550 5.5.0 Service refuse. Veuillez essayer plus tard. LPN001_108' }).reason).toBe('blocked');
  });

  it('reads GoDaddy codes', () => {
    expect(
      classifyBounce({ diagnostic: '554 Connection refused. This IP is listed on the Spamhaus Block List (SBL). IB104' }),
    ).toMatchObject({ reason: 'blocked' });
    expect(classifyBounce({ diagnostic: '421 Server temporarily unavailable. Try again later. IB101' })).toMatchObject({
      reason: 'systemerror',
      class: 'soft',
    });
    expect(
      classifyBounce({ diagnostic: '550 ann@example.com Blank From: addresses are not allowed. Please provide a valid From. IB501' })
        .reason,
    ).toBe('rejected');
    expect(classifyBounce({ diagnostic: '552 Virus infected message rejected. IB705' }).reason).toBe('virusdetected');
  });

  it('reads Cox and Spectrum AUP codes', () => {
    expect(reasonOf('554 5.7.1 cox.net: connection refused from [203.0.113.9] AUP#CXBL')).toBe('blocked');
    expect(reasonOf('554 5.7.1 Rejected AUP#IPBL1010')).toBe('blocked');
    expect(reasonOf('554 5.7.1 Rejected AUP#URLBL011')).toBe('spamdetected');
    expect(reasonOf('421 4.7.0 Too many connections AUP#CXCNCT')).toBe('ratelimited');
    expect(reasonOf('554 5.7.1 Rejected AUP#1530')).toBe('emailtoolarge');
    expect(reasonOf('421 4.7.0 Throttled AUP#In-1310')).toBe('ratelimited');
    expect(reasonOf('554 5.7.1 Rejected AUP#1999')).toBeNull();
  });

  it('reads i.ua error pages', () => {
    expect(reasonOf('550 5.7.1 Rejected, see http://mail.i.ua/err/2/')).toBe('userunknown');
    expect(reasonOf('550 5.7.1 Rejected, see http://mail.i.ua/err/4/')).toBe('mailboxfull');
  });

  it("does not take a word of the reply for a table's own property", () => {
    expect(reasonOf('554 5.7.1 Rejected AUP#constructor')).toBeNull();
  });

  it('does not read a code out of a word or a host name', () => {
    expect(reasonOf('550 5.1.1 <ann@example.org>: user unknown; ib101x')).toBeNull();
    expect(reasonOf('550 relay denied by mib101.example.net')).toBeNull();
  });
});
