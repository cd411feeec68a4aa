/**
 * One realistic reply (or local error) per reason, as MTAs other than the big providers word
 * them. Written for these tests; addresses and IPs are from documentation ranges.
 */
import { describe, expect, it } from 'vitest';
import { classifyBounce } from '../../../src/bounces/classify/index.js';
import type { BounceClass, BounceEvidence, BounceReason } from '../../../src/bounces/types.js';

const RCPT = 'RCPT';

const CASES: ReadonlyArray<readonly [BounceReason, BounceClass, BounceEvidence]> = [
  [
    'userunknown',
    'hard',
    { command: RCPT, diagnostic: '550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown in virtual mailbox table' },
  ],
  ['userunknown', 'hard', { command: RCPT, diagnostic: '550 No such user - psmtp' }],
  [
    'userunknown',
    'hard',
    { diagnostic: '192.0.2.7 does not like recipient. Remote host said: 550 sorry, no mailbox here by that name. (#5.1.1)' },
  ],
  // Prodigy/SBC's plain-text bounce: no code at all, only its words.
  [
    'userunknown',
    'hard',
    { diagnostic: 'Unable to find user: <ann@example.net> Please make sure the address is correct and resend your mail.' },
  ],
  ['hostunknown', 'hard', { diagnostic: "Sorry, I couldn't find any host named example.invalid. (#5.1.2)" }],
  // A word filter: the message's content, not the address (block, never a suppression).
  ['policyviolation', 'block', { diagnostic: 'This mail message contains banned or potentially offensive text.' }],
  ['hostunknown', 'hard', { status: '5.1.2', diagnostic: '550 5.1.2 Bad destination system address' }],
  [
    'hasmoved',
    'hard',
    { command: RCPT, diagnostic: '550 5.1.6 <ann@example.org>: the mailbox has moved, ann has been replaced by ann.lee@example.net' },
  ],
  ['notaccept', 'hard', { diagnostic: '556 5.1.10 Recipient address has null MX' }],
  ['mailboxfull', 'soft', { diagnostic: '452 4.2.2 <ann@example.org>: Recipient address rejected: Mailbox full' }],
  ['mailboxfull', 'soft', { diagnostic: 'maildir delivery failed: userdisk quota 1048576 exceeded' }],
  ['mailboxfull', 'soft', { diagnostic: '(0), ErrMsg=mail box space not enough, account=ann' }],
  ['expired', 'soft', { diagnostic: 'Delivery failed 20 attempts' }],
  [
    'userunknown',
    'hard',
    { diagnostic: 'Your message to ann@example.it has reached our server, but this email address is no longer valid.' },
  ],
  [
    'suspend',
    'soft',
    { command: RCPT, diagnostic: '550 5.2.1 <ann@example.org>: Mailbox disabled, not accepting messages: account is disabled' },
  ],
  ['filtered', 'soft', { diagnostic: '550 5.7.1 <ann@example.org>... Message rejected due to user rules' }],
  ['rejected', 'block', { diagnostic: '553 5.1.8 <news@example.com>: Sender address rejected: Domain not found' }],
  [
    'blocked',
    'block',
    {
      diagnostic:
        '554 5.7.1 Service unavailable; Client host [203.0.113.9] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/203.0.113.9',
    },
  ],
  ['badreputation', 'block', { diagnostic: '550 5.7.1 Message rejected because of the poor reputation of the sending IP' }],
  ['requireptr', 'block', { diagnostic: '450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.9]' }],
  [
    'authfailure',
    'block',
    { diagnostic: '550 5.7.23 Message rejected due to SPF fail: news@example.com is not allowed to send from 203.0.113.9' },
  ],
  ['policyviolation', 'block', { diagnostic: '550 5.7.1 Message rejected due to local policy: executable attachments are not accepted' }],
  ['spamdetected', 'block', { diagnostic: '550 5.7.1 Message rejected as spam by Content Filtering' }],
  ['virusdetected', 'block', { diagnostic: '554 5.7.1 Message rejected: virus found in attachment invoice.zip (Eicar-Test-Signature)' }],
  ['contenterror', 'block', { diagnostic: '554 5.6.0 Message rejected: improper use of 8-bit data in message header' }],
  ['notcompliantrfc', 'block', { diagnostic: '550 5.6.0 Message rejected: duplicate header "Date" is not RFC 5322 compliant' }],
  ['securityerror', 'block', { diagnostic: '530 5.7.0 Authentication required' }],
  ['norelaying', 'block', { diagnostic: '554 5.7.1 <ann@example.org>: Relay access denied' }],
  ['syntaxerror', 'block', { diagnostic: '503 5.5.1 Error: bad sequence of commands' }],
  ['failedstarttls', 'block', { diagnostic: '530 5.7.0 Must issue a STARTTLS command first' }],
  ['ratelimited', 'block', { diagnostic: '421 4.7.0 mx.example.org Error: too many connections from 203.0.113.9' }],
  ['systemerror', 'soft', { diagnostic: '451 4.3.0 Error: queue file write error' }],
  ['systemfull', 'soft', { diagnostic: '452 4.3.1 Insufficient system storage' }],
  [
    'mailererror',
    'soft',
    { diagnostic: 'Command died with status 1: "/usr/bin/procmail". Command output: procmail: Error while writing to "/var/mail/ann"' },
  ],
  ['networkerror', 'soft', { diagnostic: 'connect to mx.example.org[192.0.2.7]:25: Connection timed out' }],
  ['networkerror', 'soft', { diagnostic: 'lost connection with mx.example.org[192.0.2.7] while sending RCPT TO' }],
  ['expired', 'soft', { diagnostic: 'retry timeout exceeded' }],
  ['expired', 'soft', { status: '4.4.7', diagnostic: 'Message could not be delivered for 5 days' }],
  ['emailtoolarge', 'soft', { diagnostic: '552 5.3.4 Message size exceeds fixed limit' }],
  ['suppressed', 'hard', { diagnostic: 'Address is on the suppression list' }],
  // Mailgun's code 605, as its bounce-list export and events word it.
  ['suppressed', 'hard', { smtpCode: null, diagnostic: 'Not delivering to previously bounced address' }],
  ['onhold', 'undetermined', { status: '4.0.0', diagnostic: '450 4.0.0 Try again' }],
];

