/**
 * The failed recipient of every kind of bounce message: the address the report says failed,
 * never the bounce's sender (From, Return-Path), the list address the campaign came from, or
 * the To: of the returned message (a list posting's To: is the list itself). Each case is laid
 * out the way that mail system words its reports; the addresses are made up:
 *   news@list.example     the list / campaign sender (the bounce goes back to it)
 *   ann@example.org       the failed recipient
 *   members@list.example  the returned message's To: (the list address)
 */
import { describe, expect, it } from 'vitest';
import { emlFormat } from '../../src/bounces/formats/eml.js';
import { parseMessage } from '../../src/bounces/formats/mail/message.js';
import { parseRecords } from '../helpers.js';

const SENDER = 'news@list.example';
const LIST_TO = 'members@list.example';
const FAILED = 'ann@example.org';

/** The returned original: sent by the list to its members, the envelope recipient in Received. */
const RETURNED = [
  `Return-Path: <${SENDER}>`,
  `Received: from out.list.example (out.list.example [192.0.2.10])`,
  `\tby mx.example.org with ESMTP id 4F2A1C; Tue, 4 Mar 2025 10:00:00 +0100`,
  `\tfor <${FAILED}>; Tue, 4 Mar 2025 10:00:00 +0100`,
  `From: The List <${SENDER}>`,
  `To: ${LIST_TO}`,
  `Subject: March news`,
  `Message-ID: <march-news-1@list.example>`,
  `Date: Tue, 4 Mar 2025 09:59:58 +0100`,
  ``,
  `Hello members.`,
].join('\n');

function bounce(from: string, subject: string, body: string, extraHeaders: string[] = []): string {
  return [
    `Return-Path: <>`,
    `From: ${from}`,
    `To: ${SENDER}`,
    `Subject: ${subject}`,
    `Date: Tue, 4 Mar 2025 10:00:05 +0100`,
    `Message-ID: <bounce-1@mx.example.org>`,
    ...extraHeaders,
    ``,
    body,
  ].join('\n');
}

async function recipientsOf(message: string): Promise<{ recipient: string; finalRecipient: string | null | undefined }[]> {
  const records = await parseRecords(emlFormat, message, { file: 'bounce.eml' });
  return records.map((record) => ({ recipient: record.recipient, finalRecipient: record.finalRecipient }));
}

async function failedOf(message: string): Promise<string[]> {
  return (await recipientsOf(message)).map((entry) => entry.recipient.toLowerCase());
}

