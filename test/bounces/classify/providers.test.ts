/**
 * One realistic reply per provider table row (texts written for these tests, addresses and
 * IPs from documentation ranges). The last test makes sure no row is left without an example.
 */
import { describe, expect, it } from 'vitest';
import { classifyBounce, normalizeDiagnostic } from '../../../src/bounces/classify/index.js';
import { PROVIDER_RULES } from '../../../src/bounces/classify/providers.js';
import type { BounceReason } from '../../../src/bounces/types.js';

const EXAMPLES: ReadonlyArray<readonly [provider: string, reply: string, reason: BounceReason]> = [
  // Gmail / Google Workspace
  [
    'gmail',
    '550-5.7.1 [203.0.113.5 19] Our system has detected that this message is 550-5.7.1 likely suspicious due to the very low reputation of the sending IP 550-5.7.1 address. - gsmtp',
    'badreputation',
  ],
  [
    'gmail',
    '421-4.7.0 [203.0.113.5] Our system has detected that this message is likely suspicious due to the low reputation of the sending domain. - gsmtp',
    'badreputation',
  ],
  [
    'gmail',
    '550-5.2.1 The email account that you tried to reach is inactive. For more 550 5.2.1 information, go to https://support.google.com/mail/?p=DisabledUser - gsmtp',
    'suspend',
  ],
  [
    'gmail',
    '550-5.7.1 This message does not have authentication information or fails to pass 550-5.7.1 authentication checks (SPF or DKIM). - gsmtp',
    'authfailure',
  ],
  [
    'gmail',
    'The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720 [mx.example.org 192.0.2.7: timed out]',
    'expired',
  ],
  [
    'gmail',
    "550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. - gsmtp",
    'userunknown',
  ],
  [
    'gmail',
    '550-5.2.1 The email account that you tried to reach is disabled. Learn more at 550 5.2.1 https://support.google.com/mail/?p=DisabledUser - gsmtp',
    'suspend',
  ],
  [
    'gmail',
    '452-4.2.2 The email account that you tried to reach is over quota. Please direct 452-4.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaTemp - gsmtp',
    'mailboxfull',
  ],
  [
    'gmail',
    "552-5.2.2 The recipient's inbox is out of storage space. Please direct the 552-5.2.2 recipient to https://support.google.com/mail/?p=OverQuotaPerm - gsmtp",
    'mailboxfull',
  ],
  [
    'gmail',
    '452-4.2.1 The recipient you are trying to contact is receiving mail at a rate that 452-4.2.1 prevents additional messages from being delivered. Please resend your 452-4.2.1 message at a later point. - gsmtp',
    'ratelimited',
  ],
  [
    'gmail',
    '450-4.2.1 The user you are trying to contact is receiving mail too quickly. Please resend your message at a later point. - gsmtp',
    'ratelimited',
  ],
  [
    'gmail',
    '421-4.7.28 [203.0.113.5] Our system has detected an unusual rate of 421-4.7.28 unsolicited mail originating from your IP address. - gsmtp',
    'ratelimited',
  ],
  [
    'gmail',
    '550-5.7.26 This mail has been blocked because the sender is unauthenticated. 550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp',
    'authfailure',
  ],
  [
    'gmail',
    '550-5.7.26 Your email has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM. - gsmtp',
    'authfailure',
  ],
  [
    'gmail',
    "550-5.7.26 Unauthenticated email from example.com is not accepted due to domain's 550-5.7.26 DMARC policy. - gsmtp",
    'authfailure',
  ],
  ['gmail', '550 5.7.26 Learn more at https://support.google.com/mail/?p=DmarcRejection - gsmtp', 'authfailure'],
  [
    'gmail',
    '550-5.7.1 [203.0.113.5 12] Our system has detected that this 550-5.7.1 message is likely unsolicited mail. To reduce the amount of spam sent 550 5.7.1 to Gmail, this message has been blocked. - gsmtp',
    'spamdetected',
  ],
  ['gmail', '550-5.7.1 Our system has detected that this message is likely suspicious due to its content. - gsmtp', 'spamdetected'],
  [
    'gmail',
    "550-5.7.1 [203.0.113.5] The IP you're using to send mail is not authorized to 550-5.7.1 send email directly to our servers. Please use the SMTP relay at your 550-5.7.1 service provider instead. - gsmtp",
    'blocked',
  ],
  [
    'gmail',
    '550-5.7.25 [203.0.113.5] The IP address sending this message does not have a 550-5.7.25 PTR record setup, or the corresponding forward DNS entry does not 550-5.7.25 point to the sending IP. - gsmtp',
    'requireptr',
  ],
  ['gmail', '550-5.7.1 This message is not RFC 5322 compliant. There are multiple Subject 550-5.7.1 headers. - gsmtp', 'notcompliantrfc'],
  [
    'gmail',
    '552-5.7.0 This message was blocked because its content presents a potential 552-5.7.0 security issue. - gsmtp',
    'policyviolation',
  ],
  ['gmail', '550 5.4.5 Daily user sending quota exceeded. - gsmtp', 'ratelimited'],
  ['gmail', "552-5.2.3 Your message exceeded Google's message size limits. - gsmtp", 'emailtoolarge'],
  ['gmail', '451-4.7.26 This mail has been rate limited because it is unauthenticated. - gsmtp', 'authfailure'],
  ['gmail', '421-4.7.0 IP not in whitelist for RCPT domain, closing connection. - gsmtp', 'blocked'],
  ['gmail', '530 5.7.0 TLS required for RCPT domain, closing connection. - gsmtp', 'failedstarttls'],
  [
    'gmail',
    '550-5.7.1 The user or domain that you are sending to (or from) has a policy that prohibited the mail that you sent. - gsmtp',
    'policyviolation',
  ],
  ['gmail', '451-4.3.0 Mail server temporarily rejected message. - gsmtp', 'systemerror'],
  ['gmail', '550 5.7.1 Message rejected. Please visit https://support.google.com/mail/?p=blocked - gsmtp', 'blocked'],
  ['gmail', '550-5.7.1 The sending domain does not have an MX record. - gsmtp', 'rejected'],
  ['gmail', '550-5.7.1 [203.0.113.5] Messages with multiple addresses in From: header are not accepted. - gsmtp', 'notcompliantrfc'],
  [
    'gmail',
    "** Message not delivered ** You're sending this from a different address or alias using the 'Send mail as' feature.",
    'rejected',
  ],
  [
    'google groups',
    "We're writing to let you know that the group you tried to contact (team) may not exist, or you may not have permission to post messages to the group.",
    'rejected',
  ],
  [
    'google groups',
    'If you have questions related to this or any other Google Group, visit the Help Center at https://groups.google.com/support/.',
    'rejected',
  ],
  [
    'gmail',
    "Your message wasn't delivered to ann@example.org because the address couldn't be found, or is unable to receive mail.",
    'userunknown',
  ],
  // Microsoft
  [
    'microsoft',
    '550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [BN1NAM02FT012.eop-nam02.prod.protection.outlook.com]',
    'userunknown',
  ],
  [
    'microsoft',
    '550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [DB5EUR03FT012.eop-EUR03.prod.protection.outlook.com]',
    'userunknown',
  ],
  ['microsoft', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'userunknown'],
  ['microsoft', '550 5.1.10 Recipient ann@example.org not found by SMTP address lookup', 'userunknown'],
  [
    'microsoft',
    '550 5.7.509 Access denied, sending domain EXAMPLE.COM does not pass DMARC verification and has a DMARC policy of reject.',
    'authfailure',
  ],
  ['microsoft', "550 5.7.515 Access denied, sending domain example.com doesn't meet the required authentication level.", 'authfailure'],
  ['microsoft', '550 5.7.509 Access denied, sending domain does not pass DMARC.', 'authfailure'],
  ['microsoft', '550 5.7.515 Access denied, authentication failed.', 'authfailure'],
  [
    'microsoft',
    '550 5.7.606 Access denied, banned sending IP [203.0.113.9]. To request removal from this list please visit https://sender.office.com/',
    'blocked',
  ],
  [
    'microsoft',
    '550 5.7.511 Access denied, banned sender[203.0.113.9]. To request removal from this list please forward this message to delist@messaging.microsoft.com.',
    'blocked',
  ],
  ['microsoft', '550 5.7.708 Service unavailable. Access denied, traffic not accepted from this IP.', 'blocked'],
  ['microsoft', '550 5.7.750 Service unavailable. Access denied, unregistered domain.', 'blocked'],
  ['microsoft', '550 5.7.507 Access denied, rejected by recipient [203.0.113.9]', 'blocked'],
  ['microsoft', '550 5.7.510 Access denied, example.org does not accept email over IPv6 [2001:db8::25]', 'blocked'],
  [
    'microsoft',
    "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't sent. Please contact your Internet service provider since part of their network is on our block list.",
    'blocked',
  ],
  [
    'microsoft',
    "550 5.7.1 Unfortunately, messages from [203.0.113.9] weren't sent. For more information please go to http://go.microsoft.com/fwlink/?LinkID=526655 (AS3140)",
    'blocked',
  ],
  ['microsoft', '451 4.7.650 The mail server [203.0.113.9] has been temporarily rate limited due to IP reputation.', 'badreputation'],
  ['microsoft', '550 5.1.8 Access denied, bad outbound sender.', 'rejected'],
  ['microsoft', '550 5.7.520 Access denied, Your organization does not allow external forwarding.', 'policyviolation'],
  ['microsoft', "550 5.2.122 The recipient's hourly message receive limit was exceeded.", 'ratelimited'],
  ['microsoft', '550 5.2.121 The sender has exceeded the sending limit for this recipient.', 'ratelimited'],
  ['microsoft', '550 5.7.350 Remote server returned message detected as spam -> 554 5.7.1 rejected', 'spamdetected'],
  ['microsoft', '530 5.7.57 Client was not authenticated to send anonymous mail during MAIL FROM', 'securityerror'],
  ['microsoft', '550 5.7.750 Service unavailable. Client blocked from sending from unregistered domains.', 'blocked'],
  ['microsoft', '451 4.7.500 Server busy. Please try again later from [203.0.113.9]. (S77719)', 'ratelimited'],
  ['microsoft', '550 5.4.316 Message expired, connection refused(Socket error code 10061)', 'expired'],
  [
    'microsoft',
    '550 5.6.211 Invalid MIME Content: Single text value size (32768) exceeded allowed maximum (32768) for the property.',
    'contenterror',
  ],
  [
    'microsoft',
    "550 SC-001 (BAY0-MC1-F21) Unfortunately, messages from 203.0.113.9 weren't sent. Hotmail does not relay dynamically-assigned IP ranges.",
    'blocked',
  ],
  [
    'microsoft',
    "550 DY-001 (SNT0-MC2-F13) Unfortunately, messages from 203.0.113.9 weren't sent. We generally do not accept email from dynamic IPs.",
    'blocked',
  ],
  ['microsoft', "421 RP-001 (BAY0-MC4-F9) Unfortunately, some messages from 203.0.113.9 weren't sent. Please try again.", 'ratelimited'],
  // Yahoo / AOL
  [
    'yahoo',
    '421 4.7.0 [TSS04] Messages from 203.0.113.9 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes',
    'badreputation',
  ],
  ['yahoo', '421 4.7.0 [TSS01] Messages from 203.0.113.9 temporarily deferred due to user complaints', 'ratelimited'],
  ['yahoo', '421 4.7.0 [TSS09] All servers busy. Try again later.', 'ratelimited'],
  ['yahoo', '421 4.7.1 [TS01] Messages from 203.0.113.9 temporarily deferred due to excessive user complaints', 'ratelimited'],
  ['yahoo', '421 4.7.0 [TS02] Messages from 203.0.113.9 temporarily deferred', 'ratelimited'],
  ['yahoo', '421 4.7.0 [TS03] All messages from 203.0.113.9 will be permanently deferred', 'ratelimited'],
  ['yahoo', "553 5.7.1 [BL21] Connections will not be accepted from 203.0.113.9, because the ip is in Spamhaus's list", 'blocked'],
  ['yahoo', '553 5.7.1 [BL22] Connections not accepted from IP addresses on Spamhaus PBL', 'blocked'],
  ['yahoo', '553 5.7.1 [BL23] Connections not accepted from IP addresses on Spamhaus XBL', 'blocked'],
  [
    'yahoo',
    "554 delivery error: dd This user doesn't have a yahoo.com account (ann@yahoo.com) [0] - mta1234.mail.gq1.yahoo.com",
    'userunknown',
  ],
  ['yahoo', '554 delivery error: dd ann@yahoo.com is over quota - mta1234.mail.gq1.yahoo.com', 'mailboxfull'],
  ['yahoo', '553 Mailbox nobody@yahoo.com does not exist', 'userunknown'],
  ['yahoo', '554 5.7.9 Message not accepted for policy reasons. See https://postmaster.yahooinc.com/error-codes', 'policyviolation'],
  [
    'yahoo',
    '451 Message temporarily deferred due to unresolvable RFC.5321 from domain; see https://postmaster.yahooinc.com/error-codes',
    'rejected',
  ],
  ['yahoo', '554 delivery error: dd Not a valid recipient - atlas123.free.mail.bf1.yahoo.com', 'userunknown'],
  // Facebook
  [
    'facebook',
    '550 5.1.1 RCP-P1 http://postmaster.facebook.com/response_codes?ip=203.0.113.9#rcp Recipient address does not exist',
    'userunknown',
  ],
  [
    'facebook',
    '550 5.1.1 RCP-P2 http://postmaster.facebook.com/response_codes?ip=203.0.113.9#rcp Refused due to recipient preferences',
    'filtered',
  ],
  [
    'facebook',
    '550 5.1.1 RCP-P3 http://postmaster.facebook.com/response_codes?ip=203.0.113.9#rcp Refused due to recipient preferences',
    'filtered',
  ],
  [
    'facebook',
    '550 5.7.1 RCP-P4 http://postmaster.facebook.com/response_codes?ip=203.0.113.9#rcp Refused due to policy',
    'policyviolation',
  ],
  [
    'facebook',
    '451 4.2.1 RCP-T1 http://postmaster.facebook.com/response_codes?ip=203.0.113.9#rcp Receiving too many messages',
    'ratelimited',
  ],
  ['facebook', '451 4.4.1 RCP-T4 http://postmaster.facebook.com/response_codes?ip=203.0.113.9#rcp Temporary failure', 'networkerror'],
  // au (KDDI): the address left out of "User unknown" is its answer to a filtered sender
  ['kddi', '550 : User unknown', 'filtered'],
  ['kddi', '550 5.1.351 Remote server returned unknown recipient or mailbox unavailable -> 550 : User unknown', 'filtered'],
  // Apple iCloud
  ['icloud', '550 5.1.1 <ann@icloud.com>: inactive email address', 'suspend'],
  [
    'icloud',
    '554 5.7.1 [HM08] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
    'policyviolation',
  ],
  [
    'icloud',
    '554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137',
    'policyviolation',
  ],
  // GMX / web.de
  [
    'gmx',
    '554-mx.gmx.net (mxgmx012) Nemesis ESMTP Service not available 554-No SMTP service 554-IP address is block listed. 554 For explanation visit https://www.gmx.net/mail/senderguidelines?ip=203.0.113.9&c=bl',
    'blocked',
  ],
  [
    'web.de',
    '554-web.de (mxweb112) Nemesis ESMTP Service not available 554 For explanation visit https://web.de/email/senderguidelines?ip=203.0.113.9&c=hi',
    'blocked',
  ],
  [
    'gmx',
    '554 Transaction failed Reject due to policy restrictions. For explanation visit https://www.gmx.net/mail/senderguidelines?c=pr',
    'blocked',
  ],
  ['web.de', '554 Transaction failed Reject due to policy restrictions.', 'policyviolation'],
  ['gmx', '421 Service temporarily reduced number of connections for 203.0.113.9', 'ratelimited'],
  // Orange / La Poste
  ['orange', '550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]', 'userunknown'],
  ['orange', "550 5.1.1 Adresse d'au moins un destinataire invalide. Invalid recipient. OFR_416 [416]", 'userunknown'],
  ['orange', '552 5.1.1 Boite du destinataire pleine. Recipient overquota. OFR_417 [417]', 'mailboxfull'],
  ['la poste', '550 5.5.0 Le compte du destinataire est bloque. The recipient account is blocked. LPN007_426', 'suspend'],
  ['la poste', '550 5.5.0 Adresse destinataire invalide. Invalid recipient. LPN007_416', 'userunknown'],
  ['orange', '501 5.1.0 Emetteur invalide. Invalid Sender. OFR004_405 [405]', 'rejected'],
  ['orange', '550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]', 'spamdetected'],
  ['la poste', '421 4.2.1 Service refuse. Veuillez essayer plus tard. Service refused, please try later. LPN006_107', 'blocked'],
  [
    'orange',
    '421 mwinf5c12 ME Trop de connexions, veuillez verifier votre configuration. Too many connections, slow down. OFR005_104 [104]',
    'ratelimited',
  ],
  // Comcast
  [
    't-online',
    '554 IP=203.0.113.9 - A problem occurred. (Ask your postmaster for help or to contact tosa@rx.t-online.de to clarify.) (BL)',
    'blocked',
  ],
  ['comcast', '554 5.7.1 comcast block for spam. Please see http://postmaster.comcast.net/smtp-error-codes.php#BL000000', 'blocked'],
  [
    'comcast',
    '554 resimta-ch2-18v.sys.comcast.net comcast 203.0.113.9 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000001',
    'blocked',
  ],
  ['comcast', '421 resimta-po-13v.sys.comcast.net comcast 203.0.113.9 Too many sessions opened. RL000001', 'ratelimited'],
  // Mimecast
  ['mimecast', '550 Invalid Recipient - https://community.mimecast.com/docs/DOC-1369#550 [AbCdEf.uk123]', 'userunknown'],
  [
    'mimecast',
    '550 Rejected by header based Anti-Spoofing policy: ann@example.org - https://community.mimecast.com/docs/DOC-1369#550',
    'policyviolation',
  ],
  ['mimecast', '550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550', 'filtered'],
  ['mimecast', '554 Message rejected by Mimecast policy', 'policyviolation'],
  ['mimecast', '554 Host network not allowed - https://community.mimecast.com/docs/DOC-1369#554 [AbCdEf.us123]', 'policyviolation'],
  // Proofpoint
  ['proofpoint', '554 Blocked - see https://ipcheck.proofpoint.com/?ip=203.0.113.9', 'blocked'],
  ['proofpoint', '554 5.7.1 Blocked by policy: no spam please', 'policyviolation'],
  // Barracuda
  [
    'barracuda',
    '554 Service unavailable; Client host [203.0.113.9] blocked using Barracuda Reputation; http://www.barracudanetworks.com/reputation/?pr=1&ip=203.0.113.9',
    'blocked',
  ],
  ['barracuda', '550 Blocked: see http://www.barracudanetworks.com/reputation/?ip=203.0.113.9', 'blocked'],
  ['barracuda', '**Message you sent blocked by our bulk email filter**', 'spamdetected'],
  // Verizon, Tencent, Amazon SES
  ['verizon', 'Message could not be delivered to mobile. Error: No valid recipients for this MM', 'userunknown'],
  [
    'tencent',
    '550 Ip frequency limited [ABC/DEF Blocked IP 203.0.113.9]. http://service.mail.qq.com/cgi-bin/help?subtype=1',
    'ratelimited',
  ],
  [
    'amazon ses',
    '554 Message rejected: Email address is not verified. The following identities failed the check in region US-EAST-1: news@example.com',
    'norelaying',
  ],
  [
    'amazon ses',
    'Amazon SES has suppressed sending to this address because it has a recent history of bouncing as an invalid address.',
    'suppressed',
  ],
  ['amazon ses', 'The address is on the account-level suppression list for your account.', 'suppressed'],
  // Directory lookups and MTA local errors
  ['domino', 'User ann (ann@example.org) not listed in Domino Directory', 'userunknown'],
  ['domino', 'Recipient ann@example.org not listed in public Name & Address Book', 'userunknown'],
  ['exchange', 'The recipient name is not recognized MSEXCH:IMS:EXAMPLE:SITE:MAIL1 0 (000C05A6) Unknown Recipient', 'userunknown'],
  ['exchange', '554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain', 'hostunknown'],
  // The MX points back at the sending server: a loop of configuration, not a dead address.
  ['exchange', '554 5.4.4 SMTPSEND.DNS.MxLoopback; DNS records for the destination domain are configured in a loop', 'networkerror'],
  ['exchange', '550 5.2.0 RESOLVER.ADR.BadPrimary; the primary address of the recipient is invalid', 'systemerror'],
  ['exchange', '550 5.1.0 RESOLVER.ADR.InvalidInSmtp; the recipient address is not valid in SMTP', 'systemerror'],
  // Two directory objects claim the address: the recipient's administrators must fix it.
  ['exchange', '550 5.1.4 RESOLVER.ADR.Ambiguous; ambiguous address', 'systemerror'],
  ['exchange', 'Unknown Recipient MSEXCH:IMS:EXAMPLE:SITE:MAIL1 0 (000C05A6)', 'userunknown'],
  ['exchange', 'Too many hops MSEXCH:IMS:EXAMPLE:SITE:MAIL1 0 (00120270)', 'networkerror'],
  ['exchange', 'Conversion to Internet format failed MSEXCH:IMS:EXAMPLE:SITE:MAIL1 0 (00050311)', 'contenterror'],
  ['exchange', 'Conversion to Internet format failed MSEXCH:IMS:EXAMPLE:SITE:MAIL1 0 (000502CC)', 'contenterror'],
  ['exchange', '502 Server does not support AUTH MSEXCH:IMS:EXAMPLE:SITE:MAIL1 0 (000B0981)', 'securityerror'],
  ['postfix', 'Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again', 'networkerror'],
  ['postfix', 'Host or domain name not found. Name service error for name=example.org type=MX: Host not found', 'hostunknown'],
  ['postfix', 'Host or domain name not found. Name service error for name=example.org type=A: Host not found', 'hostunknown'],
  ['postfix', 'Host or domain name not found. Name service error for name=example.org type=AAAA: Host not found', 'hostunknown'],
  ['exim', 'all relevant MX records point to non-existent hosts', 'hostunknown'],
  ['exim', 'Unrouteable address: an MX or SRV record indicated no SMTP service', 'notaccept'],
  ['qmail', "Sorry, I couldn't find any host named example.org. (#5.1.2)", 'hostunknown'],
  [
    'qmail',
    "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1) I'm not going to try again; this message has been in the queue too long.",
    'networkerror',
  ],
  ['qmail', 'Connected to 192.0.2.7 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name', 'blocked'],
];

describe('provider texts', () => {
  it.each(EXAMPLES)('%s: %s', (_provider, reply, reason) => {
    expect(classifyBounce({ recipient: 'ann@example.org', diagnostic: reply, command: 'RCPT' } as never).reason).toBe(reason);
  });

  it('has an example for every row of the table', () => {
    const texts = EXAMPLES.map(([, reply]) => normalizeDiagnostic(reply));
    const missing = PROVIDER_RULES.filter(
      ([match]) => !texts.some((text) => (typeof match === 'string' ? text.includes(match) : match.test(text))),
    ).map(([match, , provider]) => `${provider}: ${String(match)}`);
    expect(missing).toEqual([]);
  });
});
