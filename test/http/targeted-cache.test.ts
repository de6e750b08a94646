/**
 * Issue 14, admin writes without cache storms: a change to one client or user drops only that
 * client's or user's cached tokens (the others are answered from memory, without a store read),
 * while the changed one is refused from the next request. Over real HTTP on a listening tokend
 * (the fast lane included); the Authenticator's load counter tells a cached answer from a reload.
 * A change made by another process on SQLite says only "something changed": everything is dropped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setUserState } from '../../src/core/admin/users.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { CLIENTS_SEED, initrode, othercorp } from '../helpers/clients-fixture.js';
import { listenOnLoopback } from '../helpers/socket-request.js';

let t: TestApp;
let base: string;
let admin: string;
before(async () => {
  t = await startTestApp({ seedFile: CLIENTS_SEED });
  base = `http://127.0.0.1:${await listenOnLoopback(t)}`;
  admin = await t.token(initrode.clientAdmin);
});
after(() => t.close());

const loads = () => t.app.tokend.authenticator.cacheStats.loads;

async function me(token: string): Promise<{ status: number; code?: string }> {
  const response = await fetch(`${base}/api/v2/tokens/me`, { headers: bearer(token) });
  const body = (await response.json()) as { code?: string };
  return response.status === 200 ? { status: 200 } : { status: response.status, code: body.code };
}

/** Status of `token` at /tokens/me, and how many tokens the request read from the store. */
async function meCounted(token: string): Promise<[number, number]> {
  const before = loads();
  const { status } = await me(token);
  return [status, loads() - before];
}

async function putClient(id: string, body: Record<string, unknown>): Promise<number> {
  const response = await fetch(`${base}/api/v2/oauth/clients/${id}`, {
    method: 'PUT',
    headers: { ...bearer(admin), 'content-type': 'application/json' },
    body: JSON.stringify({ authorizedGrantType: 'CLIENT-CREDENTIALS', ...body }),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('a change drops only what it affects', () => {
  test("updating client A keeps client B's tokens cached; disabling A refuses its token at once, B still cached", async () => {
    const a = await t.token(initrode.seeded);
    const b = await t.token(initrode.viewer);
    assert.deepEqual(await meCounted(a), [200, 0], 'cached as it was issued');
    assert.deepEqual(await meCounted(b), [200, 0], 'cached as it was issued');
    assert.deepEqual(await meCounted(b), [200, 0], 'cached');

    assert.equal(await putClient(initrode.seeded.id, { name: 'Seeded service, renamed' }), 200);
    await otherNodeChange();
    assert.deepEqual(await meCounted(b), [200, 0], 'B is still cached after A changed');
    assert.deepEqual(await meCounted(a), [200, 1], 'A is read afresh');
    assert.deepEqual(await meCounted(a), [200, 0]);

    assert.equal(await putClient(initrode.seeded.id, { name: 'Seeded service, renamed', state: 'disabled' }), 200);
    assert.deepEqual(await me(a), { status: 401, code: 'bad.credentials' }, 'refused from the next request');
    await otherNodeChange();
    assert.deepEqual(await meCounted(b), [200, 0], 'B is still cached after A was disabled');
    assert.deepEqual(await me(a), { status: 401, code: 'bad.credentials' });
  });

  test('a token dropped because its client changed keeps its rate-limit count when read afresh', async () => {
    const token = await t.token(initrode.viewer);
    const counted = async () => {
      const response = await fetch(`${base}/api/v2/tokens/me`, { headers: bearer(token) });
      await response.arrayBuffer();
      return [response.status, response.headers.get('inin-ratelimit-count')];
    };
    assert.deepEqual(await counted(), [200, '1']);
    assert.deepEqual(await counted(), [200, '2']);
    assert.equal(await putClient(initrode.viewer.id, { name: 'Viewer service, renamed' }), 200);
    await otherNodeChange();
    const before = loads();
    assert.deepEqual(await counted(), [200, '3']);
    assert.equal(loads() - before, 1, 'read afresh');
  });

  test("disabling a user refuses their token at once and keeps another user's cached", async () => {
    const vic = { id: '33333333-0000-4000-8000-00000000c002', email: 'vic@initrode.test', password: 'vic-password' };
    const ivyToken = await t.token(initrode.oauthApp, initrode.ivy);
    const vicToken = await t.token(initrode.oauthApp, vic);
    assert.deepEqual(await meCounted(ivyToken), [200, 0], 'cached as it was issued');
    assert.deepEqual(await meCounted(vicToken), [200, 0], 'cached as it was issued');

    const { store, clock, authenticator } = t.app.tokend;
    const ended = await setUserState({ store, clock, authenticator }, initrode.ivy.id, 'inactive');
    assert.equal(ended.revokedTokens, 1);
    assert.deepEqual(await me(ivyToken), { status: 401, code: 'bad.credentials' }, 'refused from the next request');
    await otherNodeChange();
    assert.deepEqual(await meCounted(vicToken), [200, 0], 'the other user of the same client is still cached');
    assert.deepEqual(await me(ivyToken), { status: 401, code: 'bad.credentials' });
  });

  test("an organization's new idle timeout drops its tokens and keeps another organization's cached", async () => {
    const own = await t.token(initrode.viewer);
    const other = await t.token(othercorp.client);
    assert.deepEqual(await meCounted(own), [200, 0], 'cached as it was issued');
    assert.deepEqual(await meCounted(other), [200, 0], 'cached as it was issued');
    const { store, idleTimeouts } = t.app.tokend;
    const organization = await store.findOrganization(initrode.org);
    await idleTimeouts.update(organization!, { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 600 });
    await otherNodeChange();
    assert.deepEqual(await meCounted(other), [200, 0], "the other organization's token is still cached");
    assert.deepEqual(await meCounted(own), [200, 1], 'read afresh, with the new timeout');
  });

  test('SQLite: a change by another process (the CLI) does not say what changed, so everything is dropped', {
    skip: process.env.TOKEND_TEST_DATABASE === 'postgres',
  }, async () => {
    const b = await t.token(initrode.viewer);
    assert.deepEqual(await meCounted(b), [200, 0], 'cached as it was issued');
    assert.deepEqual(await meCounted(b), [200, 0]);
    const other = new SqliteStore(t.database);
    try {
      assert.ok(await other.setClientSecretHash(initrode.otherScopeApp.id, 'not-a-hash', t.clock.now(), null));
    } finally {
      await other.close();
    }
    assert.deepEqual(await meCounted(b), [200, 1], 'reloaded: the whole cache was dropped');
    assert.deepEqual(await meCounted(b), [200, 0]);
  });
});