const PLAIN_TEXT_BOUNCES: Array<[string, string]> = [
  [
    'qmail',
    bounce(
      'MAILER-DAEMON@mx.example.org',
      'failure notice',
      [
        `Hi. This is the qmail-send program at mx.example.org.`,
        `I'm afraid I wasn't able to deliver your message to the following addresses.`,
        `This is a permanent error; I've given up. Sorry it didn't work out.`,
        ``,
        `<${FAILED}>:`,
        `Sorry, no mailbox here by that name. (#5.1.1)`,
        ``,
        `--- Below this line is a copy of the message.`,
        ``,
        RETURNED,
      ].join('\n'),
    ),
  ],
  [
    'Postfix without a delivery-status part',
    bounce(
      'MAILER-DAEMON@mx.example.org (Mail Delivery System)',
      'Undelivered Mail Returned to Sender',
      [
        `This is the mail system at host mx.example.org.`,
        ``,
        `I'm sorry to have to inform you that your message could not`,
        `be delivered to one or more recipients. It's attached below.`,
        ``,
        `<${FAILED}>: host mail.example.org[192.0.2.20] said: 550 5.1.1 <${FAILED}>:`,
        `    Recipient address rejected: User unknown (in reply to RCPT TO command)`,
        ``,
        RETURNED,
      ].join('\n'),
    ),
  ],
  [
    'Exim',
    bounce(
      'Mail Delivery System <Mailer-Daemon@mx.example.org>',
      'Mail delivery failed: returning message to sender',
      [
        `This message was created automatically by mail delivery software.`,
        ``,
        `A message that you sent could not be delivered to one or more of its`,
        `recipients. This is a permanent error. The following address(es) failed:`,
        ``,
        `  ${FAILED}`,
        `    SMTP error from remote mail server after RCPT TO:<${FAILED}>:`,
        `    host mail.example.org [192.0.2.20]: 550 5.1.1 User unknown`,
        ``,
        `------ This is a copy of the message, including all the headers. ------`,
        ``,
        RETURNED,
      ].join('\n'),
    ),
  ],
  [
    'Sendmail',
    bounce(
      'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>',
      'Returned mail: see transcript for details',
      [
        `The original message was received at Tue, 4 Mar 2025 10:00:00 +0100`,
        `from out.list.example [192.0.2.10]`,
        ``,
        `   ----- The following addresses had permanent fatal errors -----`,
        `<${FAILED}>`,
        `    (reason: 550 5.1.1 <${FAILED}>... User unknown)`,
        ``,
        `   ----- Transcript of session follows -----`,
        `... while talking to mail.example.org.:`,
        `>>> RCPT To:<${FAILED}>`,
        `<<< 550 5.1.1 <${FAILED}>... User unknown`,
        ``,
        `   ----- Original message follows -----`,
        ``,
        RETURNED,
      ].join('\n'),
    ),
  ],
  [
    'Lotus Notes / Domino',
    bounce(
      'Postmaster@notes.example.org',
      'DELIVERY FAILURE: User ann not listed in Domino Directory',
      [
        `Your message`,
        ``,
        `  Subject: March news`,
        ``,
        `was not delivered to:`,
        ``,
        `  ${FAILED}`,
        ``,
        `because:`,
        ``,
        `  User ann (${FAILED}) not listed in Domino Directory`,
        ``,
      ].join('\n'),
    ),
  ],
  [
    'Lotus Notes failure reasons',
    bounce(
      'Postmaster@notes.example.org',
      'DELIVERY FAILURE: User not listed in public Name & Address Book',
      [
        `------- Failure Reasons  --------`,
        ``,
        `User not listed in public Name & Address Book`,
        `${FAILED}`,
        ``,
        ``,
        `------- Returned Message --------`,
        RETURNED,
      ].join('\n'),
    ),
  ],
  [
    'Exchange 5.5 / 2003',
    bounce(
      'System Administrator <postmaster@example.org>',
      'Undeliverable: March news',
      [
        `Your message`,
        ``,
        `  To:      ${LIST_TO}`,
        `  Subject: March news`,
        `  Sent:    Tue, 4 Mar 2025 10:00:00 +0100`,
        ``,
        `did not reach the following recipient(s):`,
        ``,
        `${FAILED} on Tue, 4 Mar 2025 10:00:05 +0100`,
        `    The e-mail account does not exist at the organization this message was sent to.`,
        `    <mx.example.org #5.1.1>`,
      ].join('\n'),
    ),
  ],
  [
    'Exchange naming the recipient by display name only (returned message attached)',
    [
      `Return-Path: <>`,
      `From: System Administrator <postmaster@example.org>`,
      `To: ${SENDER}`,
      `Subject: Undeliverable: March news`,
      `Date: Tue, 4 Mar 2025 10:00:05 +0100`,
      `MIME-Version: 1.0`,
      `Content-Type: multipart/mixed; boundary="XX"`,
      ``,
      `--XX`,
      `Content-Type: text/plain`,
      ``,
      `Your message`,
      ``,
      `  To:      ${LIST_TO}`,
      `  Subject: March news`,
      ``,
      `did not reach the following recipient(s):`,
      ``,
      `Ann Example on Tue, 4 Mar 2025 10:00:05 +0100`,
      `    The recipient name is not recognized`,
      `--XX`,
      `Content-Type: message/rfc822`,
      ``,
      RETURNED,
      `--XX--`,
    ].join('\n'),
  ],
  [
    'IMail',
    bounce(
      'postmaster@example.org',
      'Undeliverable Mail',
      [`Unknown user: ${FAILED}`, ``, `Original message follows.`, ``, RETURNED].join('\n'),
    ),
  ],
  [
    'InterScan MSS',
    bounce(
      'postmaster@example.org',
      'Mail could not be delivered',
      [
        `Sent <<< RCPT TO:<${FAILED}>`,
        `Received >>> 550 5.1.1 <${FAILED}>... User unknown`,
        ``,
        `Unable to deliver message to <${FAILED}>.`,
      ].join('\n'),
    ),
  ],
  [
    'MailMarshal',
    bounce(
      'MailMarshal@example.org',
      'Undeliverable Mail: "March news"',
      [
        `Your message:`,
        `   From:    ${SENDER}`,
        `   Subject: March news`,
        ``,
        `Could not be delivered because of`,
        ``,
        `550 5.1.1 User unknown`,
        ``,
        `The following recipients were affected: `,
        `    ${FAILED}`,
        ``,
        `Additional Information`,
        `======================`,
        `Original Sender:    <${SENDER}>`,
        `Sender-MTA:         <192.0.2.10>`,
      ].join('\n'),
    ),
  ],
  [
    'X.400 gateway',
    bounce(
      'X400-Gateway <postmaster@gw.example.org>',
      'Non-delivery notification',
      [
        `Your message was not delivered to:`,
        `   ${FAILED}`,
        `for the following reason:`,
        `   Unknown recipient`,
        `   Recipient: c=US;a=ATTMAIL;p=EXAMPLE;o=ORG;s=ann`,
        ``,
        `Original message headers:`,
        RETURNED,
      ].join('\n'),
    ),
  ],
  [
    'SMTP32',
    bounce(
      'postmaster@example.org',
      'Undeliverable mail',
      [
        `The following recipients did not receive this message:`,
        ``,
        `     <${FAILED}>`,
        ``,
        `Please reply to postmaster@example.org`,
        `if you feel this message to be in error.`,
      ].join('\n'),
    ),
  ],
  [
    'an ISP that says "Failed recipient:" and asks for replies to its postmaster',
    bounce(
      'Mail Administrator <postmaster@isp.example>',
      'Mail System Error - Returned Mail',
      [
        `This Message was undeliverable due to the following reason:`,
        ``,
        `Failed recipient: ${FAILED}`,
        `Reason: 550 Requested action not taken: mailbox unavailable`,
        ``,
        `Please send questions to <postmaster@isp.example>.`,
      ].join('\n'),
    ),
  ],
  [
    'Exim naming the original of a redirected address',
    bounce(
      'Mail Delivery System <Mailer-Daemon@mx.example.org>',
      'Mail delivery failed: returning message to sender',
      [
        `This message was created automatically by mail delivery software.`,
        ``,
        `A message that you sent could not be delivered to one or more of its`,
        `recipients. This is a permanent error. The following address(es) failed:`,
        ``,
        `  ann.forward@elsewhere.example`,
        `    (generated from ${FAILED})`,
        `    SMTP error from remote mail server after RCPT TO:<ann.forward@elsewhere.example>:`,
        `    host mx.elsewhere.example [192.0.2.30]: 550 5.1.1 User unknown`,
        ``,
        `------ This is a copy of the message, including all the headers. ------`,
        ``,
        RETURNED,
      ].join('\n'),
    ),
  ],
  [
    'a report that names nobody, with X-Failed-Recipients',
    bounce(
      'Mail Delivery System <Mailer-Daemon@mx.example.org>',
      'Mail delivery failed',
      [
        `Your message could not be delivered. The mailbox is unavailable.`,
        ``,
        `------ This is a copy of the message, including all the headers. ------`,
        ``,
        RETURNED,
      ].join('\n'),
      [`X-Failed-Recipients: ${FAILED}`],
    ),
  ],
  [
    'a report that names nobody, but the returned message was received for the recipient',
    bounce(
      'postmaster@example.org',
      'Delivery failure',
      [`Your message could not be delivered: mailbox unavailable.`, ``, `----- Original message -----`, RETURNED].join('\n'),
    ),
  ],
  [
    'a bounce forwarded by a person, quoted',
    [
      `From: Office <office@list.example>`,
      `To: ${SENDER}`,
      `Subject: Fwd: Returned mail: see transcript for details`,
      `Date: Tue, 4 Mar 2025 11:00:00 +0100`,
      ``,
      `See below.`,
      ``,
      `> From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>`,
      `> To: <${SENDER}>`,
      `> Subject: Returned mail: see transcript for details`,
      `>`,
      `>    ----- The following addresses had permanent fatal errors -----`,
      `> <${FAILED}>`,
      `>     (reason: 550 5.1.1 <${FAILED}>... User unknown)`,
      `>`,
      `>    ----- Transcript of session follows -----`,
      `> ... while talking to mail.example.org.:`,
      `> >>> RCPT To:<${FAILED}>`,
      `> <<< 550 5.1.1 <${FAILED}>... User unknown`,
    ].join('\n'),
  ],
];

