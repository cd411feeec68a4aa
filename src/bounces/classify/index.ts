/**
 * classifyBounce: evidence about one delivery attempt -> class and Sisimai reason.
 *
 * The order of evidence, most telling first:
 *   1. what the message is: an ARF complaint, an auto-reply, a delivery report;
 *   2. documented service error codes (provider-codes.ts), then well-known provider texts
 *      (providers.ts);
 *   3. a specific enhanced status code (5.1.1, 5.2.2, 5.7.26...; status-codes.ts), unless the text
 *      names a reason that code is known to hide;
 *   4. reason phrases of the text (reasons/);
 *   5. the vendor's own verdict (SES, SparkPost...), when the text said nothing more specific;
 *   6. vague phrases, a reply code with one meaning (521/556), the family of the status code,
 *      then the other reply codes.
 * A code found in the text (`#5.1.1`, `550-5.7.1`) beats a generic one (`5.0.0`) in the status
 * field. The SMTP stage (stage.ts) then says who was refused (adjustForStage). The text is read
 * with addresses and IPs masked, so results are memoised per distinct input (cache.ts). The
 * function is total: whatever it gets, it returns a known class and reason.
 */
import { BOUNCE_CLASSES, BOUNCE_REASONS, type BounceClass, type BounceEvidence, type BounceReason, type ClassifyResult } from '../types.js';
import { classOfReason } from './class-of-reason.js';
import { cleanStatus, findEnhancedStatus, findReplyCode, maskNames, normalizeDiagnostic, statusWeight } from '../smtp-text.js';
import { BoundedCache } from './cache.js';
import { replyCodeReason, specificReplyReason } from './reply-codes.js';
import { generalStatusReason, specificStatus } from './status-codes.js';
import { detectStage, type SmtpStage } from './stage.js';
import { providerCodeReason } from './provider-codes.js';
import { filterCauseInText, phraseReason, providerReason, weakPhraseReason } from './text-rules.js';

export { classOfReason } from './class-of-reason.js';
export { findCommand, findEnhancedStatus, findReplyCode, normalizeDiagnostic } from '../smtp-text.js';
export { detectStage, findStage, stageOfCommand, type SmtpStage } from './stage.js';

/** Connection-level failures: nothing was said by the remote server, it was not reached. */
const UNREACHABLE = /connection timed out|connection refused|no route to host|network is unreachable|host is unreachable/;

const UNDETERMINED: ClassifyResult = { class: 'undetermined', reason: 'undefined', status: null };

const KNOWN_CLASSES: ReadonlySet<string> = new Set(BOUNCE_CLASSES);

export function classifyBounce(evidence: BounceEvidence): ClassifyResult {
  try {
    const given = evidence ?? {};
    const kind = kindOfMessage(given);
    if (kind !== null) return kind;
    const diagnostic = maskNames(asText(given.diagnostic));
    const key = cacheKey(given, diagnostic);
    const known = RESULTS.get(key);
    if (known !== undefined) return { ...known };
    const result = weighEvidence(given, diagnostic);
    RESULTS.set(key, result);
    return { ...result };
  } catch {
    return UNDETERMINED;
  }
}

/**
 * Classifications of recent distinct inputs. The key holds every field `weighEvidence` reads, as it
 * reads them (non-strings count as absent), with the diagnostic already masked; the recipient's
 * domain only matters, and only joins the key, when the text names a DNS lookup (`name=`).
 */
const RESULTS = new BoundedCache<ClassifyResult>(8192, 2048);

/** Forget every cached classification (for tests and long-lived library users). */
export function clearClassifyCache(): void {
  RESULTS.clear();
}

function cacheKey(evidence: BounceEvidence, diagnostic: string | null): string {
  const recipient = (evidence as { recipient?: unknown }).recipient;
  const lookupDomain =
    diagnostic !== null && /name=/i.test(diagnostic) && typeof recipient === 'string'
      ? recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase()
      : '';
  return [
    asText(evidence.status) ?? '',
    asText(evidence.smtpCode) ?? '',
    asText(evidence.action) ?? '',
    asText(evidence.command) ?? '',
    asText(evidence.vendorReason) ?? '',
    asText(evidence.vendorClass) ?? '',
    lookupDomain,
    diagnostic ?? '',
  ].join('\u0000');
}

type Source = 'provider' | 'status' | 'text' | 'vendor' | 'fallback' | 'none';

/**
 * Feedback reports (RFC 5965 types, as ARF, SES and SparkPost name them) that are not a person
 * reporting the message as spam: a DMARC/SPF/DKIM failure report or a virus found by the
 * receiving system is about the sender's mail (block: never a reason to drop the address), and
 * "not-spam" says the recipient wants the mail (delivered). Every other type (abuse, fraud,
 * opt-out, other) is a complaint.
 */
const FEEDBACK_NOT_COMPLAINT: ReadonlyMap<string, BounceClass> = new Map([
  ['auth-failure', 'block'],
  ['dmarc-failure', 'block'],
  ['virus', 'block'],
  ['not-spam', 'delivered'],
]);

/** What the message is, when that decides alone: a complaint, an auto-reply, a delivery. */
function kindOfMessage(evidence: BounceEvidence): ClassifyResult | null {
  const fieldStatus = cleanStatus(asText(evidence.status));
  const feedbackType = asText(evidence.feedbackType);
  if (feedbackType) {
    const cls = FEEDBACK_NOT_COMPLAINT.get(feedbackType.trim().toLowerCase()) ?? 'complaint';
    return { class: cls, reason: 'feedback', status: fieldStatus };
  }
  if (evidence.autoReply === true) return { class: 'auto-reply', reason: 'vacation', status: fieldStatus };
  const action = asText(evidence.action);
  if (action === 'delivered' || action === 'relayed' || action === 'expanded') {
    return { class: 'delivered', reason: 'delivered', status: fieldStatus };
  }
  return null;
}

