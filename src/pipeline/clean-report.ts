/**
 * report.json of a clean run: what the run counted, assembled into the documented shape
 * (docs/architecture.md, "report.json"). Fields are only ever added.
 */
import { describeOutEncoding, type OutputEncoding } from '../contacts/encoding.js';
import type { ContactFileInfo, ReadStats } from '../contacts/reader.js';
import type { LineEndingCounts } from '../contacts/records.js';
import { describeDelimiter } from '../contacts/sniff.js';
import { VERSION } from '../version.js';
import type { DnsSummary } from './domain-checks.js';
import type { OtherColumnFinding } from './row-addresses.js';

/** The hygiene_reason codes (docs/architecture.md), in the order they are decided. */
export const HYGIENE_REASONS = [
  'opted-out',
  'no-address',
  'multiple-addresses',
  'invalid-syntax',
  'typo-domain',
  'disposable',
  'role',
  'no-such-domain',
  'domain-accepts-no-mail',
  'no-mail-server',
  'duplicate',
  'suppressed-manually',
  'hard-bounce',
  'complaint',
  'soft-bounce-limit',
  'soft-bounce',
  'sender-blocked',
  'bad-mx',
] as const;
export type HygieneReason = (typeof HYGIENE_REASONS)[number];

export interface CleanReport {
  version: string;
  input: {
    file: string;
    rows: number;
    encoding: string;
    delimiter: string;
    /** The file writes a blank after each delimiter: skipped when reading, not written back. */
    blanksAfterDelimiter: boolean;
    emailColumn: { name: string; number: number; how: string };
    header: boolean;
    blankLines: number;
    raggedRows: number;
    /**
     * Lines of notes above the header (LinkedIn's "Notes:"), blank ones included: not rows, not
     * routed. rows + preambleLines + footerLines + blankLines = lines of the file but the header.
     */
    preambleLines: number;
    /** The notes as text (not the `sep=` line, which is `separatorLine`). */
    preamble: string[];
    /** Excel's `sep=;` first line (counted in preambleLines), written back atop the lists; null when absent. */
    separatorLine: string | null;
    /** Lines of a report footer after the data (not rows, not routed). */
    footerLines: number;
    /** The footer's lines as text. */
    footer: string[];
    /** The address columns other than the primary one: checked and reported, not routed on. */
    otherAddressColumns: { name: string; number: number; how: string }[];
    /**
     * Columns where the list marks contacts opted out (a yes/no flag or a status); `ignored`: flag
     * columns so named whose values are not yes/no, so not used.
     */
    optOutColumns: { name: string; number: number; kind: 'flag' | 'consent' | 'status' }[];
    optOutColumnsIgnored: string[];
    /** false with `--no-opt-out-columns`: the columns were found but suppressed nobody. */
    optOutApplied: boolean;
    /**
     * Columns where the list records that an address bounced (a yes/no flag or date, a bounce
     * reply read by the classifier, a status such as `bounced` or `cleaned`); `ignored`: flag
     * columns so named whose values are not yes/no, so not used.
     */
    bounceColumns: { name: string; number: number; kind: 'flag' | 'reason' | 'status' }[];
    bounceColumnsIgnored: string[];
    /** false with `--no-bounce-columns`: the columns were found but suppressed nobody. */
    bounceColumnsApplied: boolean;
    /** Rows suppressed as `hard-bounce` because the list records the bounce (theirs or a later row's of the mailbox). */
    listedBounces: number;
    /** With `escapeFormulas`: how many input values (header included) got a leading `'`. */
    escapedFormulas?: number;
    /** Line endings outside quotes; `mixed` when more than one kind ends rows. */
    lineEndings: LineEndingCounts & { mixed: boolean };
  };
  /** How the lists are written, and what each one holds (rows without header, bytes, SHA-256). */
  output: {
    encoding: string;
    lineEnding: 'crlf' | 'lf' | 'cr';
    files: Record<string, { file: string; rows: number; bytes: number; sha256: string }>;
  };
  counts: { cleaned: number; suppressed: number; retryLater: number };
  reasons: Partial<Record<HygieneReason, number>>;
  flags: { role: number; free: number; disposable: number };
  typoDomains: { domain: string; suggestion: string; count: number }[];
  /** Distinct typo domains seen (typoDomains lists the 20 most frequent). */
  typoDomainCount: number;
  fixes: number;
  /** Findings in the other address columns: counts by reason and the first rows. */
  otherAddresses: { checked: number; reasons: Partial<Record<OtherColumnFinding['reason'], number>>; rows: OtherColumnFinding[] };
  bounces: {
    files: string[];
    events: number;
    byClass: Record<string, number>;
    byReason: Record<string, number>;
    warnings: string[];
  };
  /** Only with DNS checks (`--check-domains`). */
  dns?: DnsSummary;
  outputs: Record<string, string>;
  timings: { totalMs: number; rowsPerSecond: number };
}

/** Misspelt domain -> its fix and how many rows had it. */
export type TypoDomainTally = Map<string, { suggestion: string; count: number }>;

