import { existsSync } from 'node:fs';
import path from 'node:path';
import type { EffectiveConfig } from '../config/config.js';
import { emptyReadStats, readNotes, type BounceReadStats } from './bounce-read-stats.js';
import type { ReadBouncesOptions } from './read-bounces.js';
import { BOUNCE_EVENT_CLASSES, type BounceRecord } from '../bounces/types.js';
import { adviseOnBlocks } from '../policy/block-advice.js';
import { buildHistories, historyKey } from '../policy/history-model.js';
import type { HistoryStore } from '../state/history-store.js';
import type { HistoryVerdict } from './clean.js';
import type { VerdictThread } from './history-verdicts-thread.js';
import { storeVerdictLookup, verdictOf } from './history-verdicts.js';

export interface HistoryOptions {
  /** Bounce inputs of this run (`--bounces`). */
  bounces?: readonly string[];
  /** The history database, or null for a stateless run (`--no-state`). */
  statePath: string | null;
  readOptions: ReadBouncesOptions;
  config: EffectiveConfig;
  now: Date;
}

export interface BounceSummary {
  files: string[];
  events: number;
  byClass: Record<string, number>;
  byReason: Record<string, number>;
  warnings: string[];
  read: BounceReadStats;
  ingested: { added: number; duplicates: number } | null;
}

export interface PreparedHistory {
  verdictFor(address: string): HistoryVerdict | null;
  /**
   * The verdicts of many addresses at once: a list is checked against the history database in
   * batches, so its memory does not grow with the history and a big list costs few queries.
   */
  verdictsFor(addresses: readonly string[]): Array<HistoryVerdict | null>;
  /**
   * Starts a thread that answers `verdictsFor` beside the main thread (for a big list of about
   * `expectedKeys` rows); null where there is no history database, or gives null where there is
   * no second core.
   */
  startVerdictThread: ((expectedKeys: number) => Promise<VerdictThread | null>) | null;
  summary: BounceSummary;
  /** The files this run reads (bounce inputs, the history database): outputs must never replace them. */
  inputPaths: string[];
  /** Closes the history database; call it when the list is done. */
  close(): void;
}

const INGEST_BATCH = 5_000;

/**
 * Reads this run's bounces, records them in the history database (unless stateless), and returns
 * the policy's verdict for any address: suppress, retry later, or nothing to say.
 */
export async function prepareHistory(options: HistoryOptions): Promise<PreparedHistory> {
  const summary: BounceSummary = {
    files: [],
    events: 0,
    byClass: {},
    byReason: {},
    warnings: [],
    read: emptyReadStats(),
    ingested: null,
  };
  // The bounce readers and SQLite are loaded only when a run has bounces or a history: a plain
  // clean of a short list should start at once (docs/architecture.md, "Start-up").
  const inputs =
    options.bounces && options.bounces.length > 0
      ? await (await import('../bounces/input.js')).expandBounceInputs(options.bounces, summary.warnings)
      : [];
  const { readBounces } = inputs.length > 0 ? await import('./read-bounces.js') : { readBounces: null };
  const store = await openStore(options.statePath, inputs.length > 0);
  let keepOpen = false;
  try {
    const blocks: BounceRecord[] = [];
    const kept: BounceRecord[] = [];
    let batch: BounceRecord[] = [];
    let bounceEvents = 0;
    const flush = () => {
      if (store && batch.length > 0) {
        const result = store.ingest(batch, new Date());
        summary.ingested = {
          added: (summary.ingested?.added ?? 0) + result.added,
          duplicates: (summary.ingested?.duplicates ?? 0) + result.duplicates,
        };
      }
      batch = [];
    };
    for await (const record of readBounces ? readBounces(inputs, options.readOptions, summary.read) : []) {
      summary.events++;
      summary.byClass[record.class] = (summary.byClass[record.class] ?? 0) + 1;
      summary.byReason[record.reason] = (summary.byReason[record.reason] ?? 0) + 1;
      if (BOUNCE_EVENT_CLASSES.has(record.class)) bounceEvents++;
      if (record.class === 'block') blocks.push(record);
      if (store) {
        batch.push(record);
        if (batch.length >= INGEST_BATCH) flush();
      } else {
        kept.push(record);
      }
    }
    flush();
    summary.files = summary.read.files.map((file) => file.name);
    const advice = adviseOnBlocks(blocks, bounceEvents, { shareWarning: options.config.blockShareWarning });
    if (advice.warn) summary.warnings.push(advice.lines.join('\n    '));
    if (summary.read.malformed > 0) {
      summary.warnings.push(
        `${summary.read.malformed} bounce line(s) could not be read (first: ${summary.read.problems[0]?.source}); run hygiene classify on them for details`,
      );
    }
    summary.warnings.push(...readNotes(summary.read));

    const policy = options.config.policy;
    let verdictFor: (address: string) => HistoryVerdict | null;
    let verdictsFor: (addresses: readonly string[]) => Array<HistoryVerdict | null>;
    if (store) {
      const lookup = storeVerdictLookup(store, policy, options.now);
      verdictsFor = (addresses) => lookup.lookUp(addresses);
      verdictFor = (address) => verdictsFor([address])[0]!;
    } else {
      const histories = buildHistories(kept);
      verdictFor = (address) => verdictOf(histories.get(historyKey(address)), policy, options.now);
      verdictsFor = (addresses) => addresses.map(verdictFor);
    }
    const prepared: PreparedHistory = {
      summary,
      inputPaths: [
        ...inputs.filter((input) => input.path !== '-').map((input) => input.path),
        // `--state out/report.json` would otherwise be replaced by the report: a silent reset.
        ...(options.statePath === null ? [] : [path.resolve(options.statePath)]),
      ],
      verdictFor,
      verdictsFor,
      // Loaded only when a big list asks for it.
      startVerdictThread: store
        ? async (expectedKeys) => {
            const { startVerdictThread, verdictThreadAvailable } = await import('./history-verdicts-thread.js');
            if (!verdictThreadAvailable()) return null;
            return startVerdictThread({ statePath: store.file, policy, nowMs: options.now.getTime(), expectedKeys });
          }
        : null,
      close() {
        store?.close();
      },
    };
    keepOpen = true;
    return prepared;
  } finally {
    if (!keepOpen) store?.close();
  }
}

/**
 * The history database: created when there are bounces to record; otherwise only read if it
 * exists (a run without bounces and without a database needs none).
 */
async function openStore(statePath: string | null, willWrite: boolean): Promise<HistoryStore | null> {
  if (statePath === null) return null;
  if (!willWrite && !existsSync(path.resolve(statePath))) return null;
  const { HistoryStore } = await import('../state/history-store.js');
  if (willWrite) return HistoryStore.open(path.resolve(statePath));
  try {
    return HistoryStore.open(path.resolve(statePath), { readonly: true });
  } catch (error) {
    if ((error as { code?: string }).code === 'STATE_NOT_FOUND') return null;
    throw error;
  }
}