/** Classifies a failure or delay; `diagnostic` is the masked text (maskNames). */
function weighEvidence(evidence: BounceEvidence, diagnostic: string | null): ClassifyResult {
  const fieldStatus = cleanStatus(asText(evidence.status));
  const action = asText(evidence.action);
  const text = normalizeDiagnostic(diagnostic);
  const reply = cleanReply(asText(evidence.smtpCode)) ?? findReplyCode(text);
  const status = pickStatus(fieldStatus, findEnhancedStatus(text), reply);
  const temporary = status ? status.startsWith('4') : reply ? reply.startsWith('4') : action === 'delayed';
  const stage = detectStage(evidence, text);

  let source: Source = 'provider';
  // A documented service error code first, then the services' documented texts.
  let reason = providerCodeReason(text) ?? providerReason(text);
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
  // Whether the reply's own words (a weak wording) gave the reason.
  let fromWords = false;
  if (reason === null) {
    const byWeakText = weakPhraseReason(text);
    fromWords = byWeakText !== null;
    reason = byWeakText ?? specificReplyReason(reply) ?? generalStatusReason(status) ?? replyCodeReason(reply);
    source = reason === null ? 'none' : 'fallback';
  }
  // A delay warning the text does not explain is still a delay: soft, the MTA keeps trying
  // (Sisimai names it `expired` too).
  if (reason === null && action === 'delayed') {
    reason = 'expired';
    source = 'fallback';
  }
  reason ??= status || reply ? 'onhold' : 'undefined';
  // A final failure whose only cause is a server that could not be reached is a give-up: the
  // queue lifetime ran out (Postfix's bounce after maximal_queue_lifetime, `Status: 4.4.1 ...
  // connect to x: Connection timed out`; an ESP's final bounce after timeouts).
  if (action === 'failed' && reason === 'networkerror' && UNREACHABLE.test(text)) reason = 'expired';
  const vendorClass = knownClass(evidence.vendorClass);
  // A vendor that names the address invalid (SES NoEmail, Postmark HardBounce, SparkPost class
  // 10) has said what it means; a bare "permanent" severity has not.
  const vendorSaysUnknown = vendorReason === 'userunknown';
  reason = adjustForStage(reason, stage, vendorSaysUnknown ? 'vendor' : source, text, status);
  if (reason === 'hostunknown' && !namesRecipientDomain(text, evidence)) reason = 'networkerror';

  // A vendor verdict that names no reason (a bare permanent/temporary severity: Mailgun, SES
  // Transient/General, Postmark Transient) says no more than the reply code, so it must not
  // outvote a reason read from the reply's words: the same reply in a Postfix line has no such
  // field, and same evidence must give the same class.
  const severityOnly = vendorReason === null && fromWords;
  const useVendorClass = vendorClass !== null && !severityOnly && (source === 'vendor' || source === 'fallback' || source === 'none');
  return { class: useVendorClass ? vendorClass : classOfReason(reason, temporary), reason, status };
}

/**
 * The stage the server refused at says who was refused: "user unknown" at MAIL FROM is about
 * the sender's address, and before MAIL FROM (connection, EHLO) the sending host was refused.
 *
 * A user-unknown wording is a dead address (hard) when it answered RCPT TO and also when the
 * stage is not known: most reports do not say the stage (ESP exports, bare DSNs), and the same
 * words must give the same class whatever carries them. It becomes `filtered` (soft, escalates
 * to suppression after repeated refusals) only on positive evidence that the mailbox exists and
 * a filter refused this sender or message:
 * - the refusal came after DATA, where servers judge the message, not the address (carriers
 *   such as NTT docomo answer "Unknown user" to senders the recipient filters);
 * - the stage is not known and the enhanced code names a mailbox-status or policy refusal
 *   (x.2.0, x.2.1 "mailbox disabled", x.7.x "delivery not authorized") while the words say
 *   "unknown" (at RCPT TO the answer is about the address whatever the code);
 * - the text also names a policy, filter or spam cause.
 * This differs from Sisimai, which reads a user-unknown wording at an unknown stage as filtered.
 * Provider texts, specific codes (x.1.1) and a vendor that calls the address invalid are exempt
 * (source other than `text` / `fallback`): they say what they mean.
 */
function adjustForStage(reason: BounceReason, stage: SmtpStage | null, source: Source, text: string, status: string | null): BounceReason {
  // At MAIL FROM only the sender is known: an unknown address there is the sender's, and a
  // refusal the text does not explain better is a refusal of the sender.
  if (stage === 'MAIL') {
    if (reason === 'userunknown' || reason === 'hostunknown' || reason === 'filtered') return 'rejected';
    if (source === 'fallback' || source === 'none') return 'rejected';
  }
  const beforeEnvelope = stage === 'EHLO' || stage === 'CONN';
  if (beforeEnvelope && (reason === 'userunknown' || reason === 'onhold' || reason === 'undefined')) return 'blocked';
  if (reason === 'userunknown' && (source === 'text' || source === 'fallback')) {
    if (stage === 'DATA' || filterCauseInText(text)) return 'filtered';
    if (stage === null && refusalStatus(status)) return 'filtered';
  }
  return reason;
}

/** Enhanced codes that say the mailbox exists or that policy refused: x.2.0, x.2.1, x.7.x. */
function refusalStatus(status: string | null): boolean {
  return status !== null && /^[45]\.(?:2\.[01]|7\.\d{1,3})$/.test(status);
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

const REASON_NAMES: ReadonlySet<string> = new Set(BOUNCE_REASONS);
