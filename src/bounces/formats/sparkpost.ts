/**
 * SparkPost message events: webhook batches (`[{msys: {message_event: {...}}}]`), the events
 * API (`{results: [...]}`), or one event a line.
 */
import type { DeliveryAction, FormatParser, ParseItem } from '../types.js';
import {
  NO_VERDICT,
  asObject,
  cleanRecipient,
  fieldText,
  missingAddress,
  readReply,
  recordItem,
  smtpCodeOf,
  verdict,
  type VendorVerdict,
} from './fields/esp-fields.js';
import { mapJsonRecords, mayHoldJsonKey } from './fields/json-records.js';
import { toIsoUtc } from './fields/time.js';

/** `bounce_class` -> verdict, per SparkPost's bounce classification table; `skip` for list events. */
const BOUNCE_CLASSES = new Map<number, VendorVerdict | 'skip'>([
  [1, NO_VERDICT], // undetermined
  [10, verdict('userunknown', 'hard')], // invalid recipient
  [20, verdict(null, 'soft')], // soft bounce
  [21, verdict('networkerror', 'soft')], // DNS failure (temporary)
  [22, verdict('mailboxfull', 'soft')],
  [23, verdict('emailtoolarge', 'soft')],
  [24, verdict('expired', 'soft')], // timeout: no delivery within the retry period
  [25, verdict(null, 'block')], // admin failure: SparkPost's own policy (see SUPPRESSED_TEXT)
  [30, verdict(null, 'hard')], // generic bounce: no RCPT
  [40, verdict(null, 'soft')], // generic bounce
  [50, verdict('blocked', 'block')], // mail block
  [51, verdict('blocked', 'block')], // spam block: known spam source
  [52, verdict('spamdetected', 'block')], // spam content
  [53, verdict('securityerror', 'block')], // prohibited attachment
  [54, verdict('norelaying', 'block')], // relaying denied
  [60, verdict('vacation', 'auto-reply')], // auto-reply
  [70, verdict(null, 'soft')], // transient failure
  [80, 'skip'], // subscribe
  [90, 'skip'], // unsubscribe
  [100, verdict('vacation', 'auto-reply')], // challenge-response: an automatic reply
]);

/** Admin failures SparkPost explains as its suppression list: the address was suppressed. */
const SUPPRESSED_TEXT = /suppress/i;
const ADMIN_CLASS = 25;

/** Event types that are delivery results; every other (injection, open, click, ...) is skipped. */
const ACTION_OF_TYPE = new Map<string, DeliveryAction | null>([
  ['bounce', 'failed'],
  ['out_of_band', 'failed'],
  ['policy_rejection', 'failed'],
  ['generation_rejection', 'failed'],
  ['delay', 'delayed'],
  ['delivery', 'delivered'],
  ['spam_complaint', null],
]);

const MSYS = /"msys"\s*:/;
const SPARKPOST_KEY = /"(?:bounce_class|raw_rcpt_to|rcpt_to|transmission_id)"\s*:/;

function detectSparkpost(sample: string): number {
  if (!mayHoldJsonKey(sample)) return 0;
  if (MSYS.test(sample)) return 0.95;
  return SPARKPOST_KEY.test(sample) && /"type"\s*:/.test(sample) ? 0.9 : 0;
}

/** A webhook element wraps the event: `{msys: {message_event: {...}}}` (or `{msys: {}}` as a ping). */
function unwrapMsys(object: Record<string, unknown>): Record<string, unknown> | null {
  const msys = asObject(object['msys']);
  if (msys === null) return object;
  for (const inner of Object.values(msys)) {
    const event = asObject(inner);
    if (event !== null) return event;
  }
  return null;
}

function* sparkpostItems(value: unknown, line: number, source: string): Iterable<ParseItem> {
  const object = asObject(value);
  if (object === null) {
    yield { kind: 'malformed', line, message: 'not a JSON object' };
    return;
  }
  const event = unwrapMsys(object);
  if (event === null) {
    yield { kind: 'skipped', line };
    return;
  }
  const type = fieldText(event['type']);
  if (type === null) {
    yield { kind: 'malformed', line, message: 'SparkPost event without "type"' };
    return;
  }
  const action = ACTION_OF_TYPE.get(type);
  if (action === undefined) {
    yield { kind: 'skipped', line };
    return;
  }
  const classNumber = Number(fieldText(event['bounce_class']) ?? NaN);
  const classVerdict = BOUNCE_CLASSES.get(classNumber);
  if (classVerdict === 'skip') {
    yield { kind: 'skipped', line };
    return;
  }
  const recipient = cleanRecipient(event['rcpt_to']) ?? cleanRecipient(event['raw_rcpt_to']);
  if (recipient === null) {
    yield missingAddress(line);
    return;
  }
  const reply = readReply(fieldText(event['raw_reason']) ?? event['reason']);
  const messageId = fieldText(event['message_id']);
  const common = {
    recipient,
    source,
    action,
    at: toIsoUtc(event['timestamp']),
    queueId: messageId,
    messageKey: messageId,
  };
  if (type === 'spam_complaint') {
    yield recordItem({
      ...common,
      ...verdict('feedback', 'complaint'),
      feedbackType: fieldText(event['fbtype']) ?? 'abuse',
    });
    return;
  }
  const vendor =
    type === 'delivery'
      ? verdict('delivered', 'delivered')
      : classNumber === ADMIN_CLASS && SUPPRESSED_TEXT.test(reply.diagnostic ?? '')
        ? verdict('suppressed', 'hard')
        : (classVerdict ?? NO_VERDICT);
  yield recordItem({
    ...common,
    ...vendor,
    // An auto-reply arrives as a bounce event, but the message was not refused.
    ...(vendor.vendorClass === 'auto-reply' ? { action: null, autoReply: true } : {}),
    status: reply.status,
    smtpCode: smtpCodeOf(event['error_code']) ?? reply.smtpCode,
    diagnostic: reply.diagnostic,
    remoteMta: fieldText(event['ip_address']),
  });
}

export const sparkpostFormat: FormatParser = {
  name: 'sparkpost',
  description: 'SparkPost message events (webhook batches, events API, JSONL)',
  detect: (sample) => detectSparkpost(sample),
  detectCeiling: 0.95,
  parse: (lines, context) => mapJsonRecords(lines, context, sparkpostItems),
};
