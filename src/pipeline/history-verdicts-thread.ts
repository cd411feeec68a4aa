/**
 * The history's verdicts looked up on a thread of their own, so that a big list's history work
 * runs beside its CSV work instead of after it (`runClean` routes each batch of rows one batch
 * behind its lookup). The answers are those of `storeVerdictLookup` on the main thread.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { PolicyConfig } from '../policy/decide.js';
import type { HistoryVerdict } from './clean.js';
import { deserializeError, type SerializedError } from './read-bounces-workers.js';

export interface VerdictThreadData {
  statePath: string;
  policy: PolicyConfig;
  nowMs: number;
  /** The list's estimated rows. */
  expectedKeys: number;
}

export interface VerdictRequest {
  id: number;
  addresses: readonly string[];
}

export type VerdictReply = { id: number; verdicts: Array<HistoryVerdict | null> } | { id: number; error: SerializedError };

export interface VerdictThread {
  /** The verdicts of `addresses`, in order (lookups are answered in the order they are asked). */
  lookUp(addresses: readonly string[]): Promise<Array<HistoryVerdict | null>>;
  /** Stops the thread (pending lookups are dropped). */
  close(): void;
}

const workerFile = fileURLToPath(new URL('./history-verdicts-worker.js', import.meta.url));

/**
 * Whether a thread can be used: more than one core, HYGIENE_WORKERS not 0, and the built
 * JavaScript present (not the TypeScript sources under a test runner).
 */
export function verdictThreadAvailable(): boolean {
  if (os.availableParallelism() < 2) return false;
  if (Number.parseInt(process.env.HYGIENE_WORKERS ?? '', 10) === 0) return false;
  return existsSync(workerFile);
}

export function startVerdictThread(data: VerdictThreadData): VerdictThread {
  const worker = new Worker(workerFile, { workerData: data });
  const waiting = new Map<number, { resolve: (verdicts: Array<HistoryVerdict | null>) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    for (const { reject } of waiting.values()) reject(failure);
    waiting.clear();
  };
  worker.on('message', (reply: VerdictReply) => {
    const pending = waiting.get(reply.id);
    waiting.delete(reply.id);
    if ('error' in reply) pending?.reject(deserializeError(reply.error));
    else pending?.resolve(reply.verdicts);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (code !== 0) fail(new Error(`the history lookup thread stopped with exit code ${code}`));
  });
  return {
    lookUp(addresses) {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const request: VerdictRequest = { id, addresses };
        worker.postMessage(request);
      });
    },
    close() {
      waiting.clear();
      void worker.terminate();
    },
  };
}
