/**
 * classifyBounce: evidence about one delivery attempt -> class and Sisimai reason.
 *
 * The order of evidence, most telling first:
 *   1. what the message is: an ARF complaint, an auto-reply, a delivery report;
 *   2. well-known provider texts (providers.ts);
 *   3. a specific enhanced status code (5.1.1, 5.2.2, 5.7.26...; status-codes.ts), unless the text
 *      names a reason that code is known to hide;
 *   4. reason phrases of the text (reasons/);
 *   5. the vendor's own verdict (SES, SparkPost...), when the text said nothing more specific;
 *   6. vague phrases, a reply code with one meaning (521/556), the family of the status code,
 *      then the other reply codes.
 * A code found in the text (`#5.1.1`, `550-5.7.1`) beats a generic one (`5.0.0`) in the status
 * field. The function is total: whatever it gets, it returns a known class and reason.
 */
import type { BounceClass, BounceEvidence, BounceReason, ClassifyResult } from '../types.js';
import { classOfReason } from './class-of-reason.js';
import {
  cleanStatus,
  findCommand,
  findEnhancedStatus,
  findReplyCode,
  normalizeCommand,
  statusWeight,
  normalizeDiagnostic,
} from '../smtp-text.js';
import { replyCodeReason, specificReplyReason } from './reply-codes.js';
import { generalStatusReason, specificStatus } from './status-codes.js';
import { phraseReason, providerReason, weakPhraseReason } from './text-rules.js';

export { classOfReason } from './class-of-reason.js';
export { findCommand, findEnhancedStatus, findReplyCode, normalizeDiagnostic } from '../smtp-text.js';

const UNDETERMINED: ClassifyResult = { class: 'undetermined', reason: 'undefined', status: null };

const KNOWN_CLASSES: ReadonlySet<string> = new Set([
  'hard',
  'soft',
  'block',
  'complaint',
  'auto-reply',
  'delivered',
  'undetermined',
]);

export function classifyBounce(evidence: BounceEvidence): ClassifyResult {
  try {
    return decide(evidence ?? {});
  } catch {
    return UNDETERMINED;
  }
}

type Source = 'provider' | 'status' | 'text' | 'vendor' | 'fallback' | 'none';

function decide(evidence: BounceEvidence): ClassifyResult {
  const fieldStatus = cleanStatus(asText(evidence.status));
  if (asText(evidence.feedbackType)) return { class: 'complaint', reason: 'feedback', status: fieldStatus };
  if (evidence.autoReply === true) return { class: 'auto-reply', reason: 'vacation', status: fieldStatus };
  const action = asText(evidence.action);
  if (action === 'delivered' || action === 'relayed' || action === 'expanded') {
    return { class: 'delivered', reason: 'delivered', status: fieldStatus };
  }

  const text = normalizeDiagnostic(asText(evidence.diagnostic));
  const reply = cleanReply(asText(evidence.smtpCode)) ?? findReplyCode(text);
  const status = pickStatus(fieldStatus, findEnhancedStatus(text), reply);
  const temporary = status ? status.startsWith('4') : reply ? reply.startsWith('4') : action === 'delayed';
  const command = normalizeCommand(asText(evidence.command)) ?? findCommand(text);

  let source: Source = 'provider';
  let reason = providerReason(text);
  if (reason === null) {
    const specific = specificStatus(status);
    const byText = phraseReason(text);
    const textWins = byText !== null && specific?.unlessText?.includes(byText) === true;
    if (specific && !textWins) {
      reason = specific.reason;
      source = 'status';
    } else if (byText) {
      reason = byText;
      source = 'text';
    }
  }
  const vendorReason = knownReason(evidence.vendorReason);
  if (reason === null && vendorReason) {
    reason = vendorReason;
    source = 'vendor';
  }
  if (reason === null) {
    reason =
      weakPhraseReason(text) ?? specificReplyReason(reply) ?? generalStatusReason(status) ?? replyCodeReason(reply);
    source = reason === null ? 'none' : 'fallback';
  }
  reason ??= status || reply ? 'onhold' : 'undefined';
  const vendorClass = knownClass(evidence.vendorClass);
  const vendorSaysUnknown = vendorReason === 'userunknown' || vendorClass === 'hard';
  reason = adjustForCommand(reason, command, vendorSaysUnknown ? 'vendor' : source)!;
  if (reason === 'hostunknown' && !namesRecipientDomain(text, evidence)) reason = 'networkerror';

  const useVendorClass = vendorClass !== null && (source === 'vendor' || source === 'fallback' || source === 'none');
  return { class: useVendorClass ? vendorClass : classOfReason(reason, temporary), reason, status };
}

