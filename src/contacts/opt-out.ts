/**
 * The list's own word that a contact must not be mailed: a CRM or ESP export keeps its opted-out
 * contacts, with a flag (`Email Opt Out` in Salesforce and Zoho, `Unsubscribed from all email` in
 * HubSpot, `EMAIL_BLACKLISTED` in Brevo) or a status (`Marketing status: Unsubscribed`). A shop
 * keeps the consent instead (Shopify's `Accepts Email Marketing`): there a no is the mark. Such a
 * row is never "safe to send now", however good its address.
 *
 * Only columns named for it are read, and a flag column only when every sampled value is a yes, a
 * no or a date (when it happened): a column that holds notes under such a name is left alone and
 * reported, rather than guessed at.
 */
import { normalizeHeaderName, RECORD_KINDS } from './columns.js';

export interface OptOutColumn {
  index: number;
  name: string;
  /**
   * flag: yes/no values, yes = opted out; consent: yes/no values, no = not to be mailed (the
   * consent was never given or was taken back); status: a value that names an opt-out.
   */
  kind: 'flag' | 'consent' | 'status';
}

export interface OptOutColumns {
  columns: OptOutColumn[];
  /** Flag columns whose sampled values are not yes/no/dates: not used, so the user can say. */
  ignored: string[];
}

/** A CRM may name the record first (`Person - Email opt out`). */
const RECORD_PREFIX = new RegExp(`^(?:${RECORD_KINDS.join('|')})`);

const FLAG_NAMES: ReadonlySet<string> = new Set([
  'emailoptout',
  'emailoptedout',
  'optout',
  'optedout',
  'optedoutofemail',
  'hasoptedoutofemail',
  'unsubscribed',
  'emailunsubscribed',
  'isunsubscribed',
  'unsubscribedfromallemail',
  'globalunsubscribe',
  'emailblacklisted',
  'blacklisted',
  'emailblocklisted',
  'blocklisted',
  'donotemail',
  'donotmail',
  'donotcontact',
  // When it happened: a date there says it did (Mailchimp's UNSUB_TIME, `unsubscribed_at`).
  'optoutdate',
  'optedoutdate',
  'optedoutat',
  'unsubscribedate',
  'unsubscribeddate',
  'unsubscribedat',
  'unsubscribetime',
  'unsubtime',
  'unsubdate',
  // Substack's subscriber export: the reader turned its emails off.
  'emaildisabled',
]);

/**
 * A shop's record of the consent to marketing mail, yes = given: a no says not to mail (Shopify
 * writes no both for a customer who never accepted and for one who unsubscribed, and sends its
 * own campaigns to neither). A CRM's generic "Email Opt In" is not read: sales tools leave it
 * false on every contact nobody asked, and reading it would suppress a whole outreach list.
 */
const CONSENT_NAMES: ReadonlySet<string> = new Set(['acceptsemailmarketing', 'acceptsmarketing']);

const STATUS_NAMES: ReadonlySet<string> = new Set([
  'status',
  'emailstatus',
  'subscriptionstatus',
  'emailsubscriptionstatus',
  'marketingstatus',
  'emailmarketingstatus',
  'marketingemailstatus',
  'subscriberstatus',
  'memberstatus',
  'membershipstatus',
  'consentstatus',
  // Klaviyo's profile export (SUBSCRIBED, UNSUBSCRIBED, NEVER_SUBSCRIBED).
  'emailmarketingconsent',
  'marketingconsent',
  'emailconsent',
  // Constant Contact's contact export (Explicit, Implicit, Unsubscribed, Pending Confirmation).
  'emailpermissionstatus',
  'permissionstatus',
]);

const YES = /^(?:true|yes|y|1|x|t|on|checked|oui|ja|si|sí|sim|wahr|vrai)$/i;
/** A date (ISO, or day/month/year either way), maybe with a time: when the contact opted out. */
const DATE = /^(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?:[T ]\S.*)?$/;
const NO = /^(?:false|no|n|0|f|off|unchecked|non|nein|nao|não|falsch|faux)$/i;
/** Status values that say the contact opted out (lower-case, spaces, dashes and underscores dropped). */
const OPTED_OUT_STATUSES: ReadonlySet<string> = new Set([
  'unsubscribed',
  'unsubscribe',
  'optedout',
  'optout',
  'blacklisted',
  'blocklisted',
  'donotemail',
  'globallyunsubscribed',
]);

