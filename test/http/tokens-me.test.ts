/** getTokensMe, headTokensMe, deleteTokensMe and the bearer rules (CONTRACT.md). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOT_A_BOOLEAN = {
  status: 400,
  code: 'invalid.query.param.value',
  message: 'Invalid value for parameter preserveIdleTTL: must be boolean.',
  details: [{ errorCode: 'invalid.query.param.value', fieldName: 'preserveIdleTTL' }],
};
const me = (headers: Record<string, string> = {}, method: 'GET' | 'HEAD' | 'DELETE' = 'GET', query = '') =>
  t.inject({ method, url: `/api/v2/tokens/me${query}`, headers });

function assertApiHeaders(response: Awaited<ReturnType<typeof me>>) {
  const id = response.headers['inin-correlation-id'];
  assert.match(String(id), UUID);
  assert.equal(response.headers['genesys-correlation-id'], id);
  assert.equal(response.headers['cache-control'], 'no-cache, no-store, must-revalidate');
  assert.equal(response.headers.pragma, 'no-cache');
  assert.equal(response.headers.expires, '0');
}

describe('GET /api/v2/tokens/me', () => {
  test('returns the TokenInfo of a client-credentials token', async () => {
    const token = await t.token(clients.admin);
    const response = await me(bearer(token));
    assert.equal(response.statusCode, 200);
    assertApiHeaders(response);
    assert.equal(response.headers['inin-ratelimit-allowed'], '300');
    assert.equal(response.headers['inin-ratelimit-count'], '1');
    assert.match(String(response.headers['inin-ratelimit-reset']), /^\d+$/);
    const body = response.json();
    assert.deepEqual(body.organization, { id: ACME, name: 'Acme' });
    assert.deepEqual(body.homeOrganization, { id: ACME, name: 'Acme' });
    assert.deepEqual(body.authorizedScope, []);
    assert.equal(body.dateTokenIdles, undefined, 'no idle timeout applies');
    assert.equal(body.clonedUser, undefined);
    const client = body.OAuthClient;
    assert.equal(client.id, clients.admin.id);
    assert.equal(client.name, 'Admin service');
    assert.equal(client.authorizedGrantType, 'CLIENT-CREDENTIALS');
    assert.equal(client.state, 'active');
    assert.deepEqual(client.organization, { id: ACME, name: 'Acme' });
    assert.equal(client.roleDivisions.length, 2);
    assert.equal(client.scope, undefined);
    assert.equal(client.secret, undefined);
    assert.ok(!JSON.stringify(body).includes(clients.admin.secret), 'never the secret');
    assert.ok(!Number.isNaN(Date.parse(client.dateCreated)));
  });

  test('the scheme is case-insensitive', async () => {
    const token = await t.token(clients.admin);
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
      assert.equal((await me({ authorization: `${scheme} ${token}` })).statusCode, 200);
    }
  });

  test('no header, another scheme, or a token in the query string: authentication.required', async () => {
    const token = await t.token(clients.admin);
    for (const headers of [{} as Record<string, string>, { authorization: `Basic ${token}` }, { authorization: 'Bearer' }, { authorization: token }]) {
      const response = await me(headers);
      assertErrorBody(response, errorBodies.authenticationRequired);
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="tokend"');
    }
    assertErrorBody(await me({}, 'GET', `?access_token=${token}`), errorBodies.authenticationRequired);
  });

  test('an unknown or malformed token: bad.credentials', async () => {
    for (const token of ['nope', 'x'.repeat(43), 'y'.repeat(2000), '%%%']) {
      const response = await me(bearer(token));
      assertErrorBody(response, errorBodies.badCredentials);
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="tokend", error="invalid_token"');
    }
  });

  test('an expired token: bad.credentials', async () => {
    const token = await t.token(clients.plain);
    t.clock.advance(600_000);
    assertErrorBody(await me(bearer(token)), errorBodies.badCredentials);
  });

  test('preserveIdleTTL must be a boolean', async () => {
    const token = await t.token(clients.admin);
    assertErrorBody(await me(bearer(token), 'GET', '?preserveIdleTTL=maybe'), NOT_A_BOOLEAN);
    assert.equal((await me(bearer(token), 'GET', '?preserveIdleTTL=true')).statusCode, 200);
    assert.equal((await me(bearer(token), 'GET', '?preserveIdleTTL=false')).statusCode, 200);
  });

  test('preserveIdleTTL takes true and false in any letter case (.NET SDKs before 204.0.0 send True)', async () => {
    await t.app.tokend.store.setIdleTokenTimeout(ACME, { ...DEFAULT_IDLE_TOKEN_TIMEOUT, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 });
    t.app.tokend.authenticator.invalidate();
    try {
      const token = await t.token(clients.admin);
      const idles = async (query: string) => {
        const response = await me(bearer(token), 'GET', query);
        assert.equal(response.statusCode, 200, `${query}: ${response.body}`);
        return response.json().dateTokenIdles;
      };
      const first = await idles('');
      t.clock.advance(100_000);
      for (const value of ['True', 'TRUE', 'tRUE', 'true']) assert.equal(await idles(`?preserveIdleTTL=${value}`), first, `${value} leaves the idle clock`);
      for (const value of ['False', 'FALSE', 'false']) {
        t.clock.advance(1_000);
        assert.equal(await idles(`?preserveIdleTTL=${value}`), new Date(t.clock.now() + 300_000).toISOString(), `${value} restarts it`);
      }
      for (const value of ['maybe', 'Truee', 'yes', '1']) {
        assertErrorBody(await me(bearer(token), 'GET', `?preserveIdleTTL=${value}`), NOT_A_BOOLEAN, value);
      }
    } finally {
      await t.app.tokend.store.setIdleTokenTimeout(ACME, DEFAULT_IDLE_TOKEN_TIMEOUT);
      t.app.tokend.authenticator.invalidate();
    }
  });

  test('a user token shows its scopes and its client', async () => {
    const token = await t.token(clients.passwordApp, users.bob);
    const body = (await me(bearer(token))).json();
    assert.deepEqual(body.authorizedScope, ['authorization', 'user-basic-info']);
    assert.equal(body.OAuthClient.authorizedGrantType, 'PASSWORD');
    assert.deepEqual(body.OAuthClient.scope, ['authorization']);
    assert.equal(body.OAuthClient.roleDivisions, undefined);
  });

  test('the rate limit answers 429 with Retry-After past 300 requests a minute', async () => {
    const token = await t.token(clients.admin);
    for (let i = 0; i < 300; i++) assert.equal((await me(bearer(token), 'HEAD')).statusCode, 200);
    const limited = await me(bearer(token));
    assert.equal(limited.statusCode, 429);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 60);
    assert.equal(limited.json().code, 'too.many.requests.retry.after');
    assert.equal(limited.json().message, `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`);
    assert.equal(limited.headers['inin-ratelimit-count'], '300');
    t.clock.advance(retryAfter * 1000);
    assert.equal((await me(bearer(token))).statusCode, 200);
  });
});

describe('HEAD /api/v2/tokens/me', () => {
  test('200 with no body for a valid token, 401 with no body otherwise', async () => {
    const token = await t.token(clients.admin);
    const ok = await me(bearer(token), 'HEAD');
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.body, '');
    assertApiHeaders(ok);
    const bad = await me(bearer('nope'), 'HEAD');
    assert.equal(bad.statusCode, 401);
    assert.equal(bad.body, '');
  });
});

describe('DELETE /api/v2/tokens/me', () => {
  test('200 with an empty body; the token fails at once, other tokens live on', async () => {
    const token = await t.token(clients.admin);
    const other = await t.token(clients.admin);
    assert.equal((await me(bearer(token))).statusCode, 200);
    const response = await me({ ...bearer(token), 'content-type': 'application/json' }, 'DELETE');
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, '');
    assertApiHeaders(response);
    assertErrorBody(await me(bearer(token)), errorBodies.badCredentials);
    assert.equal((await me(bearer(token), 'DELETE')).statusCode, 401);
    assert.equal((await me(bearer(other))).statusCode, 200);
  });
});
