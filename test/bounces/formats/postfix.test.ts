import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { postfixFormat } from '../../../src/bounces/formats/postfix.js';
import { parseRecords, parseText, skippedLines } from '../../helpers.js';

const fixtureDir = path.join(__dirname, '../../../fixtures/bounces');
const fixture = (name: string): string => readFileSync(path.join(fixtureDir, name), 'utf8');
const OTHER_FIXTURES = ['exim/mainlog', 'sendmail/maillog', 'powermta/acct-2026-11-02.csv', 'haraka/haraka.log'];

const line = (rest: string, stamp = 'Nov  2 10:00:24'): string => `${stamp} mx1 ${rest}`;

describe('postfix detection', () => {
  it('is sure about a Postfix mail log', () => {
    expect(postfixFormat.detect(fixture('postfix/mail.log'), 'mail.log')).toBeGreaterThanOrEqual(0.9);
  });

  it.each(OTHER_FIXTURES)('does not claim %s', (name) => {
    expect(postfixFormat.detect(fixture(name), name)).toBe(0);
  });

  it('recognises a rotated log cut mid-line and mixed with other daemons', () => {
    const sample = [
      'ay=1.2, delays=0.1/0/0.5/0.6, dsn=2.0.0, status=sent (250 ok)',
      'Nov  2 10:00:01 mx1 dovecot: imap-login: Login: user=<ops>, method=PLAIN',
      'Nov  2 10:00:02 mx1 postfix/smtp[11]: 4E74613FE76: to=<a@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 ok)',
    ].join('\n');
    expect(postfixFormat.detect(sample, 'mail.log.1')).toBeGreaterThanOrEqual(0.9);
  });

  it('is only fairly sure when the sample has Postfix lines but no delivery yet', () => {
    const sample = 'Nov  2 10:00:01 mx1 postfix/smtpd[4101]: connect from app1.example.com[192.0.2.10]';
    const score = postfixFormat.detect(sample, 'mail.log');
    expect(score).toBeGreaterThan(0.5);
    expect(score).toBeLessThan(0.9);
  });
});

