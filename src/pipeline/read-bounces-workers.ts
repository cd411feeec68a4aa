/**
 * Reading a big folder of bounce messages on every CPU core: each message is parsed and
 * classified on its own, so batches of inputs go to worker threads, one per core beside the main
 * thread, and the main thread reads batches too while it has nothing to take; the results are
 * taken in input order. Records, counts, problems and the first error are exactly those of
 * reading the inputs one by one on the main thread (read-bounces.ts), only sooner.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BounceInput } from '../bounces/input.js';
import type { BounceRecord } from '../bounces/types.js';
import { HygieneError, type ErrorCode } from '../errors.js';
import type { BounceReadStats, ReadBouncesOptions } from './read-bounces.js';

/** Below this many inputs, starting the workers (each loads the parsers) costs more than it saves. */
export const WORKER_MIN_INPUTS = 1000;
/** Inputs per message to a worker: enough to make the messaging cheap, few enough to share out. */
const BATCH_INPUTS = 64;
const MAX_WORKERS = 8;

/** What one input gave, as read-bounces' `readToEnd` returns it, or the error it raised. */
export interface InputOutcome {
  records: BounceRecord[];
  stats: BounceReadStats;
  error: SerializedError | null;
}

export interface SerializedError {
  hygiene: boolean;
  code?: string;
  message: string;
  hint?: string;
  exitCode?: number;
  file?: string;
  line?: number;
  stack?: string;
}

/** The options as they cross to a worker: a zone (which holds functions) goes by its name. */
export type WorkerOptions = Omit<ReadBouncesOptions, 'timeZone'> & { timeZoneName?: string };

export interface WorkerTask {
  batch: number;
  inputs: BounceInput[];
  options: WorkerOptions;
}

export interface WorkerReply {
  batch: number;
  outcomes: InputOutcome[];
}

const workerFile = fileURLToPath(new URL('./read-bounces-worker.js', import.meta.url));

/**
 * How many worker threads to start for `inputs`, beside the main thread which reads too: one
 * per further core; 0 = read on the main thread alone.
 */
export function workerCount(inputs: readonly BounceInput[]): number {
  if (inputs.length < WORKER_MIN_INPUTS) return 0;
  // Standard input belongs to the main thread.
  if (inputs.some((input) => input.path === '-')) return 0;
  // Only the built JavaScript can run in a worker (not the TypeScript sources under a test runner).
  if (!existsSync(workerFile)) return 0;
  const cores = os.availableParallelism();
  // HYGIENE_WORKERS caps the threads (0 = none), for a machine shared with other work.
  const cap = Number.parseInt(process.env.HYGIENE_WORKERS ?? '', 10);
  const wanted = Number.isNaN(cap) ? Math.min(cores - 1, MAX_WORKERS) : Math.max(0, cap);
  if (cores < 2 || wanted < 1) return 0;
  return Math.min(wanted, Math.ceil(inputs.length / BATCH_INPUTS));
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof HygieneError) {
    return {
      hygiene: true,
      code: error.code,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      exitCode: error.exitCode,
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.line === undefined ? {} : { line: error.line }),
    };
  }
  const plain = error instanceof Error ? error : new Error(String(error));
  return { hygiene: false, message: plain.message, ...(plain.stack === undefined ? {} : { stack: plain.stack }) };
}

export function deserializeError(error: SerializedError): Error {
  if (error.hygiene) {
    return new HygieneError({
      code: error.code as ErrorCode,
      message: error.message,
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode }),
      ...(error.file === undefined ? {} : { file: error.file }),
      ...(error.line === undefined ? {} : { line: error.line }),
    });
  }
  const rebuilt = new Error(error.message);
  if (error.stack) rebuilt.stack = error.stack;
  return rebuilt;
}

/** Reads a batch of inputs on this thread, as a worker does (never throws: errors are outcomes). */
export type ReadBatch = (inputs: readonly BounceInput[], options: ReadBouncesOptions) => Promise<InputOutcome[]>;

/** Batches queued at each worker: it starts the next while the main thread is busy reading its own. */
const QUEUED_PER_WORKER = 2;

/**
 * Reads `inputs` on `workers` threads and on this one (`readHere`), and hands each input's
 * outcome to `take` in input order. An input's error is thrown at its turn, after the outcomes
 * before it were taken; the workers are stopped then, as after the last batch.
 */
export async function readOnWorkers(
  inputs: readonly BounceInput[],
  options: ReadBouncesOptions,
  workers: number,
  take: (records: BounceRecord[], stats: BounceReadStats) => void,
  readHere: ReadBatch,
): Promise<void> {
  const { timeZone, ...rest } = options;
  const workerOptions: WorkerOptions = { ...rest, ...(timeZone ? { timeZoneName: timeZone.name } : {}) };
  const batches: BounceInput[][] = [];
  for (let at = 0; at < inputs.length; at += BATCH_INPUTS) batches.push(inputs.slice(at, at + BATCH_INPUTS));
  const results: (InputOutcome[] | undefined)[] = new Array(batches.length);
  const waiting = new Map<number, () => void>();
  let nextBatch = 0;
  let failure: Error | null = null;
  const pool: Worker[] = [];

  const dispatch = (worker: Worker) => {
    if (nextBatch >= batches.length || failure) return;
    const batch = nextBatch++;
    const task: WorkerTask = { batch, inputs: batches[batch]!, options: workerOptions };
    worker.postMessage(task);
  };
  const fail = (error: Error) => {
    failure ??= error;
    for (const wake of waiting.values()) wake();
  };
  for (let i = 0; i < workers; i++) {
    const worker = new Worker(workerFile);
    worker.on('message', (reply: WorkerReply) => {
      results[reply.batch] = reply.outcomes;
      waiting.get(reply.batch)?.();
      dispatch(worker);
    });
    worker.on('error', (error) => fail(error));
    worker.on('exit', (code) => {
      if (code !== 0) fail(new Error(`a bounce-reading worker stopped with exit code ${code}`));
    });
    pool.push(worker);
    for (let queued = 0; queued < QUEUED_PER_WORKER; queued++) dispatch(worker);
  }
  try {
    for (let batch = 0; batch < batches.length; batch++) {
      while (results[batch] === undefined && !failure) {
        if (nextBatch < batches.length) {
          // Nothing to take yet: read the next batch here rather than wait for it.
          const mine = nextBatch++;
          results[mine] = await readHere(batches[mine]!, options);
          // Small files are read synchronously, so let the workers' replies in (and give them
          // their next batches) before reading another here.
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else {
          await new Promise<void>((resolve) => waiting.set(batch, resolve));
        }
      }
      const outcomes = results[batch];
      if (outcomes === undefined) throw failure ?? new Error('a bounce-reading worker gave no result');
      results[batch] = undefined;
      for (const outcome of outcomes) {
        if (outcome.error) throw deserializeError(outcome.error);
        take(outcome.records, outcome.stats);
      }
    }
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
}
