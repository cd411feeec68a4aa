/**
 * Mailgun events: a page of the events API (`items`), webhook posts (`{signature, event-data}`),
 * or one event a line.
 */
import type { FormatParser, ParseItem } from '../types.js';
import {
  NO_VERDICT,
  asObject,
  cleanRecipient,
  enhancedCode,
  fieldText,
  flatText,
  missingAddress,
  readReply,
  recordItem,
  smtpCodeOf,
  verdict,
  type VendorVerdict,
} from './fields/esp-fields.js';
import { mapJsonRecords, mayHoldJsonKey } from './fields/json-records.js';
import { toIsoUtc } from './fields/time.js';

/** `reason` of a `failed` event -> verdict, when the reason says more than the severity. */
const REASON_VERDICTS = new Map<string, VendorVerdict>([
  ['suppress-bounce', verdict('suppressed', 'hard')],
  ['suppress-complaint', verdict('suppressed', 'complaint')],
  ['suppress-unsubscribe', verdict('suppressed', 'hard')],
  // Mailgun stopped retrying after its retry period.
  ['old', verdict('expired', 'soft')],
  ['espblock', verdict('blocked', 'block')],
]);

/**
 * Mailgun's own codes (no remote reply; `description` says what happened): 498 the domain has no
 * usable MX or host, 499 connections timed out. Keyed `code/severity`.
 */
const OWN_CODE_VERDICTS = new Map<string, VendorVerdict>([
  ['498/permanent', verdict('hostunknown', 'hard')],
  ['498/temporary', verdict('networkerror', 'soft')],
  ['499/permanent', verdict('expired', 'soft')],
  ['499/temporary', verdict('networkerror', 'soft')],
]);
const OWN_CODES = new Set(['498', '499']);

const SEVERITY_VERDICTS = new Map<string, VendorVerdict>([
  ['permanent', verdict(null, 'hard')],
  ['temporary', verdict(null, 'soft')],
]);

const MAILGUN_WEBHOOK = /"event-data"\s*:/;
const MAILGUN_EVENT = /"(?:delivery-status|recipient-domain|log-level)"\s*:/;
const EVENT_KEY = /"event"\s*:/;

function detectMailgun(sample: string): number {
  if (!mayHoldJsonKey(sample)) return 0;
  if (MAILGUN_WEBHOOK.test(sample) && /"signature"\s*:/.test(sample)) return 0.95;
  return MAILGUN_EVENT.test(sample) && EVENT_KEY.test(sample) ? 0.95 : 0;
}

function* mailgunItems(value: unknown, line: number, source: string): Iterable<ParseItem> {
  const wrapper = asObject(value);
  const event = asObject(wrapper?.['event-data']) ?? wrapper;
  if (event === null) {
    yield { kind: 'malformed', line, message: 'not a JSON object' };
    return;
  }
  const type = fieldText(event['event']);
  if (type === null) {
    yield { kind: 'malformed', line, message: 'Mailgun event without "event"' };
    return;
  }
  if (type !== 'failed' && type !== 'delivered' && type !== 'complained') {
    // accepted, rejected (by Mailgun's API), opened, clicked, unsubscribed, stored, ...
    yield { kind: 'skipped', line };
    return;
  }
  const recipient = cleanRecipient(event['recipient']);
  if (recipient === null) {
    yield missingAddress(line);
    return;
  }
  const delivery = asObject(event['delivery-status']) ?? {};
  const headers = asObject(asObject(event['message'])?.['headers']);
  const messageId = fieldText(headers?.['message-id']);
  const code = fieldText(delivery['code']);
  const ownCode = code !== null && OWN_CODES.has(code);
  // For Mailgun's own codes `message` is empty or canned; the explanation is in `description`.
  const text = flatText(delivery['message']) ?? flatText(delivery['description']);
  const reply = readReply(text);
  const common = {
    recipient,
    source,
    at: toIsoUtc(event['timestamp']),
    queueId: messageId,
    messageKey: messageId,
    remoteMta: fieldText(delivery['mx-host']),
    status: enhancedCode(delivery['enhanced-code']) ?? reply.status,
    smtpCode: ownCode ? null : (smtpCodeOf(code) ?? reply.smtpCode),
    diagnostic: reply.diagnostic,
  };

  if (type === 'delivered') {
    yield recordItem({ ...common, ...verdict('delivered', 'delivered'), action: 'delivered' });
    return;
  }
  if (type === 'complained') {
    yield recordItem({ ...common, ...verdict('feedback', 'complaint'), feedbackType: 'abuse' });
    return;
  }
  const severity = fieldText(event['severity']) ?? '';
  const vendor =
    REASON_VERDICTS.get(fieldText(event['reason']) ?? '') ??
    (ownCode ? OWN_CODE_VERDICTS.get(`${code}/${severity}`) : undefined) ??
    SEVERITY_VERDICTS.get(severity) ??
    NO_VERDICT;
  // A temporary failure is a deferral: Mailgun retries it.
  yield recordItem({ ...common, ...vendor, action: severity === 'temporary' ? 'delayed' : 'failed' });
}

export const mailgunFormat: FormatParser = {
  name: 'mailgun',
  description: 'Mailgun events (events API pages, webhook posts, JSONL)',
  detect: (sample) => detectMailgun(sample),
  detectCeiling: 0.95,
  parse: (lines, context) => mapJsonRecords(lines, context, mailgunItems),
};
