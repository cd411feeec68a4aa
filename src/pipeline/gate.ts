import { CHECK_RULES, type CheckConfig, type CheckRule, type Threshold } from '../config/config.js';
import type { SenderReport } from '../dns/sender.js';
import { domainOf, type CleanReport, type HygieneReason, type RoutedRow } from './clean.js';

/** Which rows each rule of the CI gate counts. */
const RULE_OF_REASON: Partial<Record<HygieneReason, CheckRule>> = {
  // The list's own opt-out is a suppression like one imported: never to be mailed.
  'opted-out': 'suppressed',
  'no-address': 'no-address',
  'multiple-addresses': 'invalid',
  'invalid-syntax': 'invalid',
  'typo-domain': 'typo',
  disposable: 'disposable',
  duplicate: 'duplicates',
  'suppressed-manually': 'suppressed',
  'hard-bounce': 'suppressed',
  'soft-bounce-limit': 'suppressed',
  complaint: 'complaint',
  'soft-bounce': 'retry-later',
  'sender-blocked': 'retry-later',
  'no-such-domain': 'dead-domain',
  'domain-accepts-no-mail': 'dead-domain',
  'no-mail-server': 'dead-domain',
  'bad-mx': 'dns',
};

/** Rules that only apply when their check ran: DNS checks, sender records. */
const DNS_RULES: ReadonlySet<CheckRule> = new Set(['dead-domain', 'dns']);
/** A rule without a limit that still warns when it counts rows: the DNS could not say. */
const WARN_WITHOUT_LIMIT: ReadonlySet<CheckRule> = new Set(['dns']);

const LIMIT_KEY: Record<CheckRule, keyof CheckConfig> = {
  invalid: 'maxInvalid',
  typo: 'maxTypo',
  disposable: 'maxDisposable',
  suppressed: 'maxSuppressed',
  complaint: 'maxComplaint',
  duplicates: 'maxDuplicates',
  'retry-later': 'maxRetryLater',
  role: 'maxRole',
  'no-address': 'maxNoAddress',
  'dead-domain': 'maxDeadDomain',
  dns: 'maxDns',
  sender: 'maxSender',
};

export interface OffendingRow {
  line: number;
  address: string;
  reason: string;
  detail: string;
  /** The corrected address, when hygiene knows it. */
  suggestion: string | null;
}

export interface RuleResult {
  rule: CheckRule;
  count: number;
  limit: Threshold | null;
  /** pass; fail (the gate fails); warn (over the limit, but the rule is warn-only). */
  status: 'pass' | 'fail' | 'warn';
  /** The first offending rows, with the line where each starts. */
  rows: OffendingRow[];
}

export interface GateResult {
  passed: boolean;
  file: string;
  rows: number;
  rules: RuleResult[];
  /** With `--sender-domain`: the sender's SPF, DMARC and MX findings. */
  sender?: SenderReport;
  /**
   * Lines of the file that are not rows and were not checked: notes above the header and a report
   * footer after the data. Only there when there are some.
   */
  notRows?: { preambleLines: number; footerLines: number };
}

/** Collects, while `clean` routes rows, the rows each rule counts (the first `keep` of each). */
export class GateCollector {
  private readonly counts = new Map<CheckRule, number>();
  private readonly rows = new Map<CheckRule, OffendingRow[]>();

  constructor(private readonly keep: number) {}

  readonly onRow = (row: RoutedRow): void => {
    const rule = row.reason ? RULE_OF_REASON[row.reason] : undefined;
    if (rule) this.add(rule, row, row.reason!, row.detail ?? '');
    if (row.check.flags.role) this.add('role', row, 'role', `"${row.address}" is a role account`);
    if (row.domainVerdict === 'undetermined' && row.check.normalized !== null) {
      const domain = domainOf(row.check.normalized);
      this.add('dns', row, 'dns-undetermined', `the DNS could not answer for ${domain}: the address was kept`);
    }
  };

  /** Forgets what was collected: `clean` routes the rows again from the first. */
  readonly reset = (): void => {
    this.counts.clear();
    this.rows.clear();
  };

  private add(rule: CheckRule, row: RoutedRow, reason: string, detail: string): void {
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
    let list = this.rows.get(rule);
    if (!list) this.rows.set(rule, (list = []));
    if (list.length < this.keep)
      list.push({
        line: row.line,
        address: row.address,
        reason,
        detail,
        suggestion: rule === 'role' ? null : (row.suggestion ?? row.check.suggestion),
      });
  }

  /** The verdict of every rule against the thresholds. */
  evaluate(report: CleanReport, check: CheckConfig, sender?: SenderReport): GateResult {
    if (sender) this.addSender(sender);
    const applies = (rule: CheckRule) => (DNS_RULES.has(rule) ? report.dns !== undefined : rule === 'sender' ? sender !== undefined : true);
    const rules = CHECK_RULES.filter(applies).map((rule): RuleResult => {
      const count = this.counts.get(rule) ?? 0;
      const limit = check[LIMIT_KEY[rule]] as Threshold | null;
      // Sender findings are counted against the limit as they are, not as a share of the rows.
      const over = exceedsThreshold(limit, count, rule === 'sender' ? 1 : report.input.rows);
      const warnAnyway = limit === null && count > 0 && WARN_WITHOUT_LIMIT.has(rule);
      const status = warnAnyway ? 'warn' : !over ? 'pass' : check.warnOnly.includes(rule) ? 'warn' : 'fail';
      return { rule, count, limit, status, rows: this.rows.get(rule) ?? [] };
    });
    return {
      passed: rules.every((r) => r.status !== 'fail'),
      file: report.input.file,
      rows: report.input.rows,
      rules,
      ...(sender ? { sender } : {}),
      ...(report.input.preambleLines > 0 || report.input.footerLines > 0
        ? { notRows: { preambleLines: report.input.preambleLines, footerLines: report.input.footerLines } }
        : {}),
    };
  }

  /** Failed sender findings count; they are listed with line 0 (they belong to no row). */
  private addSender(sender: SenderReport): void {
    for (const finding of sender.findings) {
      if (finding.status !== 'fail') continue;
      this.counts.set('sender', (this.counts.get('sender') ?? 0) + 1);
      let list = this.rows.get('sender');
      if (!list) this.rows.set('sender', (list = []));
      const publish = finding.publish ? `; publish: ${finding.publish}` : '';
      if (list.length < this.keep)
        list.push({ line: 0, address: sender.domain, reason: finding.check, detail: `${finding.message}${publish}`, suggestion: null });
    }
  }
}

/**
 * Whether `count` of `total` rows exceeds a `check` threshold: a count allows up to that many
 * rows, a percentage up to that share of the rows; null never fails.
 */
export function exceedsThreshold(limit: Threshold | null, count: number, total: number): boolean {
  if (limit === null) return false;
  if (typeof limit === 'number') return count > limit;
  const percent = Number(limit.replace('%', ''));
  return count * 100 > percent * total;
}