/** Bodies that must name the failed recipient by themselves: no returned message to fall back on. */
const BODIES_ALONE: Array<[string, string]> = [
  ['IMail: a label and the address', `Mailbox full: ${FAILED}\n\nOriginal message follows.\n`],
  ['a transcript line of the remote reply', `<<< 550 5.1.1 <${FAILED}>... User unknown\n`],
  ['an address ending a sentence', `Message was not delivered to ${FAILED}.\nIt was rejected by server mxs.example.org\n`],
  [
    'a labelled original sender next to the labelled recipient',
    `Delivery failed.\nOriginal sender: campaign-7@list.example\nRecipient: ${FAILED}\nReason: unknown user\n`,
  ],
  ['an address two blanks after its phrase (IMail)', `undeliverable  to ${FAILED}\n\n\nOriginal message follows.\n`],
  [
    'the address a local user stood for, in parentheses',
    `Your message has encountered delivery problems\nto local user ann.\n(Originally addressed to ${FAILED})\n\nUser not known\n`,
  ],
  [
    'an address in quotes after "addressed to"',
    `The following message, addressed to '${FAILED}',\nfailed because it has not been collected after 30 days\n`,
  ],
  [
    'a local mailbox named in the reason',
    `Message was not accepted -- invalid mailbox.\n Local mailbox ${FAILED} is unavailable: user not found\n`,
  ],
  [
    'an address in [SMTP:...] (MailEnable)',
    `The following recipient(s) could not be reached:\n\n\tRecipient: [SMTP:${FAILED}]\n\tReason: Remote SMTP Server Returned: 550 mailbox unavailable\n`,
  ],
  [
    'an X.400 address with its SMTP form (Exchange)',
    `did not reach the following recipient(s):\n\nc=US;a= ;p=Example;o=Site;dda:SMTP=${FAILED}; on Fri, 4 Oct 2002 17:12:28 -0400\n    The recipient name is not recognized\n`,
  ],
  [
    'an address behind a double dash, on the line after the one that announces it',
    `This is a delivery failure notification message indicating that\nan email addressed to email address :\n-- ${FAILED}\n\ncould not be delivered. The problem appears to be :\n-- Recipient server unavailable or busy\n`,
  ],
  ['a label that holds a number', `Delivery failed 20 attempts: ${FAILED}\n\n\nOriginal message follows.\n`],
  [
    "the returned message's To: summed up above a copy that was cut off",
    `I'm afraid I wasn't able to deliver the following message.\nThis is a permanent error; I've given up.\n\nSubject: March news\nTo: ${FAILED}\n\n---Below this line is a copy of the message.\n`,
  ],
  [
    "the returned message's headers without a blank after the colon",
    `${FAILED} Invalid Address, ERROR_CODE :550, ERROR_CODE :5.2.1 <${FAILED}>... User Unknown\n\n\nMessage-ID:<1a2b3c.4d5e@mail.list.example>\nFrom: The List <${SENDER}>\nTo:<${FAILED}>\n`,
  ],
];

