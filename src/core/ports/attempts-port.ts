/**
 * Throttle windows shared by every node (throttle/attempts.ts): failed sign-ins and client
 * authentications. Implemented by `src/store`.
 */
import type { SignInFailures } from '../models.js';

export interface AttemptsPort {
  /**
   * Reserves one attempt under `key`, atomically, before the slow hash that decides it: while
   * fewer than `limit` attempts are counted in the key's window, counts this one and returns the
   * window; at the limit counts nothing and returns null. Of N racing callers, on any number of
   * nodes, at most `limit` get a window. A window `windowMs` old or older restarts at 1.
   */
  reserveAttempt(key: string, now: number, windowMs: number, limit: number): Promise<SignInFailures | null>;
  /** Gives one reserved attempt back (it was not a failure); only within the window it was reserved in. */
  releaseAttempt(key: string, windowStartedAt: number): Promise<void>;
  findSignInFailures(key: string): Promise<SignInFailures | null>;
  clearSignInFailures(key: string): Promise<void>;
}
