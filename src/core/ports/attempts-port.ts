/**
 * Throttle windows shared by every node (throttle/attempts.ts): failed sign-ins and client
 * authentications, and the addresses each client authenticated from. Implemented by `src/store`.
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
  /**
   * Where several nodes serve one database (PostgreSQL): tells the others that attempts under
   * `keys` were just kept as failures, once they are counted, so that none of them accepts a
   * remembered secret unchecked where a cap may now be reached ({@link ChangesPort.watchFailures}).
   * Absent where there is nobody to tell: on SQLite another process's writes move `changeVersion`.
   */
  announceFailures?(keys: readonly string[]): Promise<void>;

  /** When `clientId` last authenticated from `address` (a caller address as throttled), or null. */
  findClientAddress(clientId: string, address: string): Promise<number | null>;
  /**
   * Remembers a success of `clientId` from `address` at `at`. Only moves forward, and writes only
   * when the time stored is `granularityMs` old or older, so an address in daily use costs one
   * write a day whatever the number of nodes.
   */
  rememberClientAddress(clientId: string, address: string, at: number, granularityMs: number): Promise<void>;
  /** Forgets the addresses whose last success was before `before`. */
  deleteOldClientAddresses(before: number): Promise<void>;
}
