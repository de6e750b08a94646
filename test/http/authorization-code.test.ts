/** grant_type=authorization_code (CONTRACT.md, "/oauth/token"; issue 4 item 4): every rule, with its exact status and error. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { hashToken } from '../../src/core/secrets.js';
import { setUserState } from '../../src/core/admin/users.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { assertOAuthError, Browser, CODE_APP_AUTH, idleTimeoutOff, meStatus, pkcePair, tokenRequest } from '../helpers/browser-flow.js';
import { ACME, clients, groups, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => (t = await startTestApp()));
after(() => t.close());
beforeEach(() => idleTimeoutOff(t));

const status = (token: string) => meStatus(t, token);
const exchange = (code: string, extra: Record<string, string> = {}, headers: Record<string, string> = CODE_APP_AUTH) =>
  tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri, ...extra }, headers);
const refresh = (refreshToken: string) => tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken }, CODE_APP_AUTH);

/** A PKCE code of the public client, and its verifier. */
async function pkceCode(user = users.alice) {
  const { verifier, challenge } = pkcePair();
  const code = await new Browser(t).code(clients.pkceApp, clients.pkceApp.redirectUri, user, { code_challenge: challenge, code_challenge_method: 'S256' });
  return { code, verifier };
}
const pkceExchange = (code: string, verifier: string | undefined, headers: Record<string, string> = {}, clientId: string | null = clients.pkceApp.id) =>
  tokenRequest(
    t,
    {
      grant_type: 'authorization_code',
      code,
      redirect_uri: clients.pkceApp.redirectUri,
      ...(clientId !== null ? { client_id: clientId } : {}),
      ...(verifier !== undefined ? { code_verifier: verifier } : {}),
    },
    headers,
  );

describe('confidential client (Basic)', () => {
  test('a code is exchanged for an access and a refresh token carrying the client scopes', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice, { state: 'xyz' });
    const response = await exchange(code);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers.pragma, 'no-cache');
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 86400);
    assert.match(body.refresh_token, /^[A-Za-z0-9_-]{43}$/);
    const info = (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(body.access_token) })).json();
    assert.deepEqual(info.authorizedScope, ['authorization', 'user-basic-info']);
    assert.equal(info.OAuthClient.id, clients.codeApp.id);
    assert.equal(info.OAuthClient.authorizedGrantType, 'CODE');
    assert.deepEqual(info.OAuthClient.scope, ['authorization']);
  });

  test('without Basic, or with a wrong secret, the client is refused: 401 invalid_client', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    assertOAuthError(await exchange(code, { client_id: clients.codeApp.id }, {}), 401, 'invalid_client', 'authentication failed');
    assertOAuthError(await exchange(code, {}, { authorization: basic(clients.codeApp.id, 'wrong') }), 401, 'invalid_client', 'authentication failed');
    // The refusals came before the code was looked at: it still works.
    assert.equal((await exchange(code)).statusCode, 200);
  });

  test('a client registered for another grant is unauthorized_client', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    const response = await exchange(code, {}, { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret) });
    assertOAuthError(response, 400, 'unauthorized_client', 'client is not authorized to use grant type authorization_code');
  });

  test('missing code or redirect_uri is invalid_request; an unknown code is invalid_grant', async () => {
    assertOAuthError(
      await tokenRequest(t, { grant_type: 'authorization_code', redirect_uri: clients.codeApp.redirectUri }, CODE_APP_AUTH),
      400,
      'invalid_request',
      'missing required parameter: code',
    );
    assertOAuthError(
      await tokenRequest(t, { grant_type: 'authorization_code', code: 'abc' }, CODE_APP_AUTH),
      400,
      'invalid_request',
      'missing required parameter: redirect_uri',
    );
    assertOAuthError(await exchange('not-a-code'), 400, 'invalid_grant', 'authorization code is invalid');
  });
});

