import type { ReasonPhrases } from './types.js';

// Wording families: RFC 3463 X.4.7 "delivery time expired"; queue give-ups (Exim "retry timeout
// exceeded", Postfix "message could not be delivered for N days", Sendmail "Cannot send
// message for 5 days", Exchange "message expired"); delay warnings (Postfix "will keep
// trying", Sendmail "Warning: could not send message for past 4 hours", Exchange "Delivery
// has been delayed", "This is a warning message only"). A delay warning is soft: the sending
// MTA is still trying. Sisimai's lib/Sisimai/Reason/Expired.pm list was read for the families.

/** Delivery kept failing until the queue lifetime ran out. */
export const expired: ReasonPhrases = {
  reason: 'expired',
  phrases: [
    'still undelivered',
    'will keep trying',
    'delivery attempts will continue to be',
    'delivery time expired',
    'delivery expired',
    'failed to deliver to domain',
    'giving up on',
    'have been failing for a long time',
    'has been delayed',
    'it has not been collected after',
    'message expired',
    'message has been in the queue too long',
    'message timed out',
    'message could not be delivered for',
    'could not be delivered for more than',
    'retry time exceeded',
    'retry timeout exceeded',
    'retry time not reached for any host after a long failure period',
    'no retry attempt since the message has been in the queue',
    'delivery is delayed',
    'delivery has not been completed',
    'message is delayed',
    'delayed mail',
    'the message has been in the queue too long',
    'unable to deliver message after multiple retries',
    'was not reachable within the allowed queue period',
    'your message could not be delivered for more than',
    'queue lifetime',
    'maximum time in queue',
    'time limit exceeded',
    'timeout exceeded',
    'too long in queue',
    'too many retries',
    'will be retried',
    'will continue to try',
    'has not yet been delivered',
    'could not deliver for',
    'message will be deleted from queue',
    'not delivered within',
    'delivery has been delayed',
    // OpenSMTPD's queue lifetime.
    'envelope expired',
    // No route or no answer until the queue gave up (X3's "Routing: Could not find a gateway for").
    'could not find a gateway for',
    'server did not respond',
  ],
  patterns: [
    // IMail (SMTP32): "Delivery failed 20 attempts".
    /\bdelivery failed \d{1,4} attempts\b/,
  ],
  // Boilerplate of delay warnings: it says the message waits, not why; the cause, when the
  // text names one, wins.
  weakPhrases: [
    'delayed',
    'this is a warning message only',
    'you do not need to resend your message',
    'no action is required on your part',
    'delivery attempts will continue',
  ],
};
