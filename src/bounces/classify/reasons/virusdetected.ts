import type { ReasonPhrases } from './types.js';

// Only a verdict: a scanner that found something ("virus detected", "infected with a ...").
// The bare word "virus" is not one: anti-virus footers ("scanned for viruses", "no virus
// found", "virus-free") ride along in many bounce bodies (normalize.ts removes them).
// Sisimai's lib/Sisimai/Reason/VirusDetected.pm list was read for the families.

/** A virus or malware scanner refused the message. */
export const virusdetected: ReasonPhrases = {
  reason: 'virusdetected',
  phrases: [
    'it has a potentially executable attachment',
    'message contains a virus',
    'rejected due to virus',
    'message was infected with virus',
    'virus detected',
    'virus found',
    'infected with a virus',
    'contains a virus',
    'malware detected',
    'infected with a',
    'infected by',
    'virus infected',
    'contains malware',
    'malware was detected',
    'potentially executable attachment',
    'this form of attachment has been used by recent viruses',
    // amavisd-new's verdict after the queue ID, as its ' - spam' (spamdetected).
    ' - infected',
  ],
};
