import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../../src/bounces/classify/index.js';
import { BOUNCE_CLASSES } from '../../../src/bounces/types.js';

describe('classifyBounce: what the message is', () => {
  it('an ARF complaint is a complaint, whatever else the record says', () => {
    expect(classifyBounce({ feedbackType: 'abuse', status: '5.1.1' })).toMatchObject({ class: 'complaint', reason: 'feedback' });
  });

  it.each(['abuse', 'fraud', 'opt-out', 'other', 'Abuse', 'constructor'])('a %s feedback report is a complaint', (feedbackType) => {
    expect(classifyBounce({ feedbackType })).toMatchObject({ class: 'complaint', reason: 'feedback' });
  });

  // Reports of the receiving system about the message, not a person's complaint: suppressing the
  // address for them would drop a good contact for the sender's own authentication problem.
  it.each(['auth-failure', 'dmarc-failure', 'virus'])('a %s feedback report is about the sender, never a suppression', (feedbackType) => {
    expect(classifyBounce({ feedbackType })).toMatchObject({ class: 'block', reason: 'feedback' });
  });

  it('a not-spam report says the recipient wants the mail', () => {
    expect(classifyBounce({ feedbackType: 'not-spam' })).toMatchObject({ class: 'delivered', reason: 'feedback' });
  });

  it('an auto-reply is ignored as auto-reply', () => {
    expect(classifyBounce({ autoReply: true, diagnostic: 'I am out of the office until Monday' })).toMatchObject({
      class: 'auto-reply',
      reason: 'vacation',
    });
  });

  it.each(['delivered', 'relayed', 'expanded'] as const)('action %s is a delivery', (action) => {
    expect(classifyBounce({ action, status: '2.0.0', diagnostic: '250 2.0.0 Ok: queued as 9B2C' })).toEqual({
      class: 'delivered',
      reason: 'delivered',
      status: '2.0.0',
    });
  });
});