describe('single use', () => {
  test('a replayed code is invalid_grant and revokes every token issued from it, refresh rotations included', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    const first = (await exchange(code)).json();
    const rotated = (await refresh(first.refresh_token)).json();
    assert.equal(await status(first.access_token), 200);
    assert.equal(await status(rotated.access_token), 200);
    assertOAuthError(await exchange(code), 400, 'invalid_grant', 'authorization code was already used; the tokens issued from it are revoked');
    assert.equal(await status(first.access_token), 401);
    assert.equal(await status(rotated.access_token), 401);
    assertOAuthError(await refresh(rotated.refresh_token), 400, 'invalid_grant');
  });

  test('20 parallel redemptions of one code: exactly one succeeds, and the replays revoke what it got', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    const responses = await Promise.all(Array.from({ length: 20 }, () => exchange(code)));
    const winners = responses.filter((r) => r.statusCode === 200);
    assert.equal(winners.length, 1);
    for (const loser of responses.filter((r) => r.statusCode !== 200)) assertOAuthError(loser, 400, 'invalid_grant');
    assert.equal(await status((winners[0] as (typeof responses)[number]).json().access_token), 401);
  });

  test('the store keeps only the hash of a code', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.bob);
    const stored = await t.app.tokend.store.findCode(hashToken(code));
    assert.ok(stored, 'found by its hash');
    assert.ok(!JSON.stringify(stored).includes(code), 'the raw code is nowhere in the record');
    assert.equal(await t.app.tokend.store.findCode(code), null, 'not found by the raw code');
  });
});

describe('lifetime and binding', () => {
  test('a code is good for 5 minutes, not a millisecond more', async () => {
    const early = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    const late = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    t.clock.advance(300_000 - 1);
    assert.equal((await exchange(early)).statusCode, 200);
    t.clock.advance(1);
    assertOAuthError(await exchange(late), 400, 'invalid_grant', 'authorization code has expired');
  });

  test('a code is bound to its client', async () => {
    const { code, verifier } = await pkceCode();
    assertOAuthError(
      await exchange(code, { code_verifier: verifier, redirect_uri: clients.pkceApp.redirectUri }),
      400,
      'invalid_grant',
      'authorization code was issued to another client',
    );
  });

  test('a code is bound to its redirect URI, exactly', async () => {
    const browser = new Browser(t);
    const code = await browser.code(clients.codeApp, 'http://127.0.0.1:4321/callback', users.alice);
    assertOAuthError(
      await exchange(code, { redirect_uri: 'http://127.0.0.1:4322/callback' }),
      400,
      'invalid_grant',
      'redirect_uri does not match the authorization request',
    );
    const other = await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    assertOAuthError(
      await exchange(other, { redirect_uri: `${clients.codeApp.redirectUri}/` }),
      400,
      'invalid_grant',
      'redirect_uri does not match the authorization request',
    );
  });

  test('a failed redemption uses the code up', async () => {
    const browser = new Browser(t);
    const code = await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    assertOAuthError(await exchange(code, { redirect_uri: 'https://evil.test/' }), 400, 'invalid_grant');
    assertOAuthError(await exchange(code), 400, 'invalid_grant', 'authorization code was already used; the tokens issued from it are revoked');
  });

  test('a code dies with the sign-in that approved it, and with its user', async () => {
    const browser = new Browser(t);
    const code = await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    await browser.signOut();
    assertOAuthError(await exchange(code), 400, 'invalid_grant', 'the sign-in that approved this code has ended');

    const carolCode = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.carol);
    await setUserState(t.app.tokend, users.carol.id, 'inactive');
    try {
      assertOAuthError(await exchange(carolCode), 400, 'invalid_grant', 'the user of this code cannot sign in');
    } finally {
      await setUserState(t.app.tokend, users.carol.id, 'active');
    }
  });
});