describe('the failed recipient of plain-text bounces, whatever system wrote them', () => {
  for (const [name, body] of BODIES_ALONE) {
    it(`${name}: the failed recipient from the text alone`, async () => {
      expect(await failedOf(bounce('postmaster@mx.example.org', 'Undeliverable mail', body))).toEqual([FAILED]);
    });
  }

  for (const [name, message] of PLAIN_TEXT_BOUNCES) {
    it(`${name}: the failed recipient, not the sender, the list or the returned message's To`, async () => {
      const failed = await failedOf(message);
      expect(failed).toEqual([FAILED]);
      expect(failed).not.toContain(SENDER);
      expect(failed).not.toContain(LIST_TO);
    });
  }

  it('completes a bare screen name in the list of failures from the returned message (AOL)', async () => {
    const returned = RETURNED.replace(`To: ${LIST_TO}`, `To: ${LIST_TO}, AnnScreen@aol.example`).replace(
      `for <${FAILED}>`,
      'for <AnnScreen@aol.example>',
    );
    const message = bounce(
      'Mail Delivery Subsystem <MAILER-DAEMON@aol.example>',
      'Returned mail: User unknown',
      [
        `   ----- The following addresses had permanent fatal errors -----`,
        `annscreen`,
        `    (reason: 550 MAILBOX NOT FOUND)`,
        ``,
        `   ----- Original message follows -----`,
        ``,
        returned,
      ].join('\n'),
    );
    const records = await parseRecords(emlFormat, message, { file: 'bounce.eml' });
    expect(records.map((record) => [record.recipient, record.diagnostic])).toEqual([
      ['AnnScreen@aol.example', '(reason: 550 MAILBOX NOT FOUND)'],
    ]);
  });

  it("does not take a list posting's To (the list itself) for the failed member", async () => {
    const posting = RETURNED.replace(/\tfor <[^>]+>; /, '\t').replace(
      'Subject: March news',
      `Subject: March news\nList-Id: The members list <members.list.example>\nList-Post: <mailto:${LIST_TO}>`,
    );
    const message = bounce(
      'postmaster@example.org',
      'Delivery failure',
      [`Your message could not be delivered: mailbox unavailable.`, ``, `----- Original message -----`, posting].join('\n'),
    );
    const items = await parseMessage(Buffer.from(message), 'bounce.eml');
    expect(items).toEqual([{ kind: 'malformed', line: 1, message: 'a bounce message that names no recipient' }]);
  });

  it("does not take a list posting's To quoted in the report (the list, known by its List-Id) for the failed member", async () => {
    const posting = RETURNED.replace(/\tfor <[^>]+>; /, '\t').replace(
      'Subject: March news',
      `Subject: March news\nList-Id: The members list <members.list.example>`,
    );
    const message = bounce(
      'postmaster@example.org',
      'Delivery failure',
      [
        `I'm afraid I wasn't able to deliver the following message.`,
        ``,
        `Subject: March news`,
        `To: ${LIST_TO}`,
        ``,
        `----- Original message -----`,
        posting,
      ].join('\n'),
    );
    const items = await parseMessage(Buffer.from(message), 'bounce.eml');
    expect(items).toEqual([{ kind: 'malformed', line: 1, message: 'a bounce message that names no recipient' }]);
  });

  it('does not take the list a returned posting was sent to for a failed recipient', async () => {
    const posting = RETURNED.replace('Subject: March news', `Subject: March news\nList-Post: <mailto:${LIST_TO}>`);
    const message = bounce(
      'postmaster@example.org',
      'Delivery failure',
      [
        `Your message to ${LIST_TO} could not be delivered.`,
        `The mailbox is unavailable.`,
        ``,
        `----- Original message -----`,
        posting,
      ].join('\n'),
    );
    expect(await failedOf(message)).toEqual([FAILED]);
  });

  it('names nobody rather than the sender when a message sent to oneself bounced for a Bcc recipient named only by display name', async () => {
    const message = bounce(
      'System Administrator <postmaster@example.org>',
      'Undeliverable: note to self',
      [
        `Your message`,
        ``,
        `  To:      ${SENDER}`,
        `  Subject: note to self`,
        ``,
        `did not reach the following recipient(s):`,
        ``,
        `Ann Example on Tue, 4 Mar 2025 10:00:05 +0100`,
        `    The recipient was unavailable to take delivery of the message`,
      ].join('\n'),
    );
    const items = await parseMessage(Buffer.from(message), 'bounce.eml');
    expect(items).toEqual([{ kind: 'malformed', line: 1, message: 'a bounce message that names no recipient' }]);
  });

  it("ignores a list server's help and control addresses named in its rejection", async () => {
    const message = bounce(
      'list-admin@list.example',
      'You are not a member (news ML)',
      [
        `You are not a member of this mailing list <talk@lists.example.net>.`,
        ``,
        `If you know the general guide of this list, please send mail with`,
        `the mail body guide to the address`,
        ``,
        `\ttalk-ctl@lists.example.net`,
      ].join('\n'),
      ['List-Subscribe: <mailto:talk-ctl@lists.example.net?body=subscribe>'],
    );
    expect(await failedOf(message)).toEqual(['talk@lists.example.net']);
  });

  it("takes the address Sendmail expanded an alias from for the recipient, the alias's target for finalRecipient", async () => {
    const message = bounce(
      'Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>',
      'Returned mail: see transcript for details',
      [
        `The original message was received at Tue, 4 Mar 2025 10:00:00 +0100`,
        ``,
        `   ----- The following addresses had permanent fatal errors -----`,
        `ann.forward@elsewhere.example`,
        `    (expanded from: <${FAILED}>)`,
        ``,
        `   ----- Transcript of session follows -----`,
        `554 Too many hops 26 (25 max): from ${SENDER} via localhost, to ${FAILED}`,
        ``,
        `   ----- Message header follows -----`,
        ``,
        RETURNED,
      ].join('\n'),
    );
    expect(await recipientsOf(message)).toEqual([{ recipient: FAILED, finalRecipient: 'ann.forward@elsewhere.example' }]);
  });

  it('reads the bounce of an MDaemon server, which writes as MDaemon@ and not as MAILER-DAEMON@', async () => {
    const message = bounce(
      'MDaemon@mx.example.org',
      `Warning: ${FAILED} - User unknown!`,
      [`${FAILED} - no such user here.`, ``, `There is no user by that name at this server.`].join('\n'),
    );
    expect(await failedOf(message)).toEqual([FAILED]);
  });

  it('reads a warning that delivery is postponed and will be tried again as delayed, not failed', async () => {
    const message = bounce(
      'postmaster@mx.example.org',
      'Delivery postponed',
      [
        `Your message to ${FAILED} has been postponed due to a full mailbox.`,
        `We will continue to try to deliver your message over the next few days.`,
      ].join('\n'),
    );
    const records = await parseRecords(emlFormat, message, { file: 'bounce.eml' });
    expect(records.map((record) => [record.recipient, record.action])).toEqual([[FAILED, 'delayed']]);
  });

  it('keeps the final address of a redirected recipient in finalRecipient', async () => {
    const exim = PLAIN_TEXT_BOUNCES.find(([name]) => name.startsWith('Exim naming the original'))![1];
    expect(await recipientsOf(exim)).toEqual([{ recipient: FAILED, finalRecipient: 'ann.forward@elsewhere.example' }]);
  });
});

