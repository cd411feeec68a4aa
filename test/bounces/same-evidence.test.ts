/**
 * Same evidence, same answer: one remote reply, carried by every log format and every ESP
 * export hygiene reads, must get the same class and reason. Each format gets the reply the way
 * that format really carries it (a Postfix `said:` line, an Exim `**` line, a SendGrid event,
 * an SES notification, a DSN message...), with the vendor's most neutral verdict field where
 * the format has one, so only the reply can decide. Each input is also run through format
 * detection, so the templates stay realistic.
 *
 * Mailchimp's "cleaned" export is not here: it has no column for a reply (every row is already
 * a suppression, read as such in test/bounces/formats/mailchimp.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { classifyParsed } from '../../src/pipeline/read-bounces.js';
import { detectFormat, formatByName } from '../../src/bounces/formats/index.js';
import { numberLines } from '../number-lines.js';
import type { BounceClass, BounceReason, BounceRecord } from '../../src/bounces/types.js';

interface Reply {
  /** What the evidence is, for the test name. */
  name: string;
  code: string;
  /** The enhanced status code, or '' when the reply has none. */
  status: string;
  /** The words of the reply after the codes; `{R}` is the recipient. */
  words: string;
  expected: { class: BounceClass; reason: BounceReason };
  /** The reply answered DATA (the words say so; Exim says it in its own wording). */
  afterData?: boolean;
}

const REPLIES: readonly Reply[] = [
  {
    name: 'user unknown (x.1.1)',
    code: '550',
    status: '5.1.1',
    words: '<{R}>: Recipient address rejected: User unknown in local recipient table',
    expected: { class: 'hard', reason: 'userunknown' },
  },
  {
    name: 'user unknown, no enhanced code',
    code: '550',
    status: '',
    words: 'No such user here',
    expected: { class: 'hard', reason: 'userunknown' },
  },
  {
    name: 'mailbox unavailable, generic code',
    code: '550',
    status: '5.0.0',
    words: 'Requested action not taken: mailbox unavailable',
    expected: { class: 'hard', reason: 'userunknown' },
  },
  {
    name: 'user unknown after DATA (a recipient-side filter)',
    code: '550',
    status: '',
    words: 'Unknown user {R} (in reply to end of DATA command)',
    expected: { class: 'soft', reason: 'filtered' },
    afterData: true,
  },
  {
    name: 'mailbox full',
    code: '552',
    status: '5.2.2',
    words: '<{R}>: Mailbox full, quota exceeded',
    expected: { class: 'soft', reason: 'mailboxfull' },
  },
  {
    name: 'mailbox full, temporary',
    code: '452',
    status: '4.2.2',
    words: 'The email account that you tried to reach is over quota',
    expected: { class: 'soft', reason: 'mailboxfull' },
  },
  {
    name: 'spam block',
    code: '550',
    status: '5.7.1',
    words: 'Our system has detected that this message is likely unsolicited mail',
    expected: { class: 'block', reason: 'spamdetected' },
  },
  {
    name: 'authentication failure',
    code: '550',
    status: '5.7.26',
    words: 'This message does not pass authentication checks (SPF and DKIM both do not pass)',
    expected: { class: 'block', reason: 'authfailure' },
  },
  {
    name: 'unknown host',
    code: '550',
    status: '5.1.2',
    words: 'Host unknown (Name server: example.invalid: host not found)',
    expected: { class: 'hard', reason: 'hostunknown' },
  },
  {
    name: 'rate limit',
    code: '421',
    status: '4.7.0',
    words: 'Try again later, closing connection. Our system has detected an unusual rate of unsolicited mail',
    expected: { class: 'block', reason: 'ratelimited' },
  },
  {
    name: 'disabled account',
    code: '550',
    status: '5.2.1',
    words: 'The email account that you tried to reach is disabled',
    expected: { class: 'soft', reason: 'suspend' },
  },
  {
    name: 'blocklisted sending IP',
    code: '554',
    status: '5.7.1',
    words: 'Service unavailable; Client host [203.0.113.5] blocked using zen.spamhaus.org',
    expected: { class: 'block', reason: 'blocked' },
  },
  // Common real wordings beyond the families above (Gmail, Outlook, Yahoo, Exchange Online,
  // Spamhaus, generic temporary failures): the weak wordings ("try again later") must not let a
  // vendor's bare severity field decide where a log line's code decides.
  {
    name: 'Gmail no such user, multi-line reply',
    code: '550',
    status: '5.1.1',
    words:
      "The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. Learn more at 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser d2-20020a05 - gsmtp",
    expected: { class: 'hard', reason: 'userunknown' },
  },
  {
    name: 'Outlook mailbox unavailable (x.5.0)',
    code: '550',
    status: '5.5.0',
    words: 'Requested action not taken: mailbox unavailable',
    expected: { class: 'hard', reason: 'userunknown' },
  },
  {
    name: 'Yahoo disabled mailbox',
    code: '554',
    status: '',
    words:
      'delivery error: dd Sorry your message to {R} cannot be delivered. This mailbox is disabled (554.30). - mta1234.mail.ne1.yahoo.com',
    expected: { class: 'soft', reason: 'suspend' },
  },
  {
    name: 'over quota, permanent',
    code: '552',
    status: '5.2.2',
    words:
      'The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaPerm',
    expected: { class: 'soft', reason: 'mailboxfull' },
  },
  {
    name: 'bare try again later (x.7.0)',
    code: '421',
    status: '4.7.0',
    words: 'Try again later, closing connection.',
    expected: { class: 'block', reason: 'ratelimited' },
  },
  {
    name: 'temporary failure, try again later (x.3.0)',
    code: '451',
    status: '4.3.0',
    words: 'Temporary failure, please try again later',
    expected: { class: 'block', reason: 'ratelimited' },
  },
  {
    name: 'DMARC unauthenticated (Gmail x.7.26)',
    code: '550',
    status: '5.7.26',
    words:
      'This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. The sender must authenticate with at least one of SPF or DKIM.',
    expected: { class: 'block', reason: 'authfailure' },
  },
  {
    name: 'bad address syntax (x.1.3)',
    code: '553',
    status: '5.1.3',
    words: 'The recipient address <bad..addr@example.org> is not a valid RFC-5321 address.',
    expected: { class: 'hard', reason: 'userunknown' },
  },
  {
    name: 'Exchange Online directory-based edge block (x.4.1)',
    code: '550',
    status: '5.4.1',
    words: 'Recipient address rejected: Access denied. AS(201806281) [DM6NAM11FT012.eop-nam11.prod.protection.outlook.com]',
    expected: { class: 'hard', reason: 'userunknown' },
  },
  {
    name: 'message size exceeds limit',
    code: '552',
    status: '5.3.4',
    words: 'Message size exceeds fixed limit',
    expected: { class: 'soft', reason: 'emailtoolarge' },
  },
];

