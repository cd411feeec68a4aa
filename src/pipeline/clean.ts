import path from 'node:path';
import type { CheckOptions } from '../address/check.js';
import type { AddressCheck } from '../address/types.js';
import { MailboxIndex } from '../contacts/mailbox-index.js';
import {
  raggedRowsError,
  readContactBatches,
  sniffContactFile,
  type ContactFileInfo,
  type ContactRow,
  type ReadOptions,
  type ReadStats,
} from '../contacts/reader.js';
import type { OutputEncoding } from '../contacts/encoding.js';
import { sweepStaleTempFiles } from '../contacts/temp-files.js';
import {
  assertNotAnInput,
  commitOutputSet,
  CsvOutput,
  ensureOutDir,
  writeFileAtomically,
  type CsvFormat,
  type OwnColumns,
} from '../contacts/writer.js';
import { escapeFormula } from '../contacts/escape.js';
import { emptyFooter, withoutFooter } from '../contacts/footer.js';
import { SUPPRESSING_VERDICTS, type DomainVerdict, type DomainVerdictKind } from '../dns/types.js';
import type { DnsSummary } from './domain-checks.js';
import type { VerdictThread } from './history-verdicts-thread.js';
import { LineSet } from './line-set.js';
import {
  describeLaterMark,
  describeMark,
  listMarkOf,
  readableTwice,
  recordMarkedMailboxes,
  type ListMark,
  type ListMarkColumns,
} from './list-marked-mailboxes.js';
import { assembleCleanReport, countTypo, type CleanReport, type HygieneReason, type TypoDomainTally } from './clean-report.js';

export { HYGIENE_REASONS, type CleanReport, type HygieneReason } from './clean-report.js';
import { checkRowAddresses, type CellVerdict, type FixRecord, type OtherColumnFinding } from './row-addresses.js';

export type ListName = 'cleaned' | 'suppressed' | 'retry-later';

/** What the history says about an address (filled from bounce evidence; see src/policy). */
export interface HistoryVerdict {
  list: ListName;
  reason: HygieneReason | null;
  detail: string | null;
  source: string | null;
  softCount: number;
  lastBounce: string | null;
  retryAfter: string | null;
}

export interface CleanOptions extends ReadOptions, CheckOptions {
  input: string;
  outDir: string;
  fix?: boolean;
  /** false: a trailing report footer is read as rows like any other (`--no-footer-detection`). */
  footerDetection?: boolean;
  /** false: the list's opt-out columns are reported but do not suppress (`--no-opt-out-columns`). */
  optOutColumns?: boolean;
  /** false: the list's own bounce records are reported but do not suppress (`--no-bounce-columns`). */
  bounceColumns?: boolean;
  suppressRole?: boolean;
  allowDisposable?: boolean;
  /**
   * Escape input values that a spreadsheet would run as formulas (leading `= + - @`, tab, CR) in
   * all three lists (`--escape-formulas`). This changes the data; report.json counts the values.
   */
  escapeFormulas?: boolean;
  /** Decision from bounce history for an address, or null when there is none. */
  historyVerdict?: (address: string) => HistoryVerdict | null;
  /** The same for many addresses at once (preferred when given: one lookup per batch of rows). */
  historyVerdicts?: (addresses: readonly string[]) => Array<HistoryVerdict | null>;
  /**
   * Starts a thread that answers `historyVerdicts` beside this one: a big list then routes each
   * batch of rows while the next batch's lookup runs (same answers).
   */
  historyVerdictThread?: ((expectedKeys: number) => Promise<VerdictThread | null>) | null;
  /** Other inputs the outputs must never overwrite (bounce logs). */
  otherInputs?: readonly string[];
  /** The outputs' encoding (`--out-encoding`); default: the input's encoding and byte-order mark. */
  outEncoding?: OutputEncoding;
  /** Write no files at all (the CI gate without --out-dir). */
  dryRun?: boolean;
  /** Called for every routed row (the CI gate collects offending rows). */
  onRow?: (row: RoutedRow) => void;
  /**
   * Called when the rows are routed again from the first (a mark on a later row of a mailbox was
   * found after its earlier rows were routed): what `onRow` collected no longer holds.
   */
  onRestart?: () => void;
  /** Called every ~4096 rows with the rows done and the bytes of the input read so far. */
  onProgress?: (progress: CleanProgress) => void;
  /** What this run's bounces held, for the report. */
  bounceSummary?: CleanReport['bounces'];
  /**
   * With DNS checks (`--check-domains`): the verdict of an address's domain (lower-case A-label),
   * or undefined when it was not checked.
   */
  domainVerdict?: (domain: string) => DomainVerdict | undefined;
  /** What the DNS checks found, for the report. */
  dnsSummary?: DnsSummary;
}

