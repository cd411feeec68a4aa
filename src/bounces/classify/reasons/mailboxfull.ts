import type { ReasonPhrases } from './types.js';

// Wording families: RFC 3463 X.2.2 "mailbox full" and 4.2.2/5.2.2 as Gmail, Outlook, Yahoo
// ("over quota"), Exchange ("mailbox has exceeded"), Postfix/Dovecot ("Quota exceeded (mailbox
// for user is full)"), qmail/vpopmail ("user over quota"), Domino ("mail file size exceeds"),
// GroupWise ("mailbox is full"), and a few non-English ISP wordings. Sisimai's
// lib/Sisimai/Reason/MailboxFull.pm list was read for the families. Ranked before
// emailtoolarge: "mailbox size limit exceeded" is about the mailbox, not the message.

/** The mailbox is over its quota: temporary, the owner may clean it up. */
export const mailboxfull: ReasonPhrases = {
  reason: 'mailboxfull',
  phrases: [
    'account disabled temporarly for exceeding receiving limits',
    'account is exceeding their quota',
    'account is over quota',
    'account is temporarily over quota',
    'boite du destinataire pleine',
    'delivery failed: over quota',
    'disc quota exceeded',
    'disk quota exceeded',
    'diskspace quota',
    'does not have enough space',
    'exceeded storage allocation',
    'exceeding its mailbox quota',
    'full mailbox',
    'inbox is full',
    'is over disk quota',
    'is over quota',
    'is out of storage space',
    'mail quota exceeded',
    'mailbox exceeded the local limit',
    'mailbox full',
    'mailbox has exceeded its',
    'mailbox is full',
    'mailbox over quota',
    'mailbox quota exceeded',
    'mailbox size limit exceeded',
    'mailbox would exceed maximum allowed storage',
    'maildir over quota',
    'maildir delivery failed: userdisk quota',
    'maildir delivery failed: domaindisk quota',
    'mailfolder is full',
    'not enough disk space',
    'not enough storage space',
    'not sufficient disk space',
    'over the allowed quota',
    'over quota',
    'overquota',
    'quota exceeded',
    'quota violation for',
    'recipient reached disk quota',
    'the recipient mailbox has exceeded its disk space limit',
    "the user's space has been used up",
    'user has exceeded quota',
    'user has too many messages on the server',
    'user is over quota',
    'user is over the quota',
    'user over quota',
    'would be over the allowed quota',
    'exceeds the storage quota',
    'storage quota exceeded',
    'quota usage exceeded',
    // Domino: "mail file size exceeds the maximum size allowed for mail delivery"
    'mail file size exceeds',
    'mailbox quota usage exceeded',
    'quota exceed',
    'over its quota',
    'over their quota',
    'exceeded its quota',
    'exceeded their quota',
    'exceeds quota',
    'exceed quota',
    'quota full',
    'quota reached',
    'mailbox is over',
    'mailbox size exceeded',
    'mailbox exceeds',
    'mailbox would exceed',
    'exceeds the mailbox size',
    'postfach voll',
    'casilla llena',
    'buzon lleno',
    'caixa postal cheia',
    // NTT docomo: the mailbox holds too much.
    'too much mail data',
    // GoDaddy's "Account storage limit"; "has reached its storage limit".
    'account storage limit',
    'mailbox storage limit',
    'reached its storage limit',
    'reached their storage limit',
    'exceeded its storage limit',
    'exceeded their storage limit',
  ],
  patterns: [
    // "user mailbox exceeds allowed size", "mailbox for x is full", "disk quota of x exceeded":
    // a mailbox, disk or quota word with a limit word a few words later is a full mailbox, not
    // a message too large (emailtoolarge).
    /\b(?:mailbox|mail box|inbox|mailfolder|maildir|quota)\b(?: \S{1,64}){0,4} (?:exceeded|exceeds|full|over quota|limit reached)/,
    // Chinese ISPs' English: "mail box space not enough", "mailbox space is not enough".
    /\b(?:mailbox|mail box) space (?:is )?not enough\b/,
  ],
};
