/**
 * Generic bounce exports: any CSV or JSON/JSONL with an address column and some of status, SMTP
 * code, diagnostic, time, type. The field readers ESP parsers share are in fields/esp-fields.ts.
 */
import type { BounceClass, BounceReason, DeliveryAction, FormatParser, NumberedLine, ParseContext, ParseItem } from '../types.js';
import { foldColumnName, readCsvRecords, sniffCsvHeader, type CsvItem } from './fields/csv-records.js';
import { mapJsonRecords, startsLikeJson } from './fields/json-records.js';
import { dayOrderOf, toIsoUtc, type DayOrder } from './fields/time.js';
import {
  asObject,
  cleanRecipient,
  enhancedCode,
  fieldText,
  missingAddress,
  readReply,
  recordItem,
  smtpCodeOf,
} from './fields/esp-fields.js';

type Role = 'recipient' | 'status' | 'smtpCode' | 'diagnostic' | 'time' | 'type' | 'messageKey' | 'remoteMta';

/** Column names (folded) per role; earlier names win when a file has several for one role. */
const COLUMN_NAMES: ReadonlyArray<readonly [Role, readonly string[]]> = [
  [
    'recipient',
    [
      'email',
      'emailaddress',
      'recipient',
      'recipientemail',
      'recipientaddress',
      'rcpt',
      'rcptto',
      'finalrecipient',
      'address',
      'to',
      'mail',
      'emailaddr',
    ],
  ],
  ['status', ['status', 'enhancedstatus', 'enhancedcode', 'enhancedstatuscode', 'dsn', 'dsnstatus', 'statuscode']],
  ['smtpCode', ['smtpcode', 'replycode', 'responsecode', 'code', 'errorcode', 'smtpstatus', 'smtpreplycode']],
  [
    'diagnostic',
    [
      'diagnostic',
      'diagnosticcode',
      'diagnostictext',
      'smtpresponse',
      'response',
      'reason',
      'bouncereason',
      'error',
      'errormessage',
      'message',
      'details',
      'description',
      // Exchange Online's message trace: the reply for that recipient.
      'recipientstatus',
    ],
  ],
  [
    'time',
    [
      'timestamp',
      'time',
      'datetime',
      'date',
      'eventtime',
      'created',
      'createdat',
      'bouncedat',
      'loggedat',
      'timelogged',
      'occurredat',
      'at',
      // Suppression-list exports: when the address was added.
      'suppressedat',
      'suppresseddate',
      'suppressedon',
      'dateadded',
      'addedat',
      'lastupdatetime',
      'bouncedate',
      'bouncetime',
      'bouncedon',
      'eventdate',
      // Exchange Online's message trace (date_time_utc).
      'datetimeutc',
      'timestamputc',
    ],
  ],
  [
    'type',
    [
      'event',
      'eventtype',
      'type',
      'bouncetype',
      'class',
      'bounceclass',
      'category',
      'classification',
      'kind',
      'severity',
      'result',
      'outcome',
      // Suppression-list exports (Klaviyo, HubSpot, ...): why the address is on the list.
      'suppressionreason',
      'suppressiontype',
      // SparkPost's suppression list: "Bounce Rule", "Spam Complaint", "Manually Added", ...
      'source',
      // Exchange Online's message trace: DELIVER, FAIL, DEFER, RECEIVE, ...
      'eventid',
    ],
  ],
  ['messageKey', ['messageid', 'msgid', 'queueid', 'mailid']],
  ['remoteMta', ['remotemta', 'mx', 'mxhost', 'remotehost', 'relay']],
];

const ROLE_OF_NAME = new Map<string, { role: Role; rank: number }>(
  COLUMN_NAMES.flatMap(([role, names]) => names.map((name, rank) => [name, { role, rank }] as const)),
);

/** What a generic type word (`hard`, `deferred`, `complaint`, `delivered`, ...) says. */
interface TypeWord {
  action?: DeliveryAction;
  vendorClass?: BounceClass;
  vendorReason?: BounceReason;
  autoReply?: boolean;
  /** Not about delivery (opens, clicks, unsubscribes, ...). */
  skip?: boolean;
}

