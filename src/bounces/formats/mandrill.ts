/**
 * Mandrill (Mailchimp Transactional): message events as its webhooks post them (a JSON array of
 * events, also kept one a line), each `{event, ts, msg: {email, state, bounce_description, diag,
 * smtp_events, ...}}`, and its sync events (`{type: "blacklist", action: "add", reject: {email,
 * reason, ...}}`) for addresses it adds to its rejection list; also that rejection list itself,
 * as its API (`/rejects/list`, JSON) and its CSV export give it: `{email, reason, detail,
 * created_at, last_event_at, expires_at, ...}` a row, the same record either way.
 */
import type { DeliveryAction, FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { headerHasColumns, sniffCsvHeader } from './fields/csv-records.js';
import {
  NO_VERDICT,
  asArray,
  asObject,
  cleanRecipient,
  fieldText,
  missingAddress,
  readExportRows,
  readReply,
  recordItem,
  verdict,
  type VendorVerdict,
} from './fields/esp-fields.js';
import { mapJsonRecords, mayHoldJsonKey, readJsonOrCsv, startsLikeJson } from './fields/json-records.js';
import { toIsoUtc } from './fields/time.js';

/** What each message event is; every other event (open, click, unsub, ...) is skipped. */
const EVENTS: Readonly<Record<string, { action: DeliveryAction | null } & VendorVerdict>> = {
  // Mandrill: "sent" is a message its recipient's server accepted.
  send: { action: 'delivered', ...verdict('delivered', 'delivered') },
  deferral: { action: 'delayed', ...NO_VERDICT },
  hard_bounce: { action: 'failed', ...verdict(null, 'hard') },
  soft_bounce: { action: 'failed', ...verdict(null, 'soft') },
  spam: { action: null, ...verdict('feedback', 'complaint') },
  // Mandrill did not send: the address is on its rejection list (reason in msg.reject).
  reject: { action: 'failed', ...NO_VERDICT },
};

/** `msg.bounce_description`: Mandrill's own reading of the remote reply. */
const BOUNCE_DESCRIPTIONS = new Map<string, VendorVerdict>([
  ['bad_mailbox', verdict('userunknown', 'hard')],
  ['invalid_domain', verdict('hostunknown', 'hard')],
  ['mailbox_full', verdict('mailboxfull', 'soft')],
  // The receiver took the message for spam: the sender's problem, not the address's.
  ['spam_related', verdict('spamdetected', 'block')],
]);

/** Why an address is on the rejection list (`reject.reason`); `unsub` is not a delivery result. */
const REJECT_REASONS = new Map<string, VendorVerdict>([
  ['hard-bounce', verdict('suppressed', 'hard')],
  ['spam', verdict('suppressed', 'complaint')],
  ['custom', verdict('suppressed', 'hard')],
  ['soft-bounce', verdict(null, 'soft')],
]);

const MANDRILL_KEY = /"(?:bounce_description|smtp_events|bgtools_code)"\s*:/;
const MESSAGE_EVENT = /"event"\s*:\s*"(?:send|deferral|hard_bounce|soft_bounce|open|click|spam|unsub|reject)"/;
const MESSAGE_OBJECT = /"msg"\s*:\s*\{/;
const SYNC_EVENT = /"type"\s*:\s*"(?:blacklist|whitelist)"[\s\S]{0,400}"reject"\s*:\s*\{/;
/** An entry of the rejection list (`/rejects/list`): its reason and its own time fields. */
const REJECT_ENTRY = /"reason"\s*:\s*"(?:hard-bounce|soft-bounce|spam|unsub|custom)"/;
const REJECT_ENTRY_KEY = /"(?:last_event_at|expires_at)"\s*:/;
/** The rejection list as CSV: these columns (folded). */
const REJECT_CSV_COLUMNS = ['email', 'reason', 'detail', 'lasteventat'];

/** A webhook POST body kept as it came: `mandrill_events=` and the events, URL-encoded. */
const FORM_BODY = 'mandrill_events=';
const FORM_BODY_START = /^\s{0,64}mandrill_events=/;

function detectMandrill(sample: string): number {
  if (FORM_BODY_START.test(sample)) return 0.95;
  if (!mayHoldJsonKey(sample)) return headerHasColumns(sniffCsvHeader(sample), REJECT_CSV_COLUMNS) ? 0.9 : 0;
  if (REJECT_ENTRY.test(sample) && REJECT_ENTRY_KEY.test(sample) && !MESSAGE_OBJECT.test(sample)) return 0.9;
  if (MANDRILL_KEY.test(sample) && MESSAGE_OBJECT.test(sample)) return 0.95;
  return (MESSAGE_OBJECT.test(sample) && MESSAGE_EVENT.test(sample)) || SYNC_EVENT.test(sample) ? 0.9 : 0;
}

function* mandrillItems(value: unknown, line: number, source: string): Iterable<ParseItem> {
  const object = asObject(value);
  if (object === null) {
    yield { kind: 'malformed', line, message: 'not a JSON object' };
    return;
  }
  if (object['event'] === undefined && object['type'] !== undefined) {
    yield syncItem(object, line, source);
    return;
  }
  if (object['event'] === undefined && object['email'] !== undefined && object['reason'] !== undefined) {
    yield rejectionRecord(
      cleanRecipient(object['email']),
      object['reason'],
      object['detail'],
      object['last_event_at'] ?? object['created_at'],
      line,
      source,
    );
    return;
  }
  const event = fieldText(object['event']);
  const meaning = event === null ? undefined : EVENTS[event];
  if (meaning === undefined) {
    yield event === null ? { kind: 'malformed', line, message: 'Mandrill event without "event"' } : { kind: 'skipped', line };
    return;
  }
  const msg = asObject(object['msg']) ?? {};
  const recipient = cleanRecipient(msg['email']);
  if (recipient === null) {
    yield missingAddress(line);
    return;
  }
  const id = fieldText(msg['_id']) ?? fieldText(object['_id']);
  let vendor: VendorVerdict = meaning;
  let diagnostic: unknown = msg['diag'];
  if (event === 'hard_bounce' || event === 'soft_bounce') {
    vendor = BOUNCE_DESCRIPTIONS.get(fieldText(msg['bounce_description']) ?? '') ?? meaning;
  } else if (event === 'deferral') {
    diagnostic ??= lastSmtpEvent(msg['smtp_events']);
  } else if (event === 'reject') {
    const reason = fieldText(asObject(msg['reject'])?.['reason']) ?? '';
    if (reason === 'unsub') {
      yield { kind: 'skipped', line };
      return;
    }
    vendor = REJECT_REASONS.get(reason) ?? NO_VERDICT;
    diagnostic = `suppressed by Mandrill: the address is on its rejection list${reason === '' ? '' : ` (${reason})`}`;
  }
  const reply = readReply(diagnostic);
  yield recordItem({
    recipient,
    action: meaning.action,
    vendorReason: vendor.vendorReason,
    vendorClass: vendor.vendorClass,
    feedbackType: vendor.vendorClass === 'complaint' && event === 'spam' ? 'abuse' : null,
    status: reply.status,
    smtpCode: reply.smtpCode,
    diagnostic: reply.diagnostic,
    at: toIsoUtc(object['ts']) ?? toIsoUtc(msg['ts']),
    queueId: id,
    messageKey: id,
    source,
  });
}

/** The reply of the last SMTP event of a message (a deferral's own words). */
function lastSmtpEvent(events: unknown): unknown {
  const list = asArray(events);
  for (let i = list.length - 1; i >= 0; i--) {
    const diag = asObject(list[i])?.['diag'];
    if (fieldText(diag) !== null) return diag;
  }
  return undefined;
}

/** A sync event: only an address added to the rejection list is evidence. */
function syncItem(object: Record<string, unknown>, line: number, source: string): ParseItem {
  const reject = asObject(object['reject']);
  const reason = fieldText(reject?.['reason']) ?? '';
  if (object['type'] !== 'blacklist' || object['action'] !== 'add' || !REJECT_REASONS.has(reason)) return { kind: 'skipped', line };
  const at = toIsoUtc(object['ts']) ?? reject?.['last_event_at'];
  return rejectionRecord(cleanRecipient(reject?.['email']), reason, reject?.['detail'], at, line, source, 'added to its rejection list');
}

/**
 * An address on the rejection list: Mandrill will not send to it, for the reason it gives (an
 * `unsub` is not a delivery result), with the remote reply that put it there when kept. From a
 * sync event, an entry of `/rejects/list` or a row of its CSV export alike.
 */
function rejectionRecord(
  recipient: string | null,
  reasonField: unknown,
  detailField: unknown,
  at: unknown,
  line: number,
  source: string,
  how = 'on its rejection list',
): ParseItem {
  const reason = fieldText(reasonField) ?? '';
  if (reason === 'unsub') return { kind: 'skipped', line };
  const vendor = REJECT_REASONS.get(reason);
  if (vendor === undefined)
    return { kind: 'malformed', line, message: `rejection list entry with an unknown reason ${JSON.stringify(reason)}` };
  if (recipient === null) return missingAddress(line);
  const detail = readReply(detailField);
  return recordItem({
    recipient,
    action: 'failed',
    vendorReason: vendor.vendorReason,
    vendorClass: vendor.vendorClass,
    status: detail.status,
    smtpCode: detail.smtpCode,
    diagnostic: detail.diagnostic ?? `suppressed by Mandrill: ${how} (${reason})`,
    at: toIsoUtc(at),
    source,
  });
}

async function* rejectListCsvItems(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
  for await (const row of readExportRows(lines, ['email'])) {
    if (row.kind !== 'row') yield row;
    else {
      const at = row.field('lasteventat') ?? row.field('createdat');
      yield rejectionRecord(row.recipient, row.field('reason'), row.field('detail'), at, row.line, `${context.file}:${row.line}`);
    }
  }
}

export const mandrillFormat: FormatParser = {
  name: 'mandrill',
  description:
    'Mandrill (Mailchimp Transactional) message and rejection-list webhook events (JSON or JSONL), and its rejection list (JSON or CSV)',
  detect: (sample) => detectMandrill(sample),
  detectCeiling: 0.95,
  parse: (lines, context) =>
    readJsonOrCsv(lines, {
      // A form body carries JSON events too.
      startsJson: (firstLine) => startsLikeJson(firstLine) || firstLine.trimStart().startsWith(FORM_BODY),
      json: (jsonLines) => mapJsonRecords(formDecoded(jsonLines), context, mandrillItems),
      csv: (csvLines) => rejectListCsvItems(csvLines, context),
    }),
};

/** Lines with a form body decoded to the JSON it carries; other lines as they are. */
async function* formDecoded(lines: AsyncIterable<NumberedLine>): AsyncIterable<NumberedLine> {
  for await (const line of lines) {
    const text = line.text.trimStart();
    if (!text.startsWith(FORM_BODY)) {
      yield line;
      continue;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(text.slice(FORM_BODY.length).trimEnd().replaceAll('+', ' '));
    } catch {
      // Broken percent-encoding: handed on as it is, and reported as a line that is not JSON.
      decoded = text;
    }
    yield { line: line.line, text: decoded };
  }
}
