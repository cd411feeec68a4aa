import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../src/bounces/formats/index.js';
import { qmailFormat } from '../../../src/bounces/formats/qmail.js';
import { classifyParsed } from '../../../src/pipeline/read-bounces.js';
import { parseRecords, parseText } from '../../helpers.js';

const fixture = (name: string): string => readFileSync(new URL(`../../../fixtures/bounces/qmail/${name}`, import.meta.url), 'utf8');

describe('qmail detection', () => {
  it("recognises multilog's and splogger's qmail-send lines, and no other MTA's log", () => {
    expect(detectFormat(fixture('current'), 'current').format?.name).toBe('qmail');
    expect(detectFormat(fixture('maillog'), 'maillog').format?.name).toBe('qmail');
    for (const other of ['postfix/mail.log', 'exim/mainlog', 'sendmail/maillog']) {
      const text = readFileSync(new URL(`../../../fixtures/bounces/${other}`, import.meta.url), 'utf8');
      expect(qmailFormat.detect(text, other)).toBe(0);
    }
  });
});

describe('qmail-send log', () => {
  it('joins each delivery result to its "starting delivery" line, with the time of its TAI64N stamp', async () => {
    const records = await parseRecords(qmailFormat, fixture('current'), { file: 'current' });
    expect(records.map((record) => [record.recipient, record.action])).toEqual([
      ['ann@example.org', 'delivered'],
      ['bob@example.net', 'failed'],
      ['cy@example.com', 'delayed'],
      ['dee@nowhere.invalid', 'failed'],
      ['gus@example.com', 'delayed'],
      ['eve@example.org', 'failed'],
    ]);
    expect(records[1]).toMatchObject({
      smtpCode: '550',
      status: '5.1.1',
      remoteMta: '198.51.100.7',
      at: '2026-11-24T10:00:02.123Z',
      queueId: '1844237',
      diagnostic:
        '198.51.100.7 does not like recipient. Remote host said: 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table Giving up on 198.51.100.7.',
    });
    expect(records[3]).toMatchObject({ status: '5.1.2', smtpCode: null });
  });

  it("reads splogger's Unix time, and skips other programs' lines", async () => {
    const records = await parseRecords(qmailFormat, fixture('maillog'), { file: 'maillog' });
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ recipient: 'fay@example.org', at: '2026-11-24T10:00:02.500Z', remoteMta: '192.0.2.40' });
  });

  it('gives the same class as any other log for the same reply', async () => {
    const [record] = await parseRecords(qmailFormat, fixture('current'), { file: 'current' }).then((all) => all.slice(1, 2));
    expect(classifyParsed(record!, 'qmail')).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('skips local deliveries (mail arriving for this host), and names a result without its start', async () => {
    const text =
      '@40000000692426a0075bcd15 starting delivery 3: msg 77 to local postmaster@shop.example\n' +
      '@40000000692426a0075bcd15 delivery 3: failure: Sorry,_no_mailbox_here_by_that_name._(#5.1.1)/\n' +
      '@40000000692426a0075bcd15 delivery 9: failure: Sorry,_no_mailbox_here_by_that_name._(#5.1.1)/\n';
    const items = await parseText(qmailFormat, text);
    expect(items.filter((item) => item.kind === 'record')).toEqual([]);
    expect(items.find((item) => item.kind === 'malformed')).toMatchObject({ line: 3, message: expect.stringContaining('delivery 9') });
  });
});