describe('postfix delivery lines', () => {
  it('keeps a generic dsn as status and the whole reply, with the real code, as diagnostic', async () => {
    const [record] = await parseRecords(
      postfixFormat,
      line(
        'postfix/smtp[676]: 3893C1102DD6: to=<ann@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=8942, delays=0.04/8938/3/0.33, dsn=5.0.0, status=bounced (host mx.example.org[192.0.2.7] said: 550 Invalid recipient <ann@example.org> (#5.1.1) (in reply to RCPT TO command))',
      ),
      { file: 'mail.log', year: 2026 },
    );
    expect(record).toEqual({
      recipient: 'ann@example.org',
      action: 'failed',
      status: '5.0.0',
      smtpCode: '550',
      diagnostic: 'host mx.example.org[192.0.2.7] said: 550 Invalid recipient <ann@example.org> (#5.1.1) (in reply to RCPT TO command)',
      remoteMta: 'mx.example.org',
      command: 'RCPT',
      at: '2026-11-02T10:00:24.000Z',
      queueId: '3893C1102DD6',
      messageKey: '3893C1102DD6',
      source: 'mail.log:1',
    });
  });

  it('keeps a flattened multi-line reply whole', async () => {
    const [record] = await parseRecords(
      postfixFormat,
      line(
        'postfix/smtp[221]: 4E74613FE76: to=<cy.pell.1984@gmail.com>, relay=gmail-smtp-in.l.google.com[198.51.100.27]:25, delay=1.2, delays=0.1/0/0.5/0.6, dsn=5.7.1, status=bounced (host gmail-smtp-in.l.google.com[198.51.100.27] said: 550-5.7.1 [203.0.113.5 12] Our system has detected that this 550-5.7.1 message is likely unsolicited mail. To reduce the amount of spam sent 550 5.7.1 to Gmail, this message has been blocked. - gsmtp (in reply to end of DATA command))',
      ),
      { year: 2026 },
    );
    expect(record?.diagnostic).toBe(
      'host gmail-smtp-in.l.google.com[198.51.100.27] said: 550-5.7.1 [203.0.113.5 12] Our system has detected that this 550-5.7.1 message is likely unsolicited mail. To reduce the amount of spam sent 550 5.7.1 to Gmail, this message has been blocked. - gsmtp (in reply to end of DATA command)',
    );
    expect(record?.smtpCode).toBe('550');
    expect(record?.status).toBe('5.7.1');
    expect(record?.command).toBe('DATA');
  });

  it.each([
    ['connect to mx.example.net[192.0.2.9]:25: Connection timed out', 'relay=none', null],
    ['Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found', 'relay=none', null],
    ['delivery temporarily suspended: connect to mx.example.net[192.0.2.9]:25: Connection refused', 'relay=none', null],
    [
      'lost connection with mx.example.net[192.0.2.9] while receiving the initial server greeting',
      'relay=mx.example.net[192.0.2.9]:25',
      'mx.example.net',
    ],
  ])('reads a local error without a remote reply: %s', async (text, relay, remoteMta) => {
    const [record] = await parseRecords(
      postfixFormat,
      line(
        `postfix/smtp[4133]: ABC85242CA: to=<bob@example.net>, ${relay}, delay=632, delays=601/0.02/30/0, dsn=4.4.1, status=deferred (${text})`,
      ),
      { year: 2026 },
    );
    expect(record).toMatchObject({ action: 'delayed', status: '4.4.1', smtpCode: null, diagnostic: text, remoteMta });
  });

  it('reads the reply of a server that refused the connection', async () => {
    const [record] = await parseRecords(
      postfixFormat,
      line(
        'postfix/smtp[4401]: 6A7B8C9D0E: to=<kim@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=0.7, delays=0.1/0/0.2/0.4, dsn=5.7.1, status=bounced (host mx.example.org[192.0.2.7] refused to talk to me: 554 5.7.1 Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org)',
      ),
    );
    expect(record).toMatchObject({ action: 'failed', smtpCode: '554', remoteMta: 'mx.example.org' });
  });

  it('reads status=sent as a delivery, also for local delivery', async () => {
    const records = await parseRecords(
      postfixFormat,
      [
        line(
          'postfix/smtp[222]: 5F1A2B3C4D: to=<dee@Example.ORG>, relay=mx.example.org[192.0.2.7]:25, delay=0.8, delays=0.1/0/0.3/0.4, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9B2C)',
        ),
        line(
          'postfix/local[4301]: 5F1A2B3C4D: to=<gina@example.com>, relay=local, delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (delivered to mailbox)',
        ),
      ].join('\n'),
    );
    expect(records.map((r) => [r.recipient, r.action, r.smtpCode, r.remoteMta])).toEqual([
      ['dee@example.org', 'delivered', null, 'mx.example.org'],
      ['gina@example.com', 'delivered', null, null],
    ]);
  });

  it('reads bounces from local, virtual, lmtp, pipe and error services', async () => {
    const records = await parseRecords(postfixFormat, fixture('postfix/mail.log'), { year: 2026 });
    const failedByLine = new Map(records.filter((r) => r.action === 'failed').map((r) => [r.source, r.recipient]));
    expect(failedByLine.get('input:23')).toBe('sales@example.com'); // lmtp, orig_to= of frank@
    expect(failedByLine.get('input:25')).toBe('hal@example.com'); // virtual
    expect(failedByLine.get('input:26')).toBe('ivy@example.com'); // pipe
    const errorService = records.find((r) => r.source === 'input:18');
    expect(errorService).toMatchObject({ recipient: 'erin@example.invalid', action: 'delayed', status: '4.4.3' });
  });

  it('reads address verification results (status=undeliverable)', async () => {
    const [record] = await parseRecords(
      postfixFormat,
      line(
        'postfix/verify[4500]: 8E9F0A1B2C: to=<nadia@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=undeliverable (host mx.example.org[192.0.2.7] said: 550 5.1.1 <nadia@example.org>: User unknown (in reply to RCPT TO command))',
      ),
    );
    expect(record).toMatchObject({ recipient: 'nadia@example.org', action: 'failed', status: '5.1.1', smtpCode: '550' });
  });

  it('reads old logs: no dsn=, bare addresses, Solaris [ID] prefix', async () => {
    const records = await parseRecords(
      postfixFormat,
      [
        'Mar  3 08:00:01 mail postfix/smtp[301]: [ID 197553 mail.info] 1B2C3D4E5F: to=<sol@example.com>, relay=mx.example.com[192.0.2.80]:25, delay=1, status=bounced (host mx.example.com[192.0.2.80] said: 550 No such user (in reply to RCPT TO command))',
        'Mar  3 08:00:02 mail postfix/smtp[302]: 2C3D4E5F6A: to=old.style@Example.COM, relay=mx.example.com[192.0.2.80]:25, delay=1, status=sent (250 Ok)',
      ].join('\n'),
      { year: 2009 },
    );
    expect(records.map((r) => [r.recipient, r.action, r.status, r.smtpCode, r.queueId, r.at])).toEqual([
      ['sol@example.com', 'failed', null, '550', '1B2C3D4E5F', '2009-03-03T08:00:01.000Z'],
      ['old.style@example.com', 'delivered', null, null, '2C3D4E5F6A', '2009-03-03T08:00:02.000Z'],
    ]);
  });

  it('takes orig_to= (the address before aliasing, the one on the list) as the recipient and keeps to= as finalRecipient', async () => {
    const [record] = await parseRecords(
      postfixFormat,
      line(
        "postfix/lmtp[4300]: 5F1A2B3C4D: to=<frank@example.com>, orig_to=<sales@example.com>, relay=mail.example.com[private/dovecot-lmtp], delay=0.9, delays=0.1/0/0.1/0.7, dsn=5.1.1, status=bounced (host mail.example.com[private/dovecot-lmtp] said: 550 5.1.1 <frank@example.com> User doesn't exist (in reply to RCPT TO command))",
      ),
    );
    expect(record).toMatchObject({ recipient: 'sales@example.com', finalRecipient: 'frank@example.com', remoteMta: 'mail.example.com' });
  });

  it('reads short queue IDs', async () => {
    const [record] = await parseRecords(
      postfixFormat,
      line(
        'postfix/smtp[91]: 4B2A1: to=<zed@example.net>, relay=mx.example.net[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.9] said: 550 5.1.1 no such user (in reply to RCPT TO command))',
      ),
    );
    expect(record).toMatchObject({ recipient: 'zed@example.net', queueId: '4B2A1', action: 'failed' });
    expect(
      postfixFormat.detect(line('postfix/smtp[91]: 4B2A: to=<zed@example.net>, relay=none, delay=1, status=deferred (timeout)'), 'maillog'),
    ).toBeGreaterThan(0.5);
  });

  it('lists a line with a delivery result it cannot read as unparsed, never as skipped', async () => {
    const items = await parseText(
      postfixFormat,
      [
        line('postfix/smtp[91]: 4B2A-1: to=<zed@example.net>, relay=none, delay=1, status=bounced (x)'),
        line('postfix/smtp[91]: 4B2A1: warning: to=<zed@example.net>, relay=none, delay=1, status=deferred (x)'),
        line('postfix/smtp[91]: NOQUEUE: to=<zed@example.net>, relay=none, status=sent (x)'),
        line('postfix/qmgr[92]: 4B2A1: from=<news@example.com>, status=expired, returned to sender'),
        line('postfix/smtpd[93]: connect from out.example.com[192.0.2.1]'),
      ].join('\n'),
    );
    expect(items.map((item) => item.kind)).toEqual(['malformed', 'malformed', 'malformed', 'skipped']);
    expect(skippedLines(items)).toEqual([4, 5]);
  });

  it('reads multi-instance and long queue IDs', async () => {
    const [record] = await parseRecords(
      postfixFormat,
      line(
        'postfix-out/smtp[91]: 4Lb4Ln0Xrxz1y: to=<zed@example.net>, relay=mx.example.net[192.0.2.9]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)',
      ),
    );
    expect(record).toMatchObject({ recipient: 'zed@example.net', queueId: '4Lb4Ln0Xrxz1y', messageKey: '4Lb4Ln0Xrxz1y' });
  });

  it('skips lines that are not delivery results', async () => {
    const items = await parseText(postfixFormat, fixture('postfix/mail.log'), { year: 2026 });
    const skipped = new Set(skippedLines(items));
    // connect, client=, cleanup message-id=, opendkim, qmgr from= (queue active), NOQUEUE reject, CRON
    for (const lineNumber of [1, 2, 3, 4, 5, 20, 21, 34]) expect(skipped.has(lineNumber)).toBe(true);
  });

  it('counts a delivery line it cannot read as malformed and goes on', async () => {
    const items = await parseText(postfixFormat, fixture('postfix/mail.log'), { year: 2026 });
    expect(items.filter((item) => item.kind === 'malformed')).toEqual([
      { kind: 'malformed', line: 32, message: 'delivery line without status=' },
    ]);
    // 40 lines: 18 with results (the expired line yields two records), 1 malformed, 21 skipped.
    expect(items.filter((item) => item.kind === 'record')).toHaveLength(19);
    expect(skippedLines(items)).toHaveLength(21);
    // Every line is accounted for once: records (the expired line's two share it), unparsed, skipped.
    const recordLines = new Set(items.flatMap((item) => (item.kind === 'record' ? [Number(item.record.source.split(':').pop())] : [])));
    expect(recordLines.size + 1 + skippedLines(items).length).toBe(40);
  });

  it('reports an unknown status word as malformed', async () => {
    const items = await parseText(
      postfixFormat,
      line('postfix/smtp[1]: ABCDEF1234: to=<a@example.org>, relay=none, delay=1, status=weird (what)'),
    );
    expect(items[0]).toMatchObject({ kind: 'malformed', line: 1 });
  });
});

