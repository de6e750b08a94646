/**
 * POST /oauth/revoke (RFC 7009; CONTRACT.md, "Standard OAuth endpoints"; issue 15): a client
 * revokes its own access or refresh tokens, with their sign-in; anything else answers 200 and
 * changes nothing. Through openid-client's tokenRevocation against a listening tokend.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { basic, bearer, type TestApp } from '../helpers/app.js';
import { Browser, pkceSignIn, tokenRequest } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';
import { discover, formPost, INVALID_CLIENT_BODY, listeningTokend } from '../helpers/oauth-std.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

let t: TestApp;
let url: string;
before(async () => {
  ({ t, url } = await listeningTokend());
});
after(() => t.close());
afterEach(() => t.clock.advance(15 * 60_000));

const codeAuth = { authorization: basic(clients.codeApp.id, clients.codeApp.secret) };
const status = async (token: string) => (await t.inject({ method: 'GET', url: '/api/v2/tokens/me?preserveIdleTTL=true', headers: bearer(token) })).statusCode;
const refresh = (refreshToken: string, headers: Record<string, string> = codeAuth) =>
  tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken }, headers);

async function codeSignIn(): Promise<{ access_token: string; refresh_token: string }> {
  const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
  const response = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, codeAuth);
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

/** 200, no body, not cached: what every accepted revocation request answers. */
function assertRevokeAnswer(response: Awaited<ReturnType<typeof formPost>>): void {
  assert.equal(response.statusCode, 200, response.body);
  assert.equal(response.body, '');
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.equal(response.headers.pragma, 'no-cache');
}

describe('a client revokes its own tokens (openid-client tokenRevocation)', () => {
  test('a client-credentials access token: refused at once, introspected inactive', async () => {
    const token = await t.token(clients.plain);
    assert.equal(await status(token), 200);
    await oidc.tokenRevocation(await discover(url, clients.plain), token, { token_type_hint: 'access_token' });
    assert.equal(await status(token), 401);
    assert.equal((await formPost(t, '/oauth/introspect', { token }, clients.admin)).body, '{"active":false}');
  });

  test('a refresh token: it no longer refreshes, and the access tokens of its sign-in are refused (RFC 7009 §2.1)', async () => {
    const tokens = await codeSignIn();
    await oidc.tokenRevocation(await discover(url, clients.codeApp), tokens.refresh_token, { token_type_hint: 'refresh_token' });
    assert.equal(await status(tokens.access_token), 401);
    const response = await refresh(tokens.refresh_token);
    assert.equal(response.statusCode, 400, response.body);
    assert.equal(response.json().error, 'invalid_grant');
  });

  test('an access token of a sign-in ends it, as DELETE /tokens/me does: its refresh token is refused too', async () => {
    const tokens = await codeSignIn();
    // The hint is wrong and ignored.
    await oidc.tokenRevocation(await discover(url, clients.codeApp), tokens.access_token, { token_type_hint: 'refresh_token' });
    assert.equal(await status(tokens.access_token), 401);
    assert.equal((await refresh(tokens.refresh_token)).statusCode, 400);
  });

  test('a public client revokes its own refresh token with client_id alone (auth method none)', async () => {
    const tokens = await pkceSignIn(t, users.alice);
    await oidc.tokenRevocation(await discover(url, { id: clients.pkceApp.id }), tokens.refresh_token);
    assert.equal(await status(tokens.access_token), 401);
    const refused = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: clients.pkceApp.id });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().error, 'invalid_grant');
  });
});

describe('anything else answers 200 and changes nothing', () => {
  test("another client's token, of the same organization or another: the token still works", async () => {
    const token = await t.token(clients.plain);
    for (const caller of [clients.admin, clients.globex]) {
      await oidc.tokenRevocation(await discover(url, caller), token);
      assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token }, caller));
      assert.equal(await status(token), 200, `after ${caller.id} asked`);
    }
    const tokens = await codeSignIn();
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token: tokens.refresh_token }, clients.passwordApp));
    assert.equal((await refresh(tokens.refresh_token)).statusCode, 200, 'the refresh token was not spent');
  });

  test("a public client cannot revoke another client's token by naming itself", async () => {
    const tokens = await codeSignIn();
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token: tokens.access_token, client_id: clients.pkceApp.id }));
    assert.equal(await status(tokens.access_token), 200);
  });

  test('an unknown, over-long, already revoked or expired token', async () => {
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token: randomBytes(32).toString('base64url') }, clients.plain));
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token: 'x'.repeat(10_000) }, clients.plain));
    const token = await t.token(clients.plain);
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token }, clients.plain));
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token }, clients.plain));
    const expiring = await t.token(clients.plain);
    t.clock.advance(600_000);
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token: expiring }, clients.plain));
  });
});

