import { type Clock, systemClock } from './clock.js';
import type { Environment } from './environment.js';
import { defaultRetrySettings, type RetrySettings } from './retry.js';

/** Settings of an {@link ApiClient} besides where it talks to. */
export interface ClientSettings {
  /** The default timeout of one call, retries and re-login included. Default 30000 ms. */
  timeoutMs?: number;
  /** How a call is retried; see {@link RetrySettings}. */
  retry?: Partial<RetrySettings>;
  /**
   * How long before its expiry a renewable token is renewed, in seconds (at most half
   * the token's lifetime). Default 60.
   */
  refreshMarginSeconds?: number;
  /** Headers sent with every `/api/v2` call. */
  headers?: Record<string, string>;
  /** The `fetch` to use; the global one by default. */
  fetch?: typeof fetch;
  /** The clock to use; the real one by default. Tests pass a fake one. */
  clock?: Clock;
  /** The source of backoff jitter, a number in [0, 1); `Math.random` by default. */
  random?: () => number;
}

/**
 * Where an {@link ApiClient} talks to, and how.
 *
 * @example
 * ```ts
 * const options: ApiClientOptions = { baseUrl: 'http://localhost:8080', timeoutMs: 10_000, retry: { maxAttempts: 5 } };
 * ```
 */
export type ApiClientOptions = Environment & ClientSettings;

/** Options every call takes. */
export interface CallOptions {
  /** Extra headers for this call only (the official SDK's name). */
  customHeaders?: Record<string, string>;
  /** Aborts the call; it then rejects with the signal's reason, as `fetch` does. */
  signal?: AbortSignal;
  /** The timeout of this call, retries and re-login included, in milliseconds. */
  timeoutMs?: number;
}

/** The settings with every default filled in. */
export interface ResolvedSettings {
  timeoutMs: number;
  retry: RetrySettings;
  refreshMarginMs: number;
  headers: Record<string, string>;
  fetch: typeof fetch;
  clock: Clock;
  random: () => number;
}

/** Fills in the defaults and rejects nonsense at once, with the option's name. */
export function resolveSettings(settings: ClientSettings): ResolvedSettings {
  const retry = { ...defaultRetrySettings, ...settings.retry };
  positive('timeoutMs', settings.timeoutMs);
  positive('retry.maxAttempts', retry.maxAttempts);
  if (!Number.isInteger(retry.maxAttempts)) throw new TypeError('retry.maxAttempts must be a whole number');
  for (const key of ['maxRetryAfterSeconds', 'backoffBaseMs', 'backoffMaxMs'] as const) nonNegative(`retry.${key}`, retry[key]);
  nonNegative('refreshMarginSeconds', settings.refreshMarginSeconds);
  const fetchFunction = settings.fetch ?? globalThis.fetch;
  if (typeof fetchFunction !== 'function') throw new TypeError('no fetch in this runtime: pass the fetch option');
  return {
    timeoutMs: settings.timeoutMs ?? 30_000,
    retry,
    refreshMarginMs: (settings.refreshMarginSeconds ?? 60) * 1000,
    headers: { ...settings.headers },
    // Called unbound, a browser's fetch throws "Illegal invocation".
    fetch: (input, init) => fetchFunction(input, init),
    clock: settings.clock ?? systemClock,
    random: settings.random ?? Math.random,
  };
}

function positive(name: string, value: number | undefined): void {
  if (value !== undefined && !(value > 0)) throw new TypeError(`${name} must be greater than 0, not ${value}`);
}

function nonNegative(name: string, value: number | undefined): void {
  if (value !== undefined && !(value >= 0)) throw new TypeError(`${name} must be 0 or more, not ${value}`);
}
