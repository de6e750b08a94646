/**
 * The worker thread of {@link Checkpointer}: its own connection to the SQLite file, copying the
 * WAL back into the database on a timer, off the server's event loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { CheckpointerData } from './checkpointer.js';

const { file, intervalMs, restartFrames } = workerData as CheckpointerData;
const db = new Database(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/** A failure ends the worker (its 'error' event): the server connection then checkpoints itself. */
function checkpoint(): void {
  // PASSIVE: copies what it can and never makes the server wait.
  const [passive] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[];
  // A writer that never pauses keeps the WAL from starting over: past the bound, RESTART
  // holds writers back for the little left to copy, and the next commit starts the WAL anew.
  if (passive && passive.log > restartFrames) db.pragma('wal_checkpoint(RESTART)');
}

const timer = setInterval(checkpoint, intervalMs);
parentPort?.on('message', (message: unknown) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort?.postMessage('stopped');
});
