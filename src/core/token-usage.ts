/**
 * What the hot path keeps beside a cached token: its last use on this node and its request
 * count in the current rate-limit window, held by reference so that a request finds both
 * without a lookup. At a million cached tokens each Map lookup keyed by a token hash is a
 * chain of cache misses: three of them per request (the cache, the idle clock, the rate
 * limiter) cost more than the cache lookup itself (docs/performance.md).
 */
import type { Use } from './idle-clock.js';

/** How long a token's rate-limit window lasts, from its first request in it. */
export const RATE_WINDOW_MS = 60_000;

/** A token's requests in its current rate-limit window (rate-limit.ts). */
export interface RateCounter {
  /** When the window began (ms): at the token's first request in it. */
  start: number;
  count: number;
}

/** A counter whose window has ended: its next request opens one. */
export function newRateCounter(): RateCounter {
  return { start: Number.NEGATIVE_INFINITY, count: 0 };
}

/**
 * A token's usage, its rate-limit window included: the usage itself is a cached token's
 * counter, one object less per cached token than a counter of its own.
 */
export interface TokenUsage extends RateCounter {
  /** The token's in-memory last use ({@link IdleClock}), once it has one; null until then. */
  lastUse: Use | null;
  /**
   * Whether a cached token holds it: the idle clock then keeps its Use until the cache lets go
   * (idle-clock.ts), and its window counts the token's requests. Where it lives no longer than
   * one request (a token not cached) the limiter counts by token hash instead.
   */
  readonly cached: boolean;
}

/** Usage that lives one request (its token is not cached): everything is looked up by hash. */
class RequestUsage implements TokenUsage {
  lastUse: Use | null = null;
  start = Number.NEGATIVE_INFINITY;
  count = 0;
  get cached(): boolean {
    return false;
  }
}

/**
 * Usage for a cached token, which outlives the request. `cached` is on the prototype rather
 * than a field: one field less on every cached token (docs/performance.md, "Memory per cached
 * token").
 */
class CachedUsage extends RequestUsage {
  override get cached(): boolean {
    return true;
  }
}

/** Usage for a cached token, which outlives the request. */
export function cachedUsage(): TokenUsage {
  return new CachedUsage();
}

/** Usage that lives one request (its token is not cached): everything is looked up by hash. */
export function requestUsage(): TokenUsage {
  return new RequestUsage();
}
