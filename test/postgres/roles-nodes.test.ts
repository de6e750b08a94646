/**
 * Roles taken away across nodes: two tokend nodes (two apps, each with its own pool, LISTEN
 * connection and caches) on one PostgreSQL. A role deleted through the roles API on node A, or a
 * holder removed from it there, has the holder's token, cached on node B, refused on B within the
 * revocation bound.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { bearer } from '../helpers/app.js';
import { ROLES_SEED, roleClients, roleIds, userIds, vera } from '../helpers/roles-fixture.js';
import { pgSkip } from './pg-gate.js';
import { nodeToken, seededNodes } from './seeded-nodes.js';

const skip = await pgSkip({ once: true });
/** The revocation bound (docs/several-nodes.md: well under this). */
const BOUND_MS = 2000;
const ROLES = '/api/v2/authorization/roles';

describe('a role taken away on one node, on two nodes over one PostgreSQL', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const nodes = seededNodes(ROLES_SEED, clock);

  /** Asks `node` for the OAuth clients with `token` until it answers `status`, within the bound; returns how long it took. */
  async function clientsAnswerWithin(node: FastifyInstance, token: string, status: number): Promise<number> {
    const started = performance.now();
    for (;;) {
      const response = await node.inject({ method: 'GET', url: '/api/v2/oauth/clients', headers: bearer(token) });
      if (response.statusCode === status) return performance.now() - started;
      assert.ok(performance.now() - started < BOUND_MS, `node B still answers ${response.statusCode} after ${BOUND_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  const write = (node: FastifyInstance, token: string, method: 'PUT' | 'DELETE', url: string, body?: unknown) =>
    node.inject({
      method,
      url,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  test('a holder removed from a role on node A: their token, cached on node B, is refused there within the bound', async () => {
    const { a, b } = nodes;
    const admin = await nodeToken(a, roleClients.admin);
    const veraToken = await nodeToken(b, roleClients.app, vera);
    // B caches the token, with the role.
    await clientsAnswerWithin(b, veraToken, 200);
    const removed = await write(a, admin, 'PUT', `${ROLES}/${roleIds.viewer}/users/remove`, [userIds.vera]);
    assert.equal(removed.statusCode, 200, removed.body);
    const took = await clientsAnswerWithin(b, veraToken, 403);
    process.stdout.write(`# node B refused the removed holder ${took.toFixed(0)} ms after the change\n`);
  });

  test('a role deleted on node A: a client holding it, cached on node B, is refused there within the bound', async () => {
    const { a, b } = nodes;
    const admin = await nodeToken(a, roleClients.admin);
    const service = await nodeToken(b, roleClients.viewer);
    await clientsAnswerWithin(b, service, 200);
    const deleted = await write(a, admin, 'DELETE', `${ROLES}/${roleIds.viewer}`);
    assert.equal(deleted.statusCode, 204, deleted.body);
    const took = await clientsAnswerWithin(b, service, 403);
    process.stdout.write(`# node B refused the deleted role's holder ${took.toFixed(0)} ms after the delete\n`);
    const gone = await b.inject({ method: 'GET', url: `${ROLES}/${roleIds.viewer}`, headers: bearer(await nodeToken(b, roleClients.admin)) });
    assert.equal(gone.statusCode, 404, gone.body);
  });
});
