/**
 * RFC 3464 `message/delivery-status` fields: one per-message group (Reporting-MTA, Arrival-Date,
 * X-Postfix-Queue-ID, ...) followed by one group per recipient (Final-Recipient, Action, Status,
 * Diagnostic-Code, Remote-MTA, Last-Attempt-Date, ...), groups separated by blank lines, long
 * fields folded onto indented lines. Real reports bend the rules (no blank line between
 * recipients, per-message fields inside a recipient group), so a new recipient also starts when
 * a recipient's identifying field repeats.
 */
import { EXPIRED_STATUS, type DeliveryAction } from '../../types.js';

export interface DsnRecipient {
  /**
   * The address the sender used: Original-Recipient when it holds a usable address (the one on
   * the sender's list; Final-Recipient may be an alias target or an internal routing form),
   * else Final-Recipient, else X-Actual-Recipient.
   */
  recipient: string | null;
  originalRecipient: string | null;
  /** The Final-Recipient address when it is not the recipient (an alias target), else null. */
  finalRecipient: string | null;
  action: DeliveryAction | null;
  /** `5.1.1` as found in Status, or null. */
  status: string | null;
  /** The comment after the Status code (`host name lookup failure`), or null. */
  statusText: string | null;
  /** Diagnostic-Code text without its type (`smtp; `), unfolded. */
  diagnostic: string | null;
  diagnosticType: string | null;
  remoteMta: string | null;
  /** Last-Attempt-Date as written. */
  lastAttemptDate: string | null;
  /** Every field of the group, lower-case names, unfolded values (first occurrence wins). */
  fields: ReadonlyMap<string, string>;
}

export interface DeliveryStatus {
  /** Per-message fields, lower-case names. */
  message: ReadonlyMap<string, string>;
  recipients: DsnRecipient[];
}

/** Fields that name the recipient of a group; seeing one twice starts the next recipient. */
const RECIPIENT_FIELDS = new Set(['final-recipient', 'original-recipient', 'x-actual-recipient']);
/** Fields that only belong to a recipient group. */
const PER_RECIPIENT_FIELDS = new Set([
  'action',
  'status',
  'diagnostic-code',
  'remote-mta',
  'last-attempt-date',
  'final-log-id',
  'will-retry-until',
]);
/** Fields that only belong to the per-message group, wherever they appear. */
const PER_MESSAGE_FIELDS = new Set([
  'reporting-mta',
  'dsn-gateway',
  'received-from-mta',
  'arrival-date',
  'original-envelope-id',
  'x-postfix-queue-id',
  'x-postfix-sender',
]);
const ACTIONS: ReadonlySet<string> = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);
const FIELD_LINE = /^([A-Za-z][A-Za-z0-9-]{0,63})[ \t]*:[ \t]*(.*)$/;
/** Bounds on what one report may hold: a hostile report cannot make us build millions of groups. */
const MAX_GROUPS = 10_000;
const MAX_FIELD_LENGTH = 8192;

interface Group {
  fields: Map<string, string>;
}

/** Parses the text of a delivery-status part (any line endings). */
export function parseDeliveryStatus(text: string): DeliveryStatus {
  const message = new Map<string, string>();
  const groups: Group[] = [];
  let current: Group | null = null;
  let folded: { target: Map<string, string>; name: string } | null = null;

  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line.trim() === '') {
      current = null;
      folded = null;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && folded) {
      const previous = folded.target.get(folded.name) ?? '';
      if (previous.length < MAX_FIELD_LENGTH) folded.target.set(folded.name, `${previous} ${line.trim()}`.trim());
      continue;
    }
    const match = FIELD_LINE.exec(line);
    if (!match) {
      folded = null;
      continue;
    }
    const name = match[1]!.toLowerCase();
    const value = match[2]!.trim().slice(0, MAX_FIELD_LENGTH);
    let target: Map<string, string>;
    if (PER_MESSAGE_FIELDS.has(name)) {
      target = message;
    } else if (RECIPIENT_FIELDS.has(name) || PER_RECIPIENT_FIELDS.has(name)) {
      // A field the current group already has means the report moved on to the next recipient.
      if (current === null || current.fields.has(name)) {
        if (groups.length >= MAX_GROUPS) break;
        current = { fields: new Map() };
        groups.push(current);
      }
      target = current.fields;
    } else {
      target = current ? current.fields : message;
    }
    if (target.has(name)) {
      folded = null;
      continue;
    }
    target.set(name, value);
    folded = { target, name };
  }

  return { message, recipients: groups.filter(isRecipientGroup).map(toRecipient) };
}