const TYPE_WORDS: ReadonlyArray<readonly [readonly string[], TypeWord]> = [
  [['hard', 'hardbounce', 'permanent', 'permanentfailure', 'perm'], { action: 'failed', vendorClass: 'hard' }],
  [['soft', 'softbounce', 'temporary', 'transient', 'tempfail'], { action: 'failed', vendorClass: 'soft' }],
  [['deferred', 'deferral', 'delayed', 'delay', 'defer'], { action: 'delayed' }],
  [
    ['bounce', 'bounced', 'failed', 'failure', 'fail', 'rejected', 'reject', 'undeliverable', 'dropped', 'drop', 'badmail'],
    { action: 'failed' },
  ],
  [['block', 'blocked'], { action: 'failed', vendorClass: 'block' }],
  // On a sending service's suppression list: it will not send there again.
  [
    ['suppressed', 'manuallysuppressed', 'manualsuppression', 'suppression', 'blocklisted', 'manuallyadded', 'bouncerule'],
    { action: 'failed', vendorReason: 'suppressed', vendorClass: 'hard' },
  ],
  [
    ['invalidemail', 'invalidaddress', 'invalidrecipient', 'nonexistentaddress', 'nonexistentemail', 'addressdoesnotexist'],
    { action: 'failed', vendorReason: 'userunknown', vendorClass: 'hard' },
  ],
  // Constant Contact's bounce types, and others' words for the same.
  [['mailboxfull', 'fullmailbox', 'overquota', 'quotaexceeded'], { action: 'failed', vendorReason: 'mailboxfull', vendorClass: 'soft' }],
  [
    ['complaint', 'complained', 'spam', 'spamreport', 'spamcomplaint', 'abuse', 'fbl', 'feedback'],
    { vendorClass: 'complaint', vendorReason: 'feedback' },
  ],
  [
    ['delivered', 'delivery', 'deliver', 'sent', 'success', 'ok'],
    { action: 'delivered', vendorClass: 'delivered', vendorReason: 'delivered' },
  ],
  [
    ['autoreply', 'autoresponder', 'vacation', 'outofoffice', 'vacationautoreply'],
    { vendorClass: 'auto-reply', vendorReason: 'vacation', autoReply: true },
  ],
  [
    [
      'open',
      'opened',
      'click',
      'clicked',
      'unsubscribe',
      'unsubscribed',
      'listunsubscribe',
      'subscribe',
      'processed',
      'send',
      'accepted',
      'queued',
      'injection',
      // Exchange's message trace events on the way in and between its own servers.
      'receive',
      'submit',
      'transfer',
      'expand',
      'resolve',
      'redirect',
      'haredirect',
      'agentinfo',
    ],
    { skip: true },
  ],
];

const TYPE_WORD = new Map<string, TypeWord>(TYPE_WORDS.flatMap(([words, meaning]) => words.map((word) => [word, meaning] as const)));

/** The action a bare code implies when no type says it. */
const ACTION_OF_CODE_CLASS: Readonly<Record<string, DeliveryAction>> = {
  '2': 'delivered',
  '4': 'delayed',
  '5': 'failed',
};

/** For each role, the field names of one input that play it (type may have several). */
type FieldRoles = Partial<Record<Exclude<Role, 'type'>, string>> & { type: string[] };

/** Maps field names to roles: the best-ranked name per role, every type-like name for `type`. */
function fieldRoles(names: readonly string[]): FieldRoles {
  const roles: FieldRoles = { type: [] };
  const ranks = new Map<Role, number>();
  const typeNames: Array<{ name: string; rank: number }> = [];
  for (const name of names) {
    const found = ROLE_OF_NAME.get(foldColumnName(name));
    if (found === undefined) continue;
    if (found.role === 'type') {
      typeNames.push({ name, rank: found.rank });
      continue;
    }
    const best = ranks.get(found.role);
    if (best === undefined || found.rank < best) {
      ranks.set(found.role, found.rank);
      roles[found.role] = name;
    }
  }
  roles.type = typeNames.sort((a, b) => a.rank - b.rank).map((entry) => entry.name);
  return roles;
}

/** A generic input is worth a low score when it has an address field and some bounce field. */
function looksLikeBounceFields(names: readonly string[]): boolean {
  const roles = fieldRoles(names);
  return (
    roles.recipient !== undefined &&
    (roles.status !== undefined || roles.smtpCode !== undefined || roles.diagnostic !== undefined || roles.type.length > 0)
  );
}

function typeWordKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z]/g, '');
}