describe('postfix expired messages', () => {
  it('joins status=expired to the recipients still deferred under that queue ID', async () => {
    const records = await parseRecords(postfixFormat, fixture('postfix/mail.log'), { file: 'mail.log', year: 2026 });
    const expired = records.filter((r) => r.source === 'mail.log:37');
    expect(expired).toEqual([
      {
        recipient: 'bob.sato@example.net',
        action: 'failed',
        status: '4.4.7',
        smtpCode: null,
        diagnostic: 'message expired in queue: host mx.example.net[192.0.2.9] said: 452 4.2.2 Mailbox full (in reply to RCPT TO command)',
        remoteMta: 'mx.example.net',
        at: '2026-11-07T10:01:50.000Z',
        queueId: 'ABC85242CA',
        messageKey: 'ABC85242CA',
        source: 'mail.log:37',
      },
      expect.objectContaining({
        recipient: 'erin@example.invalid',
        status: '4.4.7',
        diagnostic:
          'message expired in queue: Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found, try again',
      }),
    ]);
    // The sender named on the expired line is never taken for a recipient.
    expect(records.some((r) => r.recipient === 'billing@example.com')).toBe(false);
  });

  it('skips an expired line with nothing deferred to attribute it to', async () => {
    const items = await parseText(postfixFormat, fixture('postfix/mail.log'), { year: 2026 });
    expect(skippedLines(items)).toContain(40);
    expect(items.some((item) => item.kind === 'record' && item.record.source.endsWith(':40'))).toBe(false);
  });

  it('leaves out recipients that reached a final status, and forgets removed messages', async () => {
    const deferred = (to: string) =>
      line(
        `postfix/smtp[1]: AAAA11111: to=<${to}>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.7]:25: Connection timed out)`,
      );
    const records = await parseRecords(
      postfixFormat,
      [
        deferred('one@example.org'),
        deferred('two@example.org'),
        line(
          'postfix/smtp[1]: AAAA11111: to=<two@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=9, dsn=2.0.0, status=sent (250 ok)',
        ),
        line('postfix/qmgr[2]: AAAA11111: from=<news@example.com>, status=expired, returned to sender'),
        line(
          'postfix/smtp[1]: BBBB22222: to=<three@example.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (connect to mx.example.org[192.0.2.7]:25: Connection timed out)',
        ),
        line('postfix/qmgr[2]: BBBB22222: removed'),
        line('postfix/qmgr[2]: BBBB22222: from=<news@example.com>, status=expired, returned to sender'),
      ].join('\n'),
    );
    const expired = records.filter((r) => r.status === '4.4.7');
    expect(expired.map((r) => r.recipient)).toEqual(['one@example.org']);
  });

  it('keeps the join map bounded, forgetting the oldest queue IDs first', async () => {
    const lines = [
      line('postfix/smtp[1]: FIRST0000: to=<first@example.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (Connection timed out)'),
    ];
    for (let i = 0; i < 100_000; i++) {
      lines.push(
        line(
          `postfix/smtp[1]: Q${i.toString(16).padStart(8, '0')}: to=<r@example.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (x)`,
        ),
      );
    }
    lines.push(
      line('postfix/smtp[1]: LAST00000: to=<last@example.org>, relay=none, delay=1, dsn=4.4.1, status=deferred (Connection timed out)'),
    );
    lines.push(line('postfix/qmgr[2]: FIRST0000: from=<news@example.com>, status=expired, returned to sender'));
    lines.push(line('postfix/qmgr[2]: LAST00000: from=<news@example.com>, status=expired, returned to sender'));
    const records = await parseRecords(postfixFormat, lines.join('\n'));
    expect(records.filter((r) => r.status === '4.4.7').map((r) => r.recipient)).toEqual(['last@example.org']);
  });
});

