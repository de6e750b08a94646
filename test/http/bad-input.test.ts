/** Bad input gets a clear error and changes nothing; nothing from the network produces a 500. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';

let t: TestApp;
let admin: string;
before(async () => {
  t = await startTestApp({ rateLimitPerMinute: 100_000 });
  admin = await t.token(clients.admin);
});
after(() => t.close());

test('an unknown route is a 404 ErrorBody with the API headers', async () => {
  // `/` is the home page now (home-page.test.ts); a path beside it is still unknown.
  for (const url of ['/api/v2/nothing', '/api/v2/tokens', '/api/v2/tokens/me/extra', '/nothing', '/oauth/nope']) {
    assertErrorBody(await t.inject({ method: 'GET', url, headers: bearer(admin) }), errorBodies.notFound, url, url.startsWith('/api/v2/'));
  }
});

test('a method a route does not serve is a 404 ErrorBody (an unknown route, CONTRACT.md)', async () => {
  for (const [method, url] of [
    ['POST', '/api/v2/tokens/me'],
    ['PATCH', '/api/v2/tokens/timeout'],
    ['PUT', '/api/v2/tokens/me'],
    ['GET', '/oauth/token'],
    ['POST', '/api/v2/tokens/timeout'],
  ] as const) {
    assertErrorBody(await t.inject({ method, url, headers: bearer(admin) }), errorBodies.notFound, `${method} ${url}`, url.startsWith('/api/v2/'));
  }
});

test('malformed URLs and headers never produce a 500', async () => {
  const cases: Array<{ url: string; headers?: Record<string, string> }> = [
    { url: '/api/v2/tokens/%E0%A4%A' },
    { url: '/api/v2/tokens/me?preserveIdleTTL=%ZZ' },
    { url: '/api/v2/tokens/me?preserveIdleTTL=true&preserveIdleTTL=false' },
    { url: `/api/v2/tokens/${'a'.repeat(5000)}` },
    { url: '/api/v2/tokens/me', headers: { authorization: 'Bearer \u00ff\u00fe' } },
    { url: '/api/v2/tokens/me', headers: { authorization: `Bearer ${'a'.repeat(10_000)}` } },
    { url: '/api/v2/tokens/me', headers: { authorization: 'Bearer a b c' } },
    { url: '/api/v2/tokens/me', headers: { authorization: 'Negotiate abc' } },
  ];
  for (const { url, headers } of cases) {
    const response = await t.inject({ method: 'GET', url, headers });
    assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${url.slice(0, 60)} -> ${response.statusCode}`);
    assert.ok(response.json().code, 'an ErrorBody');
  }
});

test('a storm of random requests never produces a 500', async () => {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const methods = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'] as const;
  const urls = ['/api/v2/tokens/me', '/api/v2/tokens/timeout', '/api/v2/tokens/x', '/oauth/token', '/api/v2/tokens/me?preserveIdleTTL=1', '/health/ready'];
  const bodies = [
    '',
    '{',
    '{}',
    '[]',
    '"x"',
    '{"enableIdleTokenTimeout":null}',
    'grant_type=password',
    '\u0000\u0001',
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{}}}',
  ];
  const types = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=utf-16', 'multipart/form-data; boundary=x'];
  const auths = [`Bearer ${admin}`, 'Bearer nope', 'Basic Og==', '', 'Bearer'];
  for (let i = 0; i < 400; i++) {
    const method = pick(methods);
    const headers: Record<string, string> = { 'content-type': pick(types) };
    const auth = pick(auths);
    if (auth) headers.authorization = auth;
    const response = await t.inject({ method, url: pick(urls), headers, ...(method === 'GET' || method === 'HEAD' ? {} : { payload: pick(bodies) }) });
    assert.ok(response.statusCode < 500, `${method} -> ${response.statusCode} ${response.body}`);
  }
  // The storm may have logged `admin` out (DELETE /tokens/me): look with a new token.
  const timeout = await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(await t.token(clients.admin)) });
  assert.equal(timeout.json().enableIdleTokenTimeout, false, 'nothing changed the organization');
  assert.equal(timeout.json().idleTokenTimeoutSeconds, 900);
});

test('health: live and ready', async () => {
  const live = await t.inject({ method: 'GET', url: '/health/live' });
  assert.equal(live.statusCode, 200);
  assert.deepEqual(live.json(), { status: 'live' });
  const ready = await t.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ready' });
});
