/**
 * GET /metrics (src/http/metrics/): exact counts after known traffic, through the fast lane and
 * through Fastify; a flood of random paths adds no series; who may read it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';
import { parseScrape, scrape, seriesOf } from '../helpers/metrics.js';
import { listenOnLoopback } from '../helpers/socket-request.js';
import { configFromEnvironment } from '../../src/config.js';
import { PROXY_HEADERS } from '../../src/http/proxy-headers.js';

const ME = '/api/v2/tokens/me';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; type: string | undefined }> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method: 'GET', path, headers, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

const passwordGrant = (t: TestApp, password: string, remoteAddress: string) =>
  t.inject({
    method: 'POST',
    url: '/oauth/token',
    remoteAddress,
    headers: { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'password', username: users.bob.email, password }).toString(),
  });

describe('counts after known traffic', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startTestApp();
    port = await listenOnLoopback(t);
  });
  after(() => t.close());

  test('issuance, validations, revocations, sign-ins, throttles, the cache and durations, each exactly', async () => {
    const service = await t.token(clients.admin);
    const doomed = await t.token(clients.plain);
    // Through Fastify: app.inject does not pass the node:http server, so not the fast lane.
    for (let i = 0; i < 3; i++) assert.equal((await t.inject({ method: 'GET', url: ME, headers: bearer(service) })).statusCode, 200);
    // Through the fast lane: 5 answers; then one with a query string and one with an Origin, which Fastify answers.
    for (let i = 0; i < 5; i++) assert.equal((await get(port, ME, bearer(service))).status, 200);
    assert.equal((await get(port, `${ME}?`, bearer(service))).status, 200);
    assert.equal((await get(port, ME, { ...bearer(service), origin: 'https://app.acme.test' })).status, 200);
    assert.equal(t.app.fastLane?.answered, 5);
    for (let i = 0; i < 4; i++) assert.equal((await t.inject({ method: 'GET', url: ME, headers: bearer(`unknown-token-${i}`) })).statusCode, 401);
    assert.equal((await t.inject({ method: 'DELETE', url: ME, headers: bearer(doomed) })).statusCode, 200);
    assert.equal((await t.inject({ method: 'GET', url: ME, headers: bearer(doomed) })).statusCode, 401);
    // Sign-ins: the right password, then 5 wrong ones from one address, and the 6th is throttled.
    assert.equal((await passwordGrant(t, users.bob.password, '10.40.0.1')).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.equal((await passwordGrant(t, `wrong-${i}`, '10.40.0.2')).statusCode, 400);
    const throttled = await passwordGrant(t, 'wrong-5', '10.40.0.2');
    assert.match(throttled.json().error_description, /too many failed sign-ins/);

    const scraped = await scrape(t);
    assert.deepEqual(seriesOf(scraped, 'tokend_tokens_issued_total'), {
      '{grant_type="client_credentials",client_kind="CLIENT-CREDENTIALS"}': 2,
      '{grant_type="password",client_kind="PASSWORD"}': 1,
    });
    // valid: 3 + 5 (lane) + 2 (query string, Origin) for the service token, and the DELETE of the doomed one.
    assert.deepEqual(seriesOf(scraped, 'tokend_token_validations_total'), {
      '{result="valid"}': 11,
      '{result="unknown"}': 4,
      '{result="revoked"}': 1,
      '{result="idle"}': 0,
      '{result="expired"}': 0,
      '{result="disabled"}': 0,
    });
    assert.equal(seriesOf(scraped, 'tokend_token_revocations_total')['{cause="self"}'], 1);
    assert.equal(
      Object.values(seriesOf(scraped, 'tokend_token_revocations_total')).reduce((a, b) => a + b),
      1,
    );
    assert.deepEqual(seriesOf(scraped, 'tokend_sign_ins_total'), {
      '{result="succeeded"}': 1,
      '{result="failed"}': 5,
      '{result="throttled"}': 1,
      '{result="busy"}': 0,
    });
    assert.deepEqual(seriesOf(scraped, 'tokend_throttle_refusals_total'), {
      '{throttle="sign_in"}': 1,
      '{throttle="client_auth"}': 0,
      '{throttle="slow_hash_queue"}': 0,
      '{throttle="issuance"}': 0,
      '{throttle="rate_limit"}': 0,
    });
    // Misses: the 4 unknown tokens; every token issued here is cached as it is stored, so every
    // use of one is a hit. Cached: the two client tokens and the sign-in's.
    assert.equal(scraped.get('tokend_token_cache_misses_total'), 4);
    assert.equal(scraped.get('tokend_token_cache_hits_total'), 12);
    assert.equal(scraped.get('tokend_token_cache_size'), 3);
    assert.equal(scraped.get('tokend_token_cache_evictions_total'), 0);
    assert.deepEqual(seriesOf(scraped, 'tokend_fast_lane_requests_total'), { '{outcome="answered"}': 5, '{outcome="handed_on"}': 1 });
    const durations = seriesOf(scraped, 'tokend_http_request_duration_seconds_count');
    assert.equal(durations['{route="/api/v2/tokens/me",method="GET",status_class="2xx"}'], 10);
    assert.equal(durations['{route="/api/v2/tokens/me",method="GET",status_class="4xx"}'], 5);
    assert.equal(durations['{route="/api/v2/tokens/me",method="DELETE",status_class="2xx"}'], 1);
    assert.equal(durations['{route="/oauth/token",method="POST",status_class="2xx"}'], 3);
    assert.equal(durations['{route="/oauth/token",method="POST",status_class="4xx"}'], 6);
    const buckets = seriesOf(scraped, 'tokend_http_request_duration_seconds_bucket');
    assert.equal(buckets['{route="/api/v2/tokens/me",method="GET",status_class="2xx",le="+Inf"}'], 10);
    // Store calls are timed: the insert of each issued token, the lookups of uncached ones (the 4 unknown: issued ones are cached).
    assert.equal(seriesOf(scraped, 'tokend_store_operation_duration_seconds_count')['{operation="insertToken"}'], 3);
    assert.equal(seriesOf(scraped, 'tokend_store_operation_duration_seconds_count')['{operation="findTokenByHash"}'], 4);
    assert.deepEqual(seriesOf(scraped, 'tokend_store_unavailable_total'), {});
    // Node.js and process metrics, under their standard names.
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) {
      assert.ok(scraped.has(name), name);
    }
  });

  test('a flood of 1,000 random paths, methods and query strings adds no series', async () => {
    const names = (s: Map<string, number>) => [...s.keys()].filter((key) => key.startsWith('tokend_')).sort();
    // Unknown paths, and a route with a parameter: its values never become labels.
    const flood = (i: number) => {
      const random = Math.random().toString(36).slice(2);
      if (i % 5 === 4) return t.inject({ method: 'DELETE', url: `/api/v2/tokens/${random}?${random}` });
      const method = (['GET', 'POST', 'DELETE', 'PATCH'] as const)[i % 5]!;
      return t.inject({ method, url: `/${random}/${i}?x=${random}`, headers: { origin: `https://${random}.test` } });
    };
    for (let i = 0; i < 5; i++) await flood(i);
    const before = names(await scrape(t));
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => flood(i)));
    assert.deepEqual(
      answers.map((answer) => answer.statusCode),
      Array.from({ length: 1000 }, (_, i) => (i % 5 === 4 ? 401 : 404)),
    );
    const scraped = await scrape(t);
    // The scrape itself is the one new series (it is counted once it has answered).
    assert.deepEqual(
      names(scraped).filter((name) => !name.includes('route="/metrics"')),
      before.filter((name) => !name.includes('route="/metrics"')),
    );
    const unmatched = seriesOf(scraped, 'tokend_http_request_duration_seconds_count');
    assert.equal(Object.keys(unmatched).filter((labels) => labels.includes('route="unmatched"')).length, 4);
    assert.equal(unmatched['{route="unmatched",method="GET",status_class="4xx"}'], 201);
    assert.equal(unmatched['{route="/api/v2/tokens/:userId",method="DELETE",status_class="4xx"}'], 201);
  });
});

describe('who may read /metrics', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  test('a loopback caller may; any other caller, or one through a proxy, gets the 404 of an unknown path', async () => {
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const response = await t.inject({ method: 'GET', url: '/metrics', remoteAddress });
      assert.equal(response.statusCode, 200, remoteAddress);
      assert.match(response.body, /^# HELP /m);
    }
    for (const remoteAddress of ['10.0.0.1', '192.168.1.5', '::ffff:10.0.0.1', '2001:db8::1']) {
      const response = await t.inject({ method: 'GET', url: '/metrics', remoteAddress });
      assertErrorBody(response, errorBodies.notFound);
      assert.doesNotMatch(response.body, /tokend_/);
    }
    for (const headers of [{ 'x-forwarded-for': '127.0.0.1' }, { forwarded: 'for=127.0.0.1' }]) {
      assertErrorBody(await t.inject({ method: 'GET', url: '/metrics', headers }), errorBodies.notFound);
    }
  });

  test('a loopback request carrying any proxy header came through a proxy on this host: 404, whatever the header says', async () => {
    // nginx told only `proxy_set_header X-Real-IP $remote_addr`, a proxy that adds only `Via`, and
    // each header with a loopback value (a proxy on this host forwarding a remote caller).
    const proxied: Record<string, string>[] = [
      { 'x-real-ip': '203.0.113.7' },
      { 'x-real-ip': '127.0.0.1' },
      { via: '1.1 nginx' },
      { via: '1.0 localhost' },
      { forwarded: 'for=203.0.113.7;proto=https' },
      { 'x-forwarded-for': '' },
      { 'X-Real-IP': '::1' },
    ];
    for (const headers of proxied) {
      for (const remoteAddress of ['127.0.0.1', '::1']) {
        const response = await t.inject({ method: 'GET', url: '/metrics', remoteAddress, headers });
        assertErrorBody(response, errorBodies.notFound);
        assert.doesNotMatch(response.body, /tokend_/, JSON.stringify(headers));
      }
    }
  });

  test('over a socket: a same-host proxy sending only X-Real-IP or Via is refused, a direct local scrape is served', async () => {
    const port = await listenOnLoopback(t);
    assert.equal((await get(port, '/metrics')).status, 200);
    assert.equal((await get(port, '/metrics', { 'x-real-ip': '198.51.100.4' })).status, 404);
    assert.equal((await get(port, '/metrics', { via: '1.1 proxy.internal' })).status, 404);
  });

  test('docs/operations-metrics.md names every header that makes a loopback caller remote', () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../docs/operations-metrics.md', import.meta.url)), 'utf8');
    const row = doc.split('\n').find((line) => line.startsWith('| nothing (default) |')) ?? '';
    for (const name of PROXY_HEADERS) assert.match(row.toLowerCase(), new RegExp(`\`${name}\``), name);
  });

  test('it is not in the OpenAPI document', async () => {
    const document = (await t.inject({ method: 'GET', url: '/api/v2/docs/openapi.json' })).json();
    assert.equal(document.paths['/metrics'], undefined);
    assert.ok(document.paths['/api/v2/tokens/me']);
  });

  test('with TOKEND_METRICS_TOKEN, that bearer token reads it from anywhere, and nobody without it', async () => {
    const token = 'metrics-token-0123456789';
    const guarded = await startTestApp({ metricsToken: token });
    try {
      const read = await guarded.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.0.0.1', headers: bearer(token) });
      assert.equal(read.statusCode, 200);
      assert.match(read.body, /^tokend_token_cache_size 0$/m);
      assertErrorBody(await guarded.inject({ method: 'GET', url: '/metrics' }), errorBodies.authenticationRequired);
      assertErrorBody(await guarded.inject({ method: 'GET', url: '/metrics', headers: bearer(`${token}x`) }), errorBodies.badCredentials);
      assertErrorBody(
        await guarded.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.0.0.1', headers: bearer('short') }),
        errorBodies.badCredentials,
      );
    } finally {
      await guarded.close();
    }
  });

  test('the metrics port serves /metrics alone, to any caller, and closes with the app', async () => {
    const server = await t.app.metrics.listen('127.0.0.1', 0);
    const port = (server.address() as { port: number }).port;
    const read = await get(port, '/metrics');
    assert.equal(read.status, 200);
    assert.equal(read.type, 'text/plain; version=0.0.4; charset=utf-8');
    assert.ok(parseScrape(read.body).has('tokend_token_validations_total{result="valid"}'));
    const other = await get(port, ME);
    assert.equal(other.status, 404);
    assert.equal(JSON.parse(other.body).code, 'not.found');
    const busy = t.app.metrics.listen('127.0.0.1', port);
    await assert.rejects(busy, new RegExp(`^Error: TOKEND_METRICS_PORT=${port}: cannot listen on 127.0.0.1:${port}: listen EADDRINUSE`));
  });

  test('the settings are checked at start', () => {
    assert.deepEqual(
      (({ metricsToken, metricsPort }) => ({ metricsToken, metricsPort }))(
        configFromEnvironment({ TOKEND_METRICS_TOKEN: 'a-long-enough-token', TOKEND_METRICS_PORT: '9464' }),
      ),
      { metricsToken: 'a-long-enough-token', metricsPort: 9464 },
    );
    assert.throws(
      () => configFromEnvironment({ TOKEND_METRICS_TOKEN: 'short' }),
      /^Error: TOKEND_METRICS_TOKEN is not valid: expected at least 16 characters and no spaces \(its value is not shown\)$/,
    );
    assert.throws(
      () => configFromEnvironment({ TOKEND_METRICS_PORT: 'nine' }),
      /^Error: TOKEND_METRICS_PORT=nine is not valid: expected a whole number from 0 to 65535$/,
    );
  });
});
