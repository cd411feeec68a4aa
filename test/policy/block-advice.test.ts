import { describe, expect, it } from 'vitest';
import type { BounceRecord } from '../../src/bounces/types.js';
import { adviseOnBlocks, blockCause, blockProvider, summarizeBlocks } from '../../src/policy/block-advice.js';

let line = 0;
function block(fields: Partial<BounceRecord>): BounceRecord {
  line++;
  return {
    recipient: 'someone@example.com',
    class: 'block',
    reason: 'blocked',
    action: 'failed',
    status: null,
    smtpCode: null,
    diagnostic: null,
    remoteMta: null,
    at: '2026-11-19T10:00:00.000Z',
    queueId: null,
    format: 'postfix',
    source: `mail.log:${line}`,
    messageKey: null,
    ...fields,
  };
}

const gmailUnauthenticated = (): BounceRecord =>
  block({
    recipient: 'reader@gmail.com',
    reason: 'authfailure',
    status: '5.7.26',
    smtpCode: '550',
    remoteMta: 'gmail-smtp-in.l.google.com',
    diagnostic:
      '550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp',
  });

describe('adviseOnBlocks', () => {
  it('warns when blocks are a large share, naming provider, code and the fix', () => {
    const records = Array.from({ length: 12 }, gmailUnauthenticated);
    const advice = adviseOnBlocks(records, 29);
    expect(advice.warn).toBe(true);
    expect(advice.share).toBeCloseTo(12 / 29);
    expect(advice.lines).toEqual([
      '41% of bounces (12 of 29) are blocks of your sender, not bad addresses:',
      'Gmail 5.7.26 (12): messages are unauthenticated; publish SPF and DKIM and align DMARC before the next send.',
    ]);
  });

  it('does not warn below the configured share, but still describes the blocks', () => {
    const advice = adviseOnBlocks([gmailUnauthenticated()], 10, { shareWarning: 0.2 });
    expect(advice.warn).toBe(false);
    expect(advice.lines[0]).toBe('10% of bounces (1 of 10) are blocks of your sender:');
    expect(adviseOnBlocks([gmailUnauthenticated()], 5, { shareWarning: 0.2 }).warn).toBe(true);
  });

  it('says nothing when there are no blocks', () => {
    expect(adviseOnBlocks([block({ class: 'soft', reason: 'mailboxfull' })], 3)).toEqual({ share: 0, warn: false, lines: [] });
    expect(adviseOnBlocks([], 0)).toEqual({ share: 0, warn: false, lines: [] });
  });

  it('groups by provider and code, the largest first, and accepts summary counts', () => {
    const records = [
      ...Array.from({ length: 3 }, () =>
        block({
          recipient: 'x@hotmail.com',
          diagnostic: "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. (S3150)",
          status: '5.7.1',
          smtpCode: '550',
        }),
      ),
      ...Array.from({ length: 5 }, gmailUnauthenticated),
    ];
    const summary = summarizeBlocks(records);
    expect(summary).toEqual([
      { provider: 'Gmail', code: '5.7.26', cause: 'authentication', count: 5 },
      { provider: 'Microsoft', code: 'S3150', cause: 'reputation', count: 3 },
    ]);
    const fromSummary = adviseOnBlocks(summary, 8);
    expect(fromSummary).toEqual(adviseOnBlocks(records, 8));
    expect(fromSummary.lines[2]).toMatch(/^Microsoft S3150 \(3\): your sending IP or domain has a poor reputation/);
  });

  it('folds the long tail into one line', () => {
    const providers = ['gmail.com', 'hotmail.com', 'yahoo.com', 'icloud.com', 'gmx.de', 'orange.fr', 'comcast.net', 'example.com'];
    const records = providers.map((domain) => block({ recipient: `a@${domain}`, status: '5.7.1' }));
    const advice = adviseOnBlocks(records, 8);
    expect(advice.lines).toHaveLength(1 + 6 + 1);
    expect(advice.lines.at(-1)).toBe('and 2 more in 2 other groups.');
  });
});

