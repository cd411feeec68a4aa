import type { ReasonPhrases } from './types.js';

/** The sending IP has no (or a mismatching) reverse DNS name. */
export const requireptr: ReasonPhrases = {
  reason: 'requireptr',
  phrases: [
    'access denied. ip name lookup failed',
    'all mail servers must have a ptr record',
    'bad dns ptr resource record',
    'cannot find your hostname',
    'cannot find your reverse hostname',
    'cannot resolve your address',
    'client host rejected: cannot find your hostname',
    'fail to look up your ip address',
    'ip name lookup failed',
    'no ptr record',
    'please get a custom reverse dns name',
    'ptr record',
    'reverse dns',
    'reverse lookup',
    'rdns',
    'unresolvable relay host name',
    'does not have a ptr',
    'the corresponding forward dns entry does not point to the sending ip',
    'generic dns ptr',
    'hostname lookup failed',
    'ip/domain name mismatch',
    'reverse hostname',
    'dns ptr resource record',
  ],
};
