/**
 * The one store suite, run against every backend (STYLE.md, "The store"; lucia v3
 * `adapter-test`). Every Store method, and the concurrency rules of store.ts: atomic writes,
 * conditional touches, idempotent revocations, and races between two connections ("nodes").
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { type Backend, useBackend } from '../helpers/backend-store.js';
import { clientOf, groupOf, seededWorld, stored, T0, tokenOf, userOf, world } from './fixtures.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds or `ms` pass. */
async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await settle(5);
  }
  return true;
}

export async function storeSuite(backend: Backend): Promise<void> {
  describe(`store suite on ${backend.name}`, { skip: (await backend.unavailable()) ?? false }, () => {
    let store: Store;
    let second: Store;
    useBackend(backend, (nodes) => ({ store, second } = nodes));

    test('migrate is idempotent and ping answers', async () => {
      await store.migrate();
      await second.migrate();
      await store.ping();
    });

    test('probeWrite resolves on a writable store and changes nothing another node would see', async () => {
      const version = second.changeVersion();
      await store.probeWrite();
      await second.probeWrite();
      await settle(50);
      assert.equal(second.changeVersion(), version, 'no commit to notice');
    });

    test('applySeed writes the directory and finders read it back', async () => {
      const w = world();
      await store.applySeed(w.plan);
      assert.deepEqual(await store.findOrganization(w.organization.id), w.organization);
      assert.deepEqual(await store.findClient(w.client.id), w.client);
      assert.deepEqual(await store.findUser(w.user.id), stored(w.user));
      assert.deepEqual(await store.findUserByEmail(w.organization.id, w.user.email.toUpperCase()), stored(w.user), 'email match ignores case');
      assert.equal(await store.findUserByEmail(w.organization.id, 'nobody@acme.test'), null);
      assert.deepEqual(await store.findRoles([w.role.id, 'no-such-role']), [w.role]);
      assert.deepEqual(await store.listRoles(w.organization.id), [w.role]);
      assert.deepEqual(await store.listRoles('no-such-org'), []);
      // A seeded group takes the defaults of the fields only the groups API sets, at version 1.
      assert.deepEqual(await store.listGroups(w.organization.id), [groupOf(w.groupId, w.organization.id, 'Night shift', { dateModified: 0 })]);
      assert.deepEqual(await store.listClients(w.organization.id), [w.client]);
      assert.ok((await store.listClients()).some((c) => c.id === w.client.id));
      for (const missing of [store.findOrganization('x'), store.findClient('x'), store.findUser('x')]) assert.equal(await missing, null);
    });

    test('applySeed again replaces memberships and fields (upsert), in one transaction', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const org = w.plan.organizations[0]!;
      const user = { ...w.user, name: 'Alice Renamed', roleIds: [], groupIds: [], dateModified: T0 + 1 };
      const client = { ...w.client, scope: ['authorization'], roleDivisions: [], dateModified: T0 + 1 };
      await store.applySeed({ organizations: [{ ...org, users: [user], clients: [client] }] });
      // A seed's rename moves the person's version, as an admin's would.
      assert.deepEqual(await store.findUser(w.user.id), stored(user, 2));
      assert.deepEqual(await store.findClient(w.client.id), client);
      // A seed that fails half-way (a role that does not exist) changes nothing.
      const broken = { ...user, name: 'Never stored', roleIds: ['no-such-role'] };
      await assert.rejects(store.applySeed({ organizations: [{ ...org, users: [broken], clients: [] }] }));
      assert.deepEqual(await store.findUser(w.user.id), stored(user, 2));
    });

    test('setIdleTokenTimeout replaces the timeout; false for an unknown organization', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const timeout = { ...w.organization.idleTokenTimeout, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 600 };
      assert.equal(await store.setIdleTokenTimeout(w.organization.id, timeout), true);
      assert.deepEqual((await store.findOrganization(w.organization.id))?.idleTokenTimeout, timeout);
      assert.equal(await store.setIdleTokenTimeout('no-such-org', timeout), false);
    });

    test('updateOrganization: at the expected version only; a name another organization has in the normal form is name-taken; nothing written unless written', async () => {
      const w = world();
      const other = world();
      await store.applySeed(w.plan);
      await store.applySeed(other.plan);
      const change = { name: 'Renamed Org', details: { defaultLanguage: 'fr' } };
      assert.equal(await store.updateOrganization(w.organization.id, change, 2), 'stale');
      assert.equal(await store.updateOrganization(w.organization.id, { ...change, name: other.organization.name.toUpperCase() }, 1), 'name-taken');
      assert.equal(await store.updateOrganization('no-such-org', change, 1), 'missing');
      assert.deepEqual(await store.findOrganization(w.organization.id), w.organization);
      assert.equal(await store.updateOrganization(w.organization.id, change, 1), 'written');
      assert.deepEqual(await store.findOrganization(w.organization.id), { ...w.organization, ...change, version: 2 });
      assert.equal((await store.findOrganizationByName('renamed org'))?.id, w.organization.id);
      // Two writers from one read: exactly one wins.
      const racing = await Promise.all([second, store].map((s, i) => s.updateOrganization(w.organization.id, { name: `Racer ${i}`, details: {} }, 2)));
      assert.deepEqual([...racing].sort(), ['stale', 'written']);
    });

    test('client usage: additions to one row add up, from any connection; reads by day range; old days deleted', async () => {
      const w = world();
      const row = (day: string, status200: number) => ({
        day,
        organizationId: w.organization.id,
        clientId: w.client.id,
        userId: '',
        httpMethod: 'GET',
        templateUri: '/api/v2/tokens/me',
        status200,
        status300: 0,
        status400: 1,
        status429: 0,
        status500: 0,
      });
      await Promise.all([store.addClientUsage([row('2026-01-01', 2)]), second.addClientUsage([row('2026-01-01', 3), row('2026-01-02', 1)])]);
      await store.addClientUsage([]);
      assert.deepEqual(await store.findClientUsage(w.client.id, '2026-01-01', '2026-01-01'), [{ ...row('2026-01-01', 5), status400: 2 }]);
      assert.equal((await second.findClientUsage(w.client.id, '2026-01-01', '2026-01-31')).length, 2);
      assert.equal(await store.deleteClientUsageBefore('2026-01-02'), 1);
      assert.deepEqual(await store.findClientUsage(w.client.id, '2000-01-01', '9999-12-31'), [row('2026-01-02', 1)]);
    });

    test('clients: insert with roles, state and secret changes', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const client = clientOf(w.organization.id, { roleDivisions: [{ roleId: w.role.id, divisionId: 'd1' }], dateToDelete: T0 + 5, createdBy: 'u1' });
      await store.insertClient(client);
      assert.deepEqual(await store.findClient(client.id), client);
      await assert.rejects(store.insertClient(client), 'a duplicate id is refused');
      assert.deepEqual(await store.setClientState(client.id, 'disabled', T0 + 10), { revokedTokens: 0 });
      assert.equal(await store.setClientSecretHash(client.id, 'scrypt$new', T0 + 20), true);
      assert.deepEqual(await store.findClient(client.id), { ...client, state: 'disabled', secretHash: 'scrypt$new', dateModified: T0 + 20 });
      assert.equal(await store.setClientState('nope', 'disabled', T0), null);
      assert.equal(await store.setClientSecretHash('nope', 'x', T0), false);
    });

    test('users: insert with roles and groups, state and password changes', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const user = userOf(w.organization.id, { roleIds: [w.role.id], groupIds: [w.groupId], passwordHash: null });
      await store.insertUser(user);
      assert.deepEqual(await store.findUser(user.id), stored(user));
      assert.deepEqual(await store.setUserState(user.id, 'inactive', T0 + 10), { endedSessions: 0, revokedTokens: 0 });
      assert.equal(await store.setUserPasswordHash(user.id, 'scrypt$pw', T0 + 20), true);
      // A state change moves the version; a rehash of the password does not.
      assert.deepEqual(await store.findUser(user.id), stored({ ...user, state: 'inactive', passwordHash: 'scrypt$pw', dateModified: T0 + 20 }, 2));
      assert.equal(await store.setUserState('nope', 'inactive', T0), null);
      assert.equal(await store.setUserPasswordHash('nope', 'x', T0), false);
      // A user whose group does not exist is refused whole: no half-inserted user.
      const orphan = userOf(w.organization.id, { groupIds: ['no-such-group'] });
      await assert.rejects(store.insertUser(orphan));
      assert.equal(await store.findUser(orphan.id), null);
    });

    test('tokens round-trip every field, nulls and large times included', async () => {
      const w = await seededWorld(store);
      const token = tokenOf(w, { kind: 'refresh', familyId: 'fam', codeHash: 'code', scopes: ['a', 'b:readonly'], expiresAt: 8_640_000_000_000 });
      await store.insertToken(token);
      assert.deepEqual(await store.findTokenByHash(token.hash), token);
      const bare = tokenOf(w, { userId: null, grantType: 'client_credentials' });
      await store.insertToken(bare);
      assert.deepEqual(await store.findTokenByHash(bare.hash), bare);
      assert.equal(await store.findTokenByHash('no-such-hash'), null);
      await assert.rejects(store.insertToken(token), 'a duplicate hash is refused');
    });

    test('tokens inserted at once are committed together, every field intact; a duplicate fails alone', async () => {
      const w = await seededWorld(store);
      const tokens = Array.from({ length: 1_200 }, (_, i) =>
        i % 2 === 0
          ? tokenOf(w, { userId: null, grantType: 'client_credentials', scopes: [], familyId: `fam-${i}` })
          : tokenOf(w, { kind: 'refresh', codeHash: `code-${i}`, scopes: ['a', 'b:readonly'], revokedAt: T0 + i, expiresAt: 8_640_000_000_000 }),
      );
      await Promise.all(tokens.map((token) => store.insertToken(token)));
      for (const token of tokens) assert.deepEqual(await store.findTokenByHash(token.hash), token);

      const fresh = [tokenOf(w), tokenOf(w)];
      const results = await Promise.allSettled([store.insertToken(fresh[0]!), store.insertToken(tokens[7]!), store.insertToken(fresh[1]!)]);
      assert.deepEqual(
        results.map((result) => result.status),
        ['fulfilled', 'rejected', 'fulfilled'],
        'only the duplicate is refused',
      );
      for (const token of fresh) assert.deepEqual(await store.findTokenByHash(token.hash), token);
    });

    test('touchTokens moves last use forward only, never on a revoked token', async () => {
      const w = await seededWorld(store);
      const a = tokenOf(w);
      const b = tokenOf(w);
      const revoked = tokenOf(w);
      for (const t of [a, b, revoked]) await store.insertToken(t);
      await store.revokeToken(revoked.hash, T0 + 1);
      await store.touchTokens([]);
      await store.touchTokens([
        { hash: a.hash, lastUsedAt: T0 + 5000 },
        { hash: b.hash, lastUsedAt: T0 + 7000 },
        { hash: revoked.hash, lastUsedAt: T0 + 9000 },
        { hash: 'unknown', lastUsedAt: T0 + 9000 },
      ]);
      await store.touchTokens([{ hash: a.hash, lastUsedAt: T0 + 1000 }]);
      assert.equal((await store.findTokenByHash(a.hash))?.lastUsedAt, T0 + 5000, 'never backward');
      assert.equal((await store.findTokenByHash(b.hash))?.lastUsedAt, T0 + 7000);
      const stillRevoked = await store.findTokenByHash(revoked.hash);
      assert.equal(stillRevoked?.lastUsedAt, T0, 'a revoked token is not touched');
      assert.equal(stillRevoked?.revokedAt, T0 + 1);
    });

    test('revokeToken is idempotent and keeps the first revokedAt', async () => {
      const w = await seededWorld(store);
      const token = tokenOf(w);
      await store.insertToken(token);
      assert.equal(await store.revokeToken(token.hash, T0 + 10), true);
      assert.equal(await store.revokeToken(token.hash, T0 + 20), false);
      assert.equal((await store.findTokenByHash(token.hash))?.revokedAt, T0 + 10);
      assert.equal(await store.revokeToken('no-such-hash', T0), false);
    });

    test('revokeUserTokens ends every live token of that user only, access and refresh', async () => {
      const w = await seededWorld(store);
      const someoneElse = userOf(w.organization.id);
      await store.insertUser(someoneElse);
      const other = tokenOf(w, { userId: someoneElse.id });
      const early = tokenOf(w);
      const live = [tokenOf(w), tokenOf(w, { kind: 'refresh' })];
      for (const t of [other, early, ...live]) await store.insertToken(t);
      await store.revokeToken(early.hash, T0 + 1);
      assert.equal(await store.revokeUserTokens(w.user.id, T0 + 50), 2);
      for (const t of live) assert.equal((await store.findTokenByHash(t.hash))?.revokedAt, T0 + 50);
      assert.equal((await store.findTokenByHash(early.hash))?.revokedAt, T0 + 1, 'the first revokedAt is kept');
      assert.equal((await store.findTokenByHash(other.hash))?.revokedAt, null);
      assert.equal(await store.revokeUserTokens(w.user.id, T0 + 60), 0);
    });

    test('revokeFamily ends every live token of one sign-in', async () => {
      const w = await seededWorld(store);
      const family = [tokenOf(w, { familyId: 'f1' }), tokenOf(w, { familyId: 'f1', kind: 'refresh' })];
      const stranger = tokenOf(w, { familyId: 'f2' });
      for (const t of [...family, stranger]) await store.insertToken(t);
      assert.equal(await store.revokeFamily('f1', T0 + 5), 2);
      assert.equal(await store.revokeFamily('f1', T0 + 6), 0);
      assert.equal((await store.findTokenByHash(stranger.hash))?.revokedAt, null);
    });

    test('deleteExpired deletes only tokens expired before the given time', async () => {
      const w = await seededWorld(store);
      const old = tokenOf(w, { expiresAt: 1000 });
      const fresh = tokenOf(w, { expiresAt: 8_000_000_000_000 });
      await store.insertToken(old);
      await store.insertToken(fresh);
      assert.ok((await store.deleteExpired(2000)) >= 1);
      assert.equal(await store.findTokenByHash(old.hash), null);
      assert.notEqual(await store.findTokenByHash(fresh.hash), null);
    });

    test('two nodes: a revocation on one is seen by the other (changeVersion or watchRevocations)', async () => {
      const w = await seededWorld(store);
      const token = tokenOf(w);
      await store.insertToken(token);
      const heard: string[] = [];
      second.watchRevocations?.((hash) => heard.push(hash));
      await second.ping();
      await settle(20);
      const before = second.changeVersion();
      await store.revokeToken(token.hash, T0 + 1);
      assert.ok(await eventually(() => heard.includes(token.hash) || second.changeVersion() !== before), 'the other node is told');
      const directoryBefore = second.changeVersion();
      await store.applySeed(world().plan);
      assert.ok(await eventually(() => second.changeVersion() !== directoryBefore), 'a directory change moves changeVersion');
    });

    test('two nodes: racing touches and a revoke never revive and never move backward', async () => {
      const w = await seededWorld(store);
      const tokens = Array.from({ length: 20 }, () => tokenOf(w));
      for (const t of tokens) await store.insertToken(t);
      const work: Promise<unknown>[] = [];
      for (let round = 1; round <= 10; round++) {
        work.push(store.touchTokens(tokens.map((t) => ({ hash: t.hash, lastUsedAt: T0 + round * 100 }))));
        work.push(second.touchTokens(tokens.map((t) => ({ hash: t.hash, lastUsedAt: T0 + (11 - round) * 100 })).reverse()));
        if (round === 5) work.push(...tokens.slice(0, 10).map((t) => second.revokeToken(t.hash, T0 + 1)));
      }
      await Promise.all(work);
      for (const [i, t] of tokens.entries()) {
        const stored = await store.findTokenByHash(t.hash);
        if (i < 10) assert.equal(stored?.revokedAt, T0 + 1, 'stays revoked');
        else assert.equal(stored?.lastUsedAt, T0 + 1000, 'the latest use wins, whatever the order');
      }
    });

    test('two nodes: revoke-all of a user racing with issuance of new tokens', async () => {
      const w = await seededWorld(store);
      const before = Array.from({ length: 10 }, () => tokenOf(w));
      for (const t of before) await store.insertToken(t);
      const racing = Array.from({ length: 30 }, () => tokenOf(w));
      const inserts = racing.map((t, i) => (i % 2 ? store : second).insertToken(t));
      const [count] = await Promise.all([second.revokeUserTokens(w.user.id, T0 + 99), ...inserts]);
      const all = await Promise.all([...before, ...racing].map((t) => store.findTokenByHash(t.hash)));
      for (const stored of all.slice(0, before.length)) assert.equal(stored?.revokedAt, T0 + 99, 'every token issued before the revoke is revoked');
      const revoked = all.filter((t) => t?.revokedAt === T0 + 99).length;
      assert.equal(count, revoked, 'the count names exactly the tokens it revoked');
      assert.ok(
        all.every((t) => t !== null && (t.revokedAt === null || t.revokedAt === T0 + 99)),
        'each token is either live (issued after) or revoked by it',
      );
      // Once the issuers are done, a second revoke-all leaves nothing live.
      await store.revokeUserTokens(w.user.id, T0 + 100);
      for (const t of racing) assert.notEqual((await store.findTokenByHash(t.hash))?.revokedAt, null);
    });

    test('two nodes: concurrent revocations of one token have exactly one winner', async () => {
      const w = await seededWorld(store);
      const token = tokenOf(w);
      await store.insertToken(token);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? store : second).revokeToken(token.hash, T0 + i)));
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}
