import type { ReasonPhrases } from './types.js';

/** TLS was required but could not be negotiated. */
export const failedstarttls: ReasonPhrases = {
  reason: 'failedstarttls',
  phrases: [
    'does not support tls',
    'tls not available',
    'starttls is required',
    'must issue a starttls command first',
    'tls required but not supported',
    'tls is required',
    'tls handshake',
    'tls negotiation failed',
    'failed to negotiate tls',
    'requiretls',
    'starttls failed',
    'cannot start tls',
    'tls connection required',
    'encryption needed',
  ],
};
