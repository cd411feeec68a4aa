/**
 * Amazon SES notifications: Bounce, Complaint, Delivery and DeliveryDelay, as SNS delivers them
 * (an envelope whose `Message` is the notification as a JSON string) or as event publishing
 * writes them (`eventType`), one per line or as a JSON array.
 */
import type { FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { headerHasColumns, sniffCsvHeader } from './fields/csv-records.js';
import {
  NO_VERDICT,
  asArray,
  asObject,
  cleanRecipient,
  enhancedCode,
  fieldText,
  missingAddress,
  readExportRows,
  readReply,
  recordItem,
  verdict,
  type RecordFields,
  type VendorVerdict,
} from './fields/esp-fields.js';
import { mapJsonRecords, mayHoldJsonKey, readJsonOrCsv } from './fields/json-records.js';
import { toIsoUtc } from './fields/time.js';

/** `bounceType/bounceSubType` -> verdict. */
const BOUNCE_VERDICTS = new Map<string, VendorVerdict>([
  ['Permanent/General', verdict(null, 'hard')],
  ['Permanent/NoEmail', verdict('userunknown', 'hard')],
  ['Permanent/Suppressed', verdict('suppressed', 'hard')],
  ['Permanent/OnAccountSuppressionList', verdict('suppressed', 'hard')],
  ['Transient/General', verdict(null, 'soft')],
  ['Transient/MailboxFull', verdict('mailboxfull', 'soft')],
  ['Transient/MessageTooLarge', verdict('emailtoolarge', 'soft')],
  // Rejected content or attachments are the sender's to fix: the address itself is fine.
  ['Transient/ContentRejected', verdict('contenterror', 'block')],
  ['Transient/AttachmentRejected', verdict('securityerror', 'block')],
]);

/** A subtype SES adds later still carries the type's verdict. Undetermined says nothing. */
const BOUNCE_TYPE_VERDICTS = new Map<string, VendorVerdict>([
  ['Permanent', verdict(null, 'hard')],
  ['Transient', verdict(null, 'soft')],
]);

/** `deliveryDelay.delayType` -> verdict; types about SES itself carry none. */
const DELAY_VERDICTS = new Map<string, VendorVerdict>([
  ['MailboxFull', verdict('mailboxfull', 'soft')],
  ['SpamDetected', verdict('spamdetected', 'block')],
  ['IPFailure', verdict('blocked', 'block')],
  ['RecipientServerError', verdict('systemerror', 'soft')],
  ['TransientCommunicationFailure', verdict('networkerror', 'soft')],
  ['General', verdict(null, 'soft')],
]);

/** SNS envelope types that carry no notification. */
const SNS_CONTROL = new Set(['SubscriptionConfirmation', 'UnsubscribeConfirmation']);

const SES_EVENT_TYPE =
  /\\?"(?:notificationType|eventType)\\?"\s*:\s*\\?"(?:Bounce|Complaint|Delivery|DeliveryDelay|Send|Reject|Open|Click|Rendering Failure|Subscription)\\?"/;
const SES_SHAPE = /\\?"(?:mail|bouncedRecipients|complainedRecipients|bounceType|commonHeaders)\\?"\s*:/;
const SNS_ENVELOPE = /"TopicArn"\s*:\s*"arn:aws:sns:/;

/**
 * The account suppression list as `aws sesv2 list-suppressed-destinations` prints it
 * (`{"SuppressedDestinationSummaries": [{EmailAddress, Reason, LastUpdateTime}, ...]}`), or its
 * entries one a line.
 */
const SUPPRESSION_LIST = /"SuppressedDestinationSummaries"\s*:\s*\[/;
const SUPPRESSION_ENTRY =
  /"Reason"\s*:\s*"(?:BOUNCE|COMPLAINT)"[^{}]{0,400}"LastUpdateTime"\s*:|"LastUpdateTime"\s*:[^{}]{0,400}"Reason"\s*:\s*"(?:BOUNCE|COMPLAINT)"/;
const SUPPRESSION_VERDICTS = new Map<string, VendorVerdict>([
  ['BOUNCE', verdict('suppressed', 'hard')],
  ['COMPLAINT', verdict('suppressed', 'complaint')],
]);

/** The same list as the SES console and `--output text` tools write it: a CSV with these columns. */
const SUPPRESSION_CSV_COLUMNS = ['emailaddress', 'reason', 'lastupdatetime'];

function detectSes(sample: string): number {
  if (!mayHoldJsonKey(sample)) return headerHasColumns(sniffCsvHeader(sample), SUPPRESSION_CSV_COLUMNS) ? 0.9 : 0;
  if (SUPPRESSION_LIST.test(sample)) return 0.95;
  if (SUPPRESSION_ENTRY.test(sample) && sample.includes('"EmailAddress"')) return 0.9;
  if (!SES_EVENT_TYPE.test(sample)) return 0;
  if (SNS_ENVELOPE.test(sample)) return 0.95;
  return SES_SHAPE.test(sample) ? 0.95 : 0.5;
}

function* sesItems(value: unknown, line: number, source: string): Iterable<ParseItem> {
  const object = asObject(value);
  if (object === null) {
    yield { kind: 'malformed', line, message: 'not a JSON object' };
    return;
  }
  if (object['EmailAddress'] !== undefined && object['Reason'] !== undefined && object['eventType'] === undefined) {
    yield suppressionItem(object, line, source);
    return;
  }
  const notification = unwrapSns(object, line);
  if (notification.kind !== 'notification') {
    yield notification.item;
    return;
  }
  const event = notification.event;
  const type = fieldText(event['notificationType']) ?? fieldText(event['eventType']);
  if (type === null) {
    yield { kind: 'malformed', line, message: 'not an SES notification (no notificationType or eventType)' };
    return;
  }
  const mail = asObject(event['mail']) ?? {};
  const messageId = fieldText(mail['messageId']);
  const common = { source, messageKey: messageId, queueId: messageId };
  const mailTime = mail['timestamp'];

  switch (type) {
    case 'Bounce':
      yield* bounceItems(asObject(event['bounce']) ?? {}, line, common, mailTime);
      return;
    case 'Complaint':
      yield* complaintItems(asObject(event['complaint']) ?? {}, line, common, mailTime);
      return;
    case 'Delivery':
      yield* deliveryItems(asObject(event['delivery']) ?? {}, line, common, mailTime);
      return;
    case 'DeliveryDelay':
      yield* delayItems(asObject(event['deliveryDelay']) ?? {}, line, common, mailTime);
      return;
    default:
      // Send, Reject, Open, Click, Rendering Failure, Subscription: not delivery results.
      yield { kind: 'skipped', line };
  }
}

type Unwrapped = { kind: 'notification'; event: Record<string, unknown> } | { kind: 'done'; item: ParseItem };

/** Opens an SNS envelope (`Type: Notification`, the payload a JSON string in `Message`). */
function unwrapSns(object: Record<string, unknown>, line: number): Unwrapped {
  const snsType = fieldText(object['Type']);
  if (snsType === null || !('TopicArn' in object || 'Message' in object)) {
    return { kind: 'notification', event: object };
  }
  if (SNS_CONTROL.has(snsType)) return { kind: 'done', item: { kind: 'skipped', line } };
  const message = object['Message'];
  if (typeof message !== 'string') {
    const inner = asObject(message);
    return inner
      ? { kind: 'notification', event: inner }
      : { kind: 'done', item: { kind: 'malformed', line, message: 'SNS envelope without a Message' } };
  }
  const text = message.trim();
  // SES posts plain-text messages too ("Successfully validated SNS topic ..."): not delivery.
  if (!text.startsWith('{')) return { kind: 'done', item: { kind: 'skipped', line } };
  try {
    const inner = asObject(JSON.parse(text));
    if (inner) return { kind: 'notification', event: inner };
  } catch {
    // reported below
  }
  return { kind: 'done', item: { kind: 'malformed', line, message: 'SNS Message is not a JSON object' } };
}

type Common = Pick<RecordFields, 'source' | 'messageKey' | 'queueId'>;

function remoteMtaOf(part: Record<string, unknown>): string | null {
  const reporting = fieldText(part['reportingMTA'])?.replace(/^(?:dns|dsn)[ \t]{0,8};\s*/i, '') ?? null;
  return fieldText(part['remoteMtaIp']) ?? (reporting === '' ? null : reporting);
}

/**
 * One record per entry of a notification's recipient list (`bouncedRecipients`, ...): an event
 * without any is listed as malformed, and so is an entry without an address.
 */
function* perRecipient(
  entries: unknown,
  line: number,
  noneMessage: string,
  addressOf: (entry: unknown) => unknown,
  fields: (recipient: string, entry: Record<string, unknown>) => RecordFields,
): Iterable<ParseItem> {
  const recipients = asArray(entries);
  if (recipients.length === 0) yield missingAddress(line, noneMessage);
  for (const entry of recipients) {
    const address = cleanRecipient(addressOf(entry));
    if (address === null) {
      yield missingAddress(line);
      continue;
    }
    yield recordItem(fields(address, asObject(entry) ?? {}));
  }
}

const emailAddressOf = (entry: unknown): unknown => asObject(entry)?.['emailAddress'];

/** Bounces and delivery delays: per recipient, the remote reply and status. */
function failureFields(
  common: Common,
  vendor: VendorVerdict,
  part: Record<string, unknown>,
  mailTime: unknown,
  action: (entry: Record<string, unknown>) => 'failed' | 'delayed',
): (recipient: string, entry: Record<string, unknown>) => RecordFields {
  const at = toIsoUtc(part['timestamp']) ?? toIsoUtc(mailTime);
  const remoteMta = remoteMtaOf(part);
  return (recipient, entry) => {
    const reply = readReply(entry['diagnosticCode']);
    return {
      ...common,
      ...vendor,
      recipient,
      action: action(entry),
      status: enhancedCode(entry['status']) ?? reply.status,
      smtpCode: reply.smtpCode,
      diagnostic: reply.diagnostic,
      remoteMta,
      at,
    };
  };
}

/**
 * What SES's bounce type and subtype say (`Permanent`/`NoEmail`, ...). Also the verdict of the
 * services that send through SES and pass its types on (Resend).
 */
export function sesBounceVerdict(bounceType: string, subType: string): VendorVerdict {
  return BOUNCE_VERDICTS.get(`${bounceType}/${subType}`) ?? BOUNCE_TYPE_VERDICTS.get(bounceType) ?? NO_VERDICT;
}

function bounceItems(bounce: Record<string, unknown>, line: number, common: Common, mailTime: unknown): Iterable<ParseItem> {
  const vendor = sesBounceVerdict(fieldText(bounce['bounceType']) ?? '', fieldText(bounce['bounceSubType']) ?? '');
  const action = (entry: Record<string, unknown>) => (fieldText(entry['action']) === 'delayed' ? 'delayed' : 'failed');
  const fields = failureFields(common, vendor, bounce, mailTime, action);
  return perRecipient(bounce['bouncedRecipients'], line, 'bounce without bouncedRecipients', emailAddressOf, fields);
}

function delayItems(delay: Record<string, unknown>, line: number, common: Common, mailTime: unknown): Iterable<ParseItem> {
  const vendor = DELAY_VERDICTS.get(fieldText(delay['delayType']) ?? '') ?? NO_VERDICT;
  const fields = failureFields(common, vendor, delay, mailTime, () => 'delayed');
  return perRecipient(delay['delayedRecipients'], line, 'delivery delay without delayedRecipients', emailAddressOf, fields);
}

function complaintItems(complaint: Record<string, unknown>, line: number, common: Common, mailTime: unknown): Iterable<ParseItem> {
  const onSuppressionList = fieldText(complaint['complaintSubType']) === 'OnAccountSuppressionList';
  const at = toIsoUtc(complaint['timestamp']) ?? toIsoUtc(mailTime);
  // SES did not send: the address is on the account suppression list after a complaint.
  const verdictFields: Partial<RecordFields> = onSuppressionList
    ? { ...verdict('suppressed', 'complaint'), diagnostic: 'on the Amazon SES account suppression list (complaint)' }
    : { ...verdict('feedback', 'complaint'), feedbackType: fieldText(complaint['complaintFeedbackType']) ?? 'abuse' };
  return perRecipient(complaint['complainedRecipients'], line, 'complaint without complainedRecipients', emailAddressOf, (recipient) => ({
    ...common,
    recipient,
    at,
    ...verdictFields,
  }));
}

function deliveryItems(delivery: Record<string, unknown>, line: number, common: Common, mailTime: unknown): Iterable<ParseItem> {
  const reply = readReply(delivery['smtpResponse']);
  const at = toIsoUtc(delivery['timestamp']) ?? toIsoUtc(mailTime);
  const remoteMta = remoteMtaOf(delivery);
  // Delivery notifications list bare addresses.
  return perRecipient(
    delivery['recipients'],
    line,
    'delivery without recipients',
    (entry) => entry,
    (recipient) => ({
      ...common,
      ...verdict('delivered', 'delivered'),
      recipient,
      action: 'delivered',
      status: reply.status,
      smtpCode: reply.smtpCode,
      diagnostic: reply.diagnostic,
      remoteMta,
      at,
    }),
  );
}

/** An entry of the account suppression list (JSON): SES will not send to the address. */
function suppressionItem(entry: Record<string, unknown>, line: number, source: string): ParseItem {
  const recipient = cleanRecipient(entry['EmailAddress']);
  if (recipient === null) return missingAddress(line);
  return suppressionRecord(recipient, entry['Reason'], entry['LastUpdateTime'], line, source);
}

/** A row of the account suppression list as CSV: the same record as its JSON entry. */
async function* suppressionCsvItems(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  for await (const row of readExportRows(lines, ['emailaddress', 'email'])) {
    if (row.kind !== 'row') yield row;
    else yield suppressionRecord(row.recipient, row.field('reason'), row.field('lastupdatetime'), row.line, `${context.file}:${row.line}`);
  }
}

function suppressionRecord(recipient: string, reasonField: unknown, at: unknown, line: number, source: string): ParseItem {
  const reason = fieldText(reasonField)?.toUpperCase() ?? '';
  const vendor = SUPPRESSION_VERDICTS.get(reason);
  if (vendor === undefined) {
    return { kind: 'malformed', line, message: `suppression list entry with an unknown Reason ${JSON.stringify(reason)}` };
  }
  return recordItem({
    ...vendor,
    recipient,
    action: 'failed',
    diagnostic: `on the Amazon SES account suppression list (${reason.toLowerCase()})`,
    at: toIsoUtc(at),
    source,
  });
}

/**
 * The parse items of one SES notification document, bare or in its SNS envelope. The mail
 * readers use this for a notification sent by SNS e-mail, so that ContentRejected, DeliveryDelay
 * and the rest give the same records whichever way the notification arrives.
 */
export function readSesDocument(value: unknown, line: number, source: string): ParseItem[] {
  return [...sesItems(value, line, source)];
}

export const sesFormat: FormatParser = {
  name: 'ses',
  description: 'Amazon SES bounce/complaint/delivery notifications (SNS or event publishing; JSON or JSONL) and account suppression list',
  detect: (sample) => detectSes(sample),
  detectCeiling: 0.95,
  parse: (lines, context) =>
    readJsonOrCsv(lines, {
      json: (jsonLines) => mapJsonRecords(jsonLines, context, sesItems),
      csv: (csvLines) => suppressionCsvItems(csvLines, context),
    }),
};
