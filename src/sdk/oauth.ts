import type { Deadline } from './deadline.js';
import { OAuthError } from './errors/oauth-error.js';
import { base64, utf8 } from './encoding.js';
import { joinUrl } from './environment.js';
import type { TokenResponse } from './models.js';
import { oauthErrorFrom, readJson } from './response.js';
import { send, type Transport } from './transport.js';

/** An OAuth client; a public (PKCE) client has no secret. */
export interface OAuthClient {
  clientId: string;
  clientSecret?: string;
}

/** The grant-specific fields of a token request (RFC 6749 sections 4.1.3, 4.3.2, 4.4.2, 6). */
export type GrantForm =
  | { grant_type: 'client_credentials' }
  | { grant_type: 'password'; username: string; password: string }
  | { grant_type: 'authorization_code'; code: string; redirect_uri: string; code_verifier?: string }
  | { grant_type: 'refresh_token'; refresh_token: string };

/** The `Authorization` header of HTTP Basic client authentication. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  // The id and secret go in as they are, not form-encoded first (RFC 6749 section 2.3.1
  // asks for that), because the official Genesys SDKs send them so and servers expect it.
  return `Basic ${base64(utf8(`${clientId}:${clientSecret}`))}`;
}

/**
 * `POST {login}/oauth/token`, form-encoded, with HTTP Basic client authentication where
 * the client has a secret and `client_id` in the form where it has none. A 429 is
 * retried; nothing else is, since a refresh token must never be sent twice.
 */
export async function requestToken(loginBase: string, client: OAuthClient, grant: GrantForm, deadline: Deadline, transport: Transport): Promise<TokenResponse> {
  const url = joinUrl(loginBase, '/oauth/token');
  const form = new URLSearchParams(Object.entries(grant).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const headers = new Headers({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
  if (client.clientSecret === undefined) form.set('client_id', client.clientId);
  else headers.set('authorization', basicAuthorization(client.clientId, client.clientSecret));
  // POST is not idempotent, so send() retries only a 429, which the server did not act on.
  const response = await send({ method: 'POST', url, headers, body: form.toString() }, deadline, transport);
  if (!response.ok) throw await oauthErrorFrom(response, url.href, transport.clock.now());
  const body = (await readJson(response)) as Partial<TokenResponse> | undefined;
  const missing = typeof body?.access_token !== 'string' ? 'access_token' : typeof body.expires_in !== 'number' ? 'expires_in' : undefined;
  if (missing !== undefined) {
    throw new OAuthError({
      method: 'POST',
      url: url.href,
      status: response.status,
      body: { error: 'invalid_response', error_description: `the token response carries no ${missing}` },
    });
  }
  return body as TokenResponse;
}