/** A value of only words (no code, no number): "HardBounce", "Spam Complaint", "Mailbox Full". */
function isTypeWord(value: unknown): boolean {
  const text = fieldText(value);
  return text !== null && text.length <= 40 && /^[A-Za-z][A-Za-z _/-]*$/.test(text) && TYPE_WORD.has(typeWordKey(text));
}

/** Reads the meaning of the type fields; several combine (`event=bounce`, `type=hard`). */
function readTypeWords(values: readonly unknown[]): TypeWord & { known: boolean } {
  const merged: TypeWord & { known: boolean } = { known: false };
  let onlySkips = true;
  for (const value of values) {
    const text = fieldText(value);
    if (text === null || text.length > 40) continue;
    const meaning = TYPE_WORD.get(typeWordKey(text));
    if (meaning === undefined) continue;
    merged.known = true;
    if (!meaning.skip) onlySkips = false;
    merged.action ??= meaning.action;
    merged.vendorClass ??= meaning.vendorClass;
    merged.vendorReason ??= meaning.vendorReason;
    merged.autoReply ||= meaning.autoReply;
  }
  merged.skip = merged.known && onlySkips;
  return merged;
}

/** One generic row or object (by field name) -> a parse item. */
function genericItem(
  get: (name: string | undefined) => unknown,
  roles: FieldRoles,
  line: number,
  source: string,
  dayOrder?: DayOrder,
): ParseItem {
  const statusField = get(roles.status);
  const status = enhancedCode(statusField);
  // A `status` column often holds the outcome (`bounced`, `hard`) rather than a code.
  const typeValues = roles.type.map((name) => get(name));
  if (status === null && statusField !== undefined) typeValues.push(statusField);
  // A "reason" that is only a type word (Postmark's "HardBounce", "SpamComplaint") says the type:
  // read as reply text, "SpamComplaint" would be a spam block, and a complaint never a block.
  const diagnosticField = get(roles.diagnostic);
  if (isTypeWord(diagnosticField)) typeValues.push(diagnosticField);
  const type = readTypeWords(typeValues);
  if (type.skip) return { kind: 'skipped', line };

  const recipient = cleanRecipient(get(roles.recipient));
  if (recipient === null) return missingAddress(line);
  const codeField = get(roles.smtpCode);
  const reply = readReply(diagnosticField);
  const codeReply = smtpCodeOf(codeField) === null ? readReply(codeField) : null;
  const finalStatus = status ?? reply.status ?? codeReply?.status ?? null;
  const smtpCode = smtpCodeOf(codeField) ?? codeReply?.smtpCode ?? reply.smtpCode;
  // A row that says nothing of a delivery (no known type, code or reply: an export's other
  // events, as Exchange's "SMTP" source rows) is not read as a bounce of unknown cause.
  if (!type.known && finalStatus === null && smtpCode === null && reply.diagnostic === null) return { kind: 'skipped', line };
  const codeClass = (finalStatus ?? smtpCode ?? '').charAt(0);
  const messageKey = fieldText(get(roles.messageKey));
  const timeField = get(roles.time);
  const at = toIsoUtc(timeField, dayOrder);
  const unreadTime = at === null && typeof timeField === 'string' ? timeField.trim().slice(0, 60) : '';
  return recordItem({
    recipient,
    action: type.action ?? ACTION_OF_CODE_CLASS[codeClass] ?? null,
    status: finalStatus,
    smtpCode,
    diagnostic: reply.diagnostic,
    remoteMta: fieldText(get(roles.remoteMta)),
    at,
    ...(unreadTime === '' ? {} : { unreadTime }),
    queueId: messageKey,
    messageKey,
    source,
    vendorReason: type.vendorReason ?? null,
    vendorClass: type.vendorClass ?? null,
    feedbackType: type.vendorClass === 'complaint' ? 'abuse' : null,
    autoReply: type.autoReply ?? false,
  });
}

/** Rows read before the day order of the file's dates is decided. */
const DAY_ORDER_LOOKAHEAD = 2000;

function dayOrderOfRows(items: readonly CsvItem[], roles: FieldRoles | null): DayOrder | undefined {
  const column = roles?.time;
  if (column === undefined) return undefined;
  return dayOrderOf(items.map((item) => (item.kind === 'row' ? item.fields[column] : undefined))) ?? undefined;
}

const GENERIC_SCORE = 0.3;
const MAX_SAMPLE = 64 * 1024;
const JSON_KEY = /"([^"\\\n]{1,64})"\s*:/g;
const MAX_SAMPLE_KEYS = 2000;

