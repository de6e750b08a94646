/** grant_type=refresh_token with rotation (CONTRACT.md, "/oauth/token"; issue 4 item 4). */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { setUserState } from '../../src/core/admin/users.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { assertOAuthError, Browser, CODE_APP_AUTH, idleTimeoutOff, meStatus, pkcePair, tokenRequest } from '../helpers/browser-flow.js';
import { ACME, clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => (t = await startTestApp()));
after(() => t.close());
beforeEach(() => idleTimeoutOff(t));

const status = (token: string) => meStatus(t, token);
const refresh = (refreshToken: string, headers: Record<string, string> = CODE_APP_AUTH) =>
  tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken }, headers);

async function signIn(user = users.alice): Promise<{ access_token: string; refresh_token: string }> {
  const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, user);
  const response = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, CODE_APP_AUTH);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

describe('rotation', () => {
  test('a refresh returns a new access token and a new refresh token', async () => {
    const first = await signIn();
    const response = await refresh(first.refresh_token);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    const next = response.json();
    assert.deepEqual(Object.keys(next).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.notEqual(next.refresh_token, first.refresh_token);
    assert.notEqual(next.access_token, first.access_token);
    assert.equal(await status(next.access_token), 200);
    const info = (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(next.access_token) })).json();
    assert.deepEqual(info.authorizedScope, ['authorization', 'user-basic-info'], 'the scopes carry over');
    assert.equal((await refresh(next.refresh_token)).statusCode, 200, 'the new one rotates in turn');
  });

  test('reuse of a rotated refresh token is invalid_grant and revokes the whole family', async () => {
    const first = await signIn();
    const second = (await refresh(first.refresh_token)).json();
    assertOAuthError(await refresh(first.refresh_token), 400, 'invalid_grant', 'refresh token was already used or revoked; its sign-in is ended');
    assert.equal(await status(first.access_token), 401);
    assert.equal(await status(second.access_token), 401);
    assertOAuthError(await refresh(second.refresh_token), 400, 'invalid_grant', 'refresh token was already used or revoked; its sign-in is ended');
  });

  test('50 parallel refreshes of one token: exactly one success', async () => {
    const { refresh_token } = await signIn();
    const responses = await Promise.all(Array.from({ length: 50 }, () => refresh(refresh_token)));
    const successes = responses.filter((r) => r.statusCode === 200);
    const refusals = responses.filter((r) => r.statusCode === 400 && r.json().error === 'invalid_grant');
    assert.equal(successes.length, 1);
    assert.equal(refusals.length, 49);
    // The 49 others are reuse of a retired token: the family ends, the winner's new tokens too.
    const winner = (successes[0] as (typeof responses)[number]).json();
    assert.equal(await status(winner.access_token), 401);
    assertOAuthError(await refresh(winner.refresh_token), 400, 'invalid_grant');
  });

  test('a public (PKCE) client refreshes with client_id alone', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await new Browser(t).code(clients.pkceApp, clients.pkceApp.redirectUri, users.alice, {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    const tokens = (
      await tokenRequest(t, {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        client_id: clients.pkceApp.id,
        redirect_uri: clients.pkceApp.redirectUri,
      })
    ).json();
    const response = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clients.pkceApp.id });
    assert.equal(response.statusCode, 200, response.body);
  });
});

describe('refusals', () => {
  test('another client cannot use a refresh token, and does not spend it', async () => {
    const { refresh_token } = await signIn();
    assertOAuthError(
      await tokenRequest(t, { grant_type: 'refresh_token', refresh_token, client_id: clients.pkceApp.id }),
      400,
      'invalid_grant',
      'refresh token is invalid',
    );
    assert.equal((await refresh(refresh_token)).statusCode, 200);
  });

  test('missing, unknown, or an access token in its place', async () => {
    const { access_token } = await signIn();
    assertOAuthError(
      await tokenRequest(t, { grant_type: 'refresh_token' }, CODE_APP_AUTH),
      400,
      'invalid_request',
      'missing required parameter: refresh_token',
    );
    assertOAuthError(await refresh('nope'), 400, 'invalid_grant', 'refresh token is invalid');
    assertOAuthError(await refresh(access_token), 400, 'invalid_grant', 'refresh token is invalid');
  });

  test('no client authentication is invalid_client', async () => {
    const { refresh_token } = await signIn();
    assertOAuthError(await refresh(refresh_token, {}), 401, 'invalid_client');
    assertOAuthError(await refresh(refresh_token, { authorization: basic(clients.codeApp.id, 'wrong') }), 401, 'invalid_client');
  });

  test('a refresh token lives 30 days', async () => {
    const { refresh_token } = await signIn();
    t.clock.advance(30 * 24 * 3600_000);
    assertOAuthError(await refresh(refresh_token), 400, 'invalid_grant', 'refresh token has expired');
  });

  test('refused while the idle timeout applies to the user', async () => {
    const { refresh_token } = await signIn();
    await t.app.tokend.store.setIdleTokenTimeout(ACME, { ...DEFAULT_IDLE_TOKEN_TIMEOUT, enableIdleTokenTimeout: true });
    assertOAuthError(await refresh(refresh_token), 400, 'invalid_grant', 'refresh tokens are not accepted while an idle token timeout applies');
  });

  test('refused for a disabled user', async () => {
    const { refresh_token, access_token } = await signIn(users.carol);
    await setUserState(t.app.tokend, users.carol.id, 'inactive');
    try {
      assert.equal(await status(access_token), 401);
      assertOAuthError(await refresh(refresh_token), 400, 'invalid_grant');
    } finally {
      await setUserState(t.app.tokend, users.carol.id, 'active');
    }
  });
});

describe('revocation through the Tokens API ends refresh tokens', () => {
  test('DELETE /api/v2/tokens/{userId}', async () => {
    const bob = await signIn(users.bob);
    const admin = await t.token(clients.admin);
    const response = await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.bob.id}`, headers: bearer(admin) });
    assert.equal(response.statusCode, 204);
    assert.equal(await status(bob.access_token), 401);
    assertOAuthError(await refresh(bob.refresh_token), 400, 'invalid_grant');
  });

  test('DELETE /api/v2/tokens/me ends the refresh token of that sign-in only', async () => {
    const one = await signIn();
    const two = await signIn();
    const response = await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(one.access_token) });
    assert.equal(response.statusCode, 200);
    assertOAuthError(await refresh(one.refresh_token), 400, 'invalid_grant');
    assert.equal((await refresh(two.refresh_token)).statusCode, 200);
  });
});