describe('classifyBounce: codes and text together', () => {
  it('takes the real code from the text when the status field is generic (Postfix dsn=5.0.0)', () => {
    const result = classifyBounce({
      status: '5.0.0',
      diagnostic: 'host mx.example.org[192.0.2.7] said: 550 Invalid recipient <ann@example.org> (#5.1.1) (in reply to RCPT TO command)',
    });
    expect(result).toEqual({ class: 'hard', reason: 'userunknown', status: '5.1.1' });
  });

  it('reads a code written after the reply code in the text', () => {
    const result = classifyBounce({ status: '5.0.0', diagnostic: '550 5.1.1 <ann@example.org>: Recipient address rejected' });
    expect(result).toEqual({ class: 'hard', reason: 'userunknown', status: '5.1.1' });
  });

  it('does not let a generic code decide when the text says more', () => {
    expect(classifyBounce({ status: '5.0.0', smtpCode: '554', diagnostic: '554 Message rejected: mailbox is full' })).toMatchObject({
      class: 'soft',
      reason: 'mailboxfull',
    });
  });

  it('keeps a mailbox-full reply soft although the code is permanent', () => {
    expect(classifyBounce({ status: '5.2.2', diagnostic: '552 5.2.2 <ann@example.org>: Mailbox full' })).toMatchObject({
      class: 'soft',
      reason: 'mailboxfull',
    });
  });

  it('keeps a 4xx unknown user hard (450 4.1.1)', () => {
    const result = classifyBounce({
      status: '4.1.1',
      action: 'delayed',
      command: 'RCPT',
      diagnostic: '450 4.1.1 <bob@example.org>: Recipient address rejected: User unknown in local recipient table',
    });
    expect(result).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('lets the text beat a specific code when the code is known to hide it (5.1.1 over quota)', () => {
    expect(classifyBounce({ status: '5.1.1', diagnostic: '550 5.1.1 <ann@example.org>... User is over quota' })).toMatchObject({
      reason: 'mailboxfull',
    });
  });

  it('reads a flattened multi-line reply as one sentence', () => {
    const result = classifyBounce({
      diagnostic:
        "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's 550-5.7.26 DMARC policy. Please contact the administrator of example.com domain. 550 5.7.26 - gsmtp",
    });
    expect(result).toEqual({ class: 'block', reason: 'authfailure', status: '5.7.26' });
  });

  it('reads Sendmail\'s reason written straight after the address ("<addr>...User unknown")', () => {
    // EarthLink's reply (a Postfix DSN with Status 5.0.0): the reason was taken into the address.
    const result = classifyBounce({ status: '5.0.0', diagnostic: '550 ann@earthlink.example...User unknown' });
    expect(result).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('decides from the code family when the text names no reason', () => {
    expect(classifyBounce({ status: '5.7.1', diagnostic: '550 5.7.1 Delivery not authorized, message refused' })).toMatchObject({
      class: 'block',
      reason: 'blocked',
    });
  });

  it('leaves a bare 550 undetermined rather than guessing', () => {
    expect(classifyBounce({ smtpCode: '550', diagnostic: '550 Rejected' })).toMatchObject({ class: 'undetermined', reason: 'onhold' });
  });

  it('says undefined when there is nothing at all', () => {
    expect(classifyBounce({})).toEqual({ class: 'undetermined', reason: 'undefined', status: null });
  });
});

describe('classifyBounce: notaccept, 5xx against 4xx', () => {
  it('is hard when permanent (null MX)', () => {
    expect(classifyBounce({ diagnostic: '556 5.1.10 Recipient address has null MX' })).toMatchObject({
      class: 'hard',
      reason: 'notaccept',
    });
  });

  it('is hard for a 521 reply (RFC 7504)', () => {
    expect(classifyBounce({ diagnostic: '521 5.3.2 example.org does not accept mail' })).toMatchObject({
      class: 'hard',
      reason: 'notaccept',
    });
  });

  it('is soft when temporary', () => {
    expect(classifyBounce({ diagnostic: '421 4.3.2 System not accepting network messages' })).toMatchObject({
      class: 'soft',
      reason: 'notaccept',
    });
  });
});

describe('classifyBounce: the SMTP stage', () => {
  it('reads "unknown" at MAIL FROM as the sender being refused', () => {
    const result = classifyBounce({
      diagnostic: 'SMTP error from remote mail server after MAIL FROM:<news@example.com> SIZE=1543: 553 5.1.0 Unknown address',
    });
    expect(result).toMatchObject({ class: 'block', reason: 'rejected' });
  });

  it('reads a vague refusal before MAIL FROM as the sending host being blocked', () => {
    expect(
      classifyBounce({ diagnostic: 'SMTP error from remote mail server after initial connection: 554 mx.example.org ESMTP refused' }),
    ).toMatchObject({ class: 'block' });
  });

  it('reads "user unknown" after DATA, without an x.1.1 code, as a recipient-side filter', () => {
    const result = classifyBounce({
      diagnostic: 'host mx.example.org[192.0.2.7] said: 550 User unknown (in reply to end of DATA command)',
    });
    expect(result).toMatchObject({ class: 'soft', reason: 'filtered' });
  });

  it('keeps "user unknown" at RCPT TO hard', () => {
    const result = classifyBounce({
      diagnostic: 'host mx.example.org[192.0.2.7] said: 550 User unknown (in reply to RCPT TO command)',
    });
    expect(result).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });

  it('takes the command the parser reports', () => {
    expect(classifyBounce({ command: 'RCPT TO', diagnostic: '550 No such user here' })).toMatchObject({ reason: 'userunknown' });
  });
});

describe('classifyBounce: host not found', () => {
  const text = 'Host or domain name not found. Name service error for name=%s type=MX: Host not found';

  it('is hostunknown when the lookup was for the recipient domain', () => {
    const record = { recipient: 'ann@example.org', diagnostic: text.replace('%s', 'example.org') };
    expect(classifyBounce(record)).toMatchObject({ class: 'hard', reason: 'hostunknown' });
  });

  it('is a network error when another name failed (a relay, a local resolver)', () => {
    const record = { recipient: 'ann@example.org', diagnostic: text.replace('%s', 'relay.example.net') };
    expect(classifyBounce(record)).toMatchObject({ class: 'soft', reason: 'networkerror' });
  });

  it('is a network error when the lookup is to be tried again', () => {
    const diagnostic = 'Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again';
    expect(classifyBounce({ diagnostic })).toMatchObject({ reason: 'networkerror' });
  });
});

describe('classifyBounce: vendor verdicts', () => {
  it('uses the vendor reason when the text says nothing more specific', () => {
    expect(
      classifyBounce({ vendorReason: 'suppressed', vendorClass: 'hard', diagnostic: 'Amazon SES did not send the message' }),
    ).toMatchObject({ class: 'hard', reason: 'suppressed' });
  });

  it('lets the text win over a vendor "permanent" verdict (SES Permanent/General, spam filter)', () => {
    const result = classifyBounce({
      vendorReason: null,
      vendorClass: 'hard',
      status: '5.7.1',
      diagnostic: 'smtp; 550 5.7.1 blocked by spam filter',
    });
    expect(result).toMatchObject({ class: 'block', reason: 'spamdetected' });
  });

  it('keeps "user unknown" hard when the vendor also calls the address invalid', () => {
    expect(classifyBounce({ vendorReason: 'userunknown', vendorClass: 'hard', diagnostic: 'smtp; 550 user unknown' })).toMatchObject({
      class: 'hard',
      reason: 'userunknown',
    });
  });

  it('uses the vendor class when nothing else decides', () => {
    expect(classifyBounce({ vendorClass: 'soft', diagnostic: 'mystery' })).toMatchObject({ class: 'soft' });
  });

  it('ignores vendor values that are not known names', () => {
    const result = classifyBounce({ vendorReason: 'nonsense' as never, vendorClass: 'weird' as never, status: '5.1.1' });
    expect(result).toMatchObject({ class: 'hard', reason: 'userunknown' });
  });
});

describe('classifyBounce: class of every reason', () => {
  it.each([
    ['550 5.1.1 <a@example.org>: Recipient address rejected: User unknown in virtual mailbox table', 'hard'],
    ['552 5.2.2 Mailbox full', 'soft'],
    ['550 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org', 'block'],
    ['550 5.7.1 Message rejected due to local policy', 'block'],
    ['554 5.7.1 <news@example.com>: Sender address rejected: Access denied', 'block'],
  ] as const)('%s is %s', (diagnostic, klass) => {
    expect(classifyBounce({ diagnostic, command: 'RCPT' }).class).toBe(klass);
  });

  it('only ever returns a known class', () => {
    const classes = new Set(BOUNCE_CLASSES);
    for (const diagnostic of ['', '550', '421 try later', 'x'.repeat(10_000), '5.5.5.5.5', '\u0000\u0001']) {
      expect(classes.has(classifyBounce({ diagnostic }).class)).toBe(true);
    }
  });
});