export interface CleanProgress {
  rows: number;
  bytesRead: number;
  totalBytes: number;
  /** `marks`: the reading before routing of a list with opt-out or bounce columns. */
  phase?: 'marks';
}

export interface RoutedRow {
  line: number;
  address: string;
  list: ListName;
  reason: HygieneReason | null;
  detail: string | null;
  /** The corrected address the row's list names, or null. */
  suggestion: string | null;
  check: AddressCheck;
  /** With DNS checks: what the DNS said about the address's domain (undefined when not asked). */
  domainVerdict?: DomainVerdictKind;
}

const ADDED_COLUMNS = ['hygiene_reason', 'hygiene_detail', 'hygiene_suggestion', 'hygiene_source'];
const RETRY_COLUMNS = ['hygiene_soft_count', 'hygiene_last_bounce', 'hygiene_retry_after'];
/** Findings of other address columns listed in report.json (all are counted). */
const OTHER_FINDINGS_LISTED = 100;
/** Progress every 4096 rows: often enough for a display, rare enough to cost nothing. */
const PROGRESS_MASK = 4096 - 1;
/** From about this many rows a history lookup thread pays for its start (a fraction of a second). */
export const HISTORY_THREAD_MIN_ROWS = 50_000;
/** Batches read ahead of the one being written: the thread's lookups absorb uneven batches. */
const LOOKUPS_AHEAD = 2;

/**
 * Reads a contact file, checks every row and writes cleaned / suppressed / retry-later lists and
 * report.json through temporary files renamed only when everything is complete.
 */
export async function runClean(options: CleanOptions): Promise<CleanReport> {
  const started = Date.now();
  const sniffed = await sniffContactFile(options.input, options);
  const bounceColumns = options.bounceColumns === false ? [] : sniffed.bounces.columns;
  const marking: ListMarkColumns = {
    optOut: options.optOutColumns === false ? [] : sniffed.optOut.columns,
    bounces: bounceColumns,
    // The classifier loads only for a list that records bounce replies.
    readsHard: bounceColumns.some((column) => column.kind === 'reason') ? await hardBounceReader() : () => false,
  };
  const marked = marking.optOut.length > 0 || marking.bounces.length > 0;
  // A list with marking columns may have to be read twice (see list-marked-mailboxes.ts): stdin
  // is kept for that.
  const twice = marked ? await readableTwice(sniffed) : null;
  try {
    const info = twice?.info ?? sniffed;
    if (!marked) return await cleanList(info, null, options, started);
    // Most lists never mark a mailbox after an unmarked row of it: routed in one pass, as if
    // the marks had been read first. The pass stops at the first row that does, and the list is
    // routed again with its marks read first.
    try {
      return await cleanList(info, { columns: marking, readFirst: false }, options, started);
    } catch (error) {
      if (!(error instanceof LaterMarkFound)) throw error;
      options.onRestart?.();
      return await cleanList(info, { columns: marking, readFirst: true }, options, started);
    }
  } finally {
    await twice?.remove();
  }
}

/**
 * Thrown by a pass that routes a list without reading its marks first, at the first marked row
 * whose mailbox an earlier unmarked row already took: that row must be routed with the mark.
 */
