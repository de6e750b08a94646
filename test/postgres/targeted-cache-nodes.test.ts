/**
 * Issue 14 across nodes: two tokend nodes (in process, each with its own PostgreSQL pool and
 * LISTEN connection) on one database, over real HTTP. A client disabled or a user disabled on
 * node 1 is refused on node 2 within the cross-node bound, while node 2 keeps the other
 * clients' and users' tokens cached (its load counter does not move); a lost LISTEN connection
 * still drops everything on its return, since what changed meanwhile is unknown.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setUserState } from '../../src/core/admin/users.js';
import type { PgStore } from '../../src/store/postgres/pg-store.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';
import { pgTestDatabase } from '../helpers/pg-template.js';
import { admin, type TestDatabase } from '../helpers/postgres.js';
import { listenOnLoopback } from '../helpers/socket-request.js';
import { pgSkip } from './pg-gate.js';

/** The bound this project states for cross-node revocation (docs/several-nodes.md). */
const BOUND_MS = 100;

const skip = await pgSkip({ once: true });

interface Node {
  t: TestApp;
  base: string;
}

async function startNode(database: string): Promise<Node> {
  const t = await startTestApp({ database });
  return { t, base: `http://127.0.0.1:${await listenOnLoopback(t)}` };
}

async function status(node: Node, token: string): Promise<number> {
  const response = await fetch(`${node.base}/api/v2/tokens/me`, { headers: bearer(token) });
  await response.arrayBuffer();
  return response.status;
}

/** Status of `token` on `node`, and how many tokens the request read from the store there. */
async function counted(node: Node, token: string): Promise<[number, number]> {
  const before = node.t.app.tokend.authenticator.cacheStats.loads;
  const answer = await status(node, token);
  return [answer, node.t.app.tokend.authenticator.cacheStats.loads - before];
}

/** How long after now `token` is first refused on `node` (ms); fails past the bound. */
async function refusedWithin(node: Node, token: string): Promise<number> {
  const start = performance.now();
  for (;;) {
    const began = performance.now() - start;
    if ((await status(node, token)) === 401) return began;
    if (began > BOUND_MS) assert.fail(`still accepted ${began.toFixed(0)} ms later`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('targeted cache drops on two nodes of one PostgreSQL', { skip }, () => {
  let database: TestDatabase;
  let one: Node;
  let two: Node;

  before(async () => {
    database = await pgTestDatabase(true);
    one = await startNode(database.url);
    two = await startNode(database.url);
  });
  after(async () => {
    await one?.t.app.close();
    await two?.t.app.close();
    await database?.drop();
  });

  test("a client disabled on node 1 is refused on node 2 within the bound; node 2 keeps the other client's tokens cached", async () => {
    const wildcard = await one.t.token(clients.wildcard);
    const plain = await one.t.token(clients.plain);
    const kept = await one.t.token(clients.admin);
    assert.deepEqual(await counted(two, plain), [200, 1]);
    assert.deepEqual(await counted(two, kept), [200, 1]);

    const response = await fetch(`${one.base}/api/v2/oauth/clients/${clients.plain.id}`, {
      method: 'PUT',
      headers: { ...bearer(wildcard), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Plain, disabled', authorizedGrantType: 'CLIENT-CREDENTIALS', state: 'disabled' }),
    });
    assert.equal(response.status, 200, await response.text());
    const ms = await refusedWithin(two, plain);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(await counted(two, kept), [200, 0], "the other client's token is still cached on node 2");
    console.log(`the disabled client's token refused on node 2 from ${ms.toFixed(1)} ms`);
  });

  test("a user disabled on node 1 is refused on node 2 within the bound; node 2 keeps another user's token cached", async () => {
    const alice = await one.t.token(clients.passwordApp, users.alice);
    const bob = await one.t.token(clients.passwordApp, users.bob);
    assert.deepEqual(await counted(two, alice), [200, 1]);
    assert.deepEqual(await counted(two, bob), [200, 1]);

    const { store, clock, authenticator } = one.t.app.tokend;
    assert.equal((await setUserState({ store, clock, authenticator }, users.alice.id, 'inactive')).revokedTokens, 1);
    const ms = await refusedWithin(two, alice);
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.deepEqual(await counted(two, bob), [200, 0], "the other user's token is still cached on node 2");
    console.log(`the disabled user's token refused on node 2 from ${ms.toFixed(1)} ms`);
  });

  test('a lost LISTEN connection drops everything once it is back', async () => {
    const token = await one.t.token(clients.admin);
    await status(two, token);
    assert.deepEqual(await counted(two, token), [200, 0]);
    const store = two.t.app.tokend.store as PgStore;
    await admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tokend-listen' AND datname = $1", [database.name]);
    const lost = Date.now();
    while (store.notificationsTrusted && Date.now() - lost < 2000) await new Promise((resolve) => setTimeout(resolve, 2));
    assert.equal(store.notificationsTrusted, false);
    while (!store.notificationsTrusted && Date.now() - lost < 5000) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(store.notificationsTrusted, true, 'reconnected by itself');
    assert.deepEqual(await counted(two, token), [200, 1], 'read afresh: whatever changed while deaf is unknown');
    assert.deepEqual(await counted(two, token), [200, 0]);
  });
});
