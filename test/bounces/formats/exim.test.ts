import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { eximFormat } from '../../../src/bounces/formats/exim.js';
import { parseRecords, parseText, skippedLines } from '../../helpers.js';

const fixtureDir = path.join(__dirname, '../../../fixtures/bounces');
const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8');
const OTHER_FIXTURES = ['postfix/mail.log', 'sendmail/maillog', 'powermta/acct-2026-11-02.csv', 'haraka/haraka.log'];

describe('exim detection', () => {
  it('is sure about an Exim main log', () => {
    expect(eximFormat.detect(fixture('exim/mainlog'), 'mainlog')).toBeGreaterThanOrEqual(0.9);
  });

  it.each(OTHER_FIXTURES)('does not claim %s', (name) => {
    expect(eximFormat.detect(fixture(name), name)).toBe(0);
  });

  it("reads a quiet day's log, Exim's own events and no delivery, as Exim's with nothing about delivery", async () => {
    const quiet = [
      '2026-11-02 03:00:01 exim 4.96 daemon started: pid=812, -q30m, listening for SMTP on port 25 (IPv4)',
      '2026-11-02 03:30:01 Start queue run: pid=1203',
      '2026-11-02 03:30:01 End queue run: pid=1203',
      '2026-11-02 09:12:44 [2249] H=(pc-22) [192.0.2.95]:52391 I=[198.51.100.4]:25 F=<x@example.net> rejected RCPT <info@example.org>: relay not permitted',
      '2026-11-02 09:13:02 login authenticator failed for (pc-22) [192.0.2.95]: 535 Incorrect authentication data',
      '2026-11-02 09:20:00 10HmbC-000000005vi-0000 H=mx.example.net [192.0.2.7] F=<spam@example.net> rejected after DATA: spam score too high',
      '2026-11-02 09:21:10 SMTP connection from [192.0.2.8]:40122 lost',
    ].join('\n');
    expect(eximFormat.detect(quiet, 'mainlog')).toBeGreaterThan(0.5);
    expect(eximFormat.detect(quiet, 'mainlog')).toBeLessThan(0.9);
    const items = await parseText(eximFormat, quiet);
    expect(items.filter((item) => item.kind === 'record')).toEqual([]);
    expect(skippedLines(items)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // A dated application log that happens to hold one `H=` is not Exim's.
    expect(eximFormat.detect('2026-11-02 10:00:00 worker started\n2026-11-02 10:00:01 H=12 W=80 resized', 'app.log')).toBe(0);
  });

  it('recognises log_selector variants: pid and time zone', () => {
    const sample = '2026-11-02 10:00:05 +0100 [4711] 10HmbC-000000005vi-0000 => a@example.org R=dnslookup T=remote_smtp';
    expect(eximFormat.detect(sample, 'mainlog')).toBeGreaterThanOrEqual(0.9);
  });
});

describe('exim lines', () => {
  it('reads a permanent failure with the remote reply after "host h [ip]:"', async () => {
    const [record] = await parseRecords(
      eximFormat,
      "2020-02-22 07:09:24 1j5NyY-0004Xp-NZ ** ron@example.com R=dnslookup T=remote_smtp: SMTP error from remote mail server after end of data: host mta5.example.com [192.0.2.72]: 554 delivery error: dd This user doesn't have a example.com account (ron@example.com) [-9] - mta4420",
      { file: 'mainlog' },
    );
    expect(record).toEqual({
      recipient: 'ron@example.com',
      action: 'failed',
      status: null,
      smtpCode: '554',
      diagnostic:
        "SMTP error from remote mail server after end of data: host mta5.example.com [192.0.2.72]: 554 delivery error: dd This user doesn't have a example.com account (ron@example.com) [-9] - mta4420",
      remoteMta: 'mta5.example.com',
      command: 'DATA',
      at: '2020-02-22T07:09:24.000Z',
      queueId: '1j5NyY-0004Xp-NZ',
      messageKey: '1j5NyY-0004Xp-NZ',
      source: 'mainlog:1',
    });
  });

  it('reads a deferral with H= and an enhanced status', async () => {
    const [record] = await parseRecords(
      eximFormat,
      '2016-12-18 20:17:01 1cImOh-0001OM-8j == di@example.net R=dnslookup T=remote_smtp defer (-44) H=mx.example.net [192.0.2.3]: SMTP error from remote mail server after RCPT TO:<di@example.net>: 452 4.2.2 Mailbox full',
    );
    expect(record).toMatchObject({
      recipient: 'di@example.net',
      action: 'delayed',
      status: '4.2.2',
      smtpCode: '452',
      remoteMta: 'mx.example.net',
      command: 'RCPT',
      diagnostic: 'SMTP error from remote mail server after RCPT TO:<di@example.net>: 452 4.2.2 Mailbox full',
    });
  });

  it('reads a local deferral without a remote reply', async () => {
    const [record] = await parseRecords(
      eximFormat,
      '2016-12-18 20:16:55 1cImOh-0001OM-8j == nan@example.net R=dnslookup T=remote_smtp defer (110): Connection timed out',
    );
    expect(record).toMatchObject({ action: 'delayed', smtpCode: null, status: null, diagnostic: 'Connection timed out' });
  });

  it('reads a flattened multi-line reply with the status of its lines', async () => {
    const records = await parseRecords(eximFormat, fixture('exim/mainlog'));
    const gmail = records.find((r) => r.recipient === 'vic.moreau.77@gmail.com');
    expect(gmail).toMatchObject({ action: 'failed', smtpCode: '550', status: '5.1.1', remoteMta: 'gmail-smtp-in.l.google.com' });
    expect(gmail?.diagnostic).toContain('550-5.1.1 The email account that you tried to reach does not exist');
    expect(gmail?.diagnostic).toContain('550 5.1.1  https://support.google.com/mail/?p=NoSuchUser');
  });

  it('reads deliveries (=> and ->) with the confirmation as diagnostic', async () => {
    const records = await parseRecords(eximFormat, fixture('exim/mainlog'));
    const delivered = records.filter((r) => r.action === 'delivered').map((r) => [r.recipient, r.smtpCode, r.status, r.remoteMta]);
    expect(delivered).toEqual([
      ['sue.ito@example.net', '250', '2.0.0', 'mx.example.net'],
      ['tad.ito@example.net', '250', '2.0.0', 'mx.example.net'],
      ['ann@example.com', null, null, null],
      ['sales@example.com', '250', null, 'mx.example.org'],
      ['hedy@example.com', '250', '2.0.0', 'mail.example.com'],
    ]);
  });

  it('takes the original address in <...> as the recipient (aliases, forwards, local files)', async () => {
    const records = await parseRecords(eximFormat, fixture('exim/mainlog'));
    expect(records.find((r) => r.source === 'input:16')?.recipient).toBe('ann@example.com');
    expect(records.find((r) => r.source === 'input:18')).toMatchObject({
      recipient: 'info@example.com',
      action: 'failed',
      status: '5.7.1',
    });
  });

  it('reads the failure forms of the main log: retry timeout, the <original> form, a quoted local part', async () => {
    const records = await parseRecords(
      eximFormat,
      [
        '2026-11-04 10:00:06 1j5NyY-0004Xp-NZ ** a@b.example: retry timeout exceeded',
        '2026-11-04 10:00:07 1j5NyY-0004Xp-NZ ** a@b.example <original@c.example>: Unrouteable address',
        '2026-11-04 10:00:08 1j5NyY-0004Xp-NZ ** a@b.example <original@c.example> : Unrouteable address',
        '2026-11-04 10:00:09 1j5NyY-0004Xp-NZ ** |/usr/bin/procmail <ann@c.example> R=userforward T=address_pipe: Child process of address_pipe transport returned 75',
        '2026-11-04 10:00:10 1j5NyY-0004Xp-NZ ** "ann smith"@b.example: Unrouteable address',
      ].join('\n'),
    );
    expect(records.map((r) => [r.recipient, r.finalRecipient ?? null, r.action, r.status, r.diagnostic])).toEqual([
      ['a@b.example', null, 'failed', '4.4.7', 'retry timeout exceeded'],
      // The address in brackets is the one the message was sent to (the list's); the first is where routing led.
      ['original@c.example', 'a@b.example', 'failed', null, 'Unrouteable address'],
      ['original@c.example', 'a@b.example', 'failed', null, 'Unrouteable address'],
      ['ann@c.example', null, 'failed', null, 'Child process of address_pipe transport returned 75'],
      ['"ann smith"@b.example', null, 'failed', null, 'Unrouteable address'],
    ]);
  });

  it('reads "retry timeout exceeded" as an expiry', async () => {
    const [record] = await parseRecords(
      eximFormat,
      '2026-11-04 10:00:06 1j5NyY-0004Xp-NZ ** nan@example.org R=dnslookup T=remote_smtp: retry timeout exceeded',
    );
    expect(record).toMatchObject({ action: 'failed', status: '4.4.7', smtpCode: null, diagnostic: 'retry timeout exceeded' });
  });

  it('reads an address ended by a colon (no router)', async () => {
    const [record] = await parseRecords(eximFormat, '2026-11-02 10:00:09 1j5NyY-0004Xp-NZ ** wes@Example.INVALID: Unrouteable address');
    expect(record).toMatchObject({ recipient: 'wes@example.invalid', action: 'failed', diagnostic: 'Unrouteable address' });
  });

  it('reads old and new message ids', async () => {
    const records = await parseRecords(
      eximFormat,
      [
        '2016-12-18 20:16:55 1cImN5-0001OE-3r => a@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.4]',
        '2026-11-02 10:03:02 10HmbC-000000005vi-0000 => b@example.org R=dnslookup T=remote_smtp H=mx.example.org [192.0.2.4]',
      ].join('\n'),
    );
    expect(records.map((r) => r.messageKey)).toEqual(['1cImN5-0001OE-3r', '10HmbC-000000005vi-0000']);
  });

  it('applies the time zone offset when the line has one, else takes UTC', async () => {
    const records = await parseRecords(
      eximFormat,
      [
        '2026-11-02 12:30:01 +0100 10HmbD-000000005vj-0001 => a@example.com R=dnslookup T=remote_smtp',
        '2026-11-02 12:30:01 -0500 [4711] 10HmbD-000000005vj-0001 => b@example.com R=dnslookup T=remote_smtp',
        '2026-11-02 12:30:01.250 10HmbD-000000005vj-0001 => c@example.com R=dnslookup T=remote_smtp',
      ].join('\n'),
    );
    expect(records.map((r) => r.at)).toEqual(['2026-11-02T11:30:01.000Z', '2026-11-02T17:30:01.000Z', '2026-11-02T12:30:01.250Z']);
  });

  it('skips arrivals, fake deliveries, Completed and lines without a message id', async () => {
    const items = await parseText(eximFormat, fixture('exim/mainlog'));
    const skipped = new Set(skippedLines(items));
    // daemon start, queue run, <=, flagless error line, SMTP connection, rejection, *>, Completed
    for (const lineNumber of [1, 2, 3, 10, 12, 13, 15, 19, 20, 21, 30]) expect(skipped.has(lineNumber)).toBe(true);
    expect(items.filter((item) => item.kind === 'record')).toHaveLength(14);
  });

  it('counts a result line without an address as malformed', async () => {
    const items = await parseText(eximFormat, fixture('exim/mainlog'));
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([
      { kind: 'malformed', line: 23, message: 'Exim delivery line without a readable address' },
    ]);
  });

  it('parses a 1 MB line without blowing up', async () => {
    const hostile = `2026-11-02 10:00:04 1j5NyY-0004Xp-NZ ** a@example.org R=r T=t: SMTP error from remote mail server after ${': host '.repeat(200_000)}`;
    expect(hostile.length).toBeGreaterThan(1_000_000);
    const [record] = await parseRecords(eximFormat, hostile);
    expect(record?.recipient).toBe('a@example.org');
    expect(record?.diagnostic?.length).toBeLessThanOrEqual(8192);
  });
});
