/** The thread of history-verdicts-thread.ts: opens the history read-only and answers lookups. */
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryStore } from '../state/history-store.js';
import type { HistoryVerdict } from './clean.js';
import { storeVerdictLookup } from './history-verdicts.js';
import type { VerdictReply, VerdictRequest, VerdictThreadData } from './history-verdicts-thread.js';
import { serializeError } from './read-bounces-workers.js';

const { statePath, policy, nowMs, expectedKeys } = workerData as VerdictThreadData;
let lookUp: ((addresses: readonly string[]) => Array<HistoryVerdict | null>) | null = null;
let openError: unknown = null;
try {
  lookUp = storeVerdictLookup(HistoryStore.open(statePath, { readonly: true }), policy, new Date(nowMs), expectedKeys);
} catch (error) {
  openError = error;
}

parentPort!.on('message', ({ id, addresses }: VerdictRequest) => {
  let reply: VerdictReply;
  try {
    if (lookUp === null) throw openError;
    reply = { id, verdicts: lookUp(addresses) };
  } catch (error) {
    reply = { id, error: serializeError(error) };
  }
  parentPort!.postMessage(reply);
});
