/**
 * The address cells of one contact row: the primary column (which decides the row's list) and
 * the other address columns (checked and reported). Decides the reasons that belong to the
 * cells rather than to the mailbox (`no-address`, `multiple-addresses`) and, under `--fix`,
 * applies the corrections that keep the mailbox, recording each one.
 */
import { checkAddress, type CheckOptions } from '../address/check.js';
import { keepsMailbox } from '../address/fix.js';
import { splitAddresses } from '../address/multiple.js';
import type { AddressCheck } from '../address/types.js';

/** One correction, as fixes.csv lists it. */
export interface FixRecord {
  line: number;
  column: string;
  before: string;
  /** The value written instead; empty for an address of a multi-address cell that was not kept. */
  after: string;
  why: string;
}

/** A finding in an address column other than the primary one. */
export interface OtherColumnFinding {
  row: number;
  column: string;
  address: string;
  reason: 'multiple-addresses' | 'invalid-syntax' | 'typo-domain' | 'disposable';
  detail: string;
  suggestion: string | null;
}

/** The reasons decided by the cells themselves, before any check of the mailbox. */
export interface CellVerdict {
  reason: 'no-address' | 'multiple-addresses';
  detail: string;
  suggestion: string | null;
}

export interface RowAddresses {
  /** The row's values, a copy when `--fix` changed a cell. */
  values: string[];
  /** The primary address (after fixes). */
  address: string;
  check: AddressCheck;
  /** Set when the primary cell is empty or holds several addresses (after fixes). */
  cellVerdict: CellVerdict | null;
}

export interface AddressColumn {
  index: number;
  name: string;
}

export interface RowAddressOptions extends CheckOptions {
  fix?: boolean;
  onFix?: (fix: FixRecord) => void;
  onFinding?: (finding: OtherColumnFinding) => void;
}

/** Reasons of the address checks that a fix can lift. */
const FIXABLE: ReadonlySet<string> = new Set(['invalid-syntax', 'typo-domain']);

/**
 * Checks the address cells of a row. The primary decides; an empty primary is `no-address`
 * (with the first valid other address as the suggestion, which `--fix` promotes); a cell with
 * several addresses is `multiple-addresses` (`--fix` keeps the first valid one and records each
 * address it drops).
 */
export function checkRowAddresses(
  line: number,
  rowValues: string[],
  primary: AddressColumn,
  others: readonly AddressColumn[],
  options: RowAddressOptions,
): RowAddresses {
  let values = rowValues;
  const change = (index: number, value: string): void => {
    if (values === rowValues) values = rowValues.slice();
    values[index] = value;
  };

  for (const column of others) {
    const written = values[column.index] ?? '';
    if (written.trim() === '') continue;
    const fixed = checkCell(line, column, written, options, false);
    if (fixed.value !== written) change(column.index, fixed.value);
  }

  const written = values[primary.index] ?? '';
  if (written.trim() === '') {
    const other = firstValidOther(values, others, options);
    if (other !== null && options.fix) {
      options.onFix?.({
        line,
        column: primary.name,
        before: written,
        after: other.address,
        why: `the "${primary.name}" column was empty; promoted the address of "${other.column}"`,
      });
      change(primary.index, other.address);
      return { values, address: other.address, check: other.check, cellVerdict: null };
    }
    return {
      values,
      address: written,
      check: checkAddress(written, options),
      cellVerdict: {
        reason: 'no-address',
        detail:
          other === null
            ? `the row has no address (the "${primary.name}" column is empty${others.length > 0 ? ' and no other address column holds a valid one' : ''})`
            : `the "${primary.name}" column is empty; "${other.column}" holds ${other.address}`,
        suggestion: other?.address ?? null,
      },
    };
  }
  const primaryCell = checkCell(line, primary, written, options, true);
  if (primaryCell.value !== written) change(primary.index, primaryCell.value);
  return { values, address: primaryCell.value, check: primaryCell.check, cellVerdict: primaryCell.verdict };
}

