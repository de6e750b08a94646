import type { ErrorBody } from '../models.js';
import { SdkError } from './sdk-error.js';

/** What an {@link ApiError} is made of. */
export interface ApiErrorInit {
  method: string;
  url: string;
  status: number;
  /** The parsed body; an empty object when the answer had none (HEAD) or it was not JSON. */
  body: ErrorBody;
  /** The code to use when the body has none. */
  code: string;
  /** The text to use when the body has none. */
  fallbackMessage: string;
  correlationId?: string;
  retryAfter?: number;
}

/**
 * An `/api/v2` call answered with a 4xx or 5xx status. It carries the whole
 * {@link ErrorBody}, and its message names the status, the code, the server's text
 * and the correlation id to quote to the server's operator:
 * `401 bad.credentials: Invalid login credentials. (correlation id 5f1c...)`.
 *
 * @example
 * ```ts
 * try {
 *   await tokens.putTokensTimeout({ body: { idleTokenTimeoutSeconds: 10 } });
 * } catch (error) {
 *   if (isApiError(error) && error.code === 'invalid.value') {
 *     console.error(error.body.details?.map((d) => d.fieldName));
 *   }
 * }
 * ```
 */
export class ApiError extends SdkError {
  override name = 'ApiError';
  /** The HTTP status. */
  readonly status: number;
  /** The contract code, such as `bad.credentials` or `too.many.requests.retry.after`. */
  readonly code: string;
  /** The error body's `contextId`. */
  readonly contextId: string | undefined;
  /** The `ININ-Correlation-Id` header, or else the `contextId`. */
  readonly correlationId: string | undefined;
  /** The whole error body as the server sent it. */
  readonly body: ErrorBody;
  /** Seconds the server asked to wait (`Retry-After`), where it did. */
  readonly retryAfter: number | undefined;

  constructor(init: ApiErrorInit) {
    const code = init.body.code ?? init.code;
    const correlationId = init.correlationId ?? init.body.contextId;
    const text = init.body.message ?? init.fallbackMessage;
    const suffix = correlationId === undefined ? '' : ` (correlation id ${correlationId})`;
    super(`${init.status} ${code}: ${text}${suffix}`, init);
    this.status = init.status;
    this.code = code;
    this.contextId = init.body.contextId;
    this.correlationId = correlationId;
    this.body = init.body;
    this.retryAfter = init.retryAfter;
  }
}
