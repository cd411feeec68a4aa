import type { ReasonPhrases } from './types.js';

/** Something broke on the recipient's server (configuration, internal error, loop). */
export const systemerror: ReasonPhrases = {
  reason: 'systemerror',
  phrases: [
    'mailing list expansion problem',
    'system not capable of selected features',
    'directory server failure',
    'aliasing/forwarding loop broken',
    "can't create user output file",
    'could not load drd for domain',
    'internal error',
    'internal server error',
    'interrupted system call',
    'it encountered an error while being processed',
    'it would create a mail loop',
    'local configuration error',
    'local error in processing',
    'loop was found in the mail exchanger',
    'mail system configuration error',
    'server configuration error',
    'system config error',
    'temporary local problem',
    'temporary error',
    'timeout waiting for input',
    'requested action aborted: error in processing',
    'error in processing',
    'system error',
    'server error',
    'service currently unavailable',
    'service temporarily unavailable',
    'configuration problem',
    'server busy',
    'resources temporarily unavailable',
    'unable to process',
    'temporary system problem',
    'misconfigured forwarding address',
    // Exim's local delivery errors and a broken delivery script: the receiving system's own fault.
    'delivery to file forbidden',
    'delivery to pipe forbidden',
    'local delivery failed',
    'lmtp error after',
    'bad interpreter',
    'queue file write error',
    // X.1.4 "destination mailbox address ambiguous" (Domino's "not unique. Several matches
    // found", Exchange's RESOLVER.ADR.Ambiguous): the recipient's directory holds the name twice.
    // The address may well be good once its administrators fix that: soft, which escalates if
    // it lasts, never a hard bounce at once.
    'destination mailbox address ambiguous',
    'not unique. several matches found',
    'several matches found in domino directory',
    'ambiguous address',
    // qmail-ldap's failures of its own directory and forwarding.
    'while executing qmail-forward',
    'ldap attribute',
    'unable to contact ldap server',
    'unable to login into ldap server',
    'performing search on ldap server',
    'automatic homedir creat',
    'remote server is misconfigured',
  ],
  weakPhrases: ['temporarily unavailable'],
};