const RECIPIENT = 'pat.lee@example.org';

interface Carrier {
  format: string;
  /** The input file name (detection looks at the extension of some formats). */
  file: string;
  build(reply: Reply, diagnostic: string, temporary: boolean): string;
}

const csvField = (value: string): string => `"${value.replace(/"/g, '""')}"`;

const CARRIERS: readonly Carrier[] = [
  {
    format: 'postfix',
    file: 'mail.log',
    build: (reply, diagnostic, temporary) =>
      `Nov  2 10:00:24 mx1 postfix/smtp[4110]: 3893C1102DD6: to=<${RECIPIENT}>, relay=mx.example.org[192.0.2.7]:25, ` +
      `delay=26, delays=0.04/0.01/22/3.3, dsn=${reply.status || (temporary ? '4.0.0' : '5.0.0')}, ` +
      `status=${temporary ? 'deferred' : 'bounced'} (host mx.example.org[192.0.2.7] said: ${diagnostic})\n`,
  },
  {
    format: 'exim',
    file: 'mainlog',
    build: (_reply, diagnostic, temporary) =>
      `2026-11-02 10:00:04 1j5NyY-0004Xp-NZ ${temporary ? '==' : '**'} ${RECIPIENT} R=dnslookup T=remote_smtp` +
      `${temporary ? ' defer (-44)' : ''} H=mx.example.org [192.0.2.7]: SMTP error from remote mail server after ` +
      `${_reply.afterData ? 'end of data' : `RCPT TO:<${RECIPIENT}>`}: ${diagnostic}\n`,
  },
  {
    format: 'sendmail',
    file: 'maillog',
    build: (reply, diagnostic, temporary) =>
      `Apr  2 00:16:02 mta001 sendmail[12571]: u31FFPtp032301: to=<${RECIPIENT}>, delay=00:00:01, xdelay=00:00:01, ` +
      `mailer=esmtp, pri=30000, relay=mx.example.org. [192.0.2.7], dsn=${reply.status || (temporary ? '4.0.0' : '5.0.0')}, ` +
      `stat=${temporary ? 'Deferred: ' : ''}${diagnostic}\n`,
  },
  {
    format: 'powermta',
    file: 'acct.csv',
    build: (reply, diagnostic, temporary) =>
      'type,timeLogged,timeQueued,orig,rcpt,orcpt,dsnAction,dsnStatus,dsnDiag,dsnMta,bounceCat,srcType,srcMta,dlvType\n' +
      `b,2026-11-02 10:00:25+0100,2026-11-02 10:00:21+0100,news@example.com,${RECIPIENT},,` +
      `${temporary ? 'delayed' : 'failed'},${reply.status || (temporary ? '4.0.0' : '5.0.0')},${csvField(`smtp;${diagnostic}`)},` +
      'mx.example.org (192.0.2.7),other,smtp,app1.example.com (192.0.2.10),smtp\n',
  },
  {
    format: 'haraka',
    file: 'haraka.log',
    build: (_reply, diagnostic, temporary) =>
      `2026-11-02T10:00:01.420Z [NOTICE] [9A1F0E2C-4B3D-4E5F-8A7B-6C5D4E3F2A1B.1] [core] recipient <${RECIPIENT}> code=OK msg="" sender=news@example.com\n` +
      `2026-11-02T10:00:02.550Z [NOTICE] [9A1F0E2C-4B3D-4E5F-8A7B-6C5D4E3F2A1B.1.1] [outbound] recipient <${RECIPIENT}> ` +
      `${temporary ? 'deferred' : 'rejected'}: ${diagnostic}\n`,
  },
  {
    format: 'ses',
    file: 'notifications.jsonl',
    build: (reply, diagnostic, temporary) =>
      JSON.stringify({
        notificationType: 'Bounce',
        bounce: {
          bounceType: temporary ? 'Transient' : 'Permanent',
          bounceSubType: 'General',
          bouncedRecipients: [
            { emailAddress: RECIPIENT, action: 'failed', status: reply.status || undefined, diagnosticCode: `smtp; ${diagnostic}` },
          ],
          timestamp: '2024-03-04T09:15:03.412Z',
          feedbackId: 'fb-1',
        },
        mail: { timestamp: '2024-03-04T09:15:02.118Z', source: 'news@mail.example.com', messageId: 'm-1', destination: [RECIPIENT] },
      }) + '\n',
  },
  {
    format: 'sendgrid',
    file: 'events.json',
    build: (reply, diagnostic, temporary) =>
      JSON.stringify([
        {
          email: RECIPIENT,
          event: temporary ? 'deferred' : 'bounce',
          timestamp: 1709716874,
          'smtp-id': '<14c5d75ce93.dfd.64b402@ismtpd-555>',
          sg_event_id: 'sg_event_id_02',
          sg_message_id: '14c5d75ce93.dfd.64b402.filter0001',
          ...(temporary
            ? { response: diagnostic, attempt: '1' }
            : { reason: diagnostic, status: reply.status || undefined, type: 'bounce' }),
        },
      ]),
  },
  {
    format: 'mailgun',
    file: 'webhooks.jsonl',
    build: (reply, diagnostic, temporary) =>
      JSON.stringify({
        signature: { timestamp: '1709803801', token: 't', signature: 's' },
        'event-data': {
          id: 'ev-1',
          event: 'failed',
          timestamp: 1709804066.68,
          'log-level': temporary ? 'warn' : 'error',
          severity: temporary ? 'temporary' : 'permanent',
          reason: 'generic',
          recipient: RECIPIENT,
          message: { headers: { 'message-id': 'm-1@mg.example.com' } },
          'delivery-status': {
            code: Number(reply.code),
            message: diagnostic,
            description: '',
            'enhanced-code': reply.status,
            'mx-host': 'mx.example.org',
          },
        },
      }) + '\n',
  },
  {
    format: 'postmark',
    file: 'bounces.json',
    build: (_reply, diagnostic, temporary) =>
      JSON.stringify({
        RecordType: 'Bounce',
        ID: 4323372051,
        Type: temporary ? 'Transient' : 'Unknown',
        MessageID: 'a5e3c1d2-1015-4b7f-9c3e-2f1a0b9c8d7e',
        Description: 'The server was unable to deliver your message.',
        Details: `smtp;${diagnostic}`,
        Email: RECIPIENT,
        BouncedAt: '2024-03-09T08:00:01Z',
      }) + '\n',
  },
  {
    format: 'sparkpost',
    file: 'webhook.json',
    build: (reply, diagnostic, temporary) =>
      JSON.stringify([
        {
          msys: {
            message_event: {
              type: temporary ? 'delay' : 'bounce',
              event_id: '928496173500000031',
              message_id: '0001e1b2c3d4e5f6a703',
              transmission_id: '721830943700000003',
              rcpt_to: RECIPIENT,
              raw_rcpt_to: RECIPIENT,
              timestamp: '2024-03-10T10:31:00.000Z',
              bounce_class: '1',
              error_code: reply.code,
              raw_reason: diagnostic,
              reason: diagnostic,
            },
          },
        },
      ]),
  },
  {
    format: 'generic-csv',
    file: 'bounces.csv',
    build: (reply, diagnostic, temporary) =>
      'Recipient;Event Type;SMTP Code;Enhanced Status;Diagnostic;Timestamp\n' +
      `${RECIPIENT};${temporary ? 'deferred' : 'bounce'};${reply.code};${reply.status};${csvField(diagnostic)};2024-03-11T08:00:01Z\n`,
  },
  {
    format: 'generic-jsonl',
    file: 'events.jsonl',
    build: (reply, diagnostic, temporary) =>
      JSON.stringify({
        email: RECIPIENT,
        type: temporary ? 'deferred' : 'bounce',
        code: Number(reply.code),
        status: reply.status || undefined,
        reason: `smtp; ${diagnostic}`,
        time: 1710144000,
      }) + '\n',
  },
  {
    format: 'eml',
    file: 'bounce.eml',
    build: (reply, diagnostic, temporary) =>
      [
        'From: Mail Delivery System <MAILER-DAEMON@mx1.example.com>',
        'To: news@example.com',
        'Subject: Undelivered Mail Returned to Sender',
        'Date: Mon, 2 Nov 2026 10:00:24 +0000',
        'Message-ID: <20261102100024.1@mx1.example.com>',
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'Your message could not be delivered.',
        '',
        '--b1',
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx1.example.com',
        '',
        `Final-Recipient: rfc822; ${RECIPIENT}`,
        `Action: ${temporary ? 'delayed' : 'failed'}`,
        `Status: ${reply.status || (temporary ? '4.0.0' : '5.0.0')}`,
        'Remote-MTA: dns; mx.example.org',
        `Diagnostic-Code: smtp; ${diagnostic}`,
        '',
        '--b1--',
        '',
      ].join('\r\n'),
  },
];

