import { SdkError } from './sdk-error.js';

/**
 * A call did not finish within its timeout. The timeout covers the whole call:
 * every attempt, every wait between attempts and any re-login on the way.
 *
 * @example
 * ```ts
 * try {
 *   await tokens.getTokensMe({ timeoutMs: 2_000 });
 * } catch (error) {
 *   if (isTimeoutError(error)) console.error(`gave up after ${error.timeoutMs} ms`);
 * }
 * ```
 */
export class TimeoutError extends SdkError {
  override name = 'TimeoutError';
  /** The timeout that ran out, in milliseconds. */
  readonly timeoutMs: number;

  constructor(request: { method: string; url: string }, timeoutMs: number) {
    super(`${request.method} ${request.url} did not complete within ${timeoutMs} ms`, request);
    this.timeoutMs = timeoutMs;
  }
}
