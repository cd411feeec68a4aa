import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../../../src/bounces/classify/index.js';
import { addressOf, parseDeliveryStatus } from '../../../../src/bounces/formats/mail/dsn.js';

describe('parseDeliveryStatus', () => {
  it('separates the per-message group from each recipient group and unfolds long fields', () => {
    const report = parseDeliveryStatus(
      [
        'Reporting-MTA: dns; mx1.example.com',
        'X-Postfix-Queue-ID: 3893C1102DD6',
        'Arrival-Date: Tue, 11 Mar 2025 09:59:58 +0100 (CET)',
        '',
        'Final-Recipient: rfc822; ann@Example.ORG',
        'Original-Recipient: rfc822;ann@example.org',
        'Action: failed',
        'Status: 5.1.1',
        'Remote-MTA: dns; mx.example.org',
        'Diagnostic-Code: smtp; 550 5.1.1 <ann@example.org>: Recipient address',
        '    rejected: User unknown in virtual mailbox table',
        'Last-Attempt-Date: Tue, 11 Mar 2025 10:00:23 +0100 (CET)',
        '',
        'Final-Recipient: rfc822; bob@example.net',
        'Action: delayed',
        'Status: 4.4.1 (no answer from host)',
        '',
      ].join('\r\n'),
    );
    expect(report.message.get('x-postfix-queue-id')).toBe('3893C1102DD6');
    expect(report.recipients).toHaveLength(2);
    expect(report.recipients[0]).toMatchObject({
      recipient: 'ann@example.org',
      originalRecipient: 'ann@example.org',
      action: 'failed',
      status: '5.1.1',
      diagnosticType: 'smtp',
      diagnostic: '550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      remoteMta: 'mx.example.org',
      lastAttemptDate: 'Tue, 11 Mar 2025 10:00:23 +0100 (CET)',
    });
    expect(report.recipients[1]).toMatchObject({
      recipient: 'bob@example.net',
      action: 'delayed',
      status: '4.4.1',
      statusText: 'no answer from host',
      diagnostic: null,
    });
  });

  it('starts a new recipient when a recipient field repeats without a blank line between', () => {
    const report = parseDeliveryStatus(
      [
        'Reporting-MTA: dns; mail.example.com',
        '',
        'Original-Recipient: rfc822;a@example.org',
        'Final-Recipient: rfc822;a@example.org',
        'Action: failed',
        'Status: 5.0.0',
        'Original-Recipient: rfc822;b@example.org',
        'Final-Recipient: rfc822;b@example.org',
        'Action: failed',
        'Status: 5.2.2',
      ].join('\n'),
    );
    expect(report.recipients.map((group) => [group.recipient, group.status])).toEqual([
      ['a@example.org', '5.0.0'],
      ['b@example.org', '5.2.2'],
    ]);
  });

  it('accepts groups that name the recipient after their other fields', () => {
    const report = parseDeliveryStatus(
      ['Action: failed', 'Status: 5.0.0', 'Final-recipient: rfc822;c@example.org', 'Diagnostic-code: smtp; 550 User Unknown'].join('\n'),
    );
    expect(report.recipients).toHaveLength(1);
    expect(report.recipients[0]).toMatchObject({ recipient: 'c@example.org', action: 'failed', diagnostic: '550 User Unknown' });
  });

  it('keeps the diagnostic type for local delivery failures and ignores unknown actions', () => {
    const report = parseDeliveryStatus(
      'Final-Recipient: rfc822; d@example.org\nAction: deliverable\nStatus: 4.5.0\nDiagnostic-Code: X-Unix; 71\n',
    );
    expect(report.recipients[0]).toMatchObject({ action: null, diagnosticType: 'x-unix', diagnostic: '71' });
  });

  it('gives no recipients for text without a recipient field', () => {
    expect(parseDeliveryStatus('Hello,\nthis is not a report.\n').recipients).toEqual([]);
  });
});

describe("SendGrid's Action: expired", () => {
  const group = (status: string) =>
    parseDeliveryStatus(
      [
        'Reporting-MTA: dns; sendgrid.net',
        '',
        'Final-Recipient: rfc822; ann@example.org',
        'Action: expired',
        status,
        'Diagnostic-Code: Connection timed out',
        '',
      ].join('\n'),
    ).recipients[0]!;

  it('is a failure whose delivery time ran out (4.4.7) when the Status field is empty', () => {
    const expired = group('Status: ');
    expect(expired).toMatchObject({ action: 'failed', status: '4.4.7' });
    // As Postfix's "status=expired": a soft bounce of reason expired, not a network error.
    expect(classifyBounce({ action: expired.action, status: expired.status, diagnostic: expired.diagnostic })).toMatchObject({
      class: 'soft',
      reason: 'expired',
    });
  });

  it('keeps a status the report gives', () => {
    expect(group('Status: 5.1.1')).toMatchObject({ action: 'failed', status: '5.1.1' });
  });
});

describe('addressOf', () => {
  it('reads typed and bracketed addresses and lower-cases the domain only', () => {
    expect(addressOf('rfc822; <Ann.Lee@Example.ORG>')).toBe('Ann.Lee@example.org');
    expect(addressOf('RFC822;bob@example.net')).toBe('bob@example.net');
  });

  it('finds the mailbox a pipe or file recipient names', () => {
    expect(addressOf('rfc822;|/usr/bin/procmail ann@example.org /home/ann/.procmailrc')).toBe('ann@example.org');
  });

  it('returns null for an empty value', () => {
    expect(addressOf('rfc822;')).toBeNull();
  });
});

describe('parseDeliveryStatus on hostile input', () => {
  it('stays linear with very many folded lines and groups', () => {
    const folds = `Final-Recipient: rfc822; a@example.org\nDiagnostic-Code: smtp; 550\n${' x\n'.repeat(300_000)}`;
    const groups = Array.from({ length: 20_000 }, (_, i) => `Final-Recipient: rfc822; u${i}@example.org\nStatus: 5.1.1\n`).join('\n');
    const started = performance.now();
    expect(parseDeliveryStatus(folds).recipients[0]!.diagnostic!.length).toBeLessThanOrEqual(8192);
    expect(parseDeliveryStatus(groups).recipients).toHaveLength(10_000);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
