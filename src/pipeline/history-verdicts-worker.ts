/**
 * The thread of history-verdicts-thread.ts: opens the history read-only and answers lookups in
 * the order they come. While none waits, it reads ahead the big list's pass over the history a
 * page at a time: the first batches are answered at once by queries of their own, instead of
 * after a pass over the whole history that the main thread would wait for.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryStore } from '../state/history-store.js';
import { storeVerdictLookup, type StoreVerdictLookup } from './history-verdicts.js';
import type { VerdictReply, VerdictRequest, VerdictThreadData } from './history-verdicts-thread.js';
import { serializeError } from './read-bounces-workers.js';

const { statePath, policy, nowMs, expectedKeys } = workerData as VerdictThreadData;
let lookup: StoreVerdictLookup | null = null;
let openError: unknown = null;
try {
  lookup = storeVerdictLookup(HistoryStore.open(statePath, { readonly: true }), policy, new Date(nowMs), {
    expectedKeys,
    passInSteps: true,
  });
} catch (error) {
  openError = error;
}

const waiting: VerdictRequest[] = [];
let reading = lookup !== null;
let scheduled = false;

function answer({ id, addresses }: VerdictRequest): void {
  let reply: VerdictReply;
  try {
    if (lookup === null) throw openError;
    reply = { id, verdicts: lookup.lookUp(addresses) };
  } catch (error) {
    reply = { id, error: serializeError(error) };
  }
  parentPort!.postMessage(reply);
}

/** One piece of work, then back to the event loop so that new requests are seen. */
function work(): void {
  scheduled = false;
  const request = waiting.shift();
  if (request) answer(request);
  else if (reading) {
    try {
      reading = lookup!.readAhead();
    } catch {
      // The lookups report the database's errors themselves, when they are asked.
      reading = false;
    }
  }
  schedule();
}

function schedule(): void {
  if (scheduled || (waiting.length === 0 && !reading)) return;
  scheduled = true;
  setImmediate(work);
}

parentPort!.on('message', (request: VerdictRequest) => {
  waiting.push(request);
  schedule();
});
schedule();