/** Field names seen in a JSON sample (which may be cut off mid-document). */
export function jsonSampleKeys(sample: string): Set<string> {
  const keys = new Set<string>();
  let count = 0;
  for (const match of sample.slice(0, MAX_SAMPLE).matchAll(JSON_KEY)) {
    if (match[1] !== undefined) keys.add(match[1]);
    if (++count >= MAX_SAMPLE_KEYS) break;
  }
  return keys;
}

/**
 * A CSV whose header names an address column and nothing a bounce export has (`created,email,ip`,
 * `email,created`): a suppression or unsubscribe list, which `suppressions import` reads.
 */
export function looksLikeAddressList(sample: string): boolean {
  const header = sniffCsvHeader(sample);
  if (header === null) return false;
  return fieldRoles(header.columns).recipient !== undefined && !looksLikeBounceFields(header.columns);
}

function detectGenericCsv(sample: string): number {
  const header = sniffCsvHeader(sample);
  if (header === null) return 0;
  const plausibleNames = header.columns.every((name) => name.length <= 64 && !name.includes('@'));
  return plausibleNames && looksLikeBounceFields(header.columns) ? GENERIC_SCORE : 0;
}

function detectGenericJson(sample: string): number {
  if (!startsLikeJson(sample)) return 0;
  return looksLikeBounceFields([...jsonSampleKeys(sample)]) ? GENERIC_SCORE : 0;
}

export const genericCsvFormat: FormatParser = {
  name: 'generic-csv',
  description: 'Any CSV bounce export with an address column and status/code/diagnostic/type columns',
  detect: (sample) => detectGenericCsv(sample),
  detectCeiling: GENERIC_SCORE,
  async *parse(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
    let roles: FieldRoles | null = null;
    // The first rows are held until their dates show the file's day order (03/04 is 3 April in a
    // day-first export): every row of the file is then read in that order.
    let held: CsvItem[] | null = [];
    let order: DayOrder | undefined;
    const read = (item: CsvItem): ParseItem => {
      if (item.kind === 'malformed') return item;
      const fields = item.fields;
      const get = (name: string | undefined): unknown => (name === undefined ? undefined : fields[name]);
      const parsed = genericItem(get, roles!, item.line, `${context.file}:${item.line}`, order);
      if (item.extraFields !== undefined && parsed.kind === 'record') parsed.record.extraFields = item.extraFields;
      return parsed;
    };
    /** Decides the day order from the held rows, then reads them; later rows are read as they come. */
    const release = (): ParseItem[] => {
      const items = held ?? [];
      held = null;
      order = dayOrderOfRows(items, roles);
      return items.map(read);
    };
    for await (const item of readCsvRecords(lines)) {
      if (item.kind === 'row') roles ??= fieldRoles(Object.keys(item.fields));
      if (held === null) {
        yield read(item);
        continue;
      }
      held.push(item);
      if (held.length >= DAY_ORDER_LOOKAHEAD) yield* release();
    }
    if (held !== null) yield* release();
  },
};

/** Objects of one export usually share their keys: remember the roles per key list. */
const MAX_CACHED_SHAPES = 64;

export const genericJsonlFormat: FormatParser = {
  name: 'generic-jsonl',
  description: 'Any JSON or JSONL bounce export with an address field and status/code/diagnostic/type fields',
  detect: (sample) => detectGenericJson(sample),
  detectCeiling: GENERIC_SCORE,
  parse(lines: AsyncIterable<NumberedLine>, context: ParseContext): AsyncIterable<ParseItem> {
    const shapes = new Map<string, FieldRoles>();
    return mapJsonRecords(lines, context, function* (value, line, source) {
      const object = asObject(value);
      if (object === null) {
        yield { kind: 'malformed', line, message: 'not a JSON object' };
        return;
      }
      const names = Object.keys(object);
      const shape = names.join('\u0000');
      let roles = shapes.get(shape);
      if (roles === undefined) {
        roles = fieldRoles(names);
        if (shapes.size < MAX_CACHED_SHAPES) shapes.set(shape, roles);
      }
      const get = (name: string | undefined): unknown => (name === undefined || !Object.hasOwn(object, name) ? undefined : object[name]);
      yield genericItem(get, roles, line, source);
    });
  },
};
