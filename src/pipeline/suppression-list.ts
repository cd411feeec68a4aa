/**
 * The effective suppression list: every address the history suppresses now, for whatever
 * reason (a hard bounce, a complaint, soft bounces at the limit, the imported or manual list),
 * minus what `unsuppress` cleared. It is what `clean` applies, decided by the same policy, so
 * the list a user exports to an ESP is the list hygiene itself uses.
 */
import { decide, type PolicyConfig } from '../policy/decide.js';
import type { AddressHistory, SuppressionReason } from '../policy/history-model.js';
import type { HistoryStore } from '../state/history-store.js';

/** Why an address is on the effective list. */
export type EffectiveReason = 'hard-bounce' | 'complaint' | 'soft-bounce-limit' | 'manual' | 'imported';
/** Where the reason comes from: bounces hygiene read (learnt), or the suppression list. */
export type SuppressionKind = 'learnt' | 'manual' | 'imported';

export const SUPPRESSION_KINDS: readonly SuppressionKind[] = ['manual', 'imported', 'learnt'];

export interface EffectiveSuppression {
  email: string;
  reason: EffectiveReason;
  kind: SuppressionKind;
  /** `bounces/mail.log:1234`, `import:sendgrid spam_reports.csv:7`, `manual`. */
  source: string;
  /** When: the deciding bounce, or when the address was put on the list (ISO 8601 UTC); null if unknown. */
  date: string | null;
  /** The policy's sentence. */
  detail: string;
  /** For the imported and manual list: the list's own reason (unsubscribe, complaint, ...). */
  listReason: SuppressionReason | null;
}

/** The addresses suppressed at `now`, ordered by address. */
export function effectiveSuppressions(histories: Iterable<AddressHistory>, policy: PolicyConfig, now: Date): EffectiveSuppression[] {
  const list: EffectiveSuppression[] = [];
  for (const history of histories) {
    const decision = decide(history, policy, now);
    if (decision.list !== 'suppressed' || decision.reason === null) continue;
    const base = { email: history.address, detail: decision.detail ?? '', source: decision.source ?? '' };
    if (decision.reason === 'suppressed-manually') {
      const entry = history.suppression!;
      const kind: SuppressionKind = entry.origin.startsWith('import') ? 'imported' : 'manual';
      list.push({
        ...base,
        reason: kind === 'imported' ? 'imported' : 'manual',
        kind,
        date: entry.at,
        listReason: entry.reason,
        source: entry.origin,
      });
    } else if (decision.reason === 'hard-bounce' || decision.reason === 'complaint' || decision.reason === 'soft-bounce-limit') {
      list.push({ ...base, reason: decision.reason, kind: 'learnt', date: decision.lastBounce, listReason: null });
    }
  }
  return list.sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : 0));
}

/**
 * The effective list of a history database at `now`, as `effectiveSuppressions` makes it from
 * every history, but reading only the addresses whose summary leaves the decision open
 * (`summarySaysCleaned`: a recent or hard bounce not followed by a delivery, a complaint, a list
 * entry, an override), each as
 * `decisiveHistory` gives it, one at a time: memory stays flat with the size of the history.
 */
export function effectiveSuppressionsOf(store: HistoryStore, policy: PolicyConfig, now: Date): EffectiveSuppression[] {
  const nowMs = now.getTime();
  function* open(): Generator<AddressHistory> {
    for (const [key, summary] of store.unsettledSummaries(policy, nowMs)) yield store.decisiveHistory(key, summary, nowMs);
  }
  return effectiveSuppressions(open(), policy, now);
}

/** Counts by reason, in a fixed order, for the summary line. */
export function countByReason(list: readonly EffectiveSuppression[]): Partial<Record<EffectiveReason, number>> {
  const order: EffectiveReason[] = ['hard-bounce', 'complaint', 'soft-bounce-limit', 'manual', 'imported'];
  const counts: Partial<Record<EffectiveReason, number>> = {};
  for (const reason of order) {
    const n = list.filter((entry) => entry.reason === reason).length;
    if (n > 0) counts[reason] = n;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Export layouts.

export type ExportFormat = 'plain' | 'sendgrid' | 'mailchimp' | 'ses';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['plain', 'sendgrid', 'mailchimp', 'ses'];

export interface ExportLayout {
  /** The header row, or null for a file without one. */
  header: string[] | null;
  row(entry: EffectiveSuppression): string[];
}

/** What the complaint-like reasons are called by SES, which knows BOUNCE and COMPLAINT only. */
function sesReason(entry: EffectiveSuppression): 'BOUNCE' | 'COMPLAINT' {
  if (entry.reason === 'complaint') return 'COMPLAINT';
  if (entry.listReason === 'complaint' || entry.listReason === 'unsubscribe') return 'COMPLAINT';
  return 'BOUNCE';
}

/**
 * The column layouts:
 *   plain      email,reason,source,date,detail,list_reason (hygiene's own; `email` first)
 *   sendgrid   email                 (SendGrid's suppression-group / global unsubscribe CSV upload)
 *   mailchimp  Email Address         (Mailchimp's contact import, imported with status
 *                                     "Unsubscribed" so the audience never mails them)
 *   ses        <address>,BOUNCE|COMPLAINT, no header (SES account-level suppression list
 *                                     bulk import, `aws sesv2 create-import-job`)
 */
export const EXPORT_LAYOUTS: Readonly<Record<ExportFormat, ExportLayout>> = {
  plain: {
    header: ['email', 'reason', 'source', 'date', 'detail', 'list_reason'],
    row: (e) => [e.email, e.reason, e.source, e.date ?? '', e.detail, e.listReason ?? ''],
  },
  sendgrid: { header: ['email'], row: (e) => [e.email] },
  mailchimp: { header: ['Email Address'], row: (e) => [e.email] },
  ses: { header: null, row: (e) => [e.email, sesReason(e)] },
};

/** What `unsuppress` should say before clearing an address: is it suppressed now, and why. */
export interface UnsuppressCheck {
  /** The address is suppressed (or waiting in retry-later) now. */
  suppressed: boolean;
  /** A complaint is among what would be cleared: the person asked not to be mailed. */
  complaint: boolean;
  /** The policy's reason now (hard-bounce, complaint, suppressed-manually, ...), or null. */
  reason: string | null;
  detail: string | null;
}

export function checkBeforeUnsuppress(history: AddressHistory | undefined, policy: PolicyConfig, now: Date): UnsuppressCheck {
  if (history === undefined) return { suppressed: false, complaint: false, reason: null, detail: null };
  const decision = decide(history, policy, now);
  const suppressed = decision.list !== 'cleaned';
  // A complaint counts until an unsuppress clears it, whatever decided first (an imported entry, a hard bounce).
  const overrideAt = latestOverrideTime(history, now);
  const complaint =
    history.events.some(
      (event) =>
        event.class === 'complaint' &&
        (event.time ?? -Infinity) <= now.getTime() &&
        (overrideAt === null || (event.time ?? -Infinity) > overrideAt),
    ) ||
    (history.suppression !== null && history.suppression.reason === 'complaint' && decision.reason === 'suppressed-manually');
  return { suppressed, complaint, reason: decision.reason, detail: decision.detail };
}

function latestOverrideTime(history: AddressHistory, now: Date): number | null {
  let latest: number | null = null;
  for (const override of history.overrides) {
    const at = Date.parse(override.at);
    if (Number.isNaN(at) || at > now.getTime() || override.undoneAt !== null) continue;
    if (latest === null || at > latest) latest = at;
  }
  return latest;
}