/**
 * An opt-out named among other words, as CRMs with several kinds of it write the status (Keap's
 * "Opt-Out: Manual", "System Opt Out"; "Unsubscribed via link"). Whole words only: "Opt-in" and
 * "Resubscribed" are not.
 */
const OPT_OUT_WORDS = /(?:^|[^\p{L}])(?:opt(?:ed)?[\s_-]*out|unsubscribed|black[\s_-]?listed|block[\s_-]?listed)(?![\p{L}])/iu;

/** Whether a status value says the contact opted out. */
function statusSaysOptedOut(value: string): boolean {
  return OPTED_OUT_STATUSES.has(statusKey(value)) || OPT_OUT_WORDS.test(value);
}

/** A status value lower-case, without blanks, dashes and underscores (`Opted Out` -> `optedout`). */
export function statusKey(value: string): string {
  return value.toLowerCase().replace(/[\s_-]+/g, '');
}

/** A header name without its record kind and punctuation (`Person - Email opt out` -> `emailoptout`). */
export function headerKey(header: string): string {
  const normalized = normalizeHeaderName(header);
  const bare = normalized.replace(RECORD_PREFIX, '');
  return bare === '' ? normalized : bare;
}

/**
 * Whether a header names the contact's subscription status (`Status`, `Marketing status`, ...).
 * A bare "Status" after a record kind is that record's stage (HubSpot's "Lead Status"), not its
 * subscription: only the whole name, or a more specific one ("Person - Marketing status").
 */
export function isSubscriptionStatusName(header: string): boolean {
  const key = headerKey(header);
  return STATUS_NAMES.has(normalizeHeaderName(header)) || (key !== 'status' && STATUS_NAMES.has(key));
}

/** A flag value that says yes: a yes in some language, or a date (when it happened). */
export function flagSaysYes(value: string): boolean {
  return YES.test(value) || DATE.test(value);
}

/** Whether every sampled value of a column is a yes, a no or a date (a flag column). */
function looksLikeFlagColumn(index: number, sampleRows: readonly (readonly string[])[]): boolean {
  const values = sampleRows.map((row) => (row[index] ?? '').trim()).filter((value) => value !== '');
  return values.every((value) => YES.test(value) || NO.test(value) || DATE.test(value));
}

/**
 * The columns of a header that `kindOf` names (from the header name), judged on sampled data
 * rows: a column of a yes/no kind is taken only when every sampled value is a yes, a no or a
 * date, else listed in `ignored` so the user can say. Opt-out and bounce columns are found so.
 */
export function findNamedColumns<Kind extends string>(
  header: readonly string[],
  sampleRows: readonly (readonly string[])[],
  kindOf: (name: string) => Kind | null,
  yesNoKinds: ReadonlySet<Kind>,
): { columns: { index: number; name: string; kind: Kind }[]; ignored: string[] } {
  const columns: { index: number; name: string; kind: Kind }[] = [];
  const ignored: string[] = [];
  header.forEach((name, index) => {
    const kind = kindOf(name);
    if (kind === null) return;
    if (!yesNoKinds.has(kind) || looksLikeFlagColumn(index, sampleRows)) columns.push({ index, name, kind });
    else ignored.push(name);
  });
  return { columns, ignored };
}

function optOutKindOf(name: string): OptOutColumn['kind'] | null {
  if (isSubscriptionStatusName(name)) return 'status';
  const key = headerKey(name);
  return FLAG_NAMES.has(key) ? 'flag' : CONSENT_NAMES.has(key) ? 'consent' : null;
}

const YES_NO_OPT_OUT_KINDS: ReadonlySet<OptOutColumn['kind']> = new Set(['flag', 'consent']);

/** The opt-out columns of a header, judged on sampled data rows. */
export function findOptOutColumns(header: readonly string[], sampleRows: readonly (readonly string[])[]): OptOutColumns {
  return findNamedColumns(header, sampleRows, optOutKindOf, YES_NO_OPT_OUT_KINDS);
}

/** The first opt-out column that says this row opted out, with its value; null when none does. */
export function optedOut(values: readonly string[], columns: readonly OptOutColumn[]): { column: string; value: string } | null {
  for (const column of columns) {
    const value = (values[column.index] ?? '').trim();
    if (value === '') continue;
    const says = column.kind === 'flag' ? flagSaysYes(value) : column.kind === 'consent' ? NO.test(value) : statusSaysOptedOut(value);
    if (says) return { column: column.name, value };
  }
  return null;
}
