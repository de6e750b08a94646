/**
 * Idle timeouts across nodes: two tokend nodes (two apps, each with its own pool, LISTEN
 * connection and caches) on one PostgreSQL, under one manual clock. Activity on either node
 * keeps a token alive on both, even activity the other node has not flushed yet; the deadline
 * stays exact; a token idled out on one node is refused by the other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { buildApp } from '../../src/server/build-app.js';
import { basic, bearer } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { pgTestDatabase } from '../helpers/pg-template.js';
import type { TestDatabase } from '../helpers/postgres.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip({ once: true });
const IDLE_MS = 300_000;

describe('idle timeout across two nodes on one PostgreSQL', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  let database: TestDatabase;
  let a: FastifyInstance;
  let b: FastifyInstance;

  before(async () => {
    database = await pgTestDatabase(true);
    [a, b] = await Promise.all([buildApp({ database: database.url, clock, logger: false }), buildApp({ database: database.url, clock, logger: false })]);
    const admin = await token(a);
    const put = await a.inject({
      method: 'PUT',
      url: '/api/v2/tokens/timeout',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: IDLE_MS / 1000 }),
    });
    assert.equal(put.statusCode, 200, put.body);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  async function token(node: FastifyInstance): Promise<string> {
    const response = await node.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(clients.admin.id, clients.admin.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().access_token as string;
  }
  const me = async (node: FastifyInstance, t: string, preserve = false) =>
    (await node.inject({ method: 'GET', url: `/api/v2/tokens/me${preserve ? '?preserveIdleTTL=true' : ''}`, headers: bearer(t) })).statusCode;

  test('use on node A keeps the token alive on node B, flushed or not yet', async () => {
    const t = await token(a);
    assert.equal(await me(a, t), 200);
    assert.equal(await me(b, t), 200, 'B caches the token with this last use');
    clock.advance(200_000);
    assert.equal(await me(a, t), 200);
    await a.tokend.idleClock.flush(clock.now());
    clock.advance(150_000);
    // B's own view is 350 s old; the store has A's use of 150 s ago.
    assert.equal(await me(b, t), 200);
    await b.tokend.idleClock.flush(clock.now());

    // A uses the token half a second before the deadline and does not flush; B sees the
    // deadline pass 100 ms later. B must wait for A's flush rather than end a live token.
    clock.advance(IDLE_MS - 500);
    assert.equal(await me(a, t), 200);
    clock.advance(600);
    const started = performance.now();
    assert.equal(await me(b, t, true), 200, 'an unflushed use on another node counts');
    process.stdout.write(`# node B settled a just-passed idle deadline in ${(performance.now() - started).toFixed(0)} ms (A's flush landing)\n`);
  });

  test('the deadline is exact across nodes, and an idled-out token is refused by both', async () => {
    const t = await token(a);
    assert.equal(await me(a, t), 200);
    await a.tokend.idleClock.flush(clock.now());
    assert.equal(await me(b, t, true), 200);
    clock.advance(IDLE_MS - 1);
    assert.equal(await me(b, t, true), 200, 'one millisecond before the deadline');
    clock.advance(1);
    assert.equal(await me(b, t, true), 401, 'at the deadline');
    assert.equal(await me(a, t, true), 401, 'and on the other node');
    clock.advance(10_000);
    assert.equal(await me(a, t), 401, 'a later request does not revive it');
  });
});