async function readAs(carrier: Carrier, text: string): Promise<BounceRecord[]> {
  const format = formatByName(carrier.format)!;
  const records: BounceRecord[] = [];
  for await (const item of format.parse(numberLines(text), { file: carrier.file })) {
    if (item.kind === 'record') records.push(classifyParsed(item.record, format.name));
  }
  return records;
}

describe('same evidence, same answer across every log format and ESP export', () => {
  for (const reply of REPLIES) {
    const diagnostic = `${reply.code} ${reply.status ? `${reply.status} ` : ''}${reply.words.replace('{R}', RECIPIENT)}`;
    const temporary = reply.code.startsWith('4');
    // Haraka logs a per-recipient result only for the answer to RCPT TO (a refusal after DATA is
    // one line for the whole message), so it carries no after-DATA recipient reply.
    const carriers = CARRIERS.filter((carrier) => !(reply.afterData && carrier.format === 'haraka'));
    it.each(carriers.map((carrier) => [carrier.format, carrier] as const))(`${reply.name} via %s`, async (_name, carrier) => {
      const text = carrier.build(reply, diagnostic, temporary);
      expect(detectFormat(text.slice(0, 65536), carrier.file).format?.name, 'detected format').toBe(carrier.format);
      const records = (await readAs(carrier, text)).filter((record) => record.recipient === RECIPIENT);
      expect(records, 'one record for the recipient').toHaveLength(1);
      expect({ class: records[0]!.class, reason: records[0]!.reason }).toEqual(reply.expected);
    });
  }
});
