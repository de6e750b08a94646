/**
 * The organization and client usage on two tokend nodes over one PostgreSQL: a rename on node A
 * reaches the tokens cached on node B within the revocation bound, and the usage both nodes
 * counted for one client adds up in one row (their writes are atomic upserts that add).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { bearer } from '../helpers/app.js';
import { ACME, clients, SEED_FILE, users } from '../helpers/fixture.js';
import { pgSkip } from './pg-gate.js';
import { nodeToken, seededNodes } from './seeded-nodes.js';

const skip = await pgSkip({ once: true });
/** The revocation bound (docs/several-nodes.md: well under this). */
const BOUND_MS = 2000;

describe('organization and client usage on two nodes over one PostgreSQL', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const nodes = seededNodes(SEED_FILE, clock);

  test('a rename on node A: node B reads it at once, and its cached tokens carry it within the bound', async () => {
    const { a, b } = nodes;
    const alice = await nodeToken(b, clients.passwordApp, users.alice);
    const orgOf = async () => (await b.inject({ method: 'GET', url: '/api/v2/users/me?expand=organization', headers: bearer(alice) })).json().organization;
    assert.equal((await orgOf()).name, 'Acme');
    const admin = await nodeToken(a, clients.admin);
    const put = await a.inject({
      method: 'PUT',
      url: '/api/v2/organizations/me',
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ version: 1, name: 'Acme Nodes' }),
    });
    assert.equal(put.statusCode, 200, put.body);
    const onB = await b.inject({ method: 'GET', url: '/api/v2/organizations/me', headers: bearer(await nodeToken(b, clients.admin)) });
    assert.deepEqual([onB.json().id, onB.json().name, onB.json().version], [ACME, 'Acme Nodes', 2]);
    const started = performance.now();
    while ((await orgOf()).name !== 'Acme Nodes') {
      assert.ok(performance.now() - started < BOUND_MS, `node B still shows the old name after ${BOUND_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  });

  test("both nodes' counts of one client add up", async () => {
    const { a, b } = nodes;
    for (const node of [a, b]) {
      const token = await nodeToken(node, clients.wildcard);
      for (let i = 0; i < 3; i++) assert.equal((await node.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
    }
    await Promise.all([a.tokend.clientUsage.flush(), b.tokend.clientUsage.flush()]);
    const rows = await a.tokend.store.findClientUsage(clients.wildcard.id, '2026-01-01', '2026-01-01');
    assert.deepEqual(
      rows.map((row) => [row.templateUri, row.httpMethod, row.userId, row.status200]),
      [['/api/v2/tokens/me', 'GET', '', 6]],
    );
  });
});
