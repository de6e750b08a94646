import type { ApiError } from './api-error.js';
import type { NetworkError } from './network-error.js';
import type { OAuthError } from './oauth-error.js';
import { brand, SdkError } from './sdk-error.js';
import type { TimeoutError } from './timeout-error.js';

// A brand rather than the `name` alone: DOMException also calls itself "TimeoutError".
function branded(error: unknown, kind?: string): boolean {
  if (typeof error !== 'object' || error === null || !(brand in error)) return false;
  return kind === undefined || (error as { [brand]: unknown })[brand] === kind;
}

/**
 * True for every error the SDK throws on purpose, also one from another copy of the SDK.
 *
 * @example
 * ```ts
 * catch (error) { if (isSdkError(error)) console.error(error.method, error.url, error.message); }
 * ```
 */
export function isSdkError(error: unknown): error is SdkError {
  return error instanceof SdkError || branded(error);
}

/**
 * True for an `/api/v2` error answer.
 *
 * @example
 * ```ts
 * catch (error) { if (isApiError(error) && error.status === 404) return undefined; throw error; }
 * ```
 */
export function isApiError(error: unknown): error is ApiError {
  return branded(error, 'ApiError');
}

/**
 * True for a refusal of `POST /oauth/token`.
 *
 * @example
 * ```ts
 * catch (error) { if (isOAuthError(error) && error.code === 'invalid_grant') await signInAgain(); }
 * ```
 */
export function isOAuthError(error: unknown): error is OAuthError {
  return branded(error, 'OAuthError');
}

/**
 * True when no answer came back at all.
 *
 * @example
 * ```ts
 * catch (error) { if (isNetworkError(error)) console.error('is the server running?'); }
 * ```
 */
export function isNetworkError(error: unknown): error is NetworkError {
  return branded(error, 'NetworkError');
}

/**
 * True when a call ran out of time.
 *
 * @example
 * ```ts
 * catch (error) { if (isTimeoutError(error)) console.error(`no answer in ${error.timeoutMs} ms`); }
 * ```
 */
export function isTimeoutError(error: unknown): error is TimeoutError {
  return branded(error, 'TimeoutError');
}
