/**
 * Requests per token per minute, as Genesys Cloud counts them (CONTRACT.md, "Rate limit body"):
 * a token's window starts at its first request in it and lasts 60 s, so `inin-ratelimit-reset`
 * counts down from 60 from that request, and one token's window never moves another's.
 *
 * A cached token's window lives with it ({@link RateCounter}, token-usage.ts): no lookup and no
 * allocation per request, two comparisons and two writes. A token not cached is counted in a
 * map by hash; every minute of the wall clock the map becomes the previous one and the one
 * before is dropped. A window lasts one minute, so a live window is always in one of the two,
 * and memory stays bounded by the tokens active in two minutes, with no per-entry timer.
 * A dropped token cache lends its counts to the reloads (authenticator.ts); a token pushed out
 * of a full cache by newer ones starts its count again, as a token of another node does.
 */
import type { Clock } from './clock.js';
import { newRateCounter, RATE_WINDOW_MS, type RateCounter } from './token-usage.js';

/** Requests per token per minute unless configured (`TOKEND_RATE_LIMIT`), as Genesys allows a token. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 300;

export interface RateState {
  count: number;
  allowed: number;
  /** Whole seconds until the token's window ends: 60 at its first request, at least 1. */
  resetSeconds: number;
}

export class RateLimiter {
  readonly #allowed: number;
  readonly #clock: Clock;
  /** The wall-clock minute of {@link #current}. */
  #minute = -1;
  #current = new Map<string, RateCounter>();
  #previous = new Map<string, RateCounter>();

  constructor(allowedPerMinute: number, clock: Clock) {
    this.#allowed = allowedPerMinute;
    this.#clock = clock;
  }

  /**
   * Counts one request of `key` (in `counter` when the key has one, else by key);
   * `count > allowed` means it is over the limit. A request over it is counted too, so that
   * its count keeps rising until the window ends (the headers show at most `allowed`).
   */
  hit(key: string, counter: RateCounter | null = null): RateState {
    counter ??= this.#counterOf(key);
    const now = this.#clock.now();
    // The first request after a window ended opens the next one (Genesys: the window starts at it);
    // so does one before the window's start, when the clock went back (a test clock's reset).
    const fresh = now - counter.start >= RATE_WINDOW_MS || now < counter.start;
    if (fresh) counter.start = now;
    counter.count = fresh ? 1 : counter.count + 1;
    const resetSeconds = Math.max(1, Math.ceil((counter.start + RATE_WINDOW_MS - now) / 1000));
    return { count: counter.count, allowed: this.#allowed, resetSeconds };
  }

  /** The counter of a token not cached, found (or made) in this minute's map or the last one's. */
  #counterOf(key: string): RateCounter {
    const now = this.#clock.now();
    const minute = Math.floor(now / RATE_WINDOW_MS);
    if (minute !== this.#minute) {
      // Two minutes on, every window in the older map has ended.
      this.#previous = minute === this.#minute + 1 ? this.#current : new Map();
      this.#current = new Map();
      this.#minute = minute;
    }
    let counter = this.#current.get(key);
    if (counter === undefined) {
      const earlier = this.#previous.get(key);
      // A window opened last minute may still run; one that has ended starts afresh in this map.
      counter = earlier !== undefined && now - earlier.start < RATE_WINDOW_MS ? earlier : newRateCounter();
      this.#current.set(key, counter);
    }
    return counter;
  }
}
