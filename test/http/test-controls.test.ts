/**
 * The test controls (CONTRACT.md, "A clock and faults for tests") in process: who may call them,
 * their answers and refusals, and every part of tokend that reads time moving with the clock.
 * The official SDK's view is test/interop/test-controls-sdk.test.ts; two nodes moving together,
 * test/postgres/test-clock-nodes.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TokendConfig } from '../../src/config.js';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { assertOAuthError, Browser, CODE_APP_AUTH, meStatus, pkceSignIn, tokenRequest } from '../helpers/browser-flow.js';
import { ACME, clients, users } from '../helpers/fixture.js';

const TEST = '/api/v2/tokend/test';
const ME = '/api/v2/tokens/me';

async function advance(t: TestApp, seconds: number) {
  const response = await t.inject({ method: 'POST', url: `${TEST}/clock/advance`, payload: { seconds } });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as { now: string; offsetSeconds: number };
}

async function reset(t: TestApp) {
  const response = await t.inject({ method: 'POST', url: `${TEST}/clock/reset` });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as { now: string; offsetSeconds: number };
}

async function addFault(t: TestApp, fault: unknown) {
  const response = await t.inject({ method: 'POST', url: `${TEST}/faults`, payload: fault as Record<string, unknown> });
  assert.equal(response.statusCode, 201, response.body);
  return response.json() as { id: string };
}

const EVERY_PATH = [
  { method: 'GET', url: `${TEST}/clock` },
  { method: 'POST', url: `${TEST}/clock/advance`, payload: { seconds: 10 } },
  { method: 'POST', url: `${TEST}/clock/reset` },
  { method: 'POST', url: `${TEST}/faults`, payload: { match: {}, respond: { status: 500 } } },
  { method: 'GET', url: `${TEST}/faults` },
  { method: 'DELETE', url: `${TEST}/faults` },
  { method: 'DELETE', url: `${TEST}/faults/00000000-0000-4000-8000-000000000000` },
] as const;

async function assertEveryPath404(t: TestApp, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1', what = '') {
  for (const request of EVERY_PATH) {
    const response = await t.inject({ ...request, headers, remoteAddress } as Parameters<TestApp['inject']>[0]);
    assertErrorBody(response, errorBodies.notFound, `${what} ${request.method} ${request.url}`);
  }
}

describe('with the setting off', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('every path of the controls is 404, and the clock is the one given', async () => {
    await assertEveryPath404(t);
    assert.equal(t.app.tokend.testClock, null);
    assert.equal(t.app.tokend.clock, t.clock);
    const ready = await t.inject({ method: 'GET', url: '/health/ready' });
    assert.deepEqual(ready.json(), { status: 'ready' });
  });
});

describe('with TOKEND_TEST_CONTROLS=1', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ testControls: true });
  });
  after(() => t.close());

  test('/health/ready says so', async () => {
    const ready = await t.inject({ method: 'GET', url: '/health/ready' });
    assert.deepEqual(ready.json(), { status: 'ready', testControls: true });
  });

  test('GET /clock, POST /clock/advance and /clock/reset answer 200 with the clock', async () => {
    const start = t.clock.now();
    const read = await t.inject({ method: 'GET', url: `${TEST}/clock` });
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), { now: new Date(start).toISOString(), offsetSeconds: 0 });
    assert.deepEqual(await advance(t, 90), { now: new Date(start + 90_000).toISOString(), offsetSeconds: 90 });
    assert.deepEqual(await advance(t, 0.5), { now: new Date(start + 90_500).toISOString(), offsetSeconds: 90.5 });
    assert.deepEqual(await reset(t), { now: new Date(start).toISOString(), offsetSeconds: 0 });
  });

  test('a caller through a proxy, or not on loopback, gets 404', async () => {
    for (const header of ['forwarded', 'x-forwarded-for', 'x-real-ip', 'via']) await assertEveryPath404(t, { [header]: '203.0.113.9' }, '127.0.0.1', header);
    await assertEveryPath404(t, {}, '203.0.113.9', 'remote');
    await assertEveryPath404(t, {}, '10.1.2.3', 'private');
  });

  test('bad bodies are 400, and nothing changes', async () => {
    const bad: Array<[string, unknown, string]> = [
      ['clock/advance', { seconds: 0 }, 'seconds'],
      ['clock/advance', { seconds: -5 }, 'seconds'],
      ['clock/advance', { seconds: '5' }, 'seconds'],
      ['clock/advance', {}, 'seconds'],
      ['faults', { match: {}, respond: { status: 418 } }, 'respond.status'],
      ['faults', { match: {}, respond: { delayMs: 25_001 } }, 'respond.delayMs'],
      ['faults', { match: {}, respond: { delayMs: -1 } }, 'respond.delayMs'],
      ['faults', { match: {}, respond: {} }, 'respond'],
      ['faults', { match: {}, respond: { status: 500 }, probability: 1.5 }, 'probability'],
      ['faults', { match: {}, respond: { status: 500 }, probability: -0.1 }, 'probability'],
      ['faults', { match: {}, respond: { status: 500 }, times: 0 }, 'times'],
      ['faults', { match: {}, respond: { status: 500 }, times: 1.5 }, 'times'],
      ['faults', { match: { path: 'no-slash' }, respond: { status: 500 } }, 'match.path'],
      ['faults', { respond: { status: 500 } }, 'match'],
    ];
    for (const [path, payload, field] of bad) {
      const response = await t.inject({ method: 'POST', url: `${TEST}/${path}`, payload: payload as Record<string, unknown> });
      assert.equal(response.statusCode, 400, `${path} ${JSON.stringify(payload)}: ${response.body}`);
      assert.equal(response.json().code, 'invalid.value', response.body);
      assert.equal(response.json().details[0].fieldName, field, response.body);
    }
    const far = 100 * 365 * 24 * 3600;
    assert.equal((await advance(t, far)).offsetSeconds, far);
    const past = await t.inject({ method: 'POST', url: `${TEST}/clock/advance`, payload: { seconds: 1 } });
    assert.equal(past.statusCode, 400, 'no further than 100 years ahead');
    assert.equal(past.json().details[0].fieldName, 'seconds');
    await reset(t);
    const unknown = await t.inject({ method: 'POST', url: `${TEST}/faults`, payload: { match: {}, respond: { status: 500 }, color: 'red' } });
    assert.equal(unknown.statusCode, 400, unknown.body);
    const notJson = await t.inject({ method: 'POST', url: `${TEST}/clock/advance`, headers: { 'content-type': 'application/json' }, payload: '{' });
    assert.equal(notJson.statusCode, 400, notJson.body);
    assert.equal((await t.inject({ method: 'GET', url: `${TEST}/clock` })).json().offsetSeconds, 0);
    assert.deepEqual((await t.inject({ method: 'GET', url: `${TEST}/faults` })).json(), { entities: [] });
  });

  test('a delay at or past the request timeout is 400', async () => {
    const short = await startTestApp({ testControls: true, requestTimeoutMs: 1000, headersTimeoutMs: 500 });
    try {
      const response = await short.inject({ method: 'POST', url: `${TEST}/faults`, payload: { match: {}, respond: { delayMs: 1000 } } });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json().details[0].fieldName, 'respond.delayMs');
    } finally {
      await short.close();
    }
  });

  test('faults: 201, listed, deleted one by one (204; an unknown id 404) or all at once', async () => {
    const first = await addFault(t, {
      match: { method: 'get', path: '/health/live' },
      respond: { status: 503, retryAfterSeconds: 7 },
      times: 3,
      probability: 1,
    });
    assert.deepEqual(first, {
      id: first.id,
      match: { method: 'GET', path: '/health/live' },
      respond: { status: 503, retryAfterSeconds: 7 },
      times: 3,
      probability: 1,
      remaining: 3,
    });
    const second = await addFault(t, { match: { path: '/health/live' }, respond: { delayMs: 1 } });
    assert.equal((second as unknown as { times: number }).times, 1, 'times defaults to 1');
    const listed = await t.inject({ method: 'GET', url: `${TEST}/faults` });
    assert.deepEqual(
      listed.json().entities.map((f: { id: string }) => f.id),
      [first.id, second.id],
    );
    assert.equal((await t.inject({ method: 'DELETE', url: `${TEST}/faults/${first.id}` })).statusCode, 204);
    assertErrorBody(await t.inject({ method: 'DELETE', url: `${TEST}/faults/${first.id}` }), {
      ...errorBodies.notFound,
      message: 'No such fault.',
      entityId: first.id,
    });
    assert.equal((await t.inject({ method: 'DELETE', url: `${TEST}/faults` })).statusCode, 204);
    assert.deepEqual((await t.inject({ method: 'GET', url: `${TEST}/faults` })).json(), { entities: [] });
  });

  test('a fault of two 429s: exactly two 429s with Retry-After, the rate-limit headers and fault.injected, then 200', async () => {
    const token = await t.token(clients.plain);
    await addFault(t, { match: { path: ME }, respond: { status: 429, retryAfterSeconds: 2 }, times: 2 });
    for (let i = 0; i < 2; i++) {
      const limited = await t.inject({ method: 'GET', url: ME, headers: bearer(token) });
      assertErrorBody(limited, { status: 429, code: 'fault.injected', message: 'fault.injected: an answer of 429 set through the test controls' });
      assert.equal(limited.headers['retry-after'], '2');
      assert.equal(limited.headers['inin-ratelimit-allowed'], '300');
      assert.equal(limited.headers['inin-ratelimit-count'], '300');
      assert.equal(limited.headers['inin-ratelimit-reset'], '2');
    }
    assert.equal((await t.inject({ method: 'GET', url: ME, headers: bearer(token) })).statusCode, 200);
    assert.deepEqual((await t.inject({ method: 'GET', url: `${TEST}/faults` })).json(), { entities: [] });
  });

  test('faults come after authentication: a refused token is refused, not faulted; a clientId fault hits only that client', async () => {
    const plain = await t.token(clients.plain);
    const admin = await t.token(clients.admin);
    await addFault(t, { match: { clientId: clients.plain.id }, respond: { status: 503 }, times: 5 });
    assertErrorBody(await t.inject({ method: 'GET', url: ME, headers: bearer('not-a-token') }), errorBodies.badCredentials);
    assert.equal((await t.inject({ method: 'GET', url: ME, headers: bearer(admin) })).statusCode, 200);
    assert.equal((await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(admin) })).statusCode, 200);
    const hit = await t.inject({ method: 'GET', url: ME, headers: bearer(plain) });
    assert.equal(hit.statusCode, 503);
    assert.equal(hit.json().code, 'fault.injected');
    assert.equal(hit.headers['retry-after'], undefined);
    // At the token endpoint the client is the one authenticating: a wrong secret is still invalid_client.
    const wrong = await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(clients.plain.id, 'wrong'), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    assertOAuthError(wrong, 401, 'invalid_client');
    const faulted = await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(clients.plain.id, clients.plain.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    assertOAuthError(faulted, 503, 'temporarily_unavailable', 'fault.injected: an answer of 503 set through the test controls');
    assert.equal(
      (
        await t.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { authorization: basic(clients.admin.id, clients.admin.secret), 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'grant_type=client_credentials',
        })
      ).statusCode,
      200,
    );
    await t.inject({ method: 'DELETE', url: `${TEST}/faults` });
  });

  test('a fault changes nothing stored: a faulted DELETE /tokens/me leaves the token live; a delay alone runs the real handler after it', async () => {
    const token = await t.token(clients.plain);
    await addFault(t, { match: { method: 'DELETE', path: ME }, respond: { status: 500 } });
    const faulted = await t.inject({ method: 'DELETE', url: ME, headers: bearer(token) });
    assert.equal(faulted.statusCode, 500);
    assert.equal(faulted.json().code, 'fault.injected');
    assert.equal(await meStatus(t, token), 200);
    await addFault(t, { match: { method: 'DELETE', path: ME }, respond: { delayMs: 500 } });
    const started = performance.now();
    const deleted = await t.inject({ method: 'DELETE', url: ME, headers: bearer(token) });
    assert.ok(performance.now() - started >= 500, 'delayed by at least 500 ms');
    assert.equal(deleted.statusCode, 200);
    assert.equal(await meStatus(t, token), 401);
  });

  test('a path matches as a route template ({userId}) or as the path sent; the controls are not in the OpenAPI document', async () => {
    const admin = await t.token(clients.admin);
    await addFault(t, { match: { method: 'DELETE', path: '/api/v2/tokens/{userId}' }, respond: { status: 504 } });
    const templated = await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.carol.id}`, headers: bearer(admin) });
    assert.equal(templated.statusCode, 504, templated.body);
    await addFault(t, { match: { path: `/api/v2/tokens/${users.carol.id}` }, respond: { status: 502 } });
    assert.equal((await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.dave.id}`, headers: bearer(admin) })).statusCode, 204, 'another path');
    assert.equal((await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.carol.id}`, headers: bearer(admin) })).statusCode, 502);
    const document = await t.inject({ method: 'GET', url: '/api/v2/docs/openapi.json' });
    assert.equal(document.statusCode, 200);
    assert.doesNotMatch(document.body, /tokend\/test/);
  });

  test('probability 0 never fires, and leaves its count', async () => {
    const token = await t.token(clients.plain);
    const fault = await addFault(t, { match: { path: ME }, respond: { status: 502 }, probability: 0 });
    for (let i = 0; i < 5; i++) assert.equal(await meStatus(t, token), 200);
    const listed = (await t.inject({ method: 'GET', url: `${TEST}/faults` })).json();
    assert.equal(listed.entities[0].remaining, 1);
    await t.inject({ method: 'DELETE', url: `${TEST}/faults/${fault.id}` });
  });

  test('token expiry: refused after the clock passes it, accepted before, still refused after reset', async () => {
    const token = await t.token(clients.plain); // 600 s
    await advance(t, 599);
    assert.equal(await meStatus(t, token), 200);
    await advance(t, 2);
    assertErrorBody(await t.inject({ method: 'GET', url: ME, headers: bearer(token) }), errorBodies.badCredentials);
    await reset(t);
    assert.equal(await meStatus(t, token), 401, 'the end is recorded');
    assert.equal(await meStatus(t, await t.token(clients.plain)), 200, 'a token issued after the reset is good');
  });

  test('idle timeouts and dateTokenIdles read the test clock; an idle end stays after reset', async () => {
    await t.app.tokend.store.setIdleTokenTimeout(ACME, { ...DEFAULT_IDLE_TOKEN_TIMEOUT, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 });
    t.app.tokend.authenticator.invalidate();
    try {
      const token = await t.token(clients.passwordApp, users.bob);
      const first = await t.inject({ method: 'GET', url: ME, headers: bearer(token) });
      assert.equal(first.json().dateTokenIdles, new Date(t.clock.now() + 300_000).toISOString());
      await advance(t, 240);
      const later = await t.inject({ method: 'GET', url: ME, headers: bearer(token) });
      assert.equal(later.statusCode, 200, 'not idle after 240 s');
      assert.equal(later.json().dateTokenIdles, new Date(t.clock.now() + 540_000).toISOString());
      await advance(t, 301);
      assertErrorBody(await t.inject({ method: 'GET', url: ME, headers: bearer(token) }), errorBodies.badCredentials);
      await reset(t);
      assert.equal(await meStatus(t, token), 401, 'stays ended after reset');
    } finally {
      await t.app.tokend.store.setIdleTokenTimeout(ACME, DEFAULT_IDLE_TOKEN_TIMEOUT);
      t.app.tokend.authenticator.invalidate();
    }
  });

  test('authorization codes expire on the test clock', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    await advance(t, 301);
    const redeemed = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, CODE_APP_AUTH);
    assertOAuthError(redeemed, 400, 'invalid_grant');
    await reset(t);
  });

  test('refresh tokens expire on the test clock', async () => {
    const signedIn = await pkceSignIn(t, users.bob);
    await advance(t, 30 * 24 * 3600 + 1);
    const refreshed = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: signedIn.refresh_token, client_id: clients.pkceApp.id });
    assertOAuthError(refreshed, 400, 'invalid_grant');
    await reset(t);
  });

  test('client-authentication throttle windows end on the test clock', async () => {
    const form = (secret: string) =>
      t.inject({
        method: 'POST',
        url: '/oauth/token',
        remoteAddress: '127.0.0.7',
        headers: { authorization: basic(clients.admin.id, secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials',
      });
    for (let i = 0; i < 5; i++) assertOAuthError(await form('wrong'), 401, 'invalid_client');
    assert.equal((await form(clients.admin.secret)).statusCode, 429, 'capped: even the right secret');
    await advance(t, 15 * 60 + 1);
    assert.equal((await form(clients.admin.secret)).statusCode, 200, 'the window ended on the test clock');
    await reset(t);
  });
});

describe('device cookies and replay memory', () => {
  let t: TestApp;
  before(async () => {
    // The purge runs every 20 ms here: what it keeps is what a replay finds.
    t = await startTestApp({ testControls: true, purgeIntervalMs: 20 });
  });
  after(() => t.close());

  test('a device cookie ends a year later on the test clock', async () => {
    const { devices, store } = t.app.tokend;
    const bob = await store.findUser(users.bob.id);
    assert.ok(bob);
    const cookie = (await devices.remember(undefined, bob as never)) ?? undefined;
    assert.ok(cookie);
    await advance(t, 365 * 24 * 3600 - 10);
    assert.notEqual(await devices.recognise(cookie, bob as never), null, 'still known 10 s before its year ends');
    await advance(t, 11);
    assert.equal(await devices.recognise(cookie, bob as never), null, 'ended on the test clock');
    await reset(t);
  });

  test('a spent code is kept until the later of its real and test-clock expiry: a reset cannot reopen its replay', async () => {
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    const redeem = () => tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, CODE_APP_AUTH);
    assert.equal((await redeem()).statusCode, 200);
    await advance(t, 3 * 24 * 3600);
    // Several purges run on the advanced clock; the spent code must outlive them.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await reset(t);
    assertOAuthError(await redeem(), 400, 'invalid_grant', 'authorization code was already used; the tokens issued from it are revoked');
  });
});

describe('rate-limit windows', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ testControls: true, rateLimitPerMinute: 2 } satisfies Partial<TokendConfig>);
  });
  after(() => t.close());

  test('a window ends when the test clock passes it, and a reset opens a fresh one', async () => {
    const token = await t.token(clients.plain);
    assert.equal(await meStatus(t, token), 200);
    assert.equal(await meStatus(t, token), 200);
    assert.equal(await meStatus(t, token), 429);
    await advance(t, 60);
    assert.equal(await meStatus(t, token), 200);
    await reset(t);
    const fresh = await t.inject({ method: 'GET', url: ME, headers: bearer(token) });
    assert.equal(fresh.statusCode, 200, 'a window that starts in the future does not hold after a reset');
    assert.equal(fresh.headers['inin-ratelimit-reset'], '60');
  });
});

describe('TOKEND_TEST_CONTROLS_TOKEN', () => {
  const token = 'a-test-controls-token-0123456789';
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ testControls: true, testControlsToken: token });
  });
  after(() => t.close());

  test('every caller must send it, loopback included: missing or wrong is 404', async () => {
    await assertEveryPath404(t, {}, '127.0.0.1', 'no token');
    await assertEveryPath404(t, { authorization: 'Bearer wrong-token-wrong-token-wrong' }, '127.0.0.1', 'wrong token');
    await assertEveryPath404(t, { authorization: `Basic ${token}` }, '127.0.0.1', 'another scheme');
    const remote = await t.inject({
      method: 'GET',
      url: `${TEST}/clock`,
      remoteAddress: '203.0.113.9',
      headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': '198.51.100.1' },
    });
    assert.equal(remote.statusCode, 200, 'with the token, from anywhere');
  });
});
