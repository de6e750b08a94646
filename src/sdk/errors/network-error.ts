import { SdkError } from './sdk-error.js';

/**
 * No answer came back: the connection was refused, reset or dropped, or the host
 * name did not resolve. Idempotent calls were retried before this was thrown;
 * `attempts` says how often the request was sent. The runtime's own error is the
 * `cause`.
 *
 * @example
 * ```ts
 * try {
 *   await tokens.headTokensMe();
 * } catch (error) {
 *   if (isNetworkError(error)) console.error(`unreachable after ${error.attempts} attempts`);
 * }
 * ```
 */
export class NetworkError extends SdkError {
  override name = 'NetworkError';
  /** How many times the request was sent. */
  readonly attempts: number;

  constructor(request: { method: string; url: string }, attempts: number, cause: unknown) {
    const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
    super(`${request.method} ${request.url} failed: ${describe(cause)} (after ${tries})`, request, { cause });
    this.attempts = attempts;
  }
}

// Undici reports "fetch failed" and keeps the useful part (ECONNREFUSED, "other side
// closed") one level down in its own cause.
function describe(cause: unknown): string {
  if (!(cause instanceof Error)) return 'network error';
  const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';
  return `${cause.message}${inner}`;
}