describe('delivery status reports: Original-Recipient is the address on the list', () => {
  const dsn = (fields: string[]) =>
    [
      `From: MAILER-DAEMON@mx.example.org`,
      `To: ${SENDER}`,
      `Subject: Undelivered Mail Returned to Sender`,
      `MIME-Version: 1.0`,
      `Content-Type: multipart/report; report-type=delivery-status; boundary="B"`,
      ``,
      `--B`,
      `Content-Type: text/plain`,
      ``,
      `Your message could not be delivered.`,
      `--B`,
      `Content-Type: message/delivery-status`,
      ``,
      `Reporting-MTA: dns; mx.example.org`,
      ``,
      ...fields,
      `Action: failed`,
      `Status: 5.1.1`,
      `Diagnostic-Code: smtp; 550 5.1.1 User unknown`,
      `--B--`,
    ].join('\n');

  it('puts Original-Recipient in recipient and the alias target in finalRecipient', async () => {
    const message = dsn([`Final-Recipient: rfc822; ann.smith@mailhost.example.org`, `Original-Recipient: rfc822;${FAILED}`]);
    expect(await recipientsOf(message)).toEqual([{ recipient: FAILED, finalRecipient: 'ann.smith@mailhost.example.org' }]);
  });

  it('keeps Final-Recipient when the original is a routing form and not a mailbox', async () => {
    const message = dsn([`Original-Recipient: rfc822;@relay.example:${FAILED}`, `Final-Recipient: rfc822; ${FAILED}`]);
    expect(await failedOf(message)).toEqual([FAILED]);
  });

  it('keeps Final-Recipient when the original is an Exchange-encapsulated X.500 name', async () => {
    const message = dsn([
      `Original-Recipient: rfc822;IMCEAEX-_O=EXAMPLE_OU=EXCHANGE_CN=RECIPIENTS_CN=ANN@example.org`,
      `Final-Recipient: rfc822; ${FAILED}`,
    ]);
    expect(await failedOf(message)).toEqual([FAILED]);
  });

  it('reads Final-Recipient alone as before', async () => {
    expect(await recipientsOf(dsn([`Final-Recipient: rfc822; ${FAILED}`]))).toEqual([{ recipient: FAILED, finalRecipient: null }]);
  });

  it('takes X-Failed-Recipients when Final-Recipient is a mailbox file, not an address', async () => {
    const message = dsn([`Final-Recipient: rfc822;/var/spool/mail/ann`]).replace('Subject:', `X-Failed-Recipients: ${FAILED}\nSubject:`);
    expect(await failedOf(message)).toEqual([FAILED]);
  });
});

