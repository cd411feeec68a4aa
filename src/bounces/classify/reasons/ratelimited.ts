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
    'throttling failure',
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
    'daily sending quota exceeded',
    'sending quota',
    'exceeded the rate',
  ],
  weakPhrases: ['temporarily deferred', 'try again later', 'volume', 'too fast'],
};
