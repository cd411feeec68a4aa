import type { ChalkInstance } from 'chalk';
import type { CleanReport } from '../pipeline/clean.js';
import { formatDnsSummaryLines } from './dns-output.js';

const SHOWN_TYPO_DOMAINS = 5;

/** The short summary of a clean run that a person reads in five seconds. */
export function formatCleanSummary(report: CleanReport, colors: ChalkInstance, outDir: string | null): string {
  const lines: string[] = [];
  const input = report.input;
  lines.push(
    `${colors.bold('hygiene clean')} ${input.file}  ${colors.dim(
      `(${input.encoding}, delimiter "${input.delimiter}"${input.blanksAfterDelimiter ? ' and a blank' : ''}, email column "${input.emailColumn.name}": ${input.emailColumn.how})`,
    )}`,
  );
  lines.push(`  ${report.input.rows} rows in`);
  lines.push(
    `  ${colors.green(`${report.counts.cleaned} cleaned`)}   ${colors.red(`${report.counts.suppressed} suppressed`)}   ${colors.yellow(
      `${report.counts.retryLater} retry later`,
    )}`,
  );
  const reasons = Object.entries(report.reasons).filter(([, n]) => (n ?? 0) > 0);
  if (reasons.length > 0) {
    const width = Math.max(...reasons.map(([name]) => name.length));
    lines.push('  reasons:');
    for (const [name, count] of reasons) lines.push(`    ${name.padEnd(width)}  ${String(count).padStart(6)}`);
  }
  const flags = report.flags;
  lines.push(`  flags: ${flags.role} role, ${flags.free} free-mail, ${flags.disposable} disposable`);
  if (report.typoDomains.length > 0) {
    // report.typoDomains is sorted by count, most frequent first.
    const shown = report.typoDomains.slice(0, SHOWN_TYPO_DOMAINS);
    const top = shown.map((t) => `${t.domain} -> ${t.suggestion} (${t.count})`).join(', ');
    const more = Math.max(report.typoDomainCount ?? report.typoDomains.length, report.typoDomains.length) - shown.length;
    lines.push(`  typo domains: ${top}${more > 0 ? ` ... and ${more} more (report.json)` : ''}`);
  }
  const other = report.otherAddresses;
  if (report.input.otherAddressColumns.length > 0) {
    const names = report.input.otherAddressColumns.map((c) => `"${c.name}"`).join(', ');
    const findings = Object.entries(other.reasons)
      .map(([reason, count]) => `${count} ${reason}`)
      .join(', ');
    lines.push(
      `  other address columns ${names}: ${other.checked} addresses checked, ${findings || 'no findings'}${findings ? ' (report.json)' : ''}`,
    );
  }
  if (report.input.optOutColumns.length > 0) {
    const names = report.input.optOutColumns.map((c) => `"${c.name}"`).join(', ');
    lines.push(
      report.input.optOutApplied
        ? `  opt-out columns ${names}: ${report.reasons['opted-out'] ?? 0} contacts marked opted out, suppressed`
        : `  opt-out columns ${names}: not applied (--no-opt-out-columns)`,
    );
  }
  for (const name of report.input.optOutColumnsIgnored) {
    lines.push(`  ${colors.yellow('note:')} column "${name}" was not read as an opt-out: its values are not yes, no or dates`);
  }
  if (report.input.bounceColumns.length > 0) {
    const names = report.input.bounceColumns.map((c) => `"${c.name}"`).join(', ');
    lines.push(
      report.input.bounceColumnsApplied
        ? `  bounce columns ${names}: ${report.input.listedBounces} contacts the list records as hard-bounced, suppressed`
        : `  bounce columns ${names}: not applied (--no-bounce-columns)`,
    );
  }
  for (const name of report.input.bounceColumnsIgnored) {
    lines.push(`  ${colors.yellow('note:')} column "${name}" was not read as a bounce record: its values are not yes, no or dates`);
  }
  if (report.fixes > 0) lines.push(`  ${report.fixes} addresses corrected (--fix), listed in fixes.csv`);
  if (report.bounces.files.length > 0) {
    const byClass = Object.entries(report.bounces.byClass)
      .map(([name, count]) => `${count} ${name}`)
      .join(', ');
    lines.push(`  bounces: ${report.bounces.events} events from ${report.bounces.files.length} file(s): ${byClass || 'none'}`);
  }
  for (const warning of report.bounces.warnings) lines.push(`  ${colors.yellow('warning:')} ${warning}`);
  const endings = report.input.lineEndings;
  if (endings?.mixed) {
    const seen = [`${endings.crlf} CRLF`, `${endings.lf} LF`, `${endings.cr} CR`].filter((text) => !text.startsWith('0 ')).join(', ');
    lines.push(
      `  ${colors.yellow('note:')} the file mixes line endings (${seen}); each one ended a row, and the lists use ${report.output.lineEnding.toUpperCase()}`,
    );
  }
  if (report.dns) lines.push(...formatDnsSummaryLines(report.dns, colors));
  if (report.input.raggedRows > 0) {
    lines.push(
      `  ${colors.yellow('note:')} ${report.input.raggedRows} rows had a different number of fields than the header (--relax-columns)`,
    );
  }
  if (report.input.separatorLine) {
    lines.push(
      `  ${colors.yellow('note:')} Excel's "${report.input.separatorLine}" line is not a row; it heads the lists too, so they open in Excel alike`,
    );
  }
  const notes = report.input.preamble;
  if (notes.length > 0) {
    lines.push(
      `  ${colors.yellow('note:')} ${report.input.preambleLines - (report.input.separatorLine ? 1 : 0)} line(s) of notes above the header were not routed ("${notes[0] ?? ''}"${
        notes.length > 1 ? ', ...' : ''
      })`,
    );
  }
  if (report.input.footerLines > 0) {
    lines.push(
      `  ${colors.yellow('note:')} ${report.input.footerLines} footer line(s) after the data were not routed ("${report.input.footer[0] ?? ''}"${
        report.input.footerLines > 1 ? ', ...' : ''
      }; --no-footer-detection reads them as rows)`,
    );
  }
  if (outDir !== null) lines.push(`  written to ${outDir}${outDir.endsWith('/') ? '' : '/'}`);
  return `${lines.join('\n')}\n`;
}
