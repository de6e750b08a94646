import type { ApiClient } from './client.js';
import type { IdleTokenTimeout, TokenInfo } from './models.js';
import type { CallOptions } from './options.js';

/** Options of {@link TokensApi.getTokensMe}. */
export interface GetTokensMeOptions extends CallOptions {
  /** True leaves the token's idle clock where it is; otherwise the call restarts it. */
  preserveIdleTTL?: boolean;
}

/** Options of {@link TokensApi.putTokensTimeout}. */
export interface PutTokensTimeoutOptions extends CallOptions {
  body: IdleTokenTimeout;
}

/**
 * The Tokens API, with the official Genesys SDK's method names and shapes.
 *
 * @example
 * ```ts
 * const tokens = new TokensApi(client);
 * const info = await tokens.getTokensMe({ preserveIdleTTL: true });
 * await tokens.putTokensTimeout({ body: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 900 } });
 * ```
 */
export class TokensApi {
  constructor(private readonly client: ApiClient) {}

  /**
   * Fetches information about the current token: `GET /api/v2/tokens/me`.
   *
   * @example
   * ```ts
   * const { organization, OAuthClient, dateTokenIdles } = await tokens.getTokensMe();
   * ```
   */
  async getTokensMe(opts: GetTokensMeOptions = {}): Promise<TokenInfo> {
    const query = { preserveIdleTTL: opts.preserveIdleTTL };
    return (await this.client.request<TokenInfo>({ method: 'GET', path: '/api/v2/tokens/me', query }, opts)).body;
  }

  /**
   * Verifies the current token: `HEAD /api/v2/tokens/me`. Resolves when it is valid.
   *
   * @example
   * ```ts
   * await tokens.headTokensMe(); // throws an ApiError with status 401 when it is not
   * ```
   */
  async headTokensMe(opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: 'HEAD', path: '/api/v2/tokens/me' }, opts);
  }

  /**
   * Revokes the token that makes the request: `DELETE /api/v2/tokens/me`.
   *
   * @example
   * ```ts
   * await tokens.deleteTokensMe(); // sign out
   * ```
   */
  async deleteTokensMe(opts: CallOptions = {}): Promise<void> {
    await this.client.request({ method: 'DELETE', path: '/api/v2/tokens/me' }, opts);
  }

  /**
   * Revokes every access and refresh token of a user: `DELETE /api/v2/tokens/{userId}`.
   * Needs the permission `oauth:token:delete`.
   *
   * @example
   * ```ts
   * await tokens.deleteToken('8a3c54d2-0b1e-4b8e-9f7a-2f6c1d9e4b10');
   * ```
   */
  async deleteToken(userId: string, opts: CallOptions = {}): Promise<void> {
    if (typeof userId !== 'string' || userId === '') {
      throw new TypeError('deleteToken needs the userId of the user whose tokens to revoke');
    }
    await this.client.request({ method: 'DELETE', path: `/api/v2/tokens/${encodeURIComponent(userId)}` }, opts);
  }

  /**
   * Reads the organization's idle token timeout: `GET /api/v2/tokens/timeout`.
   *
   * @example
   * ```ts
   * const { enableIdleTokenTimeout, idleTokenTimeoutSeconds } = await tokens.getTokensTimeout();
   * ```
   */
  async getTokensTimeout(opts: CallOptions = {}): Promise<IdleTokenTimeout> {
    return (await this.client.request<IdleTokenTimeout>({ method: 'GET', path: '/api/v2/tokens/timeout' }, opts)).body;
  }

  /**
   * Changes the idle token timeout: `PUT /api/v2/tokens/timeout`. Needs the permission
   * `directory:organization:admin` and the scope `authorization`; returns what was stored.
   *
   * @example
   * ```ts
   * await tokens.putTokensTimeout({ body: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 1800 } });
   * ```
   */
  async putTokensTimeout(opts: PutTokensTimeoutOptions): Promise<IdleTokenTimeout> {
    const spec = { method: 'PUT', path: '/api/v2/tokens/timeout', body: opts.body } as const;
    return (await this.client.request<IdleTokenTimeout>(spec, opts)).body;
  }
}
