/**
 * No 5xx for bad input, anywhere (issue 13, item 6): every registered route, unknown routes and
 * wrong methods, crossed with every kind of content type and body, answer a 4xx (or a success)
 * of the surface's shape, never a 5xx. The routes are read from the app itself, so a route added
 * later is swept without editing this file.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { assertErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';

let t: TestApp;
let admin: string;
before(async () => {
  t = await startTestApp({ rateLimitPerMinute: 1_000_000 });
  admin = await t.token(clients.admin);
});
after(() => t.close());

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
const UNKNOWN_PATHS = ['/nope', '/', '/api/v2/nope', '/api/v2/tokens/me/extra', '/oauth/nope', '/login/x', '/%ZZ'];
const CONTENT_TYPES: Array<string | undefined> = [
  'application/json',
  'application/x-www-form-urlencoded',
  'text/plain',
  undefined,
  'multipart/form-data; boundary=x',
  ';;;=garbage/',
];
const BODIES: Record<string, string | Buffer> = {
  empty: '',
  'repeated fields': 'a=1&a=2&grant_type=x&grant_type=y',
  huge: `a=${'x'.repeat(200 * 1024)}`,
  'invalid JSON': '{"a": [1, 2,',
  'non-UTF-8 bytes': Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x3d, 0xa0, 0x26, 0xe2, 0x82]),
  'deeply nested JSON': `${'{"a":['.repeat(5000)}${']}'.repeat(5000)}`,
};

/**
 * Every registered path and its methods, read from Fastify's radix tree (`printRoutes` is the
 * only public listing): each line is a segment, its path the concatenation of its ancestors.
 */
function registeredRoutes(app: FastifyInstance): Array<{ path: string; methods: string[] }> {
  const routes: Array<{ path: string; methods: string[] }> = [];
  const prefixes: string[] = [];
  for (const line of app.printRoutes().split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (prefixes[depth - 1] ?? '') + (match[2] ?? '');
    prefixes.length = depth;
    prefixes[depth] = path;
    if (match[3]) routes.push({ path, methods: match[3].split(', ') });
  }
  return routes;
}

/** A concrete URL for a route pattern: a value for each parameter, something for a wildcard. */
const concrete = (path: string) => path.replace(/:\w+/g, 'some-id').replace(/\*$/, 'anything');

test('every route x method x content type x body answers below 500, in the shape of its surface', async () => {
  const routes = registeredRoutes(t.app);
  const paths = routes.map((route) => route.path);
  for (const expected of ['/api/v2/tokens/me', '/api/v2/tokens/:userId', '/oauth/token', '/login', '/health/ready']) {
    assert.ok(paths.includes(expected), `the route list is read (${expected} in ${paths.join(' ')})`);
  }
  const started = performance.now();
  let requests = 0;
  const statuses = new Map<number, number>();
  for (const path of [...paths.map(concrete), ...UNKNOWN_PATHS]) {
    for (const method of METHODS) {
      for (const type of CONTENT_TYPES) {
        for (const [bodyName, payload] of Object.entries(BODIES)) {
          const headers: Record<string, string> = { ...bearer(admin), ...(type === undefined ? {} : { 'content-type': type }) };
          const response = await t.inject({ method, url: path, headers, payload });
          requests++;
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          const what = `${method} ${path} (${type ?? 'no content type'}, ${bodyName}) -> ${response.statusCode} ${response.body.slice(0, 200)}`;
          assert.ok(response.statusCode < 500, what);
          if (response.statusCode >= 400 && method !== 'HEAD') assertErrorShape(path, response, what);
          // The storm logs `admin` out now and then (DELETE /tokens/me): go on with a new one.
          if (method === 'DELETE' && response.statusCode < 300) admin = await t.token(clients.admin);
        }
      }
    }
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(`# ${requests} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`);
  const timeout = await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(await t.token(clients.admin)) });
  assert.equal(timeout.json().idleTokenTimeoutSeconds, 900, 'nothing changed the organization');
});

/** The OAuth endpoints answer the OAuth error, pages HTML, everything else (unknown routes too) an ErrorBody. */
function assertErrorShape(path: string, response: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string): void {
  const type = String(response.headers['content-type'] ?? '');
  if (type.startsWith('text/html')) {
    assert.ok(!path.startsWith('/api/') && !path.startsWith('/oauth/token'), `a page only outside the APIs: ${what}`);
    return;
  }
  assert.match(type, /^application\/json/, what);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  if (body.error !== undefined) {
    assert.ok(path.startsWith('/oauth/'), `the OAuth shape only on /oauth: ${what}`);
    assert.equal(typeof body.error, 'string', what);
    assert.equal(body.error_description, body.description, what);
    return;
  }
  assert.equal(body.status, response.statusCode, what);
  assert.equal(typeof body.code, 'string', what);
  assert.equal(body.contextId, response.headers['inin-correlation-id'], what);
}

test('a form with a repeated field on an unknown route or a wrong method: 400 bad.request, not a 500', async () => {
  for (const [method, url] of [
    ['POST', '/nope'],
    ['POST', '/oauth/nope'],
    ['POST', '/health/live'],
    ['PUT', '/oauth/token'],
  ] as const) {
    const response = await t.inject({ method, url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1&a=2' });
    assertErrorBody(response, { status: 400, code: 'bad.request', message: 'parameter a was given more than once' }, `${method} ${url}`, false);
  }
});
