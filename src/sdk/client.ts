import { withDeadline } from './deadline.js';
import { type Endpoints, joinUrl, resolveEnvironment } from './environment.js';
import type { AuthData } from './models.js';
import { type GrantForm, type OAuthClient, requestToken } from './oauth.js';
import type { ApiClientOptions, CallOptions, ResolvedSettings } from './options.js';
import { resolveSettings } from './options.js';
import { type AuthorizeUrlOptions, buildAuthorizeUrl, computePKCECodeChallenge, generatePKCECodeVerifier, type PKCELoginOptions } from './pkce.js';
import { type ApiRequest, type ApiResponse, type CallContext, callApi } from './request.js';
import { Session } from './session.js';
import type { Transport } from './transport.js';

/** Options of a login: a signal and a timeout. */
export type LoginOptions = Pick<CallOptions, 'signal' | 'timeoutMs'>;

/** A PKCE sign-in in progress: send the person to `url`, keep `codeVerifier` for the exchange. */
export interface PKCEStart {
  url: string;
  codeVerifier: string;
  codeChallenge: string;
}

/**
 * Talks to a Genesys Cloud region or to a tokend server: logs in, keeps the session
 * alive, retries what may be retried, and turns error answers into typed errors. Pass
 * it to {@link TokensApi}.
 *
 * @example
 * ```ts
 * import { ApiClient, TokensApi } from 'tokend/sdk';
 *
 * const client = new ApiClient({ baseUrl: 'http://localhost:8080' }); // or { region: 'mypurecloud.ie' }
 * await client.loginClientCredentialsGrant(process.env.CLIENT_ID!, process.env.CLIENT_SECRET!);
 * const me = await new TokensApi(client).getTokensMe();
 * console.log(me.OAuthClient?.name);
 * ```
 */
export class ApiClient {
  /** The API and login base URLs in use. */
  readonly endpoints: Endpoints;
  readonly #settings: ResolvedSettings;
  readonly #transport: Transport;
  readonly #session: Session;

  /** Throws a `TypeError` at once for an unknown region, a bad URL or a bad setting. */
  constructor(options: ApiClientOptions) {
    this.endpoints = resolveEnvironment(options);
    this.#settings = resolveSettings(options);
    const { fetch, clock, random, retry } = this.#settings;
    this.#transport = { fetch, clock, random, retry };
    this.#session = new Session(clock, this.#settings.refreshMarginMs, (client, grant) => this.#token(client, grant, {}));
  }

  /** The access token the next call sends, if any. */
  get accessToken(): string | undefined {
    return this.#session.accessToken;
  }

  /**
   * When the access token expires, in milliseconds since the epoch, where the client knows:
   * after a login or a renewal, not for a token given to {@link ApiClient.setAccessToken}.
   */
  get tokenExpiryTime(): number | undefined {
    return this.#session.expiresAt;
  }

  /** The refresh token the client will use next, if any. */
  get refreshToken(): string | undefined {
    return this.#session.refreshToken;
  }

  /**
   * Uses a token obtained elsewhere. It is never renewed: when it expires, calls fail
   * with a 401 `ApiError`.
   *
   * @example
   * ```ts
   * client.setAccessToken(process.env.GENESYSCLOUD_ACCESS_TOKEN!);
   * ```
   */
  setAccessToken(token: string): void {
    this.#session.setAccessToken(token);
  }

  /**
   * Forgets the token and any way of renewing it.
   *
   * @example
   * ```ts
   * client.clearAccessToken();
   * ```
   */
  clearAccessToken(): void {
    this.#session.setAccessToken(undefined);
  }

