/**
 * Requests per token per minute, as Genesys Cloud counts them, in fixed one-minute windows.
 * The whole map is dropped when the window turns, so memory stays bounded by the tokens
 * active in one minute and there is no per-entry timer.
 */
import type { Clock } from '../core/clock.js';

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

  /** Counts one request of `key`; `count > allowed` means it is over the limit. */
  hit(key: string): RateState {
    const now = this.#clock.now();
    const window = Math.floor(now / WINDOW_MS);
    if (window !== this.#window) {
      this.#window = window;
      this.#counts = new Map();
    }
    const count = (this.#counts.get(key) ?? 0) + 1;
    this.#counts.set(key, count);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    return { count, allowed: this.#allowed, resetSeconds };
  }
}
