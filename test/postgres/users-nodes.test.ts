/**
 * A person deleted across nodes: two tokend nodes (two apps, each with its own pool, LISTEN
 * connection and caches) on one PostgreSQL. A person deleted through the users API on node A has
 * their token, cached on node B, refused on B within the revocation bound; a role taken away on A
 * stops granting on B within it too.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { basic, bearer } from '../helpers/app.js';
import { people, roles, USERS_SEED, userClients } from '../helpers/users-fixture.js';
import { pgSkip } from './pg-gate.js';
import { nodeToken, seededNodes } from './seeded-nodes.js';

const skip = await pgSkip({ once: true });
/** The revocation bound (docs/several-nodes.md: well under this). */
const BOUND_MS = 2000;

describe('a person deleted or re-roled on one node, on two nodes over one PostgreSQL', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const nodes = seededNodes(USERS_SEED, clock);

  /** Asks `node` until `url` answers `status` with `t`, within the bound; returns how long it took. */
  async function answersWithin(node: FastifyInstance, t: string, method: 'GET' | 'POST', url: string, status: number): Promise<number> {
    const started = performance.now();
    for (;;) {
      const response = await node.inject({
        method,
        url,
        headers: { ...bearer(t), 'content-type': 'application/json' },
        payload: method === 'POST' ? '{}' : undefined,
      });
      if (response.statusCode === status) return performance.now() - started;
      assert.ok(performance.now() - started < BOUND_MS, `node B still answers ${response.statusCode} after ${BOUND_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  test('a person deleted on node A: their token, cached on node B, is refused there within the bound, and their sign-in too', async () => {
    const { a, b } = nodes;
    const admin = await nodeToken(a, userClients.admin);
    const nora = await nodeToken(b, userClients.readonlyApp, people.nora);
    assert.equal((await b.inject({ method: 'GET', url: '/api/v2/users/me', headers: bearer(nora) })).statusCode, 200, 'B caches the token');
    const deleted = await a.inject({ method: 'DELETE', url: `/api/v2/users/${people.nora.id}`, headers: bearer(admin) });
    assert.equal(deleted.statusCode, 200, deleted.body);
    const took = await answersWithin(b, nora, 'GET', '/api/v2/users/me', 401);
    const signIn = await b.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(userClients.readonlyApp.id, userClients.readonlyApp.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=password&username=${encodeURIComponent(people.nora.email)}&password=${encodeURIComponent(people.nora.password)}`,
    });
    assert.equal(signIn.statusCode, 400, 'a deleted person signs in nowhere');
    process.stdout.write(`# node B refused the deleted person's token ${took.toFixed(0)} ms after the delete\n`);
  });

  test('a role taken away on node A: node B stops granting it within the bound', async () => {
    const { a, b } = nodes;
    const admin = await nodeToken(a, userClients.admin);
    const vic = await nodeToken(b, userClients.app, people.vic);
    assert.equal(
      (await b.inject({ method: 'POST', url: '/api/v2/users/search', headers: { ...bearer(vic), 'content-type': 'application/json' }, payload: '{}' }))
        .statusCode,
      200,
    );
    const put = await a.inject({
      method: 'PUT',
      url: `/api/v2/users/${people.vic.id}/roles`,
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: JSON.stringify([roles.nothing.id]),
    });
    assert.equal(put.statusCode, 200, put.body);
    await answersWithin(b, vic, 'POST', '/api/v2/users/search', 403);
  });
});
