/**
 * Well-known texts of large mailbox providers and filtering services. They are tried before
 * anything else because the provider documents what they mean, and their wording often uses a
 * misleading code (Microsoft's `5.5.0 mailbox unavailable` is an unknown user, Gmail's `5.2.1`
 * a disabled account). One row per message: `[phrase or bounded pattern, reason, who]`.
 * Phrases are lower-case with single blanks, as `normalizeDiagnostic` produces the text.
 */
import type { BounceReason } from '../types.js';

export type ProviderRule = readonly [match: string | RegExp, reason: BounceReason, provider: string];

export const PROVIDER_RULES: readonly ProviderRule[] = [
  // Gmail / Google Workspace
  ['low reputation of the sending', 'badreputation', 'gmail'],
  ['the email account that you tried to reach is inactive', 'suspend', 'gmail'],
  ['does not have authentication information or fails to pass', 'authfailure', 'gmail'],
  ['the recipient server did not accept our requests to connect', 'expired', 'gmail'],
  ['the email account that you tried to reach does not exist', 'userunknown', 'gmail'],
  // Google Workspace's NDR: "Your message wasn't delivered to x because the address couldn't be found"
  ["because the address couldn't be found", 'userunknown', 'gmail'],
  ['the email account that you tried to reach is disabled', 'suspend', 'gmail'],
  ['the email account that you tried to reach is over quota', 'mailboxfull', 'gmail'],
  ["the recipient's inbox is out of storage space", 'mailboxfull', 'gmail'],
  ['is receiving mail at a rate that prevents additional messages from being delivered', 'ratelimited', 'gmail'],
  ['is receiving mail too quickly', 'ratelimited', 'gmail'],
  ['unusual rate of unsolicited mail', 'ratelimited', 'gmail'],
  ['this mail has been blocked because the sender is unauthenticated', 'authfailure', 'gmail'],
  ['gmail requires all senders to authenticate', 'authfailure', 'gmail'],
  ['unauthenticated email from', 'authfailure', 'gmail'],
  ['p=dmarcrejection', 'authfailure', 'gmail'],
  ['is likely unsolicited mail', 'spamdetected', 'gmail'],
  ['our system has detected that this message is likely suspicious', 'spamdetected', 'gmail'],
  ["the ip you're using to send mail is not authorized to send email directly to our servers", 'blocked', 'gmail'],
  ['does not have a ptr record', 'requireptr', 'gmail'],
  ['not rfc 5322 compliant', 'notcompliantrfc', 'gmail'],
  ['its content presents a potential', 'policyviolation', 'gmail'],
  ['daily user sending quota exceeded', 'ratelimited', 'gmail'],
  ["exceeded google's message size limits", 'emailtoolarge', 'gmail'],
  ['this mail has been rate limited because it is unauthenticated', 'authfailure', 'gmail'],
  ['ip not in whitelist for rcpt domain', 'blocked', 'gmail'],
  ['tls required for rcpt domain', 'failedstarttls', 'gmail'],
  ['has a policy that prohibited the mail that you sent', 'policyviolation', 'gmail'],
  ['mail server temporarily rejected message', 'systemerror', 'gmail'],
  ['message rejected. please visit https://support.google.com/mail/?p=blocked', 'blocked', 'gmail'],
  ['sending domain does not have an mx record', 'rejected', 'gmail'],
  ['messages with multiple addresses in from:', 'notcompliantrfc', 'gmail'],
  ["using the 'send mail as' feature", 'rejected', 'gmail'],
  // Google Groups: the sender may not post to the group
  ['you may not have permission to post messages to the group', 'rejected', 'google groups'],
  ['groups.google.com/support', 'rejected', 'google groups'],
  // Microsoft (Outlook.com, Hotmail, Exchange Online)
  ['5.5.0 requested action not taken: mailbox unavailable', 'userunknown', 'microsoft'],
  ['recipient address rejected: access denied', 'userunknown', 'microsoft'],
  ['recipientnotfound', 'userunknown', 'microsoft'],
  ['not found by smtp address lookup', 'userunknown', 'microsoft'],
  ['does not pass dmarc verification', 'authfailure', 'microsoft'],
  ["doesn't meet the required authentication level", 'authfailure', 'microsoft'],
  ['5.7.509 access denied', 'authfailure', 'microsoft'],
  ['5.7.515 access denied', 'authfailure', 'microsoft'],
  ['access denied, banned sending ip', 'blocked', 'microsoft'],
  ['access denied, banned sender', 'blocked', 'microsoft'],
  ['access denied, traffic not accepted from this ip', 'blocked', 'microsoft'],
  ['access denied, unregistered domain', 'blocked', 'microsoft'],
  // 5.7.507: the recipient's organisation blocks the sending IP; 5.7.510: no mail over IPv6.
  ['access denied, rejected by recipient', 'blocked', 'microsoft'],
  ['does not accept email over ipv6', 'blocked', 'microsoft'],
  ['part of their network is on our block list', 'blocked', 'microsoft'],
  [/\((?:s|as)3(?:140|150)\)/, 'blocked', 'microsoft'],
  ['temporarily rate limited due to ip reputation', 'badreputation', 'microsoft'],
  ['access denied, bad outbound sender', 'rejected', 'microsoft'],
  ['organization does not allow external forwarding', 'policyviolation', 'microsoft'],
  ["recipient's hourly message receive limit", 'ratelimited', 'microsoft'],
  ['exceeded the sending limit', 'ratelimited', 'microsoft'],
  ['remote server returned message detected as spam', 'spamdetected', 'microsoft'],
  ['client was not authenticated to send anonymous mail', 'securityerror', 'microsoft'],
  ['client blocked from sending from unregistered domains', 'blocked', 'microsoft'],
  ['server busy. please try again later from', 'ratelimited', 'microsoft'],
  ['message expired, connection refused', 'expired', 'microsoft'],
  ['hotmail does not relay dynamically-assigned ip ranges', 'blocked', 'microsoft'],
  [/\b(?:sc|dy)-00\d\b/, 'blocked', 'microsoft'],
  [/\brp-00\d\b/, 'ratelimited', 'microsoft'],
  ['5.6.211', 'contenterror', 'microsoft'],
  // Yahoo / AOL
  ['[tss04]', 'badreputation', 'yahoo'],
  ['[tss01]', 'ratelimited', 'yahoo'],
  ['[tss09]', 'ratelimited', 'yahoo'],
  ['[ts01]', 'ratelimited', 'yahoo'],
  ['[ts02]', 'ratelimited', 'yahoo'],
  ['[ts03]', 'ratelimited', 'yahoo'],
  ['[bl21]', 'blocked', 'yahoo'],
  ['[bl22]', 'blocked', 'yahoo'],
  ['[bl23]', 'blocked', 'yahoo'],
  [/delivery error: dd this user doesn't have an? \S{1,64} account/, 'userunknown', 'yahoo'],
  [/delivery error: dd \S{1,200} is over quota/, 'mailboxfull', 'yahoo'],
  [/mailbox \S{1,200} does not exist/, 'userunknown', 'yahoo'],
  ['not accepted for policy reasons', 'policyviolation', 'yahoo'],
  ['unresolvable rfc.5321 from domain', 'rejected', 'yahoo'],
  ['delivery error: dd not a valid recipient', 'userunknown', 'yahoo'],
  // Facebook
  ['rcp-p1', 'userunknown', 'facebook'],
  ['rcp-p2', 'filtered', 'facebook'],
  ['rcp-p3', 'filtered', 'facebook'],
  ['rcp-p4', 'policyviolation', 'facebook'],
  ['rcp-t1', 'ratelimited', 'facebook'],
  ['rcp-t4', 'networkerror', 'facebook'],
  // Japanese mobile carriers answer "unknown user" to senders the subscriber's filter refuses.
  // au (KDDI, ezweb.ne.jp / au.com) says it with the address left out: `550 : User unknown`,
  // where a real unknown user gets `550 <a@au.com>: User unknown` (Sisimai's Rhost::KDDI).
  [' : user unknown', 'filtered', 'kddi'],
  // Apple iCloud
  ['inactive email address', 'suspend', 'icloud'],
  [/\[hm08\]/, 'policyviolation', 'icloud'],
  [/\[cs01\]/, 'policyviolation', 'icloud'],
  // GMX / web.de / 1&1
  ['gmx.net/mail/senderguidelines', 'blocked', 'gmx'],
  ['web.de/email/senderguidelines', 'blocked', 'gmx'],
  ['reject due to policy restrictions', 'policyviolation', 'gmx'],
  ['temporarily reduced number of connections', 'ratelimited', 'gmx'],
  // Orange / Wanadoo (French and English in one reply)
  ['adresse d au moins un destinataire invalide', 'userunknown', 'orange'],
  ["adresse d'au moins un destinataire invalide", 'userunknown', 'orange'],
  ['boite du destinataire pleine', 'mailboxfull', 'orange'],
  ['le compte du destinataire est bloque', 'suspend', 'orange'],
  ['adresse destinataire invalide', 'userunknown', 'orange'],
  ['emetteur invalide', 'rejected', 'orange'],
  ['mail rejete. mail rejected', 'spamdetected', 'orange'],
  ['service refuse. veuillez essayer plus tard', 'blocked', 'orange'],
  ['trop de connexions', 'ratelimited', 'orange'],
  // Deutsche Telekom (t-online.de): its refusal of a sending IP it does not trust, worded as a
  // generic problem; "(BL)" at the end names the block list.
  ['a problem occurred. (ask your postmaster for help or to contact', 'blocked', 't-online'],
  // Comcast
  ['comcast block for spam', 'blocked', 'comcast'],
  [/\bbl00000\d\b/, 'blocked', 'comcast'],
  [/\brl00000\d\b/, 'ratelimited', 'comcast'],
  // Mimecast
  ['invalid recipient - https://community.mimecast.com', 'userunknown', 'mimecast'],
  ['rejected by header based anti-spoofing policy', 'policyviolation', 'mimecast'],
  ['envelope blocked - user entry', 'filtered', 'mimecast'],
  ['message rejected by mimecast', 'policyviolation', 'mimecast'],
  ['host network not allowed - https://community.mimecast.com', 'policyviolation', 'mimecast'],
  // Proofpoint
  ['ipcheck.proofpoint.com', 'blocked', 'proofpoint'],
  ['blocked by policy: ', 'policyviolation', 'proofpoint'],
  // Barracuda
  ['barracuda reputation', 'blocked', 'barracuda'],
  ['barracudanetworks.com/reputation', 'blocked', 'barracuda'],
  ['blocked by our bulk email filter', 'spamdetected', 'barracuda'],
  // Verizon Wireless MMS gateway
  ['no valid recipients for this mm', 'userunknown', 'verizon'],
  // Tencent QQ
  ['ip frequency limited', 'ratelimited', 'tencent'],
  // Amazon SES
  ['email address is not verified. the following identities failed the check', 'norelaying', 'amazon ses'],
  ['has suppressed sending to this address', 'suppressed', 'amazon ses'],
  ['address is on the account-level suppression list', 'suppressed', 'amazon ses'],
  // Directory lookups of Domino and Exchange: the name is not in the recipient directory
  ['not listed in domino directory', 'userunknown', 'domino'],
  ['not listed in public name & address book', 'userunknown', 'domino'],
  ['the recipient name is not recognized', 'userunknown', 'exchange'],
  // Exchange's own diagnostic names (2007 and later) and its 2003 NDR codes: what the resolver or
  // the sending connector found, whatever the status code beside them says.
  ['smtpsend.dns.nonexistentdomain', 'hostunknown', 'exchange'],
  ['smtpsend.dns.mxloopback', 'networkerror', 'exchange'],
  ['resolver.adr.badprimary', 'systemerror', 'exchange'],
  ['resolver.adr.invalidinsmtp', 'systemerror', 'exchange'],
  ['resolver.adr.ambiguous', 'systemerror', 'exchange'],
  ['(000c05a6)', 'userunknown', 'exchange'],
  ['(00120270)', 'networkerror', 'exchange'],
  ['(00050311)', 'contenterror', 'exchange'],
  ['(000502cc)', 'contenterror', 'exchange'],
  ['(000b0981)', 'securityerror', 'exchange'],
  // Local errors of Postfix, Exim and qmail (no remote reply to read)
  ['host not found, try again', 'networkerror', 'postfix'],
  ['type=mx: host not found', 'hostunknown', 'postfix'],
  ['type=a: host not found', 'hostunknown', 'postfix'],
  ['type=aaaa: host not found', 'hostunknown', 'postfix'],
  ['all relevant mx records point to non-existent hosts', 'hostunknown', 'exim'],
  ['an mx or srv record indicated no smtp service', 'notaccept', 'exim'],
  ["sorry, i couldn't find any host named", 'hostunknown', 'qmail'],
  ["sorry, i wasn't able to establish an smtp connection", 'networkerror', 'qmail'],
  ['but my name was rejected', 'blocked', 'qmail'],
];
