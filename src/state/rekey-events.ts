import type Database from 'better-sqlite3';
import { classifyBounce } from '../bounces/classify/index.js';
import type { BounceEvidence, ParsedRecord } from '../bounces/types.js';
import { eventIdentity } from '../policy/event-identity.js';
import type { EventRow } from './event-row.js';

/**
 * Formats whose stored columns hold all the evidence the classifier reads. The ESP exports and
 * Haraka also carry a vendor verdict or the SMTP command in fields the events table does not
 * keep, so their stored class stays as it was read.
 */
const RECLASSIFIABLE_FORMATS = new Set(['postfix', 'exim', 'sendmail', 'eml', 'mbox']);
/** Classes that come from what the message is (an ARF report, an auto-reply, a delivery), not from a reply. */
const KIND_CLASSES = new Set(['complaint', 'auto-reply', 'delivered']);

type ParsedRecordEvidence = BounceEvidence & Pick<ParsedRecord, 'recipient'>;
type StoredEvent = Omit<EventRow, 'id' | 'source'> & { rowid: number };

/**
 * Re-keys stored events by what their source said (see eventIdentity) and reads them again
 * with today's rules, keeping one event per identity: the first one ingested. Before this,
 * an event's key included our class and reason, so a classifier change made a re-read line a
 * new event and doubled its count.
 */
export function rekeyEvents(db: Database.Database): void {
  const rows = db
    .prepare(
      `SELECT rowid, recipient, class, reason, action, status, smtp_code, diagnostic, remote_mta, at, queue_id,
              message_key, format
       FROM events ORDER BY ingested_at, source, rowid`,
    )
    .all() as StoredEvent[];
  const kept = new Map<string, StoredEvent>();
  const remove = db.prepare('DELETE FROM events WHERE rowid = ?');
  for (const row of rows) {
    const id = eventIdentity({
      recipient: row.recipient,
      status: row.status,
      smtpCode: row.smtp_code,
      at: row.at,
      messageKey: row.message_key,
      queueId: row.queue_id,
      diagnostic: row.diagnostic,
    });
    if (kept.has(id)) remove.run(row.rowid);
    else kept.set(id, row);
  }
  // Two passes, so a new id never meets an old one still in the table.
  const update = db.prepare('UPDATE events SET id = ?, class = ?, reason = ? WHERE rowid = ?');
  for (const [id, row] of kept) update.run(`rekey:${id}`, row.class, row.reason, row.rowid);
  for (const [id, row] of kept) {
    const verdict = reread(row);
    update.run(id, verdict.class, verdict.reason, row.rowid);
  }
}

function reread(row: StoredEvent): { class: string; reason: string } {
  if (!RECLASSIFIABLE_FORMATS.has(row.format) || KIND_CLASSES.has(row.class)) return row;
  // The recipient is evidence too: the classifier masks its name and matches its domain.
  const evidence: ParsedRecordEvidence = {
    recipient: row.recipient,
    status: row.status,
    smtpCode: row.smtp_code,
    diagnostic: row.diagnostic,
    action: row.action,
    remoteMta: row.remote_mta,
  };
  return classifyBounce(evidence);
}
