import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { powermtaFormat } from '../../../src/bounces/formats/powermta.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixtureDir = path.join(__dirname, '../../../fixtures/bounces');
const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8');
const ACCT = 'powermta/acct-2026-11-02.csv';
const OTHER_FIXTURES = ['postfix/mail.log', 'exim/mainlog', 'sendmail/maillog', 'haraka/haraka.log'];

describe('powermta detection', () => {
  it('is sure about an accounting file by its header row', () => {
    expect(powermtaFormat.detect(fixture(ACCT), 'acct.csv')).toBeGreaterThanOrEqual(0.9);
  });

  it.each(OTHER_FIXTURES)('does not claim %s', (name) => {
    expect(powermtaFormat.detect(fixture(name), name)).toBe(0);
  });

  it('does not claim a CSV whose first column merely is called type', () => {
    expect(powermtaFormat.detect('type,email,reason\nbounce,a@example.org,550 user unknown', 'export.csv')).toBe(0);
  });
});

describe('powermta records', () => {
  it('reads a bounce with status, diagnostic, remote MTA and the bounceCat verdict', async () => {
    const records = await parseRecords(powermtaFormat, fixture(ACCT), { file: 'acct.csv' });
    expect(records.find((r) => r.recipient === 'ben@example.org')).toEqual({
      recipient: 'ben@example.org',
      action: 'failed',
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 <ben@example.org>: Recipient address rejected: User unknown in virtual mailbox table',
      remoteMta: 'mx.example.org',
      at: '2026-11-02T09:00:25.000Z',
      queueId: null,
      messageKey: 'nov-newsletter/env-0002',
      source: 'acct.csv:4',
      vendorReason: 'userunknown',
      vendorClass: 'hard',
    });
  });

  it('maps record types to actions', async () => {
    const records = await parseRecords(powermtaFormat, fixture(ACCT));
    const actionOf = (recipient: string) => records.find((r) => r.recipient === recipient)?.action;
    expect(actionOf('amy.chen@example.org')).toBe('delivered'); // d
    expect(actionOf('cora.mills.2001@gmail.com')).toBe('failed'); // b
    expect(actionOf('dan@example.net')).toBe('delayed'); // t
    expect(actionOf('eve@example.invalid')).toBe('delayed'); // tq
    expect(actionOf('kurt@example.org')).toBe('failed'); // rb
  });

  it.each([
    ['bo@example.org', 'bad-mailbox', 'userunknown', 'hard'],
    ['bo@example.org', 'bad-domain', 'hostunknown', 'hard'],
    ['bo@example.org', 'inactive-mailbox', 'suspend', null],
    ['bo@example.org', 'quota-issues', 'mailboxfull', null],
    ['bo@example.org', 'spam-related', 'spamdetected', 'block'],
    ['bo@example.org', 'policy-related', 'policyviolation', 'block'],
    ['bo@example.org', 'message-expired', 'expired', null],
    ['bo@example.org', 'no-answer-from-host', 'networkerror', null],
    ['bo@example.org', 'routing-errors', 'systemerror', null],
    ['bo@example.org', 'bad-connection', 'networkerror', null],
    ['bo@example.org', 'protocol-errors', 'syntaxerror', null],
    ['bo@example.org', 'content-related', 'contenterror', null],
    ['bo@example.org', 'virus-related', 'virusdetected', null],
    ['bo@example.org', 'relaying-issues', 'norelaying', null],
  ])('passes bounceCat on as the vendor verdict: %s %s', async (rcpt, category, reason, klass) => {
    const [record] = await parseRecords(powermtaFormat, `type,rcpt,bounceCat,dsnStatus\nb,${rcpt},${category},5.0.0 (other)`);
    expect(record?.vendorReason).toBe(reason);
    expect(record?.vendorClass).toBe(klass);
  });

  it('gives no vendor verdict for "other" or an empty bounceCat', async () => {
    const records = await parseRecords(powermtaFormat, 'type,rcpt,bounceCat\nb,a@example.org,other\nb,b@example.org,');
    expect(records.map((r) => r.vendorReason ?? null)).toEqual([null, null]);
  });

  it('reads fields by the header, never by position', async () => {
    const reordered = [
      'type,bounceCat,dsnDiag,rcpt,timeLogged,dsnStatus,orig,dsnMta',
      'b,bad-mailbox,"smtp;550 5.1.1 no such user, sorry",zoe@Example.ORG,2026-11-02 10:00:24-0500,5.1.1 (bad destination mailbox address),news@example.com,mx.example.org (192.0.2.7)',
    ].join('\n');
    const [record] = await parseRecords(powermtaFormat, reordered);
    expect(record).toMatchObject({
      recipient: 'zoe@example.org',
      status: '5.1.1',
      smtpCode: '550',
      diagnostic: '550 5.1.1 no such user, sorry',
      remoteMta: 'mx.example.org',
      at: '2026-11-02T15:00:24.000Z',
      vendorReason: 'userunknown',
    });
  });

  it('reads complaints with the feedback header of a file that has several headers', async () => {
    const records = await parseRecords(powermtaFormat, fixture(ACCT));
    expect(records.find((r) => r.recipient === 'jade.r@example.org')).toMatchObject({
      action: null,
      feedbackType: 'abuse',
      vendorReason: 'feedback',
      vendorClass: 'complaint',
      at: '2026-11-02T13:12:00.000Z',
      messageKey: 'nov-newsletter/env-0011',
    });
  });

  it('lets dsnAction of a remote status record (rs) say what happened', async () => {
    const [record] = await parseRecords(powermtaFormat, 'type,rcpt,dsnAction,dsnStatus\nrs,a@example.org,delayed,4.2.2 (mailbox full)');
    expect(record).toMatchObject({ action: 'delayed', status: '4.2.2' });
  });

  it('prefers a Message-Id column for the message key', async () => {
    const [record] = await parseRecords(
      powermtaFormat,
      'type,rcpt,jobId,envId,header_Message-Id\nd,a@example.org,job1,env1,<m-1@example.com>',
    );
    expect(record?.messageKey).toBe('<m-1@example.com>');
  });

  it('joins a quoted field that spans lines and reports the record at its first line', async () => {
    const records = await parseRecords(powermtaFormat, fixture(ACCT));
    expect(records.find((r) => r.recipient === 'lena@example.org')).toMatchObject({
      source: 'input:22',
      diagnostic: '554 5.3.0 multi-line\n diagnostic, continued here',
    });
  });

  it('skips header rows and record types that are not delivery results', async () => {
    const items = await parseText(powermtaFormat, fixture(ACCT));
    expect(items.flatMap((item) => (item.kind === 'skipped' ? [item.line] : []))).toEqual([1, 2, 11]);
  });

  it('counts a record without rcpt, a record before any header and an unclosed quote as malformed', async () => {
    const items = await parseText(powermtaFormat, fixture(ACCT));
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([
      { kind: 'malformed', line: 12, message: 'PowerMTA "b" record without rcpt' },
      { kind: 'malformed', line: 24, message: 'unclosed quote at the end of the input' },
    ]);
    const headless = await parseText(powermtaFormat, 'b,2026-11-02 10:00:24+0100,a@example.org');
    expect(headless).toEqual([{ kind: 'malformed', line: 1, message: 'PowerMTA record before any header row' }]);
  });

  it('parses a 1 MB line without blowing up', async () => {
    const hostile = `type,rcpt,dsnDiag,dsnStatus\nb,a@example.org,"smtp;550 ${'x,'.repeat(600_000)}",${'5.'.repeat(1000)}`;
    expect(hostile.length).toBeGreaterThan(1_000_000);
    const [record] = await parseRecords(powermtaFormat, hostile);
    expect(record?.recipient).toBe('a@example.org');
    expect(record?.status).toBeNull();
    expect(record?.diagnostic?.length).toBeLessThanOrEqual(8192);
    const unclosed = await parseText(powermtaFormat, `type,rcpt\nb,"${'y'.repeat(1_100_000)}`);
    expect(unclosed[1]?.kind).toBe('malformed');
  });
});
