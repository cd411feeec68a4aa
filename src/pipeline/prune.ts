import path from 'node:path';
import type { EffectiveConfig } from '../config/config.js';
import { HygieneError } from '../errors.js';
import { parseDuration } from '../policy/duration.js';
import { HistoryStore, type PruneResult } from '../state/history-store.js';

export interface PruneOptions {
  statePath: string;
  config: EffectiveConfig;
  now: Date;
  vacuum: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface PruneReport extends PruneResult {
  state: string;
  /** Events of known time before this were considered (ISO 8601). */
  cutoff: string;
  retention: string | number;
  vacuum: { bytesBefore: number; bytesAfter: number } | null;
}

/**
 * Removes from the history what can no longer change a decision: see HistoryStore.prune. The
 * retention must cover the soft window and the retry delay, or pruning could change a count or
 * end a retry-later early.
 */
export function runPrune(options: PruneOptions): PruneReport {
  const retentionMs = parseDuration(options.config.retention);
  const { softWindowMs, retryDelayMs } = options.config.policy;
  if (retentionMs < softWindowMs || retentionMs < retryDelayMs) {
    throw new HygieneError({
      code: 'BAD_OPTION',
      message: `retention ${JSON.stringify(options.config.retention)} is shorter than the ${retentionMs < softWindowMs ? `soft window (${options.config.softWindow})` : `retry delay (${options.config.retryDelay})`}: pruning would change decisions`,
      hint: 'Give a retention at least as long as softWindow and retryDelay, e.g. --retention 90d.',
    });
  }
  const cutoff = options.now.getTime() - retentionMs;
  const store = HistoryStore.open(path.resolve(options.statePath));
  try {
    const result = store.prune(cutoff, options.onProgress);
    const vacuum = options.vacuum ? store.vacuum() : null;
    return { state: options.statePath, cutoff: new Date(cutoff).toISOString(), retention: options.config.retention, ...result, vacuum };
  } finally {
    store.close();
  }
}
