import { prepareHistory, type HistoryOptions } from './history.js';
import type { CleanOptions } from './clean.js';
import type { DomainCheckOptions } from './domain-checks.js';

/** How to read the contact list and which checks apply (what `clean` and `check` share). */
export type ListOptions = Pick<
  CleanOptions,
  | 'input'
  | 'suppressRole'
  | 'allowDisposable'
  | 'dedupeAliases'
  | 'caseSensitiveLocal'
  | 'relaxColumns'
  | 'emailColumn'
  | 'encoding'
  | 'delimiter'
  | 'header'
  | 'escapeFormulas'
  | 'footerDetection'
  | 'optOutColumns'
  | 'bounceColumns'
  | 'outEncoding'
>;

/** The DNS step of a list run (`--check-domains`); `fix` as the run will apply it. */
export interface ListDomainChecks {
  dns: DomainCheckOptions;
  fix: boolean;
}

/**
 * The wiring `clean` and `check` share: this run's bounces read and recorded, the history's
 * verdict for each address, with DNS checks the verdict of each domain of the list, and the
 * list options, as options for `runClean` (less the outputs). Call `closeHistory` when
 * `runClean` is done.
 */
export async function prepareListRun(
  list: ListOptions,
  history: HistoryOptions,
  domains: ListDomainChecks | null = null,
): Promise<Omit<CleanOptions, 'outDir'> & { closeHistory(): void }> {
  const prepared = await prepareHistory(history);
  const { read: _read, ingested: _ingested, ...bounceSummary } = prepared.summary;
  let dns;
  try {
    // The DNS modules load only for `--check-domains`.
    dns = domains
      ? await (await import('./domain-checks.js')).prepareDomainChecks(list.input, { ...list, fix: domains.fix }, domains.dns)
      : null;
  } catch (error) {
    prepared.close();
    throw error;
  }
  return {
    ...list,
    historyVerdict: prepared.verdictFor,
    historyVerdicts: prepared.verdictsFor,
    historyVerdictThread: prepared.startVerdictThread,
    otherInputs: prepared.inputPaths,
    bounceSummary,
    ...(dns ? { domainVerdict: dns.domainVerdict, dnsSummary: dns.dnsSummary } : {}),
    /** The history database stays open while the list is checked: close it when done. */
    closeHistory: prepared.close,
  };
}