  /**
   * Logs in with the client credentials grant. The client logs in again by itself
   * shortly before the token expires, and once after a 401 `bad.credentials`.
   *
   * @example
   * ```ts
   * const { tokenExpiryTimeString } = await client.loginClientCredentialsGrant(clientId, clientSecret);
   * ```
   */
  async loginClientCredentialsGrant(clientId: string, clientSecret: string, options: LoginOptions = {}): Promise<AuthData> {
    const client = { clientId, clientSecret };
    const response = await this.#token(client, { grant_type: 'client_credentials' }, options);
    return this.#session.adopt(response, client, 'client_credentials');
  }

  /**
   * Resumes a client-credentials session from a token saved earlier (a command line's token
   * cache, say) without asking the token endpoint. The token is used until shortly before
   * `tokenExpiryTime`; then, or once after a 401 `bad.credentials` (the token was revoked),
   * the client logs in again with the credentials, as after
   * {@link ApiClient.loginClientCredentialsGrant}. Read the token in use afterwards from
   * {@link ApiClient.accessToken} and {@link ApiClient.tokenExpiryTime} to save it again.
   *
   * @example
   * ```ts
   * const saved = JSON.parse(await readFile(cacheFile, 'utf8')); // { accessToken, tokenExpiryTime }
   * client.resumeClientCredentialsGrant(clientId, clientSecret, saved);
   * await new TokensApi(client).getTokensMe();
   * ```
   */
  resumeClientCredentialsGrant(clientId: string, clientSecret: string, saved: Pick<AuthData, 'accessToken' | 'tokenExpiryTime'>): void {
    if (typeof saved.accessToken !== 'string' || saved.accessToken === '' || !Number.isFinite(saved.tokenExpiryTime)) {
      throw new TypeError('resumeClientCredentialsGrant needs the saved accessToken and its tokenExpiryTime (epoch milliseconds)');
    }
    this.#session.resume(saved.accessToken, saved.tokenExpiryTime, { clientId, clientSecret });
  }

  /**
   * Logs in as a user with the resource owner password grant (`username` is the user's
   * email). The password is not kept: where the server issues a refresh token, the
   * session is renewed with it.
   *
   * @example
   * ```ts
   * await client.loginPasswordGrant(clientId, clientSecret, 'ada@example.com', password);
   * ```
   */
  async loginPasswordGrant(clientId: string, clientSecret: string, username: string, password: string, options: LoginOptions = {}): Promise<AuthData> {
    const client = { clientId, clientSecret };
    const response = await this.#token(client, { grant_type: 'password', username, password }, options);
    return this.#session.adopt(response, client, 'user');
  }

  /**
   * Exchanges an authorization code (code grant, confidential client). The session then
   * refreshes itself with the refresh token, if one came.
   *
   * @example
   * ```ts
   * await client.loginCodeAuthorizationGrant(clientId, clientSecret, code, 'https://app.example.com/callback');
   * ```
   */
  async loginCodeAuthorizationGrant(
    clientId: string,
    clientSecret: string,
    authCode: string,
    redirectUri: string,
    options: LoginOptions = {},
  ): Promise<AuthData> {
    const client = { clientId, clientSecret };
    const grant = { grant_type: 'authorization_code', code: authCode, redirect_uri: redirectUri } as const;
    return this.#session.adopt(await this.#token(client, grant, options), client, 'user');
  }

  /**
   * Trades a refresh token for a new access token and keeps the rotated refresh token
   * (see {@link ApiClient.refreshToken}); the old one is spent.
   *
   * @example
   * ```ts
   * const { refreshToken } = await client.refreshCodeAuthorizationGrant(clientId, clientSecret, saved);
   * save(refreshToken);
   * ```
   */
  async refreshCodeAuthorizationGrant(clientId: string, clientSecret: string, refreshToken: string, options: LoginOptions = {}): Promise<AuthData> {
    const client = { clientId, clientSecret };
    const response = await this.#token(client, { grant_type: 'refresh_token', refresh_token: refreshToken }, options);
    return this.#session.adopt(response, client, 'user', refreshToken);
  }

