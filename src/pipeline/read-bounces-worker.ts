/** A worker thread of read-bounces-workers.ts: reads and classifies the inputs it is sent. */
import { parentPort } from 'node:worker_threads';
import { parseTimeZone } from '../bounces/time-zone.js';
import { emptyReadStats, readToEnd, type ReadBouncesOptions } from './read-bounces.js';
import { serializeError, type InputOutcome, type WorkerReply, type WorkerTask } from './read-bounces-workers.js';

/** Inputs read at once in a worker: small files wait on the disk as much as they use the CPU. */
const CONCURRENT_READS = 4;

async function outcomeOf(reading: Promise<Awaited<ReturnType<typeof readToEnd>>>): Promise<InputOutcome> {
  try {
    return { ...(await reading), error: null };
  } catch (error) {
    return { records: [], stats: emptyReadStats(), error: serializeError(error) };
  }
}

/** The options back from how they crossed: the zone rebuilt from its name. */
function readOptionsOf(task: WorkerTask): ReadBouncesOptions {
  const { timeZoneName, ...rest } = task.options;
  const timeZone = timeZoneName === undefined ? null : parseTimeZone(timeZoneName);
  return timeZone ? { ...rest, timeZone } : rest;
}

parentPort!.on('message', (task: WorkerTask) => {
  void (async () => {
    const options = readOptionsOf(task);
    const outcomes: InputOutcome[] = [];
    const running: Promise<InputOutcome>[] = [];
    let started = 0;
    const startNext = () => {
      running[started] = outcomeOf(readToEnd(task.inputs[started]!, options));
      started++;
    };
    while (started < task.inputs.length && started < CONCURRENT_READS) startNext();
    for (let index = 0; index < task.inputs.length; index++) {
      const outcome = await running[index]!;
      outcomes.push(outcome);
      // The main thread stops at this input's error, so what follows it is not needed.
      if (outcome.error) break;
      if (started < task.inputs.length) startNext();
    }
    const reply: WorkerReply = { batch: task.batch, outcomes };
    parentPort!.postMessage(reply);
  })();
});
