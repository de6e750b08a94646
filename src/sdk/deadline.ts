import type { Clock } from './clock.js';
import { TimeoutError } from './errors/timeout-error.js';

/** The signal and the end time that every step of one call shares. */
export interface Deadline {
  signal: AbortSignal;
  /** Milliseconds since the epoch, on the client's clock. */
  endsAt: number;
}

/**
 * Runs one call under its timeout and the caller's signal. When either fires, the call
 * rejects with the reason: a {@link TimeoutError}, or whatever the caller aborted with.
 */
export async function withDeadline<T>(
  request: { method: string; url: string },
  limits: { timeoutMs: number; signal: AbortSignal | undefined },
  clock: Clock,
  run: (deadline: Deadline) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const outer = limits.signal;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new TimeoutError(request, limits.timeoutMs)), limits.timeoutMs);
  try {
    return await run({ signal: controller.signal, endsAt: clock.now() + limits.timeoutMs });
  } catch (error) {
    // fetch and sleep reject with the abort reason already; anything that ran on after
    // the abort (a JSON parse, a shared re-login) is reported as the abort too.
    if (controller.signal.aborted) throw controller.signal.reason;
    throw error;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  }
}
