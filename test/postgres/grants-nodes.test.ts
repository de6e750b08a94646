/**
 * A grant in a division across nodes: two tokend nodes (two apps, each with its own pool, LISTEN
 * connection and caches) on one PostgreSQL. A grant made on node A is honoured by node B, and
 * once taken away on A, the holder's token, cached on B, is refused there within the revocation
 * bound; a division holding a grant is refused deletion on either node.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { bearer } from '../helpers/app.js';
import { DIVISIONS_SEED, divisionClients, people, roles } from '../helpers/divisions-fixture.js';
import { pgSkip } from './pg-gate.js';
import { nodeToken, seededNodes } from './seeded-nodes.js';

const skip = await pgSkip({ once: true });
/** The revocation bound (docs/several-nodes.md: well under this). */
const BOUND_MS = 2000;

describe('a grant in a division, made and taken away on one node, on two nodes over one PostgreSQL', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const nodes = seededNodes(DIVISIONS_SEED, clock);

  const send = (node: FastifyInstance, token: string, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) =>
    node.inject({
      method,
      url,
      headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });

  /** Asks `node` until a user search with `token` answers `status`, within the bound; returns how long it took. */
  async function searchAnswersWithin(node: FastifyInstance, token: string, status: number): Promise<number> {
    const started = performance.now();
    for (;;) {
      const response = await send(node, token, 'POST', '/api/v2/users/search', {});
      if (response.statusCode === status) return performance.now() - started;
      assert.ok(performance.now() - started < BOUND_MS, `node B still answers ${response.statusCode} after ${BOUND_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  test('granted on A, honoured on B; taken away on A, refused on B within the bound; the division in use stays on both', async () => {
    const { a, b } = nodes;
    const admin = await nodeToken(a, divisionClients.admin);
    const division = await send(a, admin, 'POST', '/api/v2/authorization/divisions', { name: 'Scranton' });
    assert.equal(division.statusCode, 200, division.body);
    const divisionId = division.json().id as string;
    const nat = await nodeToken(b, divisionClients.app, people.nat);
    assert.equal((await send(b, nat, 'POST', '/api/v2/users/search', {})).statusCode, 403, 'B caches the token without the grant');

    const grant = `/api/v2/authorization/subjects/${people.nat.id}/divisions/${divisionId}/roles/${roles.viewer.id}`;
    assert.equal((await send(a, admin, 'POST', grant)).statusCode, 204);
    await searchAnswersWithin(b, nat, 200);
    const deleting = await send(b, await nodeToken(b, divisionClients.admin), 'DELETE', `/api/v2/authorization/divisions/${divisionId}`);
    assert.equal(deleting.statusCode, 409, 'B sees the grant A made: the division stays');

    assert.equal((await send(a, admin, 'DELETE', grant)).statusCode, 204);
    const took = await searchAnswersWithin(b, nat, 403);
    process.stdout.write(`# node B refused the removed grant ${took.toFixed(0)} ms after it was taken away on A\n`);
    assert.equal((await send(b, admin, 'DELETE', `/api/v2/authorization/divisions/${divisionId}`)).statusCode, 204);
  });

  test('a grant in a division and its delete, racing on two nodes: never both; a division deleted holds no grant', async () => {
    const { a, b } = nodes;
    const adminA = await nodeToken(a, divisionClients.admin);
    const adminB = await nodeToken(b, divisionClients.admin);
    const outcomes = new Set<string>();
    for (let round = 0; round < 12; round++) {
      const made = await send(a, adminA, 'POST', '/api/v2/authorization/divisions', { name: `Race ${round}` });
      const id = made.json().id as string;
      const grant = `/api/v2/authorization/subjects/${people.vera.id}/divisions/${id}/roles/${roles.nothing.id}`;
      const [granted, deleted] = await Promise.all([send(a, adminA, 'POST', grant), send(b, adminB, 'DELETE', `/api/v2/authorization/divisions/${id}`)]);
      outcomes.add(`${granted.statusCode}/${deleted.statusCode}`);
      const held = (await send(a, adminA, 'GET', `/api/v2/authorization/subjects/${people.vera.id}`))
        .json()
        .grants.some((g: { division: { id: string } }) => g.division.id === id);
      if (deleted.statusCode === 204) {
        assert.equal(held, false, `round ${round}: the division went, and a grant in it stayed`);
        assert.equal(granted.statusCode, 404, `round ${round}: a grant not made is not reported made`);
      } else {
        assert.equal(deleted.statusCode, 409, deleted.body);
        assert.equal(granted.statusCode, 204, granted.body);
        assert.equal(held, true);
        assert.equal((await send(a, adminA, 'DELETE', grant)).statusCode, 204);
        assert.equal((await send(a, adminA, 'DELETE', `/api/v2/authorization/divisions/${id}`)).statusCode, 204);
      }
    }
    process.stdout.write(`# grant/delete outcomes seen: ${[...outcomes].join(', ')}\n`);
  });
});
