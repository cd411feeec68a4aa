import type { ChalkInstance } from 'chalk';
import { stringify } from 'csv-stringify/sync';
import type { SenderReport } from '../dns/sender.js';
import type { DomainVerdict, DomainVerdictKind } from '../dns/types.js';
import type { DnsSummary, PreparedDomains } from '../pipeline/domain-checks.js';
import { domainToUnicode } from 'node:url';
import { escapeFormula } from '../contacts/escape.js';

/** The output of `hygiene domains`: one row per distinct domain of the list. */

/** What happens to the addresses of a domain with this verdict. */
export const LIST_OF_VERDICT: Readonly<Record<DomainVerdictKind, 'cleaned' | 'suppressed' | 'retry-later'>> = {
  'accepts-mail': 'cleaned',
  'well-known-provider': 'cleaned',
  'no-such-domain': 'suppressed',
  'domain-accepts-no-mail': 'suppressed',
  'no-mail-server': 'suppressed',
  'bad-mx': 'retry-later',
  undetermined: 'cleaned',
};

/** Problems first, then the rest; within a verdict, the domains with most rows first. */
const SHOWN_ORDER: readonly DomainVerdictKind[] = [
  'no-such-domain',
  'domain-accepts-no-mail',
  'no-mail-server',
  'bad-mx',
  'undetermined',
  'accepts-mail',
  'well-known-provider',
];

export const DOMAIN_FIELDS = ['domain', 'rows', 'verdict', 'list', 'detail', 'mx', 'source', 'checkedAt', 'expiresAt'] as const;

export interface DomainRow {
  domain: string;
  rows: number;
  verdict: DomainVerdictKind;
  list: string;
  detail: string;
  mx: string[];
  source: string;
  checkedAt: string;
  expiresAt: string | null;
}

export function domainRows(prepared: PreparedDomains): DomainRow[] {
  const rows = [...prepared.verdicts.values()].map((v: DomainVerdict) => ({
    domain: v.domain,
    rows: prepared.rowsByDomain.get(v.domain) ?? 0,
    verdict: v.verdict,
    list: LIST_OF_VERDICT[v.verdict],
    detail: v.detail,
    mx: v.mx,
    source: v.source,
    checkedAt: v.checkedAt,
    expiresAt: v.expiresAt,
  }));
  return rows.sort(
    (a, b) => SHOWN_ORDER.indexOf(a.verdict) - SHOWN_ORDER.indexOf(b.verdict) || b.rows - a.rows || a.domain.localeCompare(b.domain),
  );
}

export function formatDomainsJson(rows: readonly DomainRow[], summary: DnsSummary): string {
  return `${JSON.stringify({ domains: rows, summary }, null, 2)}\n`;
}

export function formatDomainsCsv(rows: readonly DomainRow[]): string {
  // Details and MX names come from the DNS (other people's zones): escaped against formulas.
  const records = rows.map((r) =>
    [r.domain, String(r.rows), r.verdict, r.list, r.detail, r.mx.join(' '), r.source, r.checkedAt, r.expiresAt ?? ''].map(escapeFormula),
  );
  return stringify([[...DOMAIN_FIELDS], ...records]);
}

export function formatDomainsTable(rows: readonly DomainRow[], colors: ChalkInstance): string {
  const shown = new Map(rows.map((r) => [r.domain, readableDomain(r.domain)]));
  const width = Math.min(48, Math.max(6, ...[...shown.values()].map((d) => d.length)));
  const verdictWidth = Math.max(7, ...rows.map((r) => r.verdict.length));
  const lines = [colors.bold(`${'domain'.padEnd(width)}  ${'rows'.padStart(6)}  ${'verdict'.padEnd(verdictWidth)}  detail`)];
  for (const row of rows) {
    const paint = verdictColor(row.verdict, colors);
    lines.push(
      `${shown.get(row.domain)!.padEnd(width)}  ${String(row.rows).padStart(6)}  ${paint(row.verdict.padEnd(verdictWidth))}  ${row.detail}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The DNS lines of a summary (clean, domains): counts per verdict, cache use, warnings. */
export function formatDnsSummaryLines(summary: DnsSummary, colors: ChalkInstance): string[] {
  const verdicts = Object.entries(summary.byVerdict)
    .map(([verdict, count]) => `${count} ${verdict}`)
    .join(', ');
  const lines = [
    `  dns: ${summary.domains} domain(s): ${verdicts || 'none'}`,
    `       ${summary.lookedUp} looked up (${summary.queries} queries), ${summary.fromCache} from the cache, ${summary.notQueried} well-known not asked` +
      (summary.retried > 0 ? `, ${summary.retried} asked again` : ''),
  ];
  for (const warning of summary.warnings) lines.push(`  ${colors.yellow('warning:')} ${warning}`);
  return lines;
}

/** The sender-record findings as text (check). */
export function formatSenderText(report: SenderReport, colors: ChalkInstance): string {
  const lines = [`  ${colors.bold('sender domain')} ${report.domain}`];
  for (const f of report.findings) {
    const status =
      f.status === 'ok'
        ? colors.green('ok  ')
        : f.status === 'warn'
          ? colors.yellow('warn')
          : f.status === 'fail'
            ? colors.red('FAIL')
            : colors.yellow('??  ');
    lines.push(`    ${f.check.padEnd(5)} ${status}  ${f.message}`);
    if (f.publish) lines.push(`                publish: ${f.publish}`);
  }
  return `${lines.join('\n')}\n`;
}

function verdictColor(verdict: DomainVerdictKind, colors: ChalkInstance): (text: string) => string {
  if (LIST_OF_VERDICT[verdict] === 'suppressed') return colors.red;
  if (verdict === 'bad-mx' || verdict === 'undetermined') return colors.yellow;
  return colors.green;
}

/** An IDN as people write it beside its A-label: `xn--bcher-9db.de (bücher.de)`. */
function readableDomain(domain: string): string {
  if (!domain.split('.').some((label) => label.startsWith('xn--'))) return domain;
  const unicode = domainToUnicode(domain);
  return unicode && unicode !== domain ? `${domain} (${unicode})` : domain;
}
