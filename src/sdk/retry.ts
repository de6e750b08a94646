/**
 * When to send a request again. A 429 is retried for every method, since the server
 * did not act on it; a 502, 503 or 504 and a network error only for the idempotent
 * methods (RFC 9110 section 9.2.2), since the server may have acted before failing.
 *
 * @example
 * ```ts
 * new ApiClient({ baseUrl, retry: { maxAttempts: 5, maxRetryAfterSeconds: 120 } });
 * ```
 */
export interface RetrySettings {
  /** How many times one request may be sent in all, the first time included. Default 3. */
  maxAttempts: number;
  /**
   * The longest `Retry-After` the client waits out, in seconds. A 429 that asks for more
   * is thrown at once as an `ApiError` carrying `retryAfter`. Default 60.
   */
  maxRetryAfterSeconds: number;
  /** The backoff before the second attempt, doubled for each further one. Default 250 ms. */
  backoffBaseMs: number;
  /** The longest backoff. Default 8000 ms. */
  backoffMaxMs: number;
}

/** The defaults of {@link RetrySettings}. */
export const defaultRetrySettings: Readonly<RetrySettings> = {
  maxAttempts: 3,
  maxRetryAfterSeconds: 60,
  backoffBaseMs: 250,
  backoffMaxMs: 8000,
};

const idempotent = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
const transient = new Set([502, 503, 504]);

/** True for the methods that may be sent again after an unclear failure. */
export function isIdempotent(method: string): boolean {
  return idempotent.has(method.toUpperCase());
}

/**
 * The exponential backoff before attempt `attempt + 1`, with full jitter ("Exponential
 * Backoff and Jitter", AWS Architecture Blog) so that many clients do not retry in step.
 */
export function backoffMs(attempt: number, settings: RetrySettings, random: () => number): number {
  const ceiling = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/**
 * Reads `Retry-After` (RFC 9110 section 10.2.3): delay-seconds or an HTTP date.
 * Returns whole seconds, or undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * How long to wait before sending again after an answer with `status`, or undefined
 * when the answer is final.
 */
export function delayAfterStatus(
  status: number,
  retryAfter: number | undefined,
  method: string,
  attempt: number,
  settings: RetrySettings,
  random: () => number,
): number | undefined {
  if (attempt >= settings.maxAttempts) return undefined;
  if (status === 429) {
    if (retryAfter === undefined) return backoffMs(attempt, settings, random);
    return retryAfter <= settings.maxRetryAfterSeconds ? retryAfter * 1000 : undefined;
  }
  if (transient.has(status) && isIdempotent(method)) return backoffMs(attempt, settings, random);
  return undefined;
}

/** How long to wait before sending again after a network error, or undefined to give up. */
export function delayAfterNetworkError(method: string, attempt: number, settings: RetrySettings, random: () => number): number | undefined {
  if (attempt >= settings.maxAttempts || !isIdempotent(method)) return undefined;
  return backoffMs(attempt, settings, random);
}