/**
 * The stage the server refused at says who was refused: "user unknown" at MAIL FROM is about
 * the sender's address, and before MAIL FROM (connection, EHLO) the sending host was refused.
 * A per-recipient "unknown" that was not the answer to RCPT TO (it came after DATA, or the
 * stage is not known) and that no x.1.x code confirms is how recipient-side filters word a
 * refusal as often as it is a missing mailbox: filtered, which escalates to suppression after
 * repeated refusals instead of suppressing at once (Sisimai reads it the same way). Provider
 * texts, specific codes and a vendor that calls the address invalid are exempt (source other
 * than `text` / `fallback`): they say what they mean.
 */
function adjustForCommand(reason: BounceReason | null, command: string | null, source: Source): BounceReason | null {
  if (reason === null) return reason;
  // At MAIL FROM only the sender is known: an unknown address there is the sender's, and a
  // refusal the text does not explain better is a refusal of the sender.
  if (command === 'MAIL') {
    if (reason === 'userunknown' || reason === 'hostunknown' || reason === 'filtered') return 'rejected';
    if (source === 'fallback' || source === 'none') return 'rejected';
  }
  const beforeEnvelope = command === 'EHLO' || command === 'HELO' || command === 'CONN' || command === 'CONNECT';
  if (beforeEnvelope && (reason === 'userunknown' || reason === 'onhold' || reason === 'undefined')) return 'blocked';
  if (reason === 'userunknown' && command !== 'RCPT' && (source === 'text' || source === 'fallback')) return 'filtered';
  return reason;
}

/**
 * "Host not found" is about the recipient's domain only when the lookup was for that domain:
 * Postfix says which name failed (`Name service error for name=relay.example.net type=A`), and
 * a relay or a local resolver that cannot be found is a network problem, not a dead address.
 */
function namesRecipientDomain(text: string, evidence: BounceEvidence): boolean {
  const recipient = (evidence as { recipient?: unknown }).recipient;
  const lookup = /name=([a-z0-9.-]{1,253}) type=/.exec(text);
  if (typeof recipient !== 'string' || lookup === null) return true;
  const domain = recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase();
  const name = lookup[1]!.replace(/\.$/, '');
  return domain === name || domain.endsWith(`.${name}`);
}

/**
 * The status field, unless the text holds a code that says more (`5.0.0` in the field and
 * `#5.1.1` in the text), or the field contradicts the reply the text quotes (`Status: 4.5.0`
 * with `550 5.5.0 ...`).
 */
function pickStatus(field: string | null, fromText: string | null, reply: string | null): string | null {
  if (field === null || fromText === null) return field ?? fromText;
  if (statusWeight(fromText) > statusWeight(field)) return fromText;
  if (reply !== null && field[0] !== fromText[0] && reply[0] === fromText[0]) return fromText;
  return field;
}

function cleanReply(code: string | null): string | null {
  const match = code ? /^\s*([245]\d\d)\b/.exec(code) : null;
  return match ? match[1]! : null;
}

function asText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function knownReason(value: unknown): BounceReason | null {
  return typeof value === 'string' && REASON_NAMES.has(value) ? (value as BounceReason) : null;
}

function knownClass(value: unknown): BounceClass | null {
  return typeof value === 'string' && KNOWN_CLASSES.has(value) ? (value as BounceClass) : null;
}

const REASON_NAMES: ReadonlySet<string> = new Set<BounceReason>([
  'userunknown', 'hostunknown', 'hasmoved', 'notaccept', 'mailboxfull', 'suspend', 'filtered',
  'rejected', 'blocked', 'badreputation', 'requireptr', 'authfailure', 'policyviolation',
  'spamdetected', 'virusdetected', 'contenterror', 'notcompliantrfc', 'securityerror',
  'norelaying', 'syntaxerror', 'systemerror', 'systemfull', 'mailererror', 'networkerror',
  'expired', 'failedstarttls', 'suppressed', 'emailtoolarge', 'ratelimited', 'onhold',
  'undefined', 'delivered', 'feedback', 'vacation',
]);
