/**
 * WAL checkpoints on a worker thread. A checkpoint copies committed pages from the WAL into the
 * database file and syncs both to disk; SQLite runs it inside the commit that crosses
 * `wal_autocheckpoint`, which on a server means on the event loop. At a million tokens that
 * more than doubled the cost of a client-credentials insert against checkpoints on another
 * thread (random index pages, two fsyncs per checkpoint; docs/performance.md). The server's own connection keeps a far higher `wal_autocheckpoint` as a safety
 * net: should the worker stop, the WAL still cannot grow without bound.
 */
import { Worker } from 'node:worker_threads';

export interface CheckpointerData {
  file: string;
  intervalMs: number;
  /** WAL frames (pages) past which the worker restarts the WAL. */
  restartFrames: number;
}

const INTERVAL_MS = 100;
/** 16,384 pages of 4 KiB: the WAL starts over once it passes 64 MiB. */
const RESTART_FRAMES = 16_384;
/** The server connection's own threshold while the worker runs: 256 MiB of WAL. */
export const SAFETY_NET_FRAMES = 65_536;

export class Checkpointer {
  readonly #worker: Worker;
  #stopped: Promise<void> | null = null;
  #exited = false;

  constructor(file: string, onFailure: () => void) {
    const data: CheckpointerData = { file, intervalMs: INTERVAL_MS, restartFrames: RESTART_FRAMES };
    this.#worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: data });
    // The worker must not keep alive a process that has nothing else to do. (A 'message'
    // listener would ref it again: the worker reports a failure by ending, with 'error'.)
    this.#worker.unref();
    this.#worker.on('error', onFailure);
    this.#worker.on('exit', () => {
      this.#exited = true;
    });
  }

  /** Stops the worker and closes its connection; the server's connection closes after it. */
  stop(): Promise<void> {
    if (this.#exited) return Promise.resolve();
    this.#stopped ??= new Promise<void>((resolve) => {
      const done = () => resolve();
      this.#worker.once('exit', done);
      this.#worker.on('message', (message: unknown) => {
        if (message === 'stopped') void this.#worker.terminate().then(done, done);
      });
      this.#worker.postMessage('stop');
    });
    return this.#stopped;
  }
}