  /**
   * Makes a PKCE code verifier (43 to 128 characters, default 128).
   *
   * @example
   * ```ts
   * const verifier = client.generatePKCECodeVerifier();
   * ```
   */
  generatePKCECodeVerifier(length = 128): string {
    return generatePKCECodeVerifier(length);
  }

  /**
   * The S256 challenge of a PKCE code verifier.
   *
   * @example
   * ```ts
   * const challenge = await client.computePKCECodeChallenge(verifier);
   * ```
   */
  computePKCECodeChallenge(codeVerifier: string): Promise<string> {
    return computePKCECodeChallenge(codeVerifier);
  }

  /**
   * The `/oauth/authorize` URL of this client's login base.
   *
   * @example
   * ```ts
   * location.assign(client.buildAuthorizeUrl({ clientId, redirectUri, codeChallenge, state }));
   * ```
   */
  buildAuthorizeUrl(options: AuthorizeUrlOptions): string {
    return buildAuthorizeUrl(this.endpoints.login, options);
  }

  /**
   * Starts a PKCE sign-in: a new verifier, its challenge and the authorize URL.
   *
   * @example
   * ```ts
   * const { url, codeVerifier } = await client.startPKCEGrant({ clientId, redirectUri, state });
   * sessionStorage.setItem('verifier', codeVerifier);
   * location.assign(url);
   * ```
   */
  async startPKCEGrant(options: Omit<AuthorizeUrlOptions, 'codeChallenge' | 'responseType'>): Promise<PKCEStart> {
    const codeVerifier = generatePKCECodeVerifier();
    const codeChallenge = await computePKCECodeChallenge(codeVerifier);
    return { url: this.buildAuthorizeUrl({ ...options, codeChallenge }), codeVerifier, codeChallenge };
  }

  /**
   * Exchanges the code of a PKCE sign-in, without a secret: `grant_type=authorization_code`,
   * `code`, `code_verifier`, `client_id` and `redirect_uri`. The session then refreshes itself
   * with the refresh token: by `client_id` alone for a public client; a client that has a secret
   * must give it as `options.clientSecret`, or its refresh is refused as `invalid_client`.
   *
   * @example
   * ```ts
   * const code = new URL(location.href).searchParams.get('code')!;
   * await client.authorizePKCEGrant(clientId, sessionStorage.getItem('verifier')!, code, redirectUri);
   * ```
   */
  async authorizePKCEGrant(clientId: string, codeVerifier: string, authCode: string, redirectUri: string, options: PKCELoginOptions = {}): Promise<AuthData> {
    const { clientSecret, ...login } = options;
    const grant = { grant_type: 'authorization_code', code: authCode, redirect_uri: redirectUri, code_verifier: codeVerifier } as const;
    const response = await this.#token({ clientId }, grant, login);
    return this.#session.adopt(response, clientSecret === undefined ? { clientId } : { clientId, clientSecret }, 'user');
  }

  /**
   * Calls any `/api/v2` operation with this client's session, retries and errors.
   *
   * @example
   * ```ts
   * const { body, correlationId } = await client.request<TokenInfo>({ method: 'GET', path: '/api/v2/tokens/me' });
   * ```
   */
  request<T>(spec: ApiRequest, options?: CallOptions): Promise<ApiResponse<T>> {
    const context: CallContext = {
      apiBase: this.endpoints.api,
      settings: this.#settings,
      transport: this.#transport,
      session: this.#session,
    };
    return callApi<T>(context, spec, options);
  }

  #token(client: OAuthClient, grant: GrantForm, options: LoginOptions) {
    const described = { method: 'POST', url: joinUrl(this.endpoints.login, '/oauth/token').href };
    const limits = { timeoutMs: options.timeoutMs ?? this.#settings.timeoutMs, signal: options.signal };
    return withDeadline(described, limits, this.#settings.clock, (deadline) => requestToken(this.endpoints.login, client, grant, deadline, this.#transport));
  }
}
