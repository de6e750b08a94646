/**
 * A SQLite call that finds the file locked by another connection (another process on the file,
 * the checkpoint worker) waits for the lock without holding up the event loop. better-sqlite3
 * waits inside its call, on this thread: with a busy timeout of seconds on the connection, one
 * write behind a lock held elsewhere froze every request for as long, liveness probes included.
 * So the connection itself waits only {@link IN_THREAD_WAIT_MS}; after that the call is tried
 * again on a timer, requests being served in between, until {@link BUSY_TIMEOUT_MS} have
 * passed and SQLITE_BUSY stands (a 503).
 *
 * Trying a call again is safe: a write transaction starts with BEGIN IMMEDIATE, which takes the
 * lock before any statement runs, and a call that fails is rolled back whole by better-sqlite3.
 */
/** How long a call waits for another connection's lock, in all, before SQLITE_BUSY is its answer. */
export const BUSY_TIMEOUT_MS = 5000;
/** How long the connection waits inside one call (the thread is blocked meanwhile): SQLite's busy_timeout. */
export const IN_THREAD_WAIT_MS = 10;
/** The pauses between tries, the last one repeated: short at first, as most locks are held for a few ms. */
const PAUSES_MS = [1, 2, 5, 10, 20, 50, 100];

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

/** `call()`, answered at once when the lock is free; a promise when it had to wait for it. */
export function waitingForLock<T>(call: () => T): T | Promise<T> {
  try {
    return call();
  } catch (error) {
    if (!isBusy(error)) throw error;
    return tryAgain(call, performance.now() + BUSY_TIMEOUT_MS - IN_THREAD_WAIT_MS, error);
  }
}

async function tryAgain<T>(call: () => T, deadline: number, busy: unknown): Promise<T> {
  for (let attempt = 0; performance.now() < deadline; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, PAUSES_MS[Math.min(attempt, PAUSES_MS.length - 1)]));
    try {
      return call();
    } catch (error) {
      if (!isBusy(error)) throw error;
      busy = error;
    }
  }
  throw busy;
}