describe('who may ask: clients authenticated as at /oauth/token', () => {
  const invalidClient = (response: Awaited<ReturnType<typeof formPost>>) => {
    assert.equal(response.statusCode, 401, response.body);
    assert.equal(response.body, INVALID_CLIENT_BODY);
    assert.equal(response.headers['www-authenticate'], 'Basic realm="tokend"');
  };

  test('no token: 400 invalid_request, and nothing is authenticated', async () => {
    const response = await formPost(t, '/oauth/revoke', { token_type_hint: 'access_token' }, clients.plain);
    assert.equal(response.statusCode, 400);
    assert.equal(
      response.body,
      JSON.stringify({ error: 'invalid_request', description: 'missing required parameter: token', error_description: 'missing required parameter: token' }),
    );
  });

  test('no credentials, a wrong secret, an unknown id with a secret, a secret in the form, ids that disagree: 401 invalid_client, and the token lives', async () => {
    const token = await t.token(clients.plain);
    invalidClient(await formPost(t, '/oauth/revoke', { token }));
    invalidClient(await formPost(t, '/oauth/revoke', { token }, { id: clients.plain.id, secret: 'wrong' }, '10.90.0.1'));
    invalidClient(await formPost(t, '/oauth/revoke', { token }, { id: 'no-such-client', secret: 'wrong' }, '10.90.0.2'));
    // Only Basic authenticates: a client_secret in the form is refused alike, whatever the id and the secret.
    for (const client_id of [clients.plain.id, clients.pkceApp.id, randomUUID()]) {
      invalidClient(await formPost(t, '/oauth/revoke', { token, client_id, client_secret: clients.plain.secret }));
    }
    invalidClient(await formPost(t, '/oauth/revoke', { token, client_id: clients.admin.id }, clients.plain));
    assert.equal(await status(token), 200);
  });

  test('a client_id without a secret: the same 200 for a public id, a confidential one, a disabled one and one that does not exist; only a public client ends its own token', async () => {
    const token = await t.token(clients.plain);
    const pkceTokens = await pkceSignIn(t, users.alice);
    const answers = [];
    for (const client_id of [clients.pkceApp.id, clients.plain.id, clients.disabled.id, randomUUID(), 'not-even-a-uuid']) {
      // Named in the form, or by HTTP Basic with an empty secret.
      const asSent = [
        formPost(t, '/oauth/revoke', { token, client_id }),
        t.inject({
          method: 'POST',
          url: '/oauth/revoke',
          headers: { ...FORM, authorization: basic(client_id, '') },
          payload: new URLSearchParams({ token }).toString(),
        }),
      ];
      for (const response of await Promise.all(asSent)) {
        assertRevokeAnswer(response);
        answers.push(
          JSON.stringify({
            status: response.statusCode,
            body: response.body,
            headers: { ...response.headers, date: undefined, 'inin-correlation-id': undefined, 'genesys-correlation-id': undefined },
          }),
        );
      }
    }
    assert.equal(new Set(answers).size, 1, 'one answer for every id');
    assert.equal(await status(token), 200, 'nobody proved to be its client');
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token: pkceTokens.access_token, client_id: clients.pkceApp.id }));
    assert.equal(await status(pkceTokens.access_token), 401, "the public client's own token ended");
  });

  test('wrong secrets are throttled as at /oauth/token: 5 invalid_client, then 429 with Retry-After whatever the secret, the right one included', async () => {
    const token = await t.token(clients.plain);
    for (let i = 0; i < 5; i++) invalidClient(await formPost(t, '/oauth/revoke', { token }, { id: clients.plain.id, secret: `wrong-${i}` }, '10.91.0.1'));
    for (const secret of [clients.plain.secret, 'wrong-again']) {
      const refused = await formPost(t, '/oauth/revoke', { token }, { id: clients.plain.id, secret }, '10.91.0.1');
      assert.equal(refused.statusCode, 429, refused.body);
      assert.equal(refused.json().error, 'invalid_client');
      assert.ok(Number(refused.headers['retry-after']) > 0);
    }
    assert.equal(await status(token), 200, 'nothing was revoked past the cap');
    // From another address the client is not held to this one's cap.
    assertRevokeAnswer(await formPost(t, '/oauth/revoke', { token }, clients.plain, '10.91.0.2'));
    assert.equal(await status(token), 401);
  });
});

describe('CORS: a page may revoke its own tokens; introspection is for servers', () => {
  test('OPTIONS and POST /oauth/revoke from another origin are allowed; /oauth/introspect is not', async () => {
    const origin = 'https://spa.acme.test';
    const preflight = await t.inject({ method: 'OPTIONS', url: '/oauth/revoke', headers: { origin, 'access-control-request-method': 'POST' } });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], origin);
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET, HEAD, POST, PUT, DELETE');
    const revoked = await t.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=x&client_id=${clients.pkceApp.id}`,
    });
    assert.equal(revoked.statusCode, 200);
    assert.equal(revoked.headers['access-control-allow-origin'], origin);
    const introspected = await t.inject({
      method: 'POST',
      url: '/oauth/introspect',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded', authorization: basic(clients.admin.id, clients.admin.secret) },
      payload: 'token=x',
    });
    assert.equal(introspected.statusCode, 200);
    assert.equal(introspected.headers['access-control-allow-origin'], undefined);
    const introspectPreflight = await t.inject({ method: 'OPTIONS', url: '/oauth/introspect', headers: { origin, 'access-control-request-method': 'POST' } });
    assert.equal(introspectPreflight.statusCode, 404);
    assert.equal(introspectPreflight.headers['access-control-allow-origin'], undefined);
  });
});
