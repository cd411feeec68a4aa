import { prepareHistory, type HistoryOptions } from './history.js';
import type { CleanOptions } from './clean.js';

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
>;

/**
 * The wiring `clean` and `check` share: this run's bounces read and recorded, the history's
 * verdict for each address, and the list options, as options for `runClean` (less the outputs).
 */
export async function prepareListRun(list: ListOptions, history: HistoryOptions): Promise<Omit<CleanOptions, 'outDir'>> {
  const prepared = await prepareHistory(history);
  const { read: _read, ingested: _ingested, ...bounceSummary } = prepared.summary;
  return {
    ...list,
    historyVerdict: prepared.verdictFor,
    otherInputs: prepared.inputPaths,
    bounceSummary,
  };
}
