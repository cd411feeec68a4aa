/**
 * Postmark: the bounces API (`{TotalCount, Bounces: [...]}`), webhook posts (one object with a
 * `RecordType`: Bounce, SpamComplaint, Delivery, SubscriptionChange, ...), or one a line.
 */
import type { FormatParser, ParseItem } from '../types.js';
import {
  NO_VERDICT,
  asObject,
  cleanRecipient,
  fieldText,
  missingAddress,
  readReply,
  recordItem,
  verdict,
  type RecordFields,
  type VendorVerdict,
} from './fields/esp-fields.js';
import { mapJsonRecords, mayHoldJsonKey } from './fields/json-records.js';
import { toIsoUtc } from './fields/time.js';

/** How one bounce `Type` reads; `skip` for types that are not delivery results. */
type TypeMeaning = (VendorVerdict & { action: 'failed' | 'delayed' | null; autoReply?: boolean }) | 'skip';

const failed = (v: VendorVerdict): TypeMeaning => ({ ...v, action: 'failed' });

/** Postmark bounce types (with their TypeCode, for records that only carry the number). */
const BOUNCE_TYPES: ReadonlyArray<readonly [string, number, TypeMeaning]> = [
  // Postmark: "unknown user, mailbox not found"; it has separate types for blocks and DNS.
  ['HardBounce', 1, failed(verdict('userunknown', 'hard'))],
  ['Transient', 2, { ...verdict(null, 'soft'), action: 'delayed' }],
  ['Unsubscribe', 16, 'skip'],
  ['Subscribe', 32, 'skip'],
  ['AutoResponder', 64, { ...verdict('vacation', 'auto-reply'), action: null, autoReply: true }],
  ['AddressChange', 128, failed(verdict('hasmoved', 'hard'))],
  // Postmark calls a DNS error temporary; hostunknown is a hard reason, so this is networkerror.
  ['DnsError', 256, failed(verdict('networkerror', 'soft'))],
  ['SpamNotification', 512, failed(verdict('spamdetected', 'block'))],
  ['OpenRelayTest', 1024, 'skip'],
  ['Unknown', 2048, failed(NO_VERDICT)],
  ['SoftBounce', 4096, failed(verdict(null, 'soft'))],
  ['VirusNotification', 8192, failed(verdict('virusdetected', 'block'))],
  // A challenge-response system asks the sender to prove itself: an automatic reply.
  ['ChallengeVerification', 16384, { ...verdict('vacation', 'auto-reply'), action: null, autoReply: true }],
  ['BadEmailAddress', 100000, failed(verdict('userunknown', 'hard'))],
  ['SpamComplaint', 100001, { ...verdict('feedback', 'complaint'), action: null }],
  ['ManuallyDeactivated', 100002, failed(verdict('suppressed', 'hard'))],
  ['Unconfirmed', 100003, 'skip'],
  ['Blocked', 100006, failed(verdict('blocked', 'block'))],
  // Postmark refused the sender's submission: nothing is wrong with the address.
  ['SMTPApiError', 100007, failed(verdict(null, 'block'))],
  ['InboundError', 100008, 'skip'],
  ['DMARCPolicy', 100009, failed(verdict('authfailure', 'block'))],
  ['TemplateRenderingFailed', 100010, 'skip'],
];

const MEANING_OF_TYPE = new Map(BOUNCE_TYPES.map(([name, , meaning]) => [name, meaning]));
const MEANING_OF_CODE = new Map(BOUNCE_TYPES.map(([, code, meaning]) => [code, meaning]));

/** `SubscriptionChange.SuppressionReason` when sending is suppressed. */
const SUPPRESSION_VERDICTS = new Map<string, VendorVerdict>([
  ['HardBounce', verdict('suppressed', 'hard')],
  ['SpamComplaint', verdict('suppressed', 'complaint')],
  ['ManualSuppression', verdict('suppressed', 'hard')],
]);

const POSTMARK_KEY = /"(?:BouncedAt|DumpAvailable|MessageStream|TypeCode)"\s*:/;
const RECORD_TYPE = /"RecordType"\s*:\s*"(?:Bounce|SpamComplaint|Delivery|SubscriptionChange|Open|Click)"/;