class LaterMarkFound extends Error {
  constructor(readonly line: number) {
    super(`row ${line} marks a mailbox an earlier row took`);
  }
}

/** Whether a reply text reads as a hard bounce, by the classifier that reads bounce logs. */
async function hardBounceReader(): Promise<(reply: string) => boolean> {
  const { classifyBounce } = await import('../bounces/classify/index.js');
  // A CRM may keep the reason as an enum name (HubSpot's UNKNOWN_USER): read as the words it is.
  return (reply) =>
    classifyBounce({ diagnostic: /^[A-Z0-9_]+$/.test(reply) ? reply.replaceAll('_', ' ') : reply, action: 'failed' }).class === 'hard';
}

async function cleanList(
  info: ContactFileInfo,
  marks: { columns: ListMarkColumns; readFirst: boolean } | null,
  options: CleanOptions,
  started: number,
): Promise<CleanReport> {
  const marking = marks?.columns ?? null;
  const outputs = {
    cleaned: path.join(options.outDir, 'cleaned.csv'),
    suppressed: path.join(options.outDir, 'suppressed.csv'),
    retryLater: path.join(options.outDir, 'retry-later.csv'),
    report: path.join(options.outDir, 'report.json'),
    ...(options.fix ? { fixes: path.join(options.outDir, 'fixes.csv') } : {}),
  };
  const inputs = [options.input, ...(options.otherInputs ?? [])];
  const staleOutputs: string[] = [];
  if (!options.dryRun) {
    await ensureOutDir(options.outDir);
    for (const output of Object.values(outputs)) await assertNotAnInput(output, inputs);
    await sweepStaleTempFiles(options.outDir, OUTPUT_NAMES);
    // A fixes.csv of an earlier --fix run would sit beside lists it does not belong to.
    const oldFixes = path.join(options.outDir, 'fixes.csv');
    if (
      !options.fix &&
      (await assertNotAnInput(oldFixes, inputs).then(
        () => true,
        () => false,
      ))
    )
      staleOutputs.push(oldFixes);
  }

  const outEncoding = options.outEncoding ?? inputEncodingForOutput(info);
  const format: CsvFormat = {
    delimiter: String(info.delimiter),
    lineEnding: info.lineEnding,
    encoding: outEncoding,
    rawEncoding: info.encoding === 'windows-1252' ? 'windows-1252' : 'utf-8',
  };
  const sink = options.dryRun ? null : openOutputs(format, outputs);
  const width = info.header.length;
  const emailIndex = info.emailColumn.index;
  const seen = new MailboxIndex(info.estimatedRows);
  const stats: ReadStats = { raggedCount: 0, raggedLines: [], blankLines: 0 };
  const counts = { cleaned: 0, suppressed: 0, retryLater: 0 };
  const reasons: Partial<Record<HygieneReason, number>> = {};
  const flags = { role: 0, free: 0, disposable: 0 };
  const typoDomains: TypoDomainTally = new Map();
  let fixes = 0;
  let listedBounces = 0;
  const otherAddresses: CleanReport['otherAddresses'] = { checked: 0, reasons: {}, rows: [] };
  let rows = 0;
  const escaped = { count: 0 };
  const output = options.escapeFormulas ? (values: string[]) => escapeValues(values, escaped) : (values: string[]) => values;
  const header = output(info.header);
  let headersWritten = false;
  /** The header rows, written once the header's own bytes are known (from the first batch). */
  const writeHeaders = () => {
    headersWritten = true;
    if (!sink) return;
    if (info.separatorLine !== null) {
      for (const list of [sink.cleaned, sink.suppressed, sink.retryLater, sink.fixes]) list?.writeLine(info.separatorLine);
    }
    const raw = header === info.header ? stats.headerRaw : null;
    const own = (count: number): OwnColumns => ({ from: width, to: width + count });
    if (raw && sink.cleaned.acceptsRaw && info.header.length === width) {
      if (info.hasHeader) sink.cleaned.writeRaw(raw);
      sink.suppressed.writeRaw(raw, ADDED_COLUMNS, 1, { from: 0, to: ADDED_COLUMNS.length });
      sink.retryLater.writeRaw(raw, [...ADDED_COLUMNS, ...RETRY_COLUMNS], 1, { from: 0, to: ADDED_COLUMNS.length + RETRY_COLUMNS.length });
    } else {
      if (info.hasHeader) sink.cleaned.write(header, 1);
      sink.suppressed.write([...header, ...ADDED_COLUMNS], 1, own(ADDED_COLUMNS.length));
      sink.retryLater.write([...header, ...ADDED_COLUMNS, ...RETRY_COLUMNS], 1, own(ADDED_COLUMNS.length + RETRY_COLUMNS.length));
    }
    sink.fixes?.write(['row', 'before', 'after', 'why', 'column'], 1);
  };

  let thread: VerdictThread | null = null;
  try {
    const primaryColumn = { index: emailIndex, name: info.emailColumn.name };
    const otherColumns = info.otherAddressColumns.map(({ index, name }) => ({ index, name }));
    const addressOptions = {
      ...options,
      onFix: (fix: FixRecord) => {
        // Addresses come from the list as typed (a sign-up form): escaped like remote text.
        sink?.fixes?.write(
          [String(fix.line), escapeFormula(fix.before), escapeFormula(fix.after), escapeFormula(fix.why), escapeFormula(fix.column)],
          fix.line,
          { from: 2, to: 4 },
        );
        // An address of a multi-address cell that was not kept is listed, not a correction.
        if (fix.after !== '') fixes++;
      },
      onFinding: (finding: OtherColumnFinding) => {
        otherAddresses.reasons[finding.reason] = (otherAddresses.reasons[finding.reason] ?? 0) + 1;
        if (otherAddresses.rows.length < OTHER_FINDINGS_LISTED) otherAddresses.rows.push(finding);
      },
    };
    /** Checks a row's addresses (and applies --fix); decides it already if a check before duplicates does. */
    const checkRow = (row: ContactRow): CheckedRow => {
      for (const column of otherColumns) if ((row.values[column.index] ?? '').trim() !== '') otherAddresses.checked++;
      const { values, address, check, cellVerdict } = checkRowAddresses(row.line, row.values, primaryColumn, otherColumns, addressOptions);
      const mark = marking && listMarkOf(values, row.values, emailIndex, marking);
      if (check.flags.role) flags.role++;
      if (check.flags.free) flags.free++;
      if (check.flags.disposable) flags.disposable++;
      if (check.reason === 'typo-domain' && check.suggestion) countTypo(typoDomains, address, check.suggestion);
      return {
        line: row.line,
        values,
        raw: values === row.values ? (row.raw ?? null) : null,
        address,
        check,
        early: routeBeforeDuplicates(mark, cellVerdict, check, address, options),
      };
    };

    /** Counts a decided row, reports it and writes it to its list. */
    const routeRow = ({ line, values, raw, address, check }: CheckedRow, route: RowRoute): void => {
      if (route.reason) reasons[route.reason] = (reasons[route.reason] ?? 0) + 1;
      if (route.listed && route.reason === 'hard-bounce') listedBounces++;
      if (options.onRow) {
        const domain = options.domainVerdict && check.normalized !== null ? options.domainVerdict(domainOf(check.normalized)) : undefined;
        const suggestion = route.suggestion ?? null;
        options.onRow({
          line,
          address,
          list: route.list,
          reason: route.reason,
          detail: route.detail,
          suggestion,
          check,
          ...(domain ? { domainVerdict: domain.verdict } : {}),
        });
      }
      const shown = output(values);
      // An unchanged row goes out as the bytes it came as: faithful, and the fast path.
      const rawOut = raw !== null && shown === values && sink?.cleaned.acceptsRaw ? raw : null;
      if (route.list === 'cleaned') {
        counts.cleaned++;
        if (rawOut) sink?.cleaned.writeRaw(rawOut);
        else sink?.cleaned.write(shown, line);
        return;
      }
      const added = [
        route.reason ?? '',
        escapeFormula(route.detail ?? ''),
        escapeFormula(route.suggestion ?? ''),
        escapeFormula(route.source ?? `row ${line}`),
      ];
      const target = route.list === 'suppressed' ? sink?.suppressed : sink?.retryLater;
      let ownValues = added;
      if (route.list === 'suppressed') counts.suppressed++;
      else {
        counts.retryLater++;
        ownValues = [...added, String(route.softCount ?? 0), route.lastBounce ?? '', route.retryAfter ?? ''];
      }
      if (!target) return;
      if (rawOut && shown.length === width) {
        target.writeRaw(rawOut, ownValues, line, { from: 0, to: ownValues.length });
        return;
      }
      const padded = padTo(shown, width);
      const extras = shown.length > width ? shown.slice(width) : [];
      target.write([...padded, ...ownValues, ...extras], line, { from: width, to: width + ownValues.length });
    };

    /** Counts, reports and writes a batch whose routes are all known, then lets the files catch up. */
    const writeBatch = async (checked: readonly CheckedRow[], routes: readonly RowRoute[], bytesRead: number) => {
      for (let i = 0; i < checked.length; i++) {
        rows++;
        if (options.onProgress && (rows & PROGRESS_MASK) === 0) {
          options.onProgress({ rows, bytesRead, totalBytes: info.size });
        }
        routeRow(checked[i]!, routes[i]!);
      }
      // Await only when a file is behind: most batches cost no promise at all.
      const flushing = sink?.flush();
      if (flushing) await flushing;
    };
    thread =
      options.historyVerdictThread && info.estimatedRows >= HISTORY_THREAD_MIN_ROWS
        ? await options.historyVerdictThread(info.estimatedRows)
        : null;
    /** With a lookup thread: the batches whose history lookups run while the next ones are read, oldest first. */
    const behind: Array<{
      checked: CheckedRow[];
      routes: Array<RowRoute | null>;
      pending: number[];
      lookup: Promise<Array<HistoryVerdict | null>>;
      bytesRead: number;
    }> = [];
    const finishOldest = async () => {
      const { checked, routes, pending, lookup, bytesRead } = behind.shift()!;
      await writeBatch(checked, finishRoutes(checked, routes, pending, await lookup, options), bytesRead);
    };

    /** The marks of the rows that marked a mailbox first, by line (from the reading before routing). */
    let laterMarks: ReadonlyMap<number, ListMark> = new Map();
    /** Without that reading: the marked rows routed so far, to see a later mark (LaterMarkFound). */
    const markedLines = marks && !marks.readFirst ? new LineSet() : null;
    if (marks?.readFirst) {
      const scan = {
        columns: marks.columns,
        primary: primaryColumn,
        others: otherColumns,
        addressOptions,
        footerDetection: options.footerDetection !== false,
      };
      const onProgress = options.onProgress;
      const progress = onProgress
        ? (rows: number, bytesRead: number) => onProgress({ rows, bytesRead, totalBytes: info.size, phase: 'marks' })
        : null;
      laterMarks = await recordMarkedMailboxes(info, options, scan, seen, progress);
    }
    const footer = emptyFooter();
    const batches = readContactBatches(info, options, stats);
    for await (const batch of options.footerDetection === false ? batches : withoutFooter(batches, width, stats, footer)) {
      // In three passes over the batch, each row still decided in the order of the hygiene_reason
      // table (docs/architecture.md): the checks; the duplicate lookups, back to back (each
      // misses the CPU cache, and issued together the misses overlap); then the rest of the
      // table, counting and writing, in row order.
      if (!headersWritten) writeHeaders();
      const checked = batch.rows.map(checkRow);
      const { routes, pending } = routeBeforeHistory(checked, seen, laterMarks, markedLines);
      const addresses = pending.map((i) => checked[i]!.address);
      if (thread) {
        const lookup = addresses.length > 0 ? thread.lookUp(addresses) : Promise.resolve([]);
        // A failed lookup is thrown when its batch is written; until then it is not unhandled.
        lookup.catch(() => undefined);
        behind.push({ checked, routes, pending, lookup, bytesRead: batch.bytesRead });
        if (behind.length > LOOKUPS_AHEAD) await finishOldest();
      } else {
        // Without a batch lookup, finishRoutes asks `historyVerdict` row by row (null).
        const fromHistory = !options.historyVerdicts ? null : addresses.length > 0 ? options.historyVerdicts(addresses) : [];
        await writeBatch(checked, finishRoutes(checked, routes, pending, fromHistory, options), batch.bytesRead);
      }
    }
    while (behind.length > 0) await finishOldest();
    if (!headersWritten) writeHeaders();
    if (stats.raggedCount > 0 && !options.relaxColumns) throw raggedRowsError(info.file, stats, width, String(info.delimiter));

    const report = assembleCleanReport({
      info,
      options,
      tally: {
        rows,
        counts,
        reasons,
        flags,
        typoDomains,
        fixes,
        escapedFormulas: escaped.count,
        listedBounces,
        stats,
        footer,
        otherAddresses,
      },
      outputs: options.dryRun ? {} : outputs,
      outEncoding,
      totalMs: Date.now() - started,
    });
    if (sink) {
      await sink.closeAll();
      for (const [name, list] of sink.named) {
        // Rows of data: the header line is not one.
        const headerRows = name === 'cleaned' && !info.hasHeader ? 0 : 1;
        report.output.files[name] = { file: list.finalPath, rows: list.rows - headerRows, bytes: list.bytes, sha256: list.sha256 };
      }
      const reportTemp = await writeFileAtomically(outputs.report, `${JSON.stringify(report, null, 2)}\n`);
      await commitOutputSet(
        sink.all.map((o) => ({ tempPath: o.tempPath, finalPath: o.finalPath })),
        { tempPath: reportTemp, finalPath: outputs.report },
        staleOutputs,
      );
    }
    return report;
  } catch (error) {
    await sink?.discardAll();
    throw error;
  } finally {
    thread?.close();
  }
}

