/**
 * An SDK client for one command: logged in with the connection's credentials, or resumed from
 * the profile's cached token so that a second command makes no token request. Renewing the
 * token (before expiry, or once after a 401) is the SDK's job; afterwards the token in use is
 * written back to the cache.
 */
import { ApiClient, isApiError, isOAuthError } from '../sdk/index.js';
import type { Connection } from './credentials.js';
import { type CachedToken, forgetCachedToken, readCachedToken, writeCachedToken } from './profiles.js';

export interface CliSession {
  client: ApiClient;
  /** Saves the token in use to the cache, or forgets a token the server refused or revoked. */
  finish(outcome: { error?: unknown; revoked?: boolean }): void;
}

export async function openSession(connection: Connection, env: NodeJS.ProcessEnv): Promise<CliSession> {
  const client = new ApiClient(connection.environment);
  const { auth, profile } = connection;
  if (auth.kind === 'token') {
    client.setAccessToken(auth.accessToken);
    return { client, finish: () => {} };
  }
  const key = { api: client.endpoints.api, login: client.endpoints.login, clientId: auth.clientId };
  const cached = profile === undefined ? undefined : readCachedToken(env, profile);
  const usable = cached && cached.api === key.api && cached.login === key.login && cached.clientId === key.clientId && cached.tokenExpiryTime > Date.now();
  if (usable) client.resumeClientCredentialsGrant(auth.clientId, auth.clientSecret, cached);
  else await client.loginClientCredentialsGrant(auth.clientId, auth.clientSecret);

  return {
    client,
    finish({ error, revoked }) {
      if (profile === undefined) return;
      const refused = isOAuthError(error) || (isApiError(error) && error.status === 401);
      if (revoked || refused) {
        forgetCachedToken(env, profile);
        return;
      }
      const { accessToken, tokenExpiryTime } = client;
      if (accessToken === undefined || tokenExpiryTime === undefined) return;
      if (usable && cached.accessToken === accessToken) return;
      const entry: CachedToken = { ...key, accessToken, tokenExpiryTime };
      writeCachedToken(env, profile, entry);
    },
  };
}
