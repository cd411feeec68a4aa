/**
 * The list's own marks on a contact (`opted-out`, or an address it records as bounced), and the
 * mailboxes they mark, found before the rows are routed.
 *
 * A CRM export can hold one person twice with the mark on one record only (a Salesforce lead and
 * its contact: "Email Opt Out" and "Email Bounced Reason" are per record). When the marked record
 * comes first, the later one is its duplicate; when it comes last, the earlier record would
 * already be in cleaned.csv by the time the stream reaches it. So when the routing pass meets such
 * a row (clean.ts stops it there), the list is read once more first, and each marked mailbox
 * enters the duplicate index with the row that marks it: an earlier row of it then finds a later
 * first row (`firstRow > line`) and is suppressed too.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listedBounce, type BounceColumn } from '../contacts/bounce-columns.js';
import type { MailboxIndex } from '../contacts/mailbox-index.js';
import { optedOut, type OptOutColumn } from '../contacts/opt-out.js';
import { readContactBatches, type ContactFileInfo, type ReadOptions, type ReadStats } from '../contacts/reader.js';
import { spoolToFile, STDIN_NAME } from '../contacts/stdin.js';
import { HygieneError, osErrorAsHygieneError } from '../errors.js';
import { trackTempFile, untrackTempFile } from '../contacts/temp-files.js';
import { emptyFooter, withoutFooter } from '../contacts/footer.js';
import { checkRowAddresses, type AddressColumn, type RowAddressOptions } from './row-addresses.js';

/** The list's columns that mark a contact, and how a bounce reason's reply text is read. */
export interface ListMarkColumns {
  optOut: readonly OptOutColumn[];
  bounces: readonly BounceColumn[];
  /** Whether a reply text reads as a hard bounce (the classifier's verdict). */
  readsHard: (reply: string) => boolean;
}

/** What the list says of a row: the reason it is suppressed for, and the column that says it. */
export interface ListMark {
  reason: 'opted-out' | 'hard-bounce';
  column: string;
  value: string;
}

/** The longest part of a marking value quoted in a detail (a bounce reason is a whole reply). */
const QUOTED_VALUE_MAX = 200;

/**
 * The list's mark on a row (`values` after the address checks, `written` as read), or null. An
 * opt-out holds whatever the address; a recorded bounce is the bounce of the address as written,
 * so a row whose address `--fix` changed is not marked.
 */
export function listMarkOf(
  values: readonly string[],
  written: readonly string[],
  primaryIndex: number,
  columns: ListMarkColumns,
): ListMark | null {
  const optOut = optedOut(values, columns.optOut);
  if (optOut) return { reason: 'opted-out', ...optOut };
  if (values[primaryIndex] !== written[primaryIndex] || columns.bounces.length === 0) return null;
  const bounce = listedBounce(values, columns.bounces, columns.readsHard);
  return bounce ? { reason: 'hard-bounce', ...bounce } : null;
}

/** How a mark reads in a row's detail: `the list marks this contact opted out ("Email Opt Out": 1)`. */
export function describeMark(mark: ListMark): string {
  const value = mark.value.length > QUOTED_VALUE_MAX ? `${mark.value.slice(0, QUOTED_VALUE_MAX)}...` : mark.value;
  return mark.reason === 'opted-out'
    ? `the list marks this contact opted out ("${mark.column}": ${value})`
    : `the list records that this address bounced ("${mark.column}": ${value})`;
}

/** How the mark of another row of the same mailbox reads in an earlier row's detail. */
export function describeLaterMark(row: number, mark: ListMark): string {
  return mark.reason === 'opted-out'
    ? `row ${row} of the same mailbox is marked opted out in the list`
    : `row ${row} of the same mailbox is recorded as bounced in the list ("${mark.column}")`;
}

export interface ListMarkScan {
  columns: ListMarkColumns;
  primary: AddressColumn;
  others: readonly AddressColumn[];
  /** The run's address options (fix, alias and case rules): the keys must be those of the routing pass. */
  addressOptions: RowAddressOptions;
  footerDetection: boolean;
}

/**
 * Records in `seen` the first marked row of each marked mailbox, and returns the marks of those
 * rows by line. Reads the list as the routing pass will (same rows, same footer, same address
 * keys, same marks), with its own statistics: the routing pass reports ragged rows and blank lines.
 */
export async function recordMarkedMailboxes(
  info: ContactFileInfo,
  readOptions: ReadOptions,
  scan: ListMarkScan,
  seen: MailboxIndex,
  onProgress: ((rows: number, bytesRead: number) => void) | null = null,
): Promise<Map<number, ListMark>> {
  // The checks run without the callbacks: fixes and findings are the routing pass's to record.
  const { onFix: _onFix, onFinding: _onFinding, ...addressOptions } = scan.addressOptions;
  const stats: ReadStats = { raggedCount: 0, raggedLines: [], blankLines: 0 };
  const width = info.header.length;
  const batches = readContactBatches(info, readOptions, stats);
  const marks = new Map<number, ListMark>();
  let rows = 0;
  for await (const batch of scan.footerDetection ? withoutFooter(batches, width, stats, emptyFooter()) : batches) {
    for (const row of batch.rows) {
      // Only a row that its columns mark needs its address checked: most rows of a CRM export
      // hold a value there ("0", "subscribed") that marks nobody. The mark of the values as read
      // is null only if it is null after the checks too (a fix can only take a bounce mark away).
      if (listMarkOf(row.values, row.values, scan.primary.index, scan.columns) === null) continue;
      const checked = checkRowAddresses(row.line, row.values, scan.primary, scan.others, addressOptions);
      const mark = listMarkOf(checked.values, row.values, scan.primary.index, scan.columns);
      const key = checked.check.normalized;
      if (mark === null || key === null) continue;
      if (seen.firstRowOf(key, row.line) === 0) marks.set(row.line, mark);
    }
    rows += batch.rows.length;
    onProgress?.(rows, batch.bytesRead);
  }
  return marks;
}

/**
 * A list on stdin can be read only once: copied to a temporary file, which the returned info
 * reads from (and `remove` deletes). A list in a file is returned as it is.
 */
export async function readableTwice(info: ContactFileInfo): Promise<{ info: ContactFileInfo; remove(): Promise<void> }> {
  if (!info.stdin) return { info, remove: async () => undefined };
  const file = path.join(os.tmpdir(), `hygiene-stdin-${process.pid}-${randomBytes(6).toString('hex')}.csv`);
  trackTempFile(file);
  const remove = async () => {
    await fsp.rm(file, { force: true });
    untrackTempFile(file);
  };
  try {
    const size = await spoolToFile(info.stdin, file);
    const { stdin: _stdin, ...rest } = info;
    return { info: { ...rest, spooled: file, size }, remove };
  } catch (error) {
    await remove();
    const os = osErrorAsHygieneError(error);
    if (!os) throw error;
    throw new HygieneError({
      code: os.code,
      message: `${STDIN_NAME}: could not copy the list to a temporary file (${os.message}); a list with opt-out or bounce columns may have to be read twice`,
      hint: 'Set TMPDIR to a folder with room for the list, or give the list as a file instead of standard input.',
      file,
    });
  }
}