/** Where a row goes and why (the list columns it gets); the history's part comes from HistoryVerdict. */
interface RowRoute {
  list: ListName;
  reason: HygieneReason | null;
  detail: string | null;
  suggestion?: string | null;
  source?: string | null;
  softCount?: number;
  lastBounce?: string | null;
  retryAfter?: string | null;
  /** The list's own mark decided it (its mailbox still enters the duplicate index). */
  listed?: true;
}

/** A row after its address checks. */
interface CheckedRow {
  line: number;
  /** The row's values (with the address fixed, under --fix). */
  values: string[];
  /** The row's input bytes while its values are unchanged (strict RFC 4180 rows only), else null. */
  raw: Buffer | null;
  address: string;
  check: AddressCheck;
  /** The route of a check that comes before duplicates in the table, or null. */
  early: RowRoute | null;
}

/** The reasons of the hygiene_reason table that come before duplicates, or null when none applies. */
function routeBeforeDuplicates(
  mark: ListMark | null,
  cell: CellVerdict | null,
  check: AddressCheck,
  address: string,
  options: CleanOptions,
): RowRoute | null {
  // First: no fix of the address may make an opted-out contact mailable again.
  if (mark !== null) return { list: 'suppressed', reason: mark.reason, detail: describeMark(mark), listed: true };
  if (cell !== null) return { list: 'suppressed', reason: cell.reason, detail: cell.detail, suggestion: cell.suggestion };
  if (check.reason === 'invalid-syntax' || check.reason === 'typo-domain') {
    return { list: 'suppressed', reason: check.reason, detail: check.detail, suggestion: check.suggestion };
  }
  if (check.reason === 'disposable' && !options.allowDisposable) {
    return { list: 'suppressed', reason: 'disposable', detail: check.detail };
  }
  if (check.flags.role && options.suppressRole) {
    return { list: 'suppressed', reason: 'role', detail: `"${address}" is a role account (--suppress-role)` };
  }
  if (options.domainVerdict && check.normalized !== null) {
    const domain = options.domainVerdict(domainOf(check.normalized));
    if (domain && SUPPRESSING_VERDICTS.has(domain.verdict)) {
      return {
        list: 'suppressed',
        reason: domain.verdict as HygieneReason,
        detail: domain.detail,
        source: `dns ${domain.checkedAt.slice(0, 10)}`,
      };
    }
  }
  return null;
}

