/**
 * Requests per token per minute, as Genesys Cloud counts them, in fixed one-minute windows.
 *
 * A cached token's count lives with it ({@link RateCounter}, token-usage.ts) and restarts when
 * it sees a new window: no lookup per request, and no map of a million entries rebuilt every
 * minute. A token not cached is counted in a map by hash, which is dropped when the window
 * turns, so memory stays bounded by the tokens active in one minute, with no per-entry timer.
 * A dropped token cache lends its counts to the reloads (authenticator.ts); a token pushed out
 * of a full cache by newer ones starts its count again, as a token of another node does.
 */
import type { Clock } from '../core/clock.js';
import type { RateCounter } from '../core/token-usage.js';

const WINDOW_MS = 60_000;

export interface RateState {
  count: number;
  allowed: number;
  /** Whole seconds until the window ends (at least 1). */
  resetSeconds: number;
}

export class RateLimiter {
  readonly #allowed: number;
  readonly #clock: Clock;
  #window = -1;
  #counts = new Map<string, number>();

  constructor(allowedPerMinute: number, clock: Clock) {
    this.#allowed = allowedPerMinute;
    this.#clock = clock;
  }

  /**
   * Counts one request of `key` (in `counter` when the key has one, else by key);
   * `count > allowed` means it is over the limit.
   */
  hit(key: string, counter: RateCounter | null = null): RateState {
    return this.#count(key, counter, false) as RateState;
  }

  /**
   * Counts one request of `key` only if it is within the limit; null (and nothing counted)
   * if it is over, so that the request can be answered by the path that refuses it.
   */
  hitWithinLimit(key: string, counter: RateCounter | null = null): RateState | null {
    return this.#count(key, counter, true);
  }

  #count(key: string, counter: RateCounter | null, onlyWithinLimit: boolean): RateState | null {
    const now = this.#clock.now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
    }
    const previous = counter === null ? (this.#counts.get(key) ?? 0) : counter.window === window ? counter.count : 0;
    const count = previous + 1;
    if (onlyWithinLimit && count > this.#allowed) return null;
    if (counter === null) {
      this.#counts.set(key, count);
    } else {
      counter.window = window;
      counter.count = count;
    }
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    return { count, allowed: this.#allowed, resetSeconds };
  }
}
