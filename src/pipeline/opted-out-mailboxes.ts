/**
 * The mailboxes a list marks opted out, found before its rows are routed.
 *
 * A CRM export can hold one person twice with the opt-out on one record only (a Salesforce lead
 * and its contact: "Email Opt Out" is per record). When the opted-out record comes first, the
 * later one is its duplicate; when it comes last, the earlier record would already be in
 * cleaned.csv by the time the stream reaches it. So a list with opt-out columns is read once
 * more first, and each opted-out mailbox enters the duplicate index with the row that opted out:
 * an earlier row of it then finds a later first row (`firstRow > line`) and is suppressed too.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MailboxIndex } from '../contacts/mailbox-index.js';
import { optedOut, type OptOutColumn } from '../contacts/opt-out.js';
import { readContactBatches, type ContactFileInfo, type ReadOptions, type ReadStats } from '../contacts/reader.js';
import { spoolToFile, STDIN_NAME } from '../contacts/stdin.js';
import { HygieneError, osErrorAsHygieneError } from '../errors.js';
import { trackTempFile, untrackTempFile } from '../contacts/temp-files.js';
import { emptyFooter, withoutFooter } from '../contacts/footer.js';
import { checkRowAddresses, type AddressColumn, type RowAddressOptions } from './row-addresses.js';

export interface OptOutScan {
  columns: readonly OptOutColumn[];
  primary: AddressColumn;
  others: readonly AddressColumn[];
  /** The run's address options (fix, alias and case rules): the keys must be those of the routing pass. */
  addressOptions: RowAddressOptions;
  footerDetection: boolean;
}

/**
 * Records in `seen` the first opted-out row of each opted-out mailbox; returns how many mailboxes.
 * Reads the list as the routing pass will (same rows, same footer, same address keys), with its
 * own statistics: the routing pass reports ragged rows and blank lines once.
 */
export async function recordOptedOutMailboxes(
  info: ContactFileInfo,
  readOptions: ReadOptions,
  scan: OptOutScan,
  seen: MailboxIndex,
): Promise<number> {
  // The checks run without the callbacks: fixes and findings are the routing pass's to record.
  const { onFix: _onFix, onFinding: _onFinding, ...addressOptions } = scan.addressOptions;
  const stats: ReadStats = { raggedCount: 0, raggedLines: [], blankLines: 0 };
  const width = info.header.length;
  const batches = readContactBatches(info, readOptions, stats);
  let mailboxes = 0;
  for await (const batch of scan.footerDetection ? withoutFooter(batches, width, stats, emptyFooter()) : batches) {
    for (const row of batch.rows) {
      if (optedOut(row.values, scan.columns) === null) continue;
      const key = checkRowAddresses(row.line, row.values, scan.primary, scan.others, addressOptions).check.normalized;
      if (key !== null && seen.firstRowOf(key, row.line) === 0) mailboxes++;
    }
  }
  return mailboxes;
}

/**
 * A list on stdin can be read only once: copied to a temporary file, which the returned info
 * reads from (and `remove` deletes). A list in a file is returned as it is.
 */
export async function readableTwice(info: ContactFileInfo): Promise<{ info: ContactFileInfo; remove(): Promise<void> }> {
  if (!info.stdin || info.spooled !== undefined) return { info, remove: async () => undefined };
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
      message: `${STDIN_NAME}: could not copy the list to a temporary file (${os.message}); a list with opt-out columns is read twice`,
      hint: 'Set TMPDIR to a folder with room for the list, or give the list as a file instead of standard input.',
      file,
    });
  }
}
