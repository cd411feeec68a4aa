/**
 * Resend's webhook events: one JSON object a request (or one a line), `{"type": "email.bounced",
 * "created_at", "data": {"email_id", "to": [...], "bounce": {"type", "subType", "message"}}}`.
 * Resend sends through Amazon SES and passes SES's bounce type and subtype on: they are read with
 * SES's verdicts, so the same bounce gives the same class from either.
 */
import type { FormatParser, ParseItem } from '../types.js';
import {
  NO_VERDICT,
  asArray,
  asObject,
  cleanRecipient,
  fieldText,
  readReply,
  recordItem,
  verdict,
  type RecordFields,
} from './fields/esp-fields.js';
import { mapJsonRecords, mayHoldJsonKey } from './fields/json-records.js';
import { toIsoUtc } from './fields/time.js';
import { sesBounceVerdict } from './ses.js';

const EVENT_TYPE = /"type"\s*:\s*"email\.(?:sent|delivered|delivery_delayed|complained|bounced|opened|clicked|failed|scheduled|received)"/;
const EMAIL_ID = /"email_id"\s*:/;

function detectResend(sample: string): number {
  if (!mayHoldJsonKey(sample) || !EVENT_TYPE.test(sample)) return 0;
  return EMAIL_ID.test(sample) ? 0.95 : 0.6;
}

/** The verdict and action of each event type about a delivery; the others (sent, opened, ...) are skipped. */
function eventFields(type: string, data: Record<string, unknown>): Partial<RecordFields> | null {
  switch (type) {
    case 'email.bounced': {
      const bounce = asObject(data['bounce']) ?? {};
      const reply = readReply(bounce['message']);
      return {
        ...sesBounceVerdict(fieldText(bounce['type']) ?? '', fieldText(bounce['subType']) ?? ''),
        action: 'failed',
        status: reply.status,
        smtpCode: reply.smtpCode,
        diagnostic: reply.diagnostic,
      };
    }
    case 'email.delivery_delayed':
      return { ...NO_VERDICT, action: 'delayed' };
    case 'email.complained':
      return { ...verdict('feedback', 'complaint'), feedbackType: 'abuse' };
    case 'email.delivered':
      return { ...verdict('delivered', 'delivered'), action: 'delivered' };
    default:
      // sent, scheduled, opened, clicked, received; `email.failed` is Resend refusing the
      // sender's request (a quota, a bad sender address): nothing about the recipient.
      return null;
  }
}

function* resendItems(value: unknown, line: number, source: string): Iterable<ParseItem> {
  const event = asObject(value);
  const type = event === null ? null : fieldText(event['type']);
  const data = event === null ? null : asObject(event['data']);
  if (event === null || type === null || data === null) {
    yield { kind: 'malformed', line, message: 'not a Resend event (no type or data)' };
    return;
  }
  const fields = eventFields(type, data);
  if (fields === null) {
    yield { kind: 'skipped', line };
    return;
  }
  const to = typeof data['to'] === 'string' ? [data['to']] : asArray(data['to']);
  const recipients = to.map(cleanRecipient).filter((address): address is string => address !== null);
  if (recipients.length === 0) {
    yield { kind: 'malformed', line, message: 'event without a recipient address' };
    return;
  }
  // The event is the email's, not one recipient's: with several, which one bounced or complained
  // is not said, and suppressing them all would drop good addresses.
  if (recipients.length > 1 && type !== 'email.delivered') {
    yield { kind: 'malformed', line, message: `${type} of an email to ${recipients.length} recipients does not say which one` };
    return;
  }
  const messageKey = fieldText(data['email_id']);
  const at = toIsoUtc(event['created_at']) ?? toIsoUtc(data['created_at']);
  for (const recipient of recipients) yield recordItem({ ...fields, recipient, source, at, messageKey, queueId: messageKey });
}

export const resendFormat: FormatParser = {
  name: 'resend',
  description: 'Resend webhook events (email.bounced, email.complained, email.delivered, ...; JSON or JSONL)',
  detect: (sample) => detectResend(sample),
  detectCeiling: 0.95,
  parse: (lines, context) => mapJsonRecords(lines, context, resendItems),
};
