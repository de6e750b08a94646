/**
 * Absolute-form request targets (`GET http://host/api/v2/tokens/me HTTP/1.1`, RFC 9112 section
 * 3.2.2) are answered as their origin form is: the /api/v2 no-cache headers, the refusal of a
 * form body on /api/v2 (415, not the OAuth parser's 400), CORS, the access log's path. Sent over a
 * socket, since `app.inject` always sends the origin form.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { type SocketResponse, socketRequest, listenOnLoopback } from '../helpers/socket-request.js';
import { originForm } from '../../src/http/request-target.js';

let t: TestApp;
let port: number;
let token: string;
before(async () => {
  t = await startTestApp();
  port = await listenOnLoopback(t);
  token = await t.token(clients.admin);
});
after(() => t.close());

const NO_CACHE = { 'cache-control': 'no-cache, no-store, must-revalidate', pragma: 'no-cache', expires: '0' };
const noCacheOf = (response: SocketResponse) => ({
  'cache-control': response.headers['cache-control'],
  pragma: response.headers.pragma,
  expires: response.headers.expires,
});

test('GET /api/v2/tokens/me in absolute form carries the no-cache headers and the body of the origin form', async () => {
  const origin = await socketRequest(port, { target: '/api/v2/tokens/me', headers: bearer(token) });
  for (const target of [
    `http://127.0.0.1:${port}/api/v2/tokens/me`,
    'http://api.example.test/api/v2/tokens/me',
    'HTTPS://API.EXAMPLE.TEST/api/v2/tokens/me',
    'http://api.example.test/api/v2/tokens/me?preserveIdleTTL=true',
  ]) {
    const response = await socketRequest(port, { target, headers: bearer(token) });
    assert.equal(response.statusCode, 200, target);
    assert.deepEqual(noCacheOf(response), NO_CACHE, target);
    assert.deepEqual(JSON.parse(response.body), JSON.parse(origin.body), target);
    assert.equal(response.headers['inin-ratelimit-allowed'], '300', target);
  }
});

test('errors of /api/v2 in absolute form carry the no-cache headers too', async () => {
  const unauthenticated = await socketRequest(port, { target: 'http://api.example.test/api/v2/tokens/me' });
  assertErrorBody(unauthenticated, errorBodies.authenticationRequired);
  assertErrorBody(await socketRequest(port, { target: 'http://api.example.test/api/v2/no/such/route', headers: bearer(token) }), errorBodies.notFound);
});

test('a form body to PUT /api/v2/tokens/timeout in absolute form is 415, as in origin form, and changes nothing', async () => {
  const notJsonType = { status: 415, code: 'unsupported.media.type', message: 'The request body must be application/json.' };
  const before = (await socketRequest(port, { target: '/api/v2/tokens/timeout', headers: bearer(token) })).body;
  for (const target of ['/api/v2/tokens/timeout', 'http://api.example.test/api/v2/tokens/timeout']) {
    const response = await socketRequest(port, {
      method: 'PUT',
      target,
      headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'enableIdleTokenTimeout=true&idleTokenTimeoutSeconds=600',
    });
    assertErrorBody(response, notJsonType, target);
  }
  assert.equal((await socketRequest(port, { target: '/api/v2/tokens/timeout', headers: bearer(token) })).body, before);
});

test('a page calling /api/v2 in absolute form gets the CORS headers', async () => {
  const response = await socketRequest(port, {
    target: 'http://api.example.test/api/v2/tokens/me',
    headers: { ...bearer(token), origin: 'https://app.example.test' },
  });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['access-control-allow-origin'], 'https://app.example.test');
});

test('the metrics port serves /metrics asked in absolute form', async () => {
  const server = await t.app.metrics.listen('127.0.0.1', 0);
  const metricsPort = (server.address() as { port: number }).port;
  const response = await socketRequest(metricsPort, { target: `http://127.0.0.1:${metricsPort}/metrics` });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /^# HELP /m);
});

test('the origin form of a request target', () => {
  const cases: Array<[string, string]> = [
    ['/api/v2/tokens/me', '/api/v2/tokens/me'],
    ['http://h/api/v2/tokens/me?x=1', '/api/v2/tokens/me?x=1'],
    ['https://h:8443/oauth/token', '/oauth/token'],
    ['HTTP://h', '/'],
    ['http://h?x=1', '/?x=1'],
    ['http://h/a?b=http://c/d', '/a?b=http://c/d'],
    // Left for the router to refuse, as before.
    ['*', '*'],
    ['ftp://h/api/v2/tokens/me', 'ftp://h/api/v2/tokens/me'],
    ['http:///api/v2/tokens/me', 'http:///api/v2/tokens/me'],
    ['http://h/api#x', 'http://h/api#x'],
    ['api/v2/tokens/me', 'api/v2/tokens/me'],
  ];
  for (const [target, expected] of cases) assert.equal(originForm(target), expected, target);
});