describe('messages as bounce handlers save them', () => {
  const plain = PLAIN_TEXT_BOUNCES[0]![1];

  it('reads a message saved with blank and whitespace-only lines before its headers', async () => {
    const saved = `\r\n${' '.repeat(200)}\r\n${plain.replace(/\n/g, '\r\n')}`;
    expect(emlFormat.detect(saved, 'bounce.eml')).toBeGreaterThanOrEqual(0.9);
    expect(await failedOf(saved)).toEqual([FAILED]);
  });

  it('recognises a bounce whose header block is larger than 64 KB (a long References: chain)', async () => {
    const references = Array.from({ length: 3000 }, (_, i) => ` <thread-${i}-aaaaaaaaaaaaaaaa@list.example>`).join('\n');
    const huge = `References:${references}\n${plain}`;
    expect(huge.indexOf('\n\n')).toBeGreaterThan(64 * 1024);
    // Detection sees only the first 64 KiB: all of it inside References.
    expect(emlFormat.detect(huge.slice(0, 64 * 1024), 'bounce.eml')).toBeGreaterThan(0.2);
    expect(emlFormat.detect(huge.slice(0, 64 * 1024), 'msg')).toBeGreaterThan(0.2);
    expect(await failedOf(huge)).toEqual([FAILED]);
  });
});
