/** A worker thread of read-bounces-workers.ts: reads and classifies the inputs it is sent. */
import { parentPort } from 'node:worker_threads';
import { readToEnd } from './read-bounces.js';
import { serializeError, type InputOutcome, type WorkerReply, type WorkerTask } from './read-bounces-workers.js';
import { emptyReadStats } from './read-bounces.js';

parentPort!.on('message', (task: WorkerTask) => {
  void (async () => {
    const outcomes: InputOutcome[] = [];
    for (const input of task.inputs) {
      try {
        const result = await readToEnd(input, task.options);
        outcomes.push({ ...result, error: null });
      } catch (error) {
        outcomes.push({ records: [], stats: emptyReadStats(), error: serializeError(error) });
        // The main thread stops at this input's error, so what follows it is not needed.
        break;
      }
    }
    const reply: WorkerReply = { batch: task.batch, outcomes };
    parentPort!.postMessage(reply);
  })();
});