describe('blockProvider', () => {
  it.each([
    [{ remoteMta: 'mta7.am0.yahoodns.net' }, 'Yahoo/AOL'],
    [{ remoteMta: 'example-com.mail.protection.outlook.com' }, 'Microsoft'],
    [{ remoteMta: 'eu-smtp-inbound-1.mimecast.com' }, 'Mimecast'],
    [{ remoteMta: 'mx0a-00123456.pphosted.com' }, 'Proofpoint'],
    [{ remoteMta: 'd123.ess.barracudanetworks.com' }, 'Barracuda'],
    [{ remoteMta: 'mx00.emig.gmx.net' }, 'GMX/WEB.DE'],
    [{ remoteMta: 'aspmx.l.google.com', recipient: 'staff@example.com' }, 'Gmail'],
    [{ recipient: 'pat@web.de' }, 'GMX/WEB.DE'],
    [{ recipient: 'pat@wanadoo.fr' }, 'Orange'],
    [{ recipient: 'pat@me.com' }, 'iCloud'],
    [{ recipient: 'pat@aol.com' }, 'Yahoo/AOL'],
    [{ recipient: 'pat@comcast.net' }, 'Comcast'],
    [{ recipient: 'pat@example.net', diagnostic: '550 5.7.1 rejected - gsmtp' }, 'Gmail'],
    [{ recipient: 'pat@example.net' }, 'other'],
  ] as const)('%j -> %s', (fields, provider) => {
    expect(blockProvider({ recipient: 'pat@example.org', remoteMta: null, diagnostic: null, ...fields })).toBe(provider);
  });
});

describe('blockCause', () => {
  it.each([
    [
      { status: '5.7.509', diagnostic: '550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification' },
      'authentication',
    ],
    [{ status: '5.7.515', diagnostic: null }, 'authentication'],
    [{ reason: 'authfailure' as const }, 'authentication'],
    // A feedback report that is a block: a DMARC failure report, or a virus report that says so.
    [{ reason: 'feedback' as const }, 'authentication'],
    [{ reason: 'feedback' as const, diagnostic: 'This is a virus report for a message received from 192.0.2.1' }, 'content'],
    [{ reason: 'requireptr' as const, status: '5.7.25' }, 'ptr'],
    [{ reason: 'ratelimited' as const }, 'rate'],
    [
      { smtpCode: '421', status: '4.7.0', reason: 'blocked' as const, diagnostic: '421 4.7.0 Try again later, closing connection.' },
      'rate',
    ],
    [
      {
        smtpCode: '451',
        status: '4.2.1',
        diagnostic: 'The user you are trying to contact is receiving mail at a rate that prevents additional messages',
      },
      'rate',
    ],
    [{ reason: 'badreputation' as const }, 'reputation'],
    [{ diagnostic: '421 Message temporarily deferred due to unexpected volume or user complaints - 4.16.55.1 [TSS04]' }, 'reputation'],
    [{ status: '5.7.606', diagnostic: '550 5.7.606 Access denied, banned sending IP [192.0.2.8]' }, 'reputation'],
    [{ reason: 'virusdetected' as const, status: '5.7.1' }, 'content'],
    [{ reason: 'norelaying' as const, status: '5.7.1', diagnostic: 'relay access denied' }, 'other'],
  ])('%j -> %s', (fields, cause) => {
    expect(blockCause({ reason: 'rejected', status: null, smtpCode: null, diagnostic: null, ...fields })).toBe(cause);
  });

  it('stays fast on a huge hostile diagnostic', () => {
    const diagnostic = `550 ${'a '.repeat(500_000)}`;
    const started = performance.now();
    summarizeBlocks(Array.from({ length: 50 }, () => block({ diagnostic, remoteMta: 'x'.repeat(10_000) })));
    expect(performance.now() - started).toBeLessThan(500);
  });
});