/** The domain of a mailbox key (`local@domain`, domain in lower-case A-label form). */
export function domainOf(normalized: string): string {
  return normalized.slice(normalized.lastIndexOf('@') + 1);
}

/** The route of each row: its early one, else duplicate, then the bounce history, else clean. */
/**
 * The routes a batch's checks and the duplicate index decide (null for the others), and the rows
 * left for the history (`pending`): looked up together, by `finishRoutes`' caller.
 */
function routeBeforeHistory(
  rows: readonly CheckedRow[],
  seen: MailboxIndex,
  laterMarks: ReadonlyMap<number, ListMark>,
  markedLines: LineSet | null,
): { routes: Array<RowRoute | null>; pending: number[] } {
  const keys: string[] = [];
  const lines: number[] = [];
  // A row the list marks (opted out, bounced) also takes its mailbox: a later row of the same
  // person is a duplicate of it, never a copy that may be mailed.
  const indexed = (row: CheckedRow) => row.check.normalized !== null && (row.early === null || row.early.listed === true);
  for (const row of rows) {
    if (indexed(row)) {
      keys.push(row.check.normalized!);
      lines.push(row.line);
    }
  }
  const firstRows = seen.firstRowsOf(keys, lines);
  let next = 0;
  const routes: Array<RowRoute | null> = rows.map((row) => {
    const first = indexed(row) ? firstRows[next++]! : 0;
    if (row.early !== null) {
      if (markedLines !== null && row.early.listed) {
        // Routed without the marks read first: an earlier unmarked row of this mailbox is
        // already routed as if the person could be mailed.
        if (first !== 0 && first !== row.line && !markedLines.has(first)) throw new LaterMarkFound(row.line);
        markedLines.add(row.line);
      }
      return row.early;
    }
    // A first row after this one is a later row the list marks: only the reading before routing
    // records such a row, always with its mark.
    if (first > row.line) {
      const mark = laterMarks.get(first)!;
      return { list: 'suppressed', reason: mark.reason, detail: describeLaterMark(first, mark), listed: true };
    }
    if (first !== 0 && first !== row.line) return { list: 'suppressed', reason: 'duplicate', detail: `same mailbox as row ${first}` };
    return null;
  });
  const pending: number[] = [];
  for (let i = 0; i < rows.length; i++) if (routes[i] === null) pending.push(i);
  return { routes, pending };
}

