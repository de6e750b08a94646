/**
 * tokend's SDK refreshing a PKCE session against a listening tokend (issue 14): a public client
 * refreshes by `client_id` alone; a Code Authorization client that has a secret signs in with the
 * verifier and no secret, and refreshes with its secret (RFC 6749 section 6, CONTRACT.md's
 * refresh row), which it gives the SDK as `clientSecret`; without it the refresh is refused as
 * `invalid_client`, the server's answer to a refresh without the secret.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hashToken } from '../../src/core/secrets.js';
import { ApiClient, isOAuthError, TokensApi } from '../../src/sdk/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, pkcePair } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
let baseUrl: string;
before(async () => {
  t = await startTestApp();
  baseUrl = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => t.close());

async function signIn(client: { id: string; redirectUri: string }, clientSecret?: string) {
  const { verifier, challenge } = pkcePair();
  const code = await new Browser(t).code(client, client.redirectUri, users.alice, { code_challenge: challenge, code_challenge_method: 'S256' });
  const api = new ApiClient({ baseUrl });
  const auth = await api.authorizePKCEGrant(client.id, verifier, code, client.redirectUri, clientSecret === undefined ? {} : { clientSecret });
  assert.equal(typeof auth.refreshToken, 'string', 'the exchange issued a refresh token');
  return { api, auth };
}

/** Ends the session's access token on the server, so that the next call is refused and the session refreshes. */
async function expireAccessToken(accessToken: string) {
  assert.equal(await t.app.tokend.store.revokeToken(hashToken(accessToken), t.clock.now()), true);
  t.app.tokend.authenticator.invalidate();
}

test("a public client's PKCE session refreshes by client_id alone after a 401, and keeps the rotated refresh token", async () => {
  const { api, auth } = await signIn(clients.pkceApp);
  await expireAccessToken(auth.accessToken);
  const me = await new TokensApi(api).getTokensMe();
  assert.equal(me.OAuthClient?.id, clients.pkceApp.id);
  assert.notEqual(api.accessToken, auth.accessToken);
  assert.notEqual(api.refreshToken, auth.refreshToken);
});

test('a client with a secret: the PKCE exchange sends none, and the session refreshes with the secret it was given', async () => {
  const { api, auth } = await signIn(clients.codeApp, clients.codeApp.secret);
  await expireAccessToken(auth.accessToken);
  const me = await new TokensApi(api).getTokensMe();
  assert.equal(me.OAuthClient?.id, clients.codeApp.id);
  assert.notEqual(api.refreshToken, auth.refreshToken);
});

test('a client with a secret that the SDK was not given: the refresh is refused as invalid_client, as the server refuses any refresh without the secret', async () => {
  const { api, auth } = await signIn(clients.codeApp);
  await expireAccessToken(auth.accessToken);
  await assert.rejects(new TokensApi(api).getTokensMe(), (error: unknown) => {
    assert.ok(isOAuthError(error), String(error));
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_client');
    assert.equal(error.description, 'authentication failed');
    return true;
  });
  // The refresh token was not spent: with the secret it still refreshes.
  const refreshed = await api.refreshCodeAuthorizationGrant(clients.codeApp.id, clients.codeApp.secret, auth.refreshToken as string);
  assert.equal((await new TokensApi(api).getTokensMe()).OAuthClient?.id, clients.codeApp.id);
  assert.notEqual(refreshed.refreshToken, auth.refreshToken);
});
