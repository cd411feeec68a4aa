/** A worker thread of read-bounces-workers.ts: reads and classifies the inputs it is sent. */
import { parentPort } from 'node:worker_threads';
import { parseTimeZone } from '../bounces/time-zone.js';
import { readBatch, type ReadBouncesOptions } from './read-bounces.js';
import type { WorkerReply, WorkerTask } from './read-bounces-workers.js';

/** The options back from how they crossed: the zone rebuilt from its name. */
function readOptionsOf(task: WorkerTask): ReadBouncesOptions {
  const { timeZoneName, ...rest } = task.options;
  const timeZone = timeZoneName === undefined ? null : parseTimeZone(timeZoneName);
  return timeZone ? { ...rest, timeZone } : rest;
}

parentPort!.on('message', (task: WorkerTask) => {
  void (async () => {
    const reply: WorkerReply = { batch: task.batch, outcomes: await readBatch(task.inputs, readOptionsOf(task)) };
    parentPort!.postMessage(reply);
  })();
});