function detectPostmark(sample: string): number {
  if (!mayHoldJsonKey(sample)) return 0;
  return POSTMARK_KEY.test(sample) || RECORD_TYPE.test(sample) ? 0.95 : 0;
}

function* postmarkItems(value: unknown, line: number, source: string): Iterable<ParseItem> {
  const object = asObject(value);
  if (object === null) {
    yield { kind: 'malformed', line, message: 'not a JSON object' };
    return;
  }
  const hasBounceType = object['Type'] !== undefined || object['TypeCode'] !== undefined;
  const recordType = fieldText(object['RecordType']) ?? (hasBounceType ? 'Bounce' : null);
  const messageId = fieldText(object['MessageID']);
  const common = { source, queueId: messageId, messageKey: messageId };
  switch (recordType) {
    case null:
      yield { kind: 'malformed', line, message: 'Postmark record without RecordType or Type' };
      return;
    case 'Bounce':
    case 'SpamComplaint':
      yield bounceItem(object, recordType, line, common);
      return;
    case 'Delivery':
      yield deliveryItem(object, line, common);
      return;
    case 'SubscriptionChange':
      yield subscriptionItem(object, line, common);
      return;
    default:
      // Open, Click, Inbound, ...
      yield { kind: 'skipped', line };
  }
}

type Common = Pick<RecordFields, 'source' | 'queueId' | 'messageKey'>;

function bounceItem(object: Record<string, unknown>, recordType: 'Bounce' | 'SpamComplaint', line: number, common: Common): ParseItem {
  const typeName = fieldText(object['Type']) ?? (recordType === 'SpamComplaint' ? recordType : null);
  const typeCode = object['TypeCode'];
  const meaning =
    (typeName === null ? undefined : MEANING_OF_TYPE.get(typeName)) ??
    (typeof typeCode === 'number' ? MEANING_OF_CODE.get(typeCode) : undefined) ??
    failed(NO_VERDICT);
  if (meaning === 'skip') return { kind: 'skipped', line };
  const recipient = cleanRecipient(object['Email']);
  if (recipient === null) return missingAddress(line);
  // `Details` holds the remote reply; `Description` is Postmark's canned text for the Type.
  const reply = readReply(object['Details']);
  return recordItem({
    ...common,
    recipient,
    action: meaning.action,
    vendorReason: meaning.vendorReason,
    vendorClass: meaning.vendorClass,
    autoReply: meaning.autoReply ?? false,
    feedbackType: meaning.vendorClass === 'complaint' ? 'abuse' : null,
    status: reply.status,
    smtpCode: reply.smtpCode,
    diagnostic: reply.diagnostic,
    at: toIsoUtc(object['BouncedAt']),
  });
}

function deliveryItem(object: Record<string, unknown>, line: number, common: Common): ParseItem {
  const recipient = cleanRecipient(object['Recipient']);
  if (recipient === null) return missingAddress(line);
  const reply = readReply(object['Details']);
  return recordItem({
    ...common,
    ...verdict('delivered', 'delivered'),
    recipient,
    action: 'delivered',
    status: reply.status,
    smtpCode: reply.smtpCode,
    diagnostic: reply.diagnostic,
    at: toIsoUtc(object['DeliveredAt']),
  });
}

/** Postmark suppressed (or reactivated) an address; only a suppression is evidence. */
function subscriptionItem(object: Record<string, unknown>, line: number, common: Common): ParseItem {
  const reason = fieldText(object['SuppressionReason']) ?? '';
  const vendor = SUPPRESSION_VERDICTS.get(reason);
  if (object['SuppressSending'] !== true || vendor === undefined) return { kind: 'skipped', line };
  const recipient = cleanRecipient(object['Recipient']);
  if (recipient === null) return missingAddress(line);
  return recordItem({
    ...common,
    ...vendor,
    recipient,
    action: 'failed',
    diagnostic: `suppressed by Postmark (${reason})`,
    at: toIsoUtc(object['ChangedAt']),
  });
}

export const postmarkFormat: FormatParser = {
  name: 'postmark',
  description: 'Postmark bounces API, bounce/delivery/complaint webhooks (JSON or JSONL)',
  detect: (sample) => detectPostmark(sample),
  detectCeiling: 0.95,
  parse: (lines, context) => mapJsonRecords(lines, context, postmarkItems),
};
