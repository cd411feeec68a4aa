import crypto from 'node:crypto';
import type { BounceRecord } from '../bounces/types.js';

/**
 * The key under which an address's history is kept. Contacts are looked up through the same
 * function, so "Ann@Example.org " in a log and "ann@example.org" in a list meet.
 */
export function historyKey(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * A stable identity of one delivery result, so that reading a log twice, or two rotated logs
 * that overlap, never stores the same event twice. It covers what the source says (who, when,
 * which message, the status and the remote text) and deliberately leaves out our reading of it
 * (class, reason: a classifier change must not make last month's lines new events), where it
 * was read (file, line, format) and when it was ingested: the same line in `mail.log.1` and
 * `mail.log` is one event.
 */
export function eventIdentity(record: EventFacts): string {
  const fields = [
    historyKey(record.recipient),
    record.status,
    record.smtpCode,
    record.at,
    record.messageKey ?? null,
    record.queueId,
    record.diagnostic,
  ];
  return sha1Hex(JSON.stringify(fields));
}

/** The parts of a record its identity is made of. */
export type EventFacts = Pick<BounceRecord, 'recipient' | 'status' | 'smtpCode' | 'at' | 'messageKey' | 'queueId' | 'diagnostic'>;

// crypto.hash (Node >= 20.12) is a one-shot digest, about three times faster on the ingest path.
const sha1Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha1', text, 'hex')
    : (text) => crypto.createHash('sha1').update(text).digest('hex');