describe('PKCE (public client)', () => {
  test('code_verifier and client_id, no secret: tokens', async () => {
    const { code, verifier } = await pkceCode();
    const response = await pkceExchange(code, verifier);
    assert.equal(response.statusCode, 200, response.body);
    const info = (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(response.json().access_token) })).json();
    assert.deepEqual(info.authorizedScope, ['authorization:readonly', 'user-basic-info']);
    assert.equal(info.OAuthClient.id, clients.pkceApp.id);
  });

  test('an optional Basic header with an empty secret is accepted; one with a secret is not', async () => {
    const a = await pkceCode();
    assert.equal((await pkceExchange(a.code, a.verifier, { authorization: basic(clients.pkceApp.id, '') }, null)).statusCode, 200);
    const b = await pkceCode();
    assertOAuthError(await pkceExchange(b.code, b.verifier, { authorization: basic(clients.pkceApp.id, 'guess') }), 401, 'invalid_client');
    assertOAuthError(await pkceExchange(b.code, b.verifier, {}, null), 401, 'invalid_client');
    assertOAuthError(await pkceExchange(b.code, b.verifier, { authorization: basic(clients.codeApp.id, clients.codeApp.secret) }), 401, 'invalid_client');
    assert.equal((await pkceExchange(b.code, b.verifier)).statusCode, 200, 'the refusals left the code alone');
  });

  test('a wrong, missing or malformed verifier is invalid_grant', async () => {
    const wrong = await pkceCode();
    assertOAuthError(await pkceExchange(wrong.code, pkcePair().verifier), 400, 'invalid_grant', 'code_verifier does not match code_challenge');
    assertOAuthError(
      await pkceExchange(wrong.code, wrong.verifier),
      400,
      'invalid_grant',
      'authorization code was already used; the tokens issued from it are revoked',
    );
    const missing = await pkceCode();
    assertOAuthError(await pkceExchange(missing.code, undefined), 400, 'invalid_grant', 'code_verifier is required for this code');
    const short = await pkceCode();
    assertOAuthError(await pkceExchange(short.code, 'too-short'), 400, 'invalid_grant', 'code_verifier is malformed');
  });

  test('a verifier for a code issued without a challenge is refused', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    assertOAuthError(
      await exchange(code, { code_verifier: pkcePair().verifier }),
      400,
      'invalid_grant',
      'code_verifier was sent for a code issued without code_challenge',
    );
  });

  test('a confidential client may use PKCE too', async () => {
    const { verifier, challenge } = pkcePair();
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice, {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assertOAuthError(await exchange(code), 400, 'invalid_grant', 'code_verifier is required for this code');
    const again = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice, {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    assert.equal((await exchange(again, { code_verifier: verifier })).statusCode, 200);
  });
});