interface CellResult {
  value: string;
  check: AddressCheck;
  verdict: CellVerdict | null;
}

/** One address cell: split when it holds several, fixed when allowed, findings reported for the others. */
function checkCell(line: number, column: AddressColumn, written: string, options: RowAddressOptions, isPrimary: boolean): CellResult {
  const several = splitAddresses(written);
  if (several !== null) {
    const kept = options.fix ? several.find((address) => checkAddress(address, options).reason !== 'invalid-syntax') : undefined;
    if (kept === undefined) {
      const verdict: CellVerdict & { reason: 'multiple-addresses' } = {
        reason: 'multiple-addresses',
        detail: `${several.length} addresses in one cell: ${several.join(', ')}; a row needs one (the first is suggested)`,
        suggestion: several[0]!,
      };
      if (!isPrimary) report(options, line, column, written, verdict.reason, verdict.detail, verdict.suggestion);
      return { value: written, check: checkAddress(written, options), verdict };
    }
    const dropped = several.filter((address) => address !== kept);
    options.onFix?.({
      line,
      column: column.name,
      before: written,
      after: kept,
      why: `${several.length} addresses in one cell; kept the first valid one, not kept: ${dropped.join(', ')}`,
    });
    for (const address of dropped) {
      options.onFix?.({
        line,
        column: column.name,
        before: address,
        after: '',
        why: `not kept: the cell held ${several.length} addresses and ${kept} was kept`,
      });
    }
    return fixedCell(line, column, kept, options, isPrimary);
  }
  return fixedCell(line, column, written, options, isPrimary);
}

/** Checks one address and, under --fix, applies a correction that keeps the mailbox. */
function fixedCell(
  line: number,
  column: AddressColumn,
  written: string,
  options: RowAddressOptions,
  isPrimary: boolean,
): { value: string; check: AddressCheck; verdict: null } {
  let check = checkAddress(written, options);
  let value = written;
  if (
    options.fix &&
    check.suggestion !== null &&
    check.reason !== null &&
    FIXABLE.has(check.reason) &&
    keepsMailbox(written, check.suggestion)
  ) {
    const fixed = checkAddress(check.suggestion, options);
    if (fixed.reason !== 'invalid-syntax') {
      options.onFix?.({ line, column: column.name, before: written, after: check.suggestion, why: check.detail ?? '' });
      value = check.suggestion;
      check = fixed;
    }
  }
  if (!isPrimary && (check.reason === 'invalid-syntax' || check.reason === 'typo-domain' || check.reason === 'disposable')) {
    report(options, line, column, value, check.reason, check.detail ?? '', check.suggestion);
  }
  return { value, check, verdict: null };
}

function report(
  options: RowAddressOptions,
  row: number,
  column: AddressColumn,
  address: string,
  reason: OtherColumnFinding['reason'],
  detail: string,
  suggestion: string | null,
): void {
  options.onFinding?.({ row, column: column.name, address, reason, detail, suggestion });
}

/**
 * The first other address column holding one valid address (its value after fixes), or one
 * that a fix keeping the mailbox would make valid (`bob@gmial.com` -> `bob@gmail.com`).
 */
function firstValidOther(
  values: readonly string[],
  others: readonly AddressColumn[],
  options: CheckOptions,
): { column: string; address: string; check: AddressCheck } | null {
  for (const column of others) {
    const value = values[column.index] ?? '';
    if (value.trim() === '' || splitAddresses(value) !== null) continue;
    let check = checkAddress(value, options);
    let address = value;
    if (check.suggestion !== null && check.reason !== null && FIXABLE.has(check.reason) && keepsMailbox(value, check.suggestion)) {
      address = check.suggestion;
      check = checkAddress(address, options);
    }
    if (check.reason === null || check.reason === 'role') return { column: column.name, address, check };
  }
  return null;
}
