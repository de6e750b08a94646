/** Marks SDK errors so the type guards also recognise errors from another copy of the SDK. */
export const brand: unique symbol = Symbol.for('tokend/sdk/error');

/**
 * Base class of every error this SDK throws on purpose: {@link ApiError},
 * {@link OAuthError}, {@link NetworkError} and {@link TimeoutError}. An aborted call
 * rejects with the signal's own reason instead, exactly as `fetch` does.
 *
 * @example
 * ```ts
 * try {
 *   await tokens.getTokensMe();
 * } catch (error) {
 *   if (isSdkError(error)) console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export class SdkError extends Error {
  override name = 'SdkError';
  /** The HTTP method of the request that failed. */
  readonly method: string;
  /** The full URL of the request that failed. */
  readonly url: string;

  constructor(message: string, request: { method: string; url: string }, options?: { cause?: unknown }) {
    super(message, options);
    this.method = request.method;
    this.url = request.url;
  }

  /** The kind of error, for the type guards; `name` as set by each subclass. */
  get [brand](): string {
    return this.name;
  }
}