function isRecipientGroup(group: Group): boolean {
  for (const name of RECIPIENT_FIELDS) if (group.fields.has(name)) return true;
  return false;
}

function toRecipient(group: Group): DsnRecipient {
  const fields = group.fields;
  const final = addressOf(fields.get('final-recipient'));
  const original = addressOf(fields.get('original-recipient'));
  const actual = addressOf(fields.get('x-actual-recipient'));
  const action = (fields.get('action') ?? '').toLowerCase().split(/[\s(;]/, 1)[0] ?? '';
  // Not an RFC 3464 action: SendGrid's for a message it stopped retrying. The delivery failed
  // because its time ran out (RFC 3463 4.4.7), which its Status field then often leaves empty.
  const expired = action === 'expired';
  const diagnosticField = fields.get('diagnostic-code') ?? null;
  const [diagnosticType, diagnostic] = splitTyped(diagnosticField);
  const recipient = (isMailbox(original) ? original : null) ?? final ?? original ?? actual;
  return {
    recipient,
    originalRecipient: original,
    finalRecipient: final !== null && final.toLowerCase() !== recipient?.toLowerCase() ? final : null,
    action: expired ? 'failed' : ACTIONS.has(action) ? (action as DeliveryAction) : null,
    status: statusOf(fields.get('status')) ?? (expired ? EXPIRED_STATUS : null),
    statusText: commentOf(fields.get('status')),
    diagnostic: diagnostic === '' ? null : diagnostic,
    diagnosticType,
    remoteMta: hostOf(fields.get('remote-mta')),
    lastAttemptDate: fields.get('last-attempt-date') ?? null,
    fields,
  };
}

/**
 * `local@domain.tld`: an address mail can be sent to (not `<>`, a path, a routing form, or an
 * Exchange-encapsulated X.500 or Notes name such as `IMCEAEX-_O=ORG_OU=...@example.org`).
 */
function isMailbox(address: string | null): address is string {
  return (
    address !== null &&
    !/^IMCEA/i.test(address) &&
    /^[^\s@:<>()[\],;]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,8}[A-Za-z0-9-]{2,63}$/.test(address)
  );
}

/** `rfc822; <Ann@Example.org>` -> `Ann@example.org`; null when there is no address. */
export function addressOf(value: string | undefined): string | null {
  if (!value) return null;
  const [, rest] = splitTyped(value);
  let address = rest.trim();
  const angle = /<([^<>\s]{1,320})>/.exec(address);
  if (angle) address = angle[1]!;
  address = address.split(/\s/, 1)[0]!.replace(/^["'<]+|["'>;,.]+$/g, '');
  if (!address.includes('@')) {
    // `|/usr/bin/procmail ann@example.org`: a pipe or file that names the mailbox it serves.
    const named = /[^\s<>"'(),;:@|/]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}/.exec(rest);
    if (named) address = named[0];
  }
  if (address === '' || address.length > 320) return null;
  const at = address.lastIndexOf('@');
  return at > 0 ? address.slice(0, at + 1) + address.slice(at + 1).toLowerCase() : address;
}

/** `5.1.1 (bad destination mailbox)` -> `5.1.1`. */
function statusOf(value: string | undefined): string | null {
  const match = value ? /^\s*([245]\.\d{1,3}\.\d{1,3})/.exec(value) : null;
  return match ? match[1]! : null;
}

/** `4.0.0 (cat.example.net: host name lookup failure)` -> `cat.example.net: host name lookup failure`. */
function commentOf(value: string | undefined): string | null {
  const match = value ? /^\s*[245]\.\d{1,3}\.\d{1,3}\s*\(([^()]{1,500})\)/.exec(value) : null;
  return match ? match[1]!.trim() : null;
}

/** `dns; mx.example.org` -> `mx.example.org`. */
function hostOf(value: string | undefined): string | null {
  if (!value) return null;
  const [, rest] = splitTyped(value);
  const host = rest
    .trim()
    .split(/[\s;]/, 1)[0]!
    .replace(/^\[|\]$/g, '');
  return host === '' ? null : host.toLowerCase();
}

/** `smtp; 550 ...` -> [`smtp`, `550 ...`]; a value without a known type keeps its whole text. */
function splitTyped(value: string | null): [string | null, string] {
  if (value === null) return [null, ''];
  const match = /^\s*([A-Za-z][A-Za-z0-9-]{0,15})\s*;\s*/.exec(value);
  if (!match) return [null, value.trim()];
  return [match[1]!.toLowerCase(), value.slice(match[0].length).trim()];
}
