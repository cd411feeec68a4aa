import type { ReasonPhrases } from './types.js';

// Wording families: RFC 3463 X.7.28 / 421 and 450 deferrals for volume or connection rate as
// Gmail, Outlook ("RP-00x"), Yahoo ("[TS0x]") and Postfix/Exim word them, and greylisting
// (postgrey, "Greylisted"): the receiver refuses the sender for now, the address is fine.

/** Too many messages or connections in too short a time. */
export const ratelimited: ReasonPhrases = {
  reason: 'ratelimited',
  phrases: [
    // Greylisting: an unknown sender is told to come back later; the address is fine.
    'greylisted',
    'greylisting',
    'graylisted',
    'graylisting',
    'grey listed',
    'gray listed',
    'frequency limited',
    'all available ips are at maximum connection limit',
    'connection rate limit exceeded',
    'exceeds per-domain connection limit',
    'has exceeded the max emails per hour',
    'too many connections',
    'too many concurrent',
    'too many errors from your ip',
    // The session has named too many dead addresses: a limit on the sender, said of whichever
    // recipient came next, so not proof that this one is dead (ZoneMTA's rules file agrees).
    'too many invalid recipients',
    'too many bad recipients',
    'too many unknown recipients',
    'too many messages',
    'too many recipients',
    'too many smtp sessions',
    'trop de connexions',
    'rate limit',
    'rate-limit',
    'ratelimit',
    'receiving mail at a rate',
    'receiving mail too quickly',
    'sending rate',
    'unusual rate',
    'throttled',
    'too many mails',
    'exceeded the rate',
    // Limits a service documents (Microsoft's 5.2.121/5.2.122 and 5.7.508, its storage threads,
    // GoDaddy's IB510, Cox's thresholds).
    'message receive limit',
    'limit for the number of messages',
    'exceeded permitted limits',
    'thread limit',
    'messages per session',
    'too many sessions',
    'message threshold exceeded',
  ],
  weakPhrases: ['temporarily deferred', 'try again later', 'volume', 'too fast'],
};

/**
 * The sender's own quota or limit, worded like a full mailbox ("daily sending quota exceeded",
 * Microsoft's "5.2.2 submission quota exceeded" and "5.1.90 ... reached your daily limit for
 * message recipients", Google's "daily SMTP relay limit exceeded"): ranked before mailboxfull,
 * whose "quota exceeded" means the recipient's mailbox, and before the address codes they carry.
 */
export const senderLimits: ReasonPhrases = {
  reason: 'ratelimited',
  phrases: [
    'sending quota',
    'submission quota',
    'relay limit exceeded',
    'reached your daily limit',
    'daily limit for message recipients',
    // Amazon SES: "Throttling failure: Daily message quota exceeded" (the account's quota).
    'throttling failure',
    'daily message quota exceeded',
  ],
};
