import type { ReasonPhrases } from './types.js';

/** The message's format or encoding was refused (MIME, 8-bit headers, header size). */
export const contenterror: ReasonPhrases = {
  reason: 'contenterror',
  phrases: [
    'media error',
    'media not supported',
    'conversion required and prohibited',
    'conversion required but not supported',
    'conversion failed',
    'charset error',
    'improper use of 8-bit data in message header',
    'message header size, or recipient list, exceeds policy limit',
    'message mime complexity exceeds the policy maximum',
    'routing loop detected -- too many received: headers',
    'this message contain invalid mime headers',
    'this message contain improperly-formatted binary content',
    'this message contain text that uses unnecessary base64 encoding',
    'invalid mime',
    'mime content',
    'message header too long',
    'header size exceeds',
    // amavisd-new's header verdict; Exim's loop detection.
    ' - bad header',
    'too many "received" headers',
  ],
};