/**
 * Completes a batch's routes: the history's verdicts of the pending rows (`fromHistory`, in their
 * order; null to ask `historyVerdict` row by row), else a bad MX, else clean.
 */
function finishRoutes(
  rows: readonly CheckedRow[],
  routes: Array<RowRoute | null>,
  pending: readonly number[],
  fromHistory: ReadonlyArray<HistoryVerdict | null> | null,
  options: CleanOptions,
): RowRoute[] {
  pending.forEach((rowIndex, k) => {
    const history = fromHistory ? asRoute(fromHistory[k] ?? null) : historyVerdictOf(rows[rowIndex]!.address, options);
    routes[rowIndex] = history ?? badMxOrClean(rows[rowIndex]!.check, options);
  });
  return routes as RowRoute[];
}

/** Last in the table: a domain whose MX points nowhere usable waits in retry-later. */
function badMxOrClean(check: AddressCheck, options: CleanOptions): RowRoute {
  if (!options.domainVerdict || check.normalized === null) return CLEAN;
  const domain = options.domainVerdict(domainOf(check.normalized));
  if (domain?.verdict !== 'bad-mx') return CLEAN;
  return {
    list: 'retry-later',
    reason: 'bad-mx',
    detail: `${domain.detail}; looked up again after ${domain.expiresAt ?? 'the next run'}`,
    source: `dns ${domain.checkedAt.slice(0, 10)}`,
    softCount: 0,
    lastBounce: null,
    retryAfter: domain.expiresAt,
  };
}