describe('reason phrases', () => {
  it.each(CASES)('%s (%s): %j', (reason, klass, evidence) => {
    expect(classifyBounce(evidence)).toMatchObject({ reason, class: klass });
  });

  it('reads "mailbox unavailable" as unknown only when nothing more specific is said', () => {
    expect(classifyBounce({ command: RCPT, diagnostic: '550 Requested action not taken: mailbox unavailable' }).reason).toBe('userunknown');
    expect(
      classifyBounce({ command: RCPT, diagnostic: '550 Requested action not taken: mailbox unavailable (blocked using bl.spamcop.net)' })
        .reason,
    ).toBe('blocked');
  });

  it('names the cause of an expiry when the last reply gave one', () => {
    const evidence = { status: '4.4.7', diagnostic: '450 4.7.1 Client host rejected: cannot find your hostname, [203.0.113.9]' };
    expect(classifyBounce(evidence)).toMatchObject({ reason: 'requireptr', class: 'block' });
  });

  // The sender's own quota or limit is worded like a full mailbox or carries an address code:
  // never read as the recipient's mailbox or a dead address (documented replies of Microsoft
  // and Google Workspace, as Sisimai's tables of them label them).
  it.each([
    ["550 5.1.90 Your message can't be sent because you've reached your daily limit for message recipients"],
    ['550 5.2.2 Submission quota exceeded'],
    ['550 5.4.5 Daily sending quota exceeded'],
    ['550 5.4.5 Daily SMTP relay limit exceeded for user'],
    ['450 4.2.1 Peak SMTP relay limit exceeded for customer'],
    ['421 Connection refused, too many sessions from This IP. Please lower the number of concurrent sessions.'],
    ['554 Throttling failure: Daily message quota exceeded.'],
  ])('reads a sender limit as a rate limit, not a mailbox: %s', (diagnostic) => {
    expect(classifyBounce({ action: 'failed', diagnostic })).toMatchObject({ reason: 'ratelimited', class: 'block' });
  });

  // Words the MTAs themselves write into their bounces (Exim, OpenSMTPD, qmail, Domino, amavisd,
  // Google Workspace), as Sisimai's MTA modules list them: each a cause of its own.
  it.each([
    ["Your message wasn't delivered to ann@example.org because the address couldn't be found. Check for typos", 'userunknown', 'hard'],
    ["ann@example.org: Benutzer non répertorié dans l'annuaire Domino", 'userunknown', 'hard'],
    ['Requested action not taken: mailbox unavailable (not enough free space)', 'systemfull', 'soft'],
    ['all routes to destination blocked', 'networkerror', 'soft'],
    ['Envelope expired', 'expired', 'soft'],
    ['delivery to pipe forbidden', 'systemerror', 'soft'],
    ['Too many "Received" headers - suspected mail loop', 'contenterror', 'block'],
    ['554 5.7.0 Reject, id=12345-01 - INFECTED: Eicar-Test-Signature', 'virusdetected', 'block'],
    ['Technical details: Routing: Could not find a gateway for ann@example.org', 'expired', 'soft'],
    ['vdelivermail: account is locked email bounced', 'suspend', 'soft'],
    ['550 5.7.1 The message has been rejected by BATV defense', 'rejected', 'block'],
    ['550 5.7.124 Sender not in allowed-senders list', 'rejected', 'block'],
    ['550 Unknown local-part "ann" in domain "example.org"', 'userunknown', 'hard'],
    ['Mailaddress is administrativley disabled. (#5.2.1)', 'suspend', 'soft'],
    ['NOT MEMBER article from ann@example.org', 'rejected', 'block'],
    // The code says "unable to route", the words say the receiving system failed: not a dead address.
    ['Permanent error while executing qmail-forward (#5.4.4)', 'systemerror', 'soft'],
    ['Illegal value in LDAP attribute (#5.3.5)', 'systemerror', 'soft'],
    ['553 sorry, your envelope recipient has been denied', 'userunknown', 'hard'],
    ['550 5.7.1 SPF check: fail - see http://spf.pobox.com/why.html', 'authfailure', 'block'],
    ['192.0.2.7 does not like recipient. Remote host said: 553 sorry, relaying denied from your location', 'norelaying', 'block'],
  ] as const)("reads an MTA's own words: %s", (diagnostic, reason, cls) => {
    expect(classifyBounce({ action: 'failed', diagnostic })).toMatchObject({ reason, class: cls });
  });

  // qmail says "does not like recipient" for any refusal at RCPT TO: the words it quotes decide,
  // and a vague "Access denied" there is not proof of a dead address.
  it('does not read qmail\'s "does not like recipient" alone as a dead address', () => {
    const vague = classifyBounce({
      action: 'failed',
      diagnostic: '192.0.2.7 does not like recipient. Remote host said: 550 Access denied',
    });
    expect(vague.class).not.toBe('hard');
    const unknown = classifyBounce({
      action: 'failed',
      diagnostic: '192.0.2.7 does not like recipient. Remote host said: 550 5.1.1 <ann@example.org>... User unknown',
    });
    expect(unknown).toMatchObject({ reason: 'userunknown', class: 'hard' });
  });

  it('keeps a full mailbox full', () => {
    expect(classifyBounce({ diagnostic: '552 5.2.2 Quota exceeded (mailbox for user is full)' })).toMatchObject({
      reason: 'mailboxfull',
      class: 'soft',
    });
  });

  it.each([
    ['550 SPF Sender Invalid - envelope rejected', 'authfailure'],
    ['550 DMARC Sender Invalid - envelope rejected', 'authfailure'],
    ['553 This route requires encryption (TLS)', 'failedstarttls'],
    ['550 5.7.321 starttls-not-supported: Destination mail server must support TLS to receive mail.', 'failedstarttls'],
    ['550 5.7.323 tlsa-invalid: The domain failed DANE validation.', 'failedstarttls'],
    ['550 5.2.1 Content Filter agent quarantined this message', 'spamdetected'],
    ['454 4.5.0 SMTP protocol violation, no commands allowed to pipeline after STARTTLS', 'syntaxerror'],
    ['421 4.7.0 Temporary System Problem. Try again later.', 'systemerror'],
    ['554 Maximum email size exceeded', 'emailtoolarge'],
  ] as const)('reads a documented refusal of the sender or the message as such: %s', (diagnostic, reason) => {
    const result = classifyBounce({ action: 'failed', diagnostic });
    expect(result.reason).toBe(reason);
    expect(result.class).not.toBe('hard');
  });

  it('matches typographic apostrophes like ASCII ones', () => {
    expect(classifyBounce({ diagnostic: '554 delivery error: dd This user doesn\u2019t have a yahoo.com account' }).reason).toBe(
      'userunknown',
    );
  });
});

