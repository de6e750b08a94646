/**
 * `tokend/sdk`: a typed client for the Genesys Cloud Tokens API, for tokend and for
 * Genesys Cloud alike. No dependencies: `fetch`, `URL` and Web Crypto, so it runs
 * unchanged in Node 20 and in a browser.
 *
 * @example
 * ```ts
 * import { ApiClient, TokensApi, isApiError } from 'tokend/sdk';
 *
 * const client = new ApiClient({ region: 'mypurecloud.ie' });
 * await client.loginClientCredentialsGrant(clientId, clientSecret);
 * const info = await new TokensApi(client).getTokensMe();
 * ```
 *
 * @packageDocumentation
 */
export { ApiClient, type LoginOptions, type PKCEStart } from './client.js';
export { type Clock, systemClock } from './clock.js';
export { type Endpoints, type Environment, regions, resolveEnvironment } from './environment.js';
export { ApiError, type ApiErrorInit } from './errors/api-error.js';
export { isApiError, isNetworkError, isOAuthError, isSdkError, isTimeoutError } from './errors/guards.js';
export { NetworkError } from './errors/network-error.js';
export { OAuthError, type OAuthErrorInit } from './errors/oauth-error.js';
export { SdkError } from './errors/sdk-error.js';
export { TimeoutError } from './errors/timeout-error.js';
export type * from './models.js';
export type { ApiClientOptions, CallOptions, ClientSettings } from './options.js';
export { type AuthorizeUrlOptions, buildAuthorizeUrl, computePKCECodeChallenge, generatePKCECodeVerifier, type PKCELoginOptions } from './pkce.js';
export type { ApiRequest, ApiResponse } from './request.js';
export { defaultRetrySettings, type RetrySettings } from './retry.js';
export { type Fault, type FaultSpec, type TestClockState, TestControls, type TestControlsOptions } from './test-controls.js';
export { type GetTokensMeOptions, type PutTokensTimeoutOptions, TokensApi } from './tokens-api.js';
