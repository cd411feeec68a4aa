import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sendmailFormat } from '../../../src/bounces/formats/sendmail.js';
import { parseRecords, parseText, skippedLines } from '../../helpers.js';

const fixtureDir = path.join(__dirname, '../../../fixtures/bounces');
const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8');
const OTHER_FIXTURES = ['postfix/mail.log', 'exim/mainlog', 'powermta/acct-2026-11-02.csv', 'haraka/haraka.log'];

describe('sendmail detection', () => {
  it('is sure about a Sendmail mail log', () => {
    expect(sendmailFormat.detect(fixture('sendmail/maillog'), 'maillog')).toBeGreaterThanOrEqual(0.9);
  });

  it.each(OTHER_FIXTURES)('does not claim %s', (name) => {
    expect(sendmailFormat.detect(fixture(name), name)).toBe(0);
  });

  it("does not take Postfix's sendmail command for Sendmail", () => {
    const sample = 'Nov  2 10:00:01 mx1 postfix/sendmail[4101]: fatal: usage: sendmail [options]';
    expect(sendmailFormat.detect(sample, 'mail.log')).toBe(0);
  });
});

describe('sendmail lines', () => {
  it('reads a deferral with its reply code', async () => {
    const [record] = await parseRecords(
      sendmailFormat,
      'Apr  2 00:15:25 mta001 sendmail[12566]: u31FFPtp032300: to=<kay@example.com>, delay=00:00:15, xdelay=00:00:15, mailer=esmtp, pri=34527, relay=[192.0.2.34] [192.0.2.34], dsn=4.3.5, stat=Deferred: 451 4.3.5 Server configuration problem',
      { file: 'maillog', year: 2026 },
    );
    expect(record).toEqual({
      recipient: 'kay@example.com',
      action: 'delayed',
      status: '4.3.5',
      smtpCode: '451',
      diagnostic: 'Deferred: 451 4.3.5 Server configuration problem',
      remoteMta: '192.0.2.34',
      at: '2026-04-02T00:15:25.000Z',
      queueId: 'u31FFPtp032300',
      messageKey: 'u31FFPtp032300',
      source: 'maillog:1',
    });
  });

  it('reads a permanent failure without a reply code', async () => {
    const [record] = await parseRecords(
      sendmailFormat,
      'Apr  2 00:16:02 mta001 sendmail[12570]: u31FFPtp032301: to=<lee@example.com>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=30000, relay=mx.example.com. [192.0.2.40], dsn=5.1.1, stat=User unknown',
    );
    expect(record).toMatchObject({
      action: 'failed',
      status: '5.1.1',
      smtpCode: null,
      diagnostic: 'User unknown',
      remoteMta: 'mx.example.com',
    });
  });

  it('yields one record per recipient of a to= list, with the same queue ID', async () => {
    const records = await parseRecords(sendmailFormat, fixture('sendmail/maillog'), { year: 2026 });
    const line7 = records.filter((r) => r.source === 'input:7');
    expect(line7.map((r) => [r.recipient, r.action, r.queueId])).toEqual([
      ['max@example.net', 'delivered', 'u31FFPtp032301'],
      ['nell@example.net', 'delivered', 'u31FFPtp032301'],
    ]);
  });

  it('reads stat=Sent as a delivery, also from sm-mta with a ctladdr field', async () => {
    const records = await parseRecords(sendmailFormat, fixture('sendmail/maillog'), { year: 2026 });
    expect(records.find((r) => r.recipient === 'ops@example.com')).toMatchObject({
      action: 'delivered',
      status: '2.0.0',
      remoteMta: 'mail.example.com',
      diagnostic: 'Sent (Ok: queued as 1D2E)',
    });
  });

  it('reads every result of the fixture with the right action', async () => {
    const records = await parseRecords(sendmailFormat, fixture('sendmail/maillog'), { year: 2026 });
    expect(records.map((r) => `${r.recipient} ${r.action}`)).toEqual([
      'kay@example.com delayed',
      'ali.demir@example.org delivered',
      'lee@example.com failed',
      'max@example.net delivered',
      'nell@example.net delivered',
      'billing@example.com delivered',
      'omar@example.invalid failed',
      'pia@example.org failed',
      'quinn.harper.1990@outlook.com failed',
      'rex@example.net delayed',
      'ops@example.com delivered',
      'kay@example.com delayed',
    ]);
  });

  it('skips from=, ruleset= rejections, lost input channel, DSN notices, other daemons and stat=queued', async () => {
    const items = await parseText(sendmailFormat, fixture('sendmail/maillog'), { year: 2026 });
    const skipped = skippedLines(items);
    expect(skipped).toEqual([1, 2, 5, 8, 10, 11, 12, 13, 14, 20, 22, 24]);
  });

  it('counts a delivery line without stat= as malformed', async () => {
    const items = await parseText(sendmailFormat, fixture('sendmail/maillog'), { year: 2026 });
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([
      { kind: 'malformed', line: 19, message: 'delivery line without stat=' },
    ]);
  });

  it('handles the syslog year like Postfix, including New Year', async () => {
    const sent = (stamp: string) =>
      `${stamp} mta001 sendmail[1]: u31FFPtp032300: to=<a@example.org>, delay=00:00:01, mailer=esmtp, pri=1, relay=mx.example.org. [192.0.2.7], dsn=2.0.0, stat=Sent (ok)`;
    const records = await parseRecords(sendmailFormat, [sent('Dec 31 23:59:59'), sent('Jan  1 00:00:01')].join('\n'), {
      mtime: new Date('2027-01-01T06:00:00Z'),
    });
    expect(records.map((r) => r.at)).toEqual(['2026-12-31T23:59:59.000Z', '2027-01-01T00:00:01.000Z']);
  });

  it('reads bare addresses and a Solaris [ID] marker', async () => {
    const [record] = await parseRecords(
      sendmailFormat,
      'Mar  3 08:00:01 mail sendmail[301]: [ID 801593 mail.info] k23G01aa000301: to=Old.Style@Example.COM, delay=00:00:01, mailer=esmtp, pri=1, relay=mx.example.com. [192.0.2.80], stat=Sent (ok)',
      { year: 2006 },
    );
    expect(record).toMatchObject({ recipient: 'Old.Style@example.com', action: 'delivered', status: null });
  });

  it('parses a 1 MB line without blowing up', async () => {
    const hostile = `Apr  2 00:16:02 mta001 sendmail[1]: u31FFPtp032301: to=${'<a@example.org>,'.repeat(70_000)}, dsn=5.1.1, stat=${'Deferred: '.repeat(1000)}`;
    expect(hostile.length).toBeGreaterThan(1_000_000);
    const items = await parseText(sendmailFormat, hostile);
    const records = items.flatMap((item) => (item.kind === 'record' ? [item.record] : []));
    expect(records.length).toBeLessThanOrEqual(1000);
    expect(records[0]?.diagnostic?.length).toBeLessThanOrEqual(8192);
  });
});
