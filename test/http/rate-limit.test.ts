/**
 * Requests per token per minute over real sockets: a cached token's count lives with it (the
 * fast lane and Fastify count in the same place), restarts with the window, and survives its
 * cache being dropped by a change made elsewhere. Then the 429 and the window as Genesys
 * reports them: a body naming the limit, a window of each token's own from its first request.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { openStore } from '../../src/store/open-store.js';
import { assertErrorBody } from '../helpers/api-error.js';
import { bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, SEED_FILE } from '../helpers/fixture.js';
import { listenOnLoopback } from '../helpers/socket-request.js';

const ME = 'http://127.0.0.1:PORT/api/v2/tokens/me';
let t: TestApp;
let me: string;

before(async () => {
  t = await startTestApp({ rateLimitPerMinute: 3 });
  me = ME.replace('PORT', String(await listenOnLoopback(t)));
});
after(() => t.close());

async function count(token: string, method = 'GET', query = ''): Promise<[number, string | null]> {
  const response = await fetch(me + query, { method, headers: bearer(token) });
  await response.arrayBuffer();
  return [response.status, response.headers.get('inin-ratelimit-count')];
}

test('the lane and Fastify count one token together; over the limit is 429', async () => {
  const token = await t.token(clients.plain);
  const lanes = t.app.fastLane!.answered;
  // The lane (the token was cached as it was issued) twice, then Fastify (a query string is never the lane's).
  assert.deepEqual(await count(token), [200, '1']);
  assert.deepEqual(await count(token, 'HEAD'), [200, '2']);
  assert.deepEqual(await count(token, 'GET', '?preserveIdleTTL=true'), [200, '3']);
  assert.equal(t.app.fastLane!.answered, lanes + 2);
  assert.deepEqual(await count(token), [429, '3']);
  assert.deepEqual(await count(token, 'HEAD'), [429, '3']);
});

test('a new window restarts the count', async () => {
  const token = await t.token(clients.plain);
  for (let i = 1; i <= 3; i++) assert.deepEqual(await count(token), [200, String(i)]);
  assert.equal((await count(token))[0], 429);
  t.clock.advance(60_000);
  assert.deepEqual(await count(token), [200, '1']);
});

test('a change made elsewhere drops the token cache but not the counts', async () => {
  t.clock.advance(60_000);
  const token = await t.token(clients.plain);
  assert.deepEqual(await count(token), [200, '1']);
  assert.deepEqual(await count(token), [200, '2']);
  const other = openStore(t.database);
  await applySeedText(other, t.clock, readFileSync(SEED_FILE, 'utf8'));
  await other.close();
  await otherNodeChange();
  const misses = t.app.tokend.authenticator.counts.tokenCache.misses;
  assert.deepEqual(await count(token), [200, '3']);
  assert.equal(t.app.tokend.authenticator.counts.tokenCache.misses, misses + 1, 'read from the store again: the cache was dropped');
  assert.deepEqual(await count(token), [429, '3']);
});

describe('the 429 and the window, as Genesys reports them (CONTRACT.md, "Rate limit body")', () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp({ rateLimitPerMinute: 3 });
    // Off the minute of the wall clock, so that a window of its own shows.
    app.clock.advance(25_300);
  });
  after(() => app.close());

  const get = (token: string) => app.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });
  const rateOf = (response: LightMyRequestResponse) =>
    ['inin-ratelimit-count', 'inin-ratelimit-allowed', 'inin-ratelimit-reset'].map((name) => response.headers[name]);

  test('a 429: exact headers and ErrorBody, with the limit it ran into', async () => {
    const token = await app.token(clients.plain);
    for (let i = 0; i < 3; i++) assert.equal((await get(token)).statusCode, 200);
    app.clock.advance(12_400);
    const limited = await get(token);
    assert.equal(limited.statusCode, 429);
    const id = limited.headers['inin-correlation-id'];
    assert.deepEqual(
      { ...limited.headers, date: undefined, connection: undefined },
      {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(limited.body)),
        'retry-after': '48',
        'inin-correlation-id': id,
        'genesys-correlation-id': id,
        'cache-control': 'no-cache, no-store, must-revalidate',
        pragma: 'no-cache',
        expires: '0',
        'inin-ratelimit-count': '3',
        'inin-ratelimit-allowed': '3',
        'inin-ratelimit-reset': '48',
        date: undefined,
        connection: undefined,
      },
    );
    assertErrorBody(limited, {
      message: 'Rate limit exceeded the maximum. Retry the request in [48] seconds',
      code: 'too.many.requests.retry.after',
      status: 429,
      messageWithParams: 'Rate limit exceeded the maximum. Retry the request in [{retryAfter}] seconds',
      messageParams: { retryAfter: '48' },
      limit: { key: 'token.rate.per.minute', namespace: 'platform.api', value: 3 },
    });
  });

  test('the window starts at the first request: reset counts down from 60', async () => {
    const token = await app.token(clients.plain);
    assert.deepEqual(rateOf(await get(token)), ['1', '3', '60']);
    app.clock.advance(999);
    assert.deepEqual(rateOf(await get(token)), ['2', '3', '60']);
    app.clock.advance(1);
    assert.deepEqual(rateOf(await get(token)), ['3', '3', '59']);
    app.clock.advance(58_500);
    const last = await get(token);
    assert.equal(last.statusCode, 429);
    assert.deepEqual(rateOf(last), ['3', '3', '1']);
    app.clock.advance(500);
    assert.deepEqual(rateOf(await get(token)), ['1', '3', '60'], 'the next request opens the next window');
  });

  test("one token's window does not move another's", async () => {
    const first = await app.token(clients.plain);
    const second = await app.token(clients.plain);
    assert.deepEqual(rateOf(await get(first)), ['1', '3', '60']);
    app.clock.advance(20_000);
    assert.deepEqual(rateOf(await get(second)), ['1', '3', '60']);
    assert.deepEqual(rateOf(await get(first)), ['2', '3', '40']);
    app.clock.advance(40_000);
    assert.deepEqual(rateOf(await get(first)), ['1', '3', '60'], "the first token's window ended");
    assert.deepEqual(rateOf(await get(second)), ['2', '3', '20'], "the second's runs on");
  });
});

describe('RateLimiter, for a token not cached (counted by hash)', () => {
  test('a window opened before the minute turns runs on after it; an ended one starts afresh', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 50));
    const limiter = new RateLimiter(2, clock);
    assert.deepEqual(limiter.hit('a'), { count: 1, allowed: 2, resetSeconds: 60 });
    clock.advance(30_000);
    assert.deepEqual(limiter.hit('a'), { count: 2, allowed: 2, resetSeconds: 30 });
    assert.deepEqual(limiter.hit('b'), { count: 1, allowed: 2, resetSeconds: 60 });
    clock.advance(29_000);
    assert.deepEqual(limiter.hit('a'), { count: 3, allowed: 2, resetSeconds: 1 });
    clock.advance(1_000);
    assert.deepEqual(limiter.hit('a'), { count: 1, allowed: 2, resetSeconds: 60 });
    assert.deepEqual(limiter.hit('b'), { count: 2, allowed: 2, resetSeconds: 30 });
    clock.advance(120_000);
    assert.deepEqual(limiter.hit('b'), { count: 1, allowed: 2, resetSeconds: 60 }, 'two minutes on, nothing is left');
  });
});