/** What a clean run counted while routing rows. */
export interface CleanTally {
  rows: number;
  counts: CleanReport['counts'];
  reasons: CleanReport['reasons'];
  flags: CleanReport['flags'];
  typoDomains: TypoDomainTally;
  fixes: number;
  /** Input values given a leading `'` (with `escapeFormulas`). */
  escapedFormulas: number;
  /** Rows suppressed because the list records their address (or a later row's) as bounced. */
  listedBounces: number;
  stats: ReadStats;
  /** The report footer found after the data (lines and their text). */
  footer: { lines: number; text: string[] };
  otherAddresses: CleanReport['otherAddresses'];
}

/** Distinct misspelt domains kept for the report (a hostile list must not grow this without end). */
const TYPO_DOMAIN_LIMIT = 10_000;
/** Misspelt domains the report lists, most frequent first. */
const TYPO_DOMAINS_REPORTED = 20;

/** The report of a run; `output.files` is filled in when the lists are complete. */
export function assembleCleanReport(run: {
  info: ContactFileInfo;
  options: {
    escapeFormulas?: boolean;
    optOutColumns?: boolean;
    bounceColumns?: boolean;
    bounceSummary?: CleanReport['bounces'];
    dnsSummary?: DnsSummary;
  };
  tally: CleanTally;
  outputs: Record<string, string>;
  outEncoding: OutputEncoding;
  totalMs: number;
}): CleanReport {
  const { info, options, tally, totalMs } = run;
  const endings = tally.stats.lineEndings ?? { crlf: 0, lf: 0, cr: 0 };
  const kinds = [endings.crlf, endings.lf, endings.cr].filter((n) => n > 0).length;
  return {
    version: VERSION,
    input: {
      file: info.file,
      rows: tally.rows,
      encoding: info.encoding,
      delimiter: describeDelimiter(String(info.delimiter)),
      blanksAfterDelimiter: info.blanksAfterDelimiter,
      emailColumn: { name: info.emailColumn.name, number: info.emailColumn.index + 1, how: info.emailColumn.how },
      header: info.hasHeader,
      blankLines: tally.stats.blankLines,
      raggedRows: tally.stats.raggedCount,
      preambleLines: info.preamble.lines,
      preamble: info.preamble.text,
      separatorLine: info.separatorLine,
      footerLines: tally.footer.lines,
      footer: tally.footer.text,
      otherAddressColumns: info.otherAddressColumns.map((column) => ({ name: column.name, number: column.index + 1, how: column.how })),
      optOutColumns: info.optOut.columns.map((column) => ({ name: column.name, number: column.index + 1, kind: column.kind })),
      optOutColumnsIgnored: info.optOut.ignored,
      optOutApplied: options.optOutColumns !== false,
      bounceColumns: info.bounces.columns.map((column) => ({ name: column.name, number: column.index + 1, kind: column.kind })),
      bounceColumnsIgnored: info.bounces.ignored,
      bounceColumnsApplied: options.bounceColumns !== false,
      listedBounces: tally.listedBounces,
      ...(options.escapeFormulas ? { escapedFormulas: tally.escapedFormulas } : {}),
      lineEndings: { ...endings, mixed: kinds > 1 },
    },
    counts: tally.counts,
    reasons: inTableOrder(tally.reasons),
    flags: tally.flags,
    typoDomains: [...tally.typoDomains.entries()]
      .map(([domain, { suggestion, count }]) => ({ domain, suggestion, count }))
      .sort((a, b) => b.count - a.count || a.domain.localeCompare(b.domain))
      .slice(0, TYPO_DOMAINS_REPORTED),
    typoDomainCount: tally.typoDomains.size,
    fixes: tally.fixes,
    otherAddresses: tally.otherAddresses,
    bounces: options.bounceSummary ?? { files: [], events: 0, byClass: {}, byReason: {}, warnings: [] },
    ...(options.dnsSummary ? { dns: options.dnsSummary } : {}),
    outputs: run.outputs,
    output: {
      encoding: describeOutEncoding(run.outEncoding),
      lineEnding: info.lineEnding === '\r\n' ? 'crlf' : info.lineEnding === '\r' ? 'cr' : 'lf',
      files: {},
    },
    timings: { totalMs, rowsPerSecond: totalMs > 0 ? Math.round((tally.rows * 1000) / totalMs) : tally.rows },
  };
}

function inTableOrder(reasons: Partial<Record<HygieneReason, number>>): Partial<Record<HygieneReason, number>> {
  const ordered: Partial<Record<HygieneReason, number>> = {};
  for (const reason of HYGIENE_REASONS) if (reasons[reason]) ordered[reason] = reasons[reason];
  return ordered;
}

export function countTypo(map: TypoDomainTally, address: string, suggestion: string): void {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  const fixed = suggestion.slice(suggestion.lastIndexOf('@') + 1);
  const entry = map.get(domain);
  if (entry) entry.count++;
  else if (map.size < TYPO_DOMAIN_LIMIT) map.set(domain, { suggestion: fixed, count: 1 });
}
