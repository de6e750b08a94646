/**
 * Requests per token per minute over real sockets: a cached token's count lives with it (the
 * fast lane and Fastify count in the same place), restarts with the window, and survives its
 * cache being dropped by a change made elsewhere.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { applySeedText } from '../../src/core/seed/apply.js';
import { openStore } from '../../src/store/open-store.js';
import { bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, SEED_FILE } from '../helpers/fixture.js';

const ME = 'http://127.0.0.1:PORT/api/v2/tokens/me';
let t: TestApp;
let me: string;

before(async () => {
  t = await startTestApp({ rateLimitPerMinute: 3 });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  assert.ok(address !== null && typeof address === 'object');
  me = ME.replace('PORT', String(address.port));
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
  // Fastify (not cached yet), the lane, Fastify again (a query string is never the lane's).
  assert.deepEqual(await count(token), [200, '1']);
  assert.deepEqual(await count(token, 'HEAD'), [200, '2']);
  assert.deepEqual(await count(token, 'GET', '?preserveIdleTTL=true'), [200, '3']);
  assert.equal(t.app.fastLane!.answered, lanes + 1);
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
  const lanes = t.app.fastLane!.answered;
  assert.deepEqual(await count(token), [200, '3']);
  assert.equal(t.app.fastLane!.answered, lanes, 'reloaded through Fastify: the cache was dropped');
  assert.deepEqual(await count(token), [429, '3']);
});
