import type { OAuthErrorBody } from '../models.js';
import { SdkError } from './sdk-error.js';

/** What an {@link OAuthError} is made of. */
export interface OAuthErrorInit {
  method: string;
  url: string;
  status: number;
  body: OAuthErrorBody;
  correlationId?: string;
  retryAfter?: number;
}

/**
 * `POST /oauth/token` refused to issue a token: a wrong client id or secret
 * (`invalid_client`), a used or expired code or refresh token (`invalid_grant`), and
 * the other RFC 6749 section 5.2 codes.
 *
 * @example
 * ```ts
 * try {
 *   await client.loginClientCredentialsGrant(id, secret);
 * } catch (error) {
 *   if (isOAuthError(error) && error.code === 'invalid_client') {
 *     console.error('Check the client id and secret.');
 *   }
 * }
 * ```
 */
export class OAuthError extends SdkError {
  override name = 'OAuthError';
  /** The HTTP status. */
  readonly status: number;
  /** The RFC 6749 error code (`error`), such as `invalid_grant`. */
  readonly code: string;
  /** The server's explanation (`error_description`). */
  readonly description: string | undefined;
  /** The whole error body as the server sent it. */
  readonly body: OAuthErrorBody;
  readonly correlationId: string | undefined;
  /** Seconds the server asked to wait (`Retry-After`), where it did. */
  readonly retryAfter: number | undefined;

  constructor(init: OAuthErrorInit) {
    const code = init.body.error ?? `http_${init.status}`;
    const description = init.body.error_description ?? init.body.description;
    const text = description === undefined ? '' : `: ${description}`;
    const suffix = init.correlationId === undefined ? '' : ` (correlation id ${init.correlationId})`;
    super(`${init.status} ${code}${text}${suffix}`, init);
    this.status = init.status;
    this.code = code;
    this.description = description;
    this.body = init.body;
    this.correlationId = init.correlationId;
    this.retryAfter = init.retryAfter;
  }
}