describe('postfix time stamps', () => {
  const at = async (text: string, context: { year?: number; mtime?: Date } = {}) =>
    (await parseRecords(postfixFormat, text, context)).map((r) => r.at);
  const sent = (stamp: string, id = 'ABCDE12345') =>
    line(`postfix/smtp[1]: ${id}: to=<a@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, dsn=2.0.0, status=sent (250 ok)`, stamp);

  it('takes the year from --year', async () => {
    expect(await at(sent('Dec 11 10:00:24'), { year: 2021 })).toEqual(['2021-12-11T10:00:24.000Z']);
  });

  it("infers the year from the file's mtime: a line is never later than the file", async () => {
    const mtime = new Date('2027-01-05T08:00:00Z');
    expect(await at(sent('Jan  4 23:59:59'), { mtime })).toEqual(['2027-01-04T23:59:59.000Z']);
    expect(await at(sent('Dec 11 10:00:24'), { mtime })).toEqual(['2026-12-11T10:00:24.000Z']);
  });

  it('moves to the next year when the log crosses New Year', async () => {
    const text = [sent('Dec 31 23:59:58'), sent('Dec 31 23:59:59'), sent('Jan  1 00:00:01'), sent('Jan  2 09:00:00')].join('\n');
    const expected = ['2026-12-31T23:59:58.000Z', '2026-12-31T23:59:59.000Z', '2027-01-01T00:00:01.000Z', '2027-01-02T09:00:00.000Z'];
    expect(await at(text, { mtime: new Date('2027-01-03T00:00:00Z') })).toEqual(expected);
    expect(await at(text, { year: 2026 })).toEqual(expected);
  });

  it('uses the current year without --year or mtime', async () => {
    const year = new Date().getUTCFullYear();
    expect(await at(sent('Jan  1 00:00:00'))).toEqual([`${year}-01-01T00:00:00.000Z`]);
  });

  it('reads RFC 3339 stamps of newer rsyslog, with their offset', async () => {
    expect(await at(sent('2026-11-02T10:00:24.123456+01:00'))).toEqual(['2026-11-02T09:00:24.123Z']);
    expect(await at(sent('2026-11-02T10:00:24Z'))).toEqual(['2026-11-02T10:00:24.000Z']);
  });

  it('counts a Postfix delivery line without a readable time stamp as malformed', async () => {
    const items = await parseText(
      postfixFormat,
      'Nov 99 10:00:24 mx1 postfix/smtp[1]: ABCDE12345: to=<a@example.org>, relay=none, delay=1, status=sent (250 ok)',
    );
    expect(items[0]?.kind).toBe('malformed');
  });
});

describe('postfix hostile input', () => {
  it('parses a 1 MB line without blowing up, and bounds the diagnostic', async () => {
    const hostile = line(
      `postfix/smtp[1]: ABCDE12345: to=<a@example.org>, relay=mx.example.org[192.0.2.7]:25, delay=1, dsn=5.0.0, status=bounced (host x said: ${'550-( said: ('.repeat(80_000)})`,
    );
    expect(hostile.length).toBeGreaterThan(1_000_000);
    const junk = `Nov  2 10:00:24 mx1 postfix/smtp[1]: ${'to=<'.repeat(300_000)}`;
    const items = await parseText(postfixFormat, `${hostile}\n${junk}`);
    expect(items[0]?.kind).toBe('record');
    if (items[0]?.kind === 'record') {
      expect(items[0].record.smtpCode).toBe('550');
      expect(items[0].record.diagnostic?.length).toBeLessThanOrEqual(8192);
    }
    expect(items[1]?.kind).toBe('skipped');
  });
});
