/**
 * Group changes across nodes: two tokend nodes (two apps, each with its own pool, LISTEN
 * connection and caches) on one PostgreSQL. A member added or removed through the groups API on
 * node A moves that person's idle deadline on node B within the notification bound, and a change
 * of a group's own row (a rename) drops no cache whole on B.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { bearer } from '../helpers/app.js';
import { GROUPS_SEED, groupClients, NIGHT_SHIFT, people } from '../helpers/groups-fixture.js';
import { pgSkip } from './pg-gate.js';
import { nodeToken, seededNodes } from './seeded-nodes.js';

const skip = await pgSkip({ once: true });
/** How long a change may take to reach the other node (docs/several-nodes.md: well under this). */
const BOUND_MS = 2000;

describe('group changes across two nodes on one PostgreSQL', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const nodes = seededNodes(GROUPS_SEED, clock);

  /** Seconds until the token idles out, as `node` sees it (each request restarts the clock). */
  async function idlesIn(node: FastifyInstance, t: string): Promise<number> {
    const me = await node.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(t) });
    assert.equal(me.statusCode, 200, me.body);
    return (Date.parse(me.json().dateTokenIdles) - clock.now()) / 1000;
  }

  /** Asks until `node` sees `expected`, within the bound; returns how long it took. */
  async function seenWithin(node: FastifyInstance, t: string, expected: number): Promise<number> {
    const started = performance.now();
    while ((await idlesIn(node, t)) !== expected) {
      assert.ok(performance.now() - started < BOUND_MS, `node B still times the token by the old bundle after ${BOUND_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return performance.now() - started;
  }

  test("a member added or removed on node A: node B times that person's token by the new bundle", async () => {
    const { a, b } = nodes;
    const admin = await nodeToken(a, groupClients.admin);
    const nick = await nodeToken(b, groupClients.app, people.nick);
    assert.equal(await idlesIn(b, nick), 3600, 'B caches the token, timed by the organization');
    const add = await a.inject({
      method: 'POST',
      url: `/api/v2/groups/${NIGHT_SHIFT}/members`,
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ memberIds: [people.nick.id] }),
    });
    assert.equal(add.statusCode, 202, add.body);
    const added = await seenWithin(b, nick, 600);
    const remove = await a.inject({ method: 'DELETE', url: `/api/v2/groups/${NIGHT_SHIFT}/members?ids=${people.nick.id}`, headers: bearer(admin) });
    assert.equal(remove.statusCode, 202, remove.body);
    const removed = await seenWithin(b, nick, 3600);
    process.stdout.write(`# node B saw the membership change in ${added.toFixed(0)} ms (added) and ${removed.toFixed(0)} ms (removed)\n`);
  });

  test('a group renamed on node A: B reads the new name and version, and drops no cache whole', async () => {
    const { a, b } = nodes;
    const admin = await nodeToken(a, groupClients.admin);
    const version = b.tokend.store.changeVersion();
    const before = (await b.inject({ method: 'GET', url: `/api/v2/groups/${NIGHT_SHIFT}`, headers: bearer(admin) })).json();
    const put = await a.inject({
      method: 'PUT',
      url: `/api/v2/groups/${NIGHT_SHIFT}`,
      headers: { ...bearer(admin), 'content-type': 'application/json' },
      payload: JSON.stringify({ version: before.version, name: 'Night owls' }),
    });
    assert.equal(put.statusCode, 200, put.body);
    const after = (await b.inject({ method: 'GET', url: `/api/v2/groups/${NIGHT_SHIFT}`, headers: bearer(admin) })).json();
    assert.deepEqual([after.name, after.version], ['Night owls', before.version + 1]);
    // The rename's notification names the group (g:); a "*" would have moved the version.
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(b.tokend.store.changeVersion(), version);
  });
});
