/**
 * The memory a tokend child still holds after a full garbage collection, read through
 * retained-heap-preload.mjs: unlike VmRSS it does not move with the size V8 chose for its heap
 * or with garbage not yet collected, so growth in it between two points is memory something
 * keeps. `retainedHeapEnv(dir)` goes into startTokend's `env`.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sleep } from './http.mjs';

const PRELOAD = new URL('./retained-heap-preload.mjs', import.meta.url).href;
const WITHIN_MS = 10_000;

/** The settings that load the preload into the child (after any NODE_OPTIONS of the campaign's own). */
export function retainedHeapEnv(dir) {
  return {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc --import=${PRELOAD}`.trim(),
    ATTACK_RETAINED_FILE: join(dir, 'retained.json'),
  };
}

/** Bytes held after a full collection (heap in use + external), in the child started with `env`. */
export async function retainedHeap(server, env) {
  const file = env.ATTACK_RETAINED_FILE;
  rmSync(file, { force: true });
  process.kill(server.pid, 'SIGUSR2');
  const deadline = Date.now() + WITHIN_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline || !server.alive()) throw new Error(`the server wrote no ${file} within ${WITHIN_MS / 1000} s`);
    await sleep(20);
  }
  const { heapUsed, external } = JSON.parse(readFileSync(file, 'utf8'));
  return heapUsed + external;
}
