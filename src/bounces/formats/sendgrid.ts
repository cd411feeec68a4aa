/**
 * SendGrid: the event webhook (a JSON array of events per POST, also kept as JSONL) and the CSV
 * export of the bounce or block list (`created,email,reason,status`).
 */
import type { DeliveryAction, FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { headerHasColumns, sniffCsvHeader } from './fields/csv-records.js';
import {
  NO_VERDICT,
  asObject,
  cleanRecipient,
  enhancedCode,
  fieldText,
  missingAddress,
  readExportRows,
  readReply,
  recordItem,
  verdict,
  type VendorVerdict,
} from './fields/esp-fields.js';
import { mapJsonRecords, mayHoldJsonKey, readJsonOrCsv } from './fields/json-records.js';
import { toIsoUtc } from './fields/time.js';

/** `bounce_classification` -> verdict (SendGrid's own grouping of the remote reply). */
const CLASSIFICATION_VERDICTS = new Map<string, VendorVerdict>([
  ['invalid address', verdict('userunknown', 'hard')],
  ['technical failure', verdict('systemerror', 'soft')],
  // Content the receiver refuses is the sender's to fix; the address itself is fine.
  ['content', verdict('contenterror', 'block')],
  ['reputation', verdict('badreputation', 'block')],
  ['frequency or volume too high', verdict('ratelimited', 'block')],
  // Inactive, disabled or over-quota mailboxes: temporary until proven otherwise (suspend is soft).
  ['mailbox unavailable', verdict('suspend', 'soft')],
  ['unclassified', NO_VERDICT],
]);

/** `dropped` reasons: SendGrid did not even try. */
const DROP_VERDICTS: ReadonlyArray<readonly [RegExp, VendorVerdict]> = [
  [/^bounced address/i, verdict('suppressed', 'hard')],
  [/^invalid(?: address)?$/i, verdict('suppressed', 'hard')],
  [/^unsubscribed address/i, verdict('suppressed', 'hard')],
  [/^spam reporting address/i, verdict('suppressed', 'complaint')],
  [/^spam content/i, verdict('spamdetected', 'block')],
];

/** Event types that are delivery results; every other (processed, open, click, ...) is skipped. */
type DeliveryEvent = 'bounce' | 'blocked' | 'deferred' | 'dropped' | 'delivered' | 'spamreport';

const ACTION_OF_EVENT: Readonly<Record<DeliveryEvent, DeliveryAction | null>> = {
  bounce: 'failed',
  blocked: 'failed',
  deferred: 'delayed',
  dropped: 'failed',
  delivered: 'delivered',
  spamreport: null,
};
const DELIVERY_EVENTS = new Set<string>(Object.keys(ACTION_OF_EVENT));

const SENDGRID_KEY = /"(?:sg_event_id|sg_message_id)"\s*:/;
const CLASSIFICATION_KEY = /"bounce_classification"\s*:/;
const CSV_EXPORT_COLUMNS = ['created', 'email', 'reason', 'status'];

function detectSendgrid(sample: string): number {
  if (mayHoldJsonKey(sample)) {
    if (SENDGRID_KEY.test(sample)) return 0.95;
    if (CLASSIFICATION_KEY.test(sample)) return 0.9;
  }
  const header = sniffCsvHeader(sample);
  if (header === null) return 0;
  return header.columns.length <= 6 && headerHasColumns(header, CSV_EXPORT_COLUMNS) ? 0.6 : 0;
}

function eventVerdict(event: DeliveryEvent, object: Record<string, unknown>): VendorVerdict {
  switch (event) {
    case 'bounce':
    case 'blocked': {
      const classification = fieldText(object['bounce_classification'])?.toLowerCase();
      const classified = classification === undefined ? undefined : CLASSIFICATION_VERDICTS.get(classification);
      if (classified !== undefined && classified !== NO_VERDICT) return classified;
      const blocked = event === 'blocked' || fieldText(object['type']) === 'blocked';
      return blocked ? verdict(null, 'block') : NO_VERDICT;
    }
    case 'dropped': {
      const reason = fieldText(object['reason'])?.slice(0, 100) ?? '';
      return DROP_VERDICTS.find(([pattern]) => pattern.test(reason))?.[1] ?? NO_VERDICT;
    }
    case 'delivered':
      return verdict('delivered', 'delivered');
    case 'spamreport':
      return verdict('feedback', 'complaint');
    case 'deferred':
      return NO_VERDICT;
  }
}

function* sendgridEventItems(value: unknown, line: number, source: string): Iterable<ParseItem> {
  const object = asObject(value);
  if (object === null) {
    yield { kind: 'malformed', line, message: 'not a JSON object' };
    return;
  }
  const eventName = fieldText(object['event']);
  if (eventName === null) {
    yield { kind: 'malformed', line, message: 'SendGrid event without "event"' };
    return;
  }
  if (!DELIVERY_EVENTS.has(eventName)) {
    yield { kind: 'skipped', line };
    return;
  }
  const event = eventName as DeliveryEvent;
  const recipient = cleanRecipient(object['email']);
  if (recipient === null) {
    yield missingAddress(line);
    return;
  }
  // Bounces and drops carry the remote text in `reason`; deliveries and deferrals in `response`.
  const reply = readReply(fieldText(object['reason']) ?? object['response']);
  const messageId = fieldText(object['sg_message_id']);
  const vendor = eventVerdict(event, object);
  yield recordItem({
    ...vendor,
    recipient,
    action: ACTION_OF_EVENT[event],
    status: enhancedCode(object['status']) ?? reply.status,
    smtpCode: reply.smtpCode,
    diagnostic: reply.diagnostic,
    at: toIsoUtc(object['timestamp']),
    queueId: messageId,
    messageKey: messageId,
    source,
    feedbackType: event === 'spamreport' ? 'abuse' : null,
  });
}

/** Rows of the bounce/block list export: the list does not say which, so no verdict. */
async function* sendgridCsvItems(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  for await (const row of readExportRows(lines, ['email'])) {
    if (row.kind !== 'row') {
      yield row;
      continue;
    }
    const reply = readReply(row.field('reason'));
    yield recordItem({
      recipient: row.recipient,
      action: 'failed',
      status: enhancedCode(row.field('status')) ?? reply.status,
      smtpCode: reply.smtpCode,
      diagnostic: reply.diagnostic,
      at: toIsoUtc(row.field('created')),
      source: `${context.file}:${row.line}`,
    });
  }
}

export const sendgridFormat: FormatParser = {
  name: 'sendgrid',
  description: 'SendGrid event webhook (JSON array or JSONL) and bounce/block list CSV export',
  detect: (sample) => detectSendgrid(sample),
  detectCeiling: 0.95,
  parse: (lines, context) =>
    readJsonOrCsv(lines, {
      json: (jsonLines) => mapJsonRecords(jsonLines, context, sendgridEventItems),
      csv: (csvLines) => sendgridCsvItems(csvLines, context),
    }),
};