describe('PKCE with a CODE client that has a secret (the official SDK sends no secret)', () => {
  /** A PKCE code of the confidential client, and its verifier. */
  async function secretClientPkceCode() {
    const { verifier, challenge } = pkcePair();
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice, {
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    return { code, verifier };
  }
  const byVerifier = (
    code: string,
    verifier: string,
    clientId: string | null = clients.codeApp.id,
    headers: Record<string, string> = {},
    remoteAddress?: string,
  ) =>
    t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      ...(remoteAddress !== undefined ? { remoteAddress } : {}),
      payload: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: clients.codeApp.redirectUri,
        ...(clientId !== null ? { client_id: clientId } : {}),
      }).toString(),
    });

  test('client_id and code_verifier redeem a code issued with a challenge', async () => {
    const { code, verifier } = await secretClientPkceCode();
    const response = await byVerifier(code, verifier);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    const info = (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(body.access_token) })).json();
    assert.equal(info.OAuthClient.id, clients.codeApp.id);
    assert.deepEqual(info.authorizedScope, ['authorization', 'user-basic-info']);
  });

  test('an optional Basic header: the right secret or an empty one is accepted', async () => {
    const right = await secretClientPkceCode();
    assert.equal((await byVerifier(right.code, right.verifier, null, CODE_APP_AUTH)).statusCode, 200);
    const empty = await secretClientPkceCode();
    assert.equal((await byVerifier(empty.code, empty.verifier, null, { authorization: basic(clients.codeApp.id, '') })).statusCode, 200);
  });

  test('a wrong secret in it is refused, through the client-authentication throttle, and leaves the code alone', async () => {
    const { code, verifier } = await secretClientPkceCode();
    const wrong = { authorization: basic(clients.codeApp.id, 'not-the-secret') };
    // CONTRACT.md: at most 5 failed guesses per client id per address, then 429.
    for (let i = 0; i < 5; i++) {
      const refused = await byVerifier(code, verifier, clients.codeApp.id, wrong, '198.51.100.7');
      assertOAuthError(refused, 401, 'invalid_client', 'authentication failed');
      assert.equal(refused.headers['www-authenticate'], 'Basic realm="tokend"');
    }
    const throttled = await byVerifier(code, verifier, clients.codeApp.id, wrong, '198.51.100.7');
    assertOAuthError(throttled, 429, 'invalid_client');
    assert.match(String(throttled.headers['retry-after']), /^\d+$/);
    assert.equal((await byVerifier(code, verifier)).statusCode, 200, 'the refusals left the code alone');
  });

  test('a code issued without a challenge still needs the secret, and is left alone', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    assertOAuthError(await exchange(code, { client_id: clients.codeApp.id }, {}), 401, 'invalid_client', 'authentication failed');
    assertOAuthError(
      await exchange(code, { client_id: clients.codeApp.id }, { authorization: basic(clients.codeApp.id, '') }),
      401,
      'invalid_client',
      'authentication failed',
    );
    assert.equal((await exchange(code)).statusCode, 200);
  });

  test('a wrong verifier is invalid_grant and uses the code up', async () => {
    const { code, verifier } = await secretClientPkceCode();
    assertOAuthError(await byVerifier(code, pkcePair().verifier), 400, 'invalid_grant', 'code_verifier does not match code_challenge');
    assertOAuthError(await byVerifier(code, verifier), 400, 'invalid_grant', 'authorization code was already used; the tokens issued from it are revoked');
  });

  test('the code names its client: another id, unknown or holding a secret, is invalid_client; a public one gets invalid_grant', async () => {
    const { code, verifier } = await secretClientPkceCode();
    assertOAuthError(await byVerifier(code, verifier, '00000000-0000-4000-8000-000000000000'), 401, 'invalid_client', 'authentication failed');
    assertOAuthError(await byVerifier(code, verifier, clients.admin.id), 401, 'invalid_client', 'authentication failed');
    assertOAuthError(await byVerifier('not-a-code', verifier), 401, 'invalid_client', 'authentication failed');
    assertOAuthError(await byVerifier(code, verifier, null), 401, 'invalid_client');
    assertOAuthError(await byVerifier(code, verifier, clients.pkceApp.id), 400, 'invalid_grant', 'authorization code was issued to another client');
  });

  test('refreshing still needs the secret', async () => {
    const { code, verifier } = await secretClientPkceCode();
    const refreshToken = (await byVerifier(code, verifier)).json().refresh_token as string;
    const form = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clients.codeApp.id };
    assertOAuthError(await tokenRequest(t, form), 401, 'invalid_client', 'authentication failed');
    assert.equal((await tokenRequest(t, form, CODE_APP_AUTH)).statusCode, 200);
  });
});

describe('refresh tokens and the idle timeout', () => {
  test('no refresh token while the organization idle timeout is enabled', async () => {
    await t.app.tokend.store.setIdleTokenTimeout(ACME, { ...DEFAULT_IDLE_TOKEN_TIMEOUT, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 600 });
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    const body = (await exchange(code)).json();
    assert.equal(body.refresh_token, undefined);
    assert.equal(typeof body.access_token, 'string');
  });

  test('a group bundle applies per user: no refresh token for its members only', async () => {
    await t.app.tokend.store.setIdleTokenTimeout(ACME, {
      ...DEFAULT_IDLE_TOKEN_TIMEOUT,
      inactivityTimeoutGroupsEnabled: true,
      inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 900, groups: [groups.nightShift] }],
    });
    const bob = (await exchange(await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.bob))).json();
    const alice = (await exchange(await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice))).json();
    assert.equal(bob.refresh_token, undefined, 'bob is in the night shift bundle');
    assert.equal(typeof alice.refresh_token, 'string', 'alice is in no bundle');
  });
});