/** The history's verdict, or null when it has none (the address is clean as far as bounces go). */
function historyVerdictOf(address: string, options: CleanOptions): RowRoute | null {
  return asRoute(options.historyVerdict?.(address) ?? null);
}

function asRoute(history: HistoryVerdict | null): RowRoute | null {
  if (history && history.list !== 'cleaned') {
    return {
      list: history.list,
      reason: history.reason,
      detail: history.detail,
      source: history.source,
      softCount: history.softCount,
      lastBounce: history.lastBounce,
      retryAfter: history.retryAfter,
    };
  }
  return null;
}

/** Most rows are clean: one shared route instead of an object per row. */
const CLEAN: RowRoute = Object.freeze({ list: 'cleaned', reason: null, detail: null });

/** The values with formula-like ones escaped (a copy only when one changes), counting them. */
function escapeValues(values: string[], escaped: { count: number }): string[] {
  let copy: string[] | null = null;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const safe = escapeFormula(value);
    if (safe !== value) {
      copy ??= values.slice();
      copy[i] = safe;
      escaped.count++;
    }
  }
  return copy ?? values;
}

function padTo(values: string[], width: number): string[] {
  if (values.length === width) return values;
  if (values.length > width) return values.slice(0, width);
  return [...values, ...new Array<string>(width - values.length).fill('')];
}

