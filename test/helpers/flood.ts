/** A flood that keeps a slow-hash queue full while a test sends what it measures. */
import type { LightMyRequestResponse } from 'fastify';
import type { SlowHashQueue } from '../../src/core/throttle/slow-hash-queue.js';

/**
 * Sends `request` 8 at a time, each again as soon as it is answered (an answer turned away costs
 * the sender nothing), resolved once `open` places of `queue` are taken; `stop()` ends it and
 * gives every answer.
 */
export async function floodQueue(queue: SlowHashQueue, open: number, request: () => Promise<LightMyRequestResponse>) {
  let flooding = true;
  const answers: LightMyRequestResponse[] = [];
  const worker = async () => {
    while (flooding) answers.push(await request());
  };
  const workers = Array.from({ length: 8 }, worker);
  while (queue.taken < open) await new Promise((resolve) => setImmediate(resolve));
  return {
    stop: async () => {
      flooding = false;
      await Promise.all(workers);
      return answers;
    },
  };
}
