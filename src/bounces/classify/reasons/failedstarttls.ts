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
    // Mimecast's routes that require TLS; Exchange Online's outbound TLS and DANE checks of the
    // receiving server (its certificate or TLSA records failed).
    'route requires encryption',
    'requires tls version',
    'requires high-strength ciphers',
    'starttls-not-supported',
    'must support tls',
    'tlsa-invalid',
    'dnssec-invalid',
    'certificate-host-mismatch',
    'certificate-expired',
  ],
};