/**
 * Wordings that used to come out undetermined or as the wrong reason, one family per row: the
 * same meaning as other MTAs and providers word it (qmail, Sendmail, Exchange, Postfix, Exim,
 * Domino, Spanish-language ISPs), written for these tests.
 */
describe('wording families', () => {
  it.each([
    ['hostunknown', "Sorry, I couldn't find any host by that name. (#4.1.2)"],
    ['hostunknown', '550 No MX found for example.invalid'],
    ['hostunknown', 'Host or domain name not found. Name service error: no MX records found for example.invalid'],
    ['hostunknown', '550 5.4.4 The domain name could not be found'],
    ['expired', 'retry timeout exceeded'],
    ['expired', 'Retry time not reached for any host after a long failure period'],
    ['mailboxfull', 'Mailbox quota usage exceeded. Espacio en casilla de mail agotado.'],
    ['mailboxfull', '552 5.2.2 Quota exceeded (mailbox for user is full)'],
    ['mailboxfull', '552 user mailbox exceeds allowed size'],
    ['mailboxfull', '552 message size exceeds the quota of the recipient mailbox; mailbox full'],
    ['notcompliantrfc', "Failed to deliver to '<ann@example.org>' Messages without To: fields are not accepted here"],
    // The directory holds the name twice: the address may be good once that is fixed (soft).
    ['systemerror', 'x-notes; Recipient user name info (ann@example.org ) not unique. Several matches found in Domino Directory.'],
    ['userunknown', '550 Nonexistent user ann@example.org'],
    ['userunknown', '550 <ann@example.org>: Destinatario desconocido'],
    ['userunknown', '550 Utente sconosciuto'],
    ['userunknown', 'Invalid final delivery userid'],
    ['userunknown', "L'adresse de messagerie référencée ci-dessus n'existe pas."],
    ['emailtoolarge', 'This mail message has exceeded the maximum incoming message size.'],
    ['emailtoolarge', '552 Message exceeds the maximum allowed message size of 10485760 bytes'],
    ['suspend', 'Esta casilla ha expirado por falta de uso.'],
    ['rejected', '550 Sorry, you are sending to/from an address that has been blacklisted'],
    ['rejected', '554 5.7.1 Access denied (sender blacklisted)'],
    ['userunknown', '550 5.1.0 <ann@example.org>: Recipient address rejected'],
    [
      'ratelimited',
      '450 4.2.0 <ann@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html',
    ],
  ] as const)('%s: %s', (reason, diagnostic) => {
    expect(classifyBounce({ diagnostic }).reason).toBe(reason);
  });

  it('an anti-virus footer is not a virus verdict', () => {
    const footer =
      '550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown. This message has been scanned for viruses and ' +
      'dangerous content by MailScanner, and is believed to be clean. No virus found in this incoming message.';
    expect(classifyBounce({ diagnostic: footer })).toMatchObject({ class: 'hard', reason: 'userunknown' });
    expect(classifyBounce({ diagnostic: '550 Message refused. This email has been checked by AVG anti-virus software.' }).reason).not.toBe(
      'virusdetected',
    );
    expect(classifyBounce({ diagnostic: '554 5.7.1 Message rejected: infected with a virus (W32/Netsky)' }).reason).toBe('virusdetected');
  });

  it('a quota is a full mailbox, not a message too large', () => {
    expect(classifyBounce({ diagnostic: '552 5.2.2 Mailbox size limit exceeded' }).reason).toBe('mailboxfull');
    expect(classifyBounce({ diagnostic: '552 5.3.4 Message size exceeds fixed maximum message size' }).reason).toBe('emailtoolarge');
  });

  it('a delay warning is soft, and the cause it names wins', () => {
    const warning = 'This is a warning message only. You do not need to resend your message. Delivery attempts will continue.';
    expect(classifyBounce({ action: 'delayed', diagnostic: warning })).toMatchObject({ class: 'soft', reason: 'expired' });
    expect(classifyBounce({ action: 'delayed', status: '4.4.7', diagnostic: null })).toMatchObject({ class: 'soft' });
    expect(classifyBounce({ action: 'delayed', diagnostic: null })).toMatchObject({ class: 'soft', reason: 'expired' });
    expect(classifyBounce({ action: 'delayed', status: '4.2.2', diagnostic: `452 4.2.2 Mailbox full. ${warning}` })).toMatchObject({
      class: 'soft',
      reason: 'mailboxfull',
    });
  });

  it('a final failure after connection timeouts is an expiry, a temporary one a network error', () => {
    const timeout = 'connect to mx.example.org[192.0.2.7]:25: Connection timed out';
    expect(classifyBounce({ action: 'failed', status: '4.4.1', diagnostic: timeout })).toMatchObject({ class: 'soft', reason: 'expired' });
    expect(classifyBounce({ action: 'delayed', status: '4.4.1', diagnostic: timeout })).toMatchObject({
      class: 'soft',
      reason: 'networkerror',
    });
  });
});
