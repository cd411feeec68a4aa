/**
 * The list's own record that an address bounced: CRMs and sales tools keep it on the contact.
 * Salesforce sets `Email Bounced Reason` (the remote reply) and `Email Bounced Date` when its
 * bounce handling sees a bounce; Apollo and other outreach tools export an `Email Bounced` flag;
 * a subscription status may say `bounced` or, in Mailchimp's words, `cleaned`. Mailing such a
 * contact again only bounces again, so a row they mark is never "safe to send now".
 *
 * A reason column holds reply text, read by the bounce classifier the caller passes in: only a
 * reply that reads as a hard bounce marks the row (a full mailbox or a block of the sender says
 * nothing about the address). Flag columns are read only when every sampled value is a yes, a no
 * or a date, as opt-out flags are.
 */
import { findNamedColumns, flagSaysYes, headerKey, isSubscriptionStatusName, statusKey } from './opt-out.js';

export interface BounceColumn {
  index: number;
  name: string;
  /** flag: yes/no or a date; reason: the bounce's reply text; status: a subscription status. */
  kind: 'flag' | 'reason' | 'status';
}

export interface BounceColumns {
  columns: BounceColumn[];
  /** Flag columns whose sampled values are not yes/no/dates: not used, so the user can say. */
  ignored: string[];
}

const FLAG_NAMES: ReadonlySet<string> = new Set([
  'emailbounced',
  'bounced',
  'isbounced',
  'hasbounced',
  'hardbounced',
  'emailhardbounced',
  'emailisbounced',
  // When it happened (Salesforce's EmailBouncedDate): a date there says it did.
  'emailbounceddate',
  'emailbouncedate',
  'bounceddate',
  'hardbouncedate',
  // Mailchimp's cleaned-contacts export: when Mailchimp removed the address for bouncing.
  'cleantime',
]);

const REASON_NAMES: ReadonlySet<string> = new Set([
  'emailbouncedreason',
  'emailbouncereason',
  'bouncedreason',
  'hardbouncereason',
  'emailhardbouncereason',
]);

/** Status values that say the address bounced (lower-case, blanks, dashes and underscores dropped). */
const BOUNCED_STATUSES: ReadonlySet<string> = new Set(['bounced', 'hardbounced', 'hardbounce', 'cleaned']);

function bounceKindOf(name: string): BounceColumn['kind'] | null {
  if (isSubscriptionStatusName(name)) return 'status';
  const key = headerKey(name);
  return REASON_NAMES.has(key) ? 'reason' : FLAG_NAMES.has(key) ? 'flag' : null;
}

const YES_NO_BOUNCE_KINDS: ReadonlySet<BounceColumn['kind']> = new Set(['flag']);

/** The columns of a header that record a bounce, judged on sampled data rows. */
export function findBounceColumns(header: readonly string[], sampleRows: readonly (readonly string[])[]): BounceColumns {
  return findNamedColumns(header, sampleRows, bounceKindOf, YES_NO_BOUNCE_KINDS);
}

/**
 * The column that says this row's address bounced, with its value; null when none does.
 * `readsHard` tells whether a reply text is a hard bounce (the classifier's verdict). A recorded
 * reply decides alone when there is one: Salesforce dates every bounce, a full mailbox too, and
 * only its reason says which kind it was.
 */
export function listedBounce(
  values: readonly string[],
  columns: readonly BounceColumn[],
  readsHard: (reply: string) => boolean,
): { column: string; value: string } | null {
  for (const column of columns) {
    if (column.kind !== 'reason') continue;
    const value = (values[column.index] ?? '').trim();
    if (value !== '') return readsHard(value) ? { column: column.name, value } : null;
  }
  for (const column of columns) {
    const value = (values[column.index] ?? '').trim();
    if (value === '') continue;
    if (column.kind === 'flag' ? flagSaysYes(value) : column.kind === 'status' && BOUNCED_STATUSES.has(statusKey(value))) {
      return { column: column.name, value };
    }
  }
  return null;
}
