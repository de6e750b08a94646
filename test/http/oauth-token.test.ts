/** POST /oauth/token: client credentials and password grants, and every refusal (CONTRACT.md). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';
import { hashToken } from '../../src/core/secrets.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function post(payload: string, headers: Record<string, string> = {}) {
  return t.inject({ method: 'POST', url: '/oauth/token', headers: { ...FORM, ...headers }, payload });
}

function assertOAuthError(response: Awaited<ReturnType<typeof post>>, status: number, error: string, description?: string) {
  assert.equal(response.statusCode, status);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.equal(response.headers['cache-control'], 'no-store');
  const body = response.json();
  assert.deepEqual(Object.keys(body).sort(), ['description', 'error', 'error_description']);
  assert.equal(body.error, error);
  assert.equal(body.description, body.error_description);
  if (description !== undefined) assert.equal(body.description, description);
}

describe('client credentials', () => {
  test('issues an opaque bearer token with the no-store headers', async () => {
    const response = await post('grant_type=client_credentials', { authorization: basic(clients.admin.id, clients.admin.secret) });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers.pragma, 'no-cache');
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'token_type']);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 86400);
    assert.match(body.access_token, /^[A-Za-z0-9_-]{43}$/, '256 bits, base64url, not a JWT');
    const stored = await t.app.tokend.store.findTokenByHash(hashToken(body.access_token));
    assert.equal(stored?.familyId, null, 'no sign-in, so no family');
    assert.equal((await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(body.access_token) })).statusCode, 200);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(body.access_token) })).statusCode, 401, 'revoked without one');
  });

  test('the lifetime is the client accessTokenValiditySeconds', async () => {
    const response = await post('grant_type=client_credentials', { authorization: basic(clients.plain.id, clients.plain.secret) });
    assert.equal(response.json().expires_in, 600);
    const token = response.json().access_token as string;
    t.clock.advance(599_000);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
    t.clock.advance(1_000);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 401);
  });

  test('an unknown client and a wrong secret get the same answer', async () => {
    const unknown = await post('grant_type=client_credentials', { authorization: basic('00000000-0000-4000-8000-000000000000', 'x') });
    const wrong = await post('grant_type=client_credentials', { authorization: basic(clients.admin.id, 'not-the-secret') });
    for (const response of [unknown, wrong]) {
      assertOAuthError(response, 401, 'invalid_client', 'authentication failed');
      assert.equal(response.headers['www-authenticate'], 'Basic realm="tokend"');
    }
    assert.equal(unknown.body, wrong.body);
  });

  test('no client authentication, or a malformed Basic header, is invalid_client', async () => {
    assertOAuthError(await post('grant_type=client_credentials'), 401, 'invalid_client');
    assertOAuthError(await post('grant_type=client_credentials', { authorization: 'Basic !!!' }), 401, 'invalid_client');
    assertOAuthError(
      await post('grant_type=client_credentials', { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` }),
      401,
      'invalid_client',
    );
    assertOAuthError(await post('grant_type=client_credentials', { authorization: 'Bearer abc' }), 401, 'invalid_client');
  });

  test('a disabled or inactive client is refused', async () => {
    assertOAuthError(
      await post('grant_type=client_credentials', { authorization: basic(clients.disabled.id, clients.disabled.secret) }),
      400,
      'unauthorized_client',
      'client is disabled',
    );
    assertOAuthError(
      await post('grant_type=client_credentials', { authorization: basic(clients.inactive.id, clients.inactive.secret) }),
      400,
      'unauthorized_client',
      'client is inactive',
    );
  });

  test('a grant the client is not registered for is unauthorized_client', async () => {
    const response = await post('grant_type=client_credentials', { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret) });
    assertOAuthError(response, 400, 'unauthorized_client', 'client is not authorized to use grant type client_credentials');
    const password = await post('grant_type=password&username=alice%40acme.test&password=alice-password', {
      authorization: basic(clients.admin.id, clients.admin.secret),
    });
    assertOAuthError(password, 400, 'unauthorized_client', 'client is not authorized to use grant type password');
  });
});

describe('request shape', () => {
  test('a missing or unknown grant_type', async () => {
    assertOAuthError(
      await post('', { authorization: basic(clients.admin.id, clients.admin.secret) }),
      400,
      'invalid_request',
      'missing required parameter: grant_type',
    );
    assertOAuthError(await post('grant_type=magic', { authorization: basic(clients.admin.id, clients.admin.secret) }), 400, 'unsupported_grant_type');
  });

  test('a parameter given twice is invalid_request', async () => {
    const response = await post('grant_type=client_credentials&grant_type=password', { authorization: basic(clients.admin.id, clients.admin.secret) });
    assertOAuthError(response, 400, 'invalid_request', 'parameter grant_type was given more than once');
  });

  test('a body of another type, empty or not, is refused with the OAuth error shape', async () => {
    for (const [type, payload] of [
      ['application/json', '{"grant_type":"client_credentials"}'],
      ['application/json', ''],
      ['text/plain', 'grant_type=client_credentials'],
    ]) {
      const response = await t.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': type!, authorization: basic(clients.admin.id, clients.admin.secret) },
        payload,
      });
      assertOAuthError(response, 415, 'invalid_request', 'the request body must be application/x-www-form-urlencoded');
    }
  });

  test('an empty body names what is missing, in OAuth terms, with or without a Content-Type', async () => {
    assertOAuthError(await t.inject({ method: 'POST', url: '/oauth/token' }), 400, 'invalid_request', 'missing required parameter: grant_type');
    assertOAuthError(await post(''), 400, 'invalid_request', 'missing required parameter: grant_type');
  });

  test('a body without a Content-Type is read as a form, as Genesys reads it', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(clients.admin.id, clients.admin.secret) },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().token_type, 'bearer');
    assertOAuthError(await t.inject({ method: 'POST', url: '/oauth/token', payload: 'grant_type=magic' }), 400, 'unsupported_grant_type');
  });

  test("an oversized body is 413, naming the limit: the token endpoint's own 1 MiB (a SAML assertion may be 256 KiB), the server's 64 KiB elsewhere", async () => {
    const response = await post(`grant_type=client_credentials&pad=${'x'.repeat(1024 * 1024)}`);
    assertOAuthError(response, 413, 'invalid_request', 'the request body is larger than 1048576 bytes');
    // Under the token endpoint's limit but over the server's: read, and judged as a token request.
    assertOAuthError(await post(`grant_type=magic&pad=${'x'.repeat(70 * 1024)}`), 400, 'unsupported_grant_type');
    const revoke = await t.inject({
      method: 'POST',
      url: '/oauth/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=x&pad=${'x'.repeat(70 * 1024)}`,
    });
    assertOAuthError(revoke, 413, 'invalid_request', 'the request body is larger than 65536 bytes');
  });
});

describe('password grant', () => {
  const login = (user: { email: string; password: string }, extra = '') =>
    post(`grant_type=password&username=${encodeURIComponent(user.email)}&password=${encodeURIComponent(user.password)}${extra}`, {
      authorization: basic(clients.passwordApp.id, clients.passwordApp.secret),
    });

  test('issues a user token carrying the client scopes and user-basic-info', async () => {
    const response = await login(users.alice);
    assert.equal(response.statusCode, 200);
    const me = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(response.json().access_token) });
    assert.deepEqual(me.json().authorizedScope, ['authorization', 'user-basic-info']);
    assert.equal(me.json().OAuthClient.id, clients.passwordApp.id);
    assert.deepEqual(me.json().OAuthClient.scope, ['authorization']);
  });

  test('the username is the email, in any case', async () => {
    assert.equal((await login({ email: 'ALICE@acme.test', password: users.alice.password })).statusCode, 200);
  });

  test('a requested scope narrows the token; one the client lacks is invalid_scope', async () => {
    const narrowed = await login(users.alice, '&scope=user-basic-info');
    const me = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(narrowed.json().access_token) });
    assert.deepEqual(me.json().authorizedScope, ['user-basic-info']);
    assertOAuthError(await login(users.alice, '&scope=admin'), 400, 'invalid_scope', 'scope not allowed for this client: admin');
  });

  test('a wrong password, an unknown user and an inactive user get one answer', async () => {
    for (const user of [{ ...users.alice, password: 'nope' }, { email: 'nobody@acme.test', password: 'x' }, users.dave]) {
      assertOAuthError(await login(user), 400, 'invalid_grant', 'invalid username or password');
    }
  });

  test('a user of another organization cannot sign in through this client', async () => {
    assertOAuthError(await login(users.gina), 400, 'invalid_grant', 'invalid username or password');
  });

  test('missing username or password is invalid_request', async () => {
    const response = await post('grant_type=password&username=alice%40acme.test', { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret) });
    assertOAuthError(response, 400, 'invalid_request', 'missing required parameter: password');
  });
});