/** The file names an output folder of clean holds (their temporary files are swept by name). */
const OUTPUT_NAMES = ['cleaned.csv', 'suppressed.csv', 'retry-later.csv', 'report.json', 'fixes.csv'];

/** By default the lists are written as the input was: its encoding, and a BOM if it had one. */
function inputEncodingForOutput(info: ContactFileInfo): OutputEncoding {
  return { name: info.encoding, bom: info.bomLength > 0 };
}

function openOutputs(format: CsvFormat, outputs: { cleaned: string; suppressed: string; retryLater: string; fixes?: string }) {
  const made: CsvOutput[] = [];
  const open = (file: string) => {
    try {
      const output = new CsvOutput(file, format);
      made.push(output);
      return output;
    } catch (error) {
      for (const output of made) void output.discard();
      throw error;
    }
  };
  const cleaned = open(outputs.cleaned);
  const suppressed = open(outputs.suppressed);
  const retryLater = open(outputs.retryLater);
  const fixes = outputs.fixes ? open(outputs.fixes) : undefined;
  const all = [cleaned, suppressed, retryLater, ...(fixes ? [fixes] : [])];
  const named: [string, CsvOutput][] = [
    ['cleaned', cleaned],
    ['suppressed', suppressed],
    ['retryLater', retryLater],
    ...(fixes ? [['fixes', fixes] as [string, CsvOutput]] : []),
  ];
  return {
    named,
    cleaned,
    suppressed,
    retryLater,
    fixes,
    all,
    /** Resolves when every file has taken its rows, or undefined when none is behind. */
    flush(): Promise<unknown> | undefined {
      let behind: Promise<void>[] | undefined;
      for (const output of all) {
        const wait = output.flush();
        if (wait) (behind ??= []).push(wait);
      }
      return behind && Promise.all(behind);
    },
    async closeAll() {
      for (const output of all) await output.close();
    },
    async discardAll() {
      for (const output of all) await output.discard();
    },
  };
}
