/**
 * The browser sign-in part of the store suite (store.ts, "Browser sign-in"), run on every
 * backend: single-use codes and refresh rotation with exactly one winner among racing callers
 * on two connections ("nodes"), sessions that end their tokens, and the throttle's counting.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { type Backend, useBackend } from '../helpers/backend-store.js';
import { codeOf } from './codes.js';
import { seededWorld, T0, tokenOf, world } from './fixtures.js';

export async function signInStoreSuite(backend: Backend): Promise<void> {
  describe(`sign-in store suite on ${backend.name}`, { skip: (await backend.unavailable()) ?? false }, () => {
    let store: Store;
    let second: Store;
    useBackend(backend, (nodes) => ({ store, second } = nodes));
    const node = (i: number) => (i % 2 ? store : second);

    test('codes round-trip every field', async () => {
      const w = world();
      const code = codeOf(w, { sessionHash: 's1', codeChallenge: 'c'.repeat(43), scopes: ['a', 'user-basic-info'] });
      await store.insertCode(code);
      assert.deepEqual(await second.findCode(code.hash), code);
      assert.equal(await store.findCode('no-such-code'), null);
    });

    test('two nodes: 20 racing redemptions of one code, exactly one wins and only its tokens exist', async () => {
      const w = await seededWorld(store);
      const code = codeOf(w, { sessionHash: `session-${randomUUID()}` });
      await store.insertCode(code);
      const attempts = Array.from({ length: 20 }, () => {
        const familyId = randomUUID();
        return { familyId, tokens: [tokenOf(w, { familyId, codeHash: code.hash }), tokenOf(w, { familyId, codeHash: code.hash, kind: 'refresh' })] };
      });
      const results = await Promise.all(attempts.map((a, i) => node(i).consumeCode(code.hash, T0 + 1, a.familyId, a.tokens)));
      assert.equal(results.filter(Boolean).length, 1);
      const winner = attempts[results.indexOf(true)] as (typeof attempts)[number];
      for (const a of attempts) {
        for (const t of a.tokens) assert.equal((await store.findTokenByHash(t.hash)) !== null, a === winner);
      }
      const stored = await store.findCode(code.hash);
      assert.equal(stored?.consumedAt, T0 + 1);
      assert.equal(stored?.familyId, winner.familyId);
      assert.deepEqual(await store.endSession(code.sessionHash as string, T0 + 2), [winner.familyId], 'the family is linked to the session');
      for (const t of winner.tokens) assert.equal((await store.findTokenByHash(t.hash))?.revokedAt, T0 + 2, 'ending the session ends them');
    });

    test('burning a code (no tokens) uses it up once', async () => {
      const w = await seededWorld(store);
      const code = codeOf(w);
      await store.insertCode(code);
      assert.equal(await store.consumeCode(code.hash, T0 + 1, null, []), true);
      assert.equal(await second.consumeCode(code.hash, T0 + 2, null, []), false);
      assert.equal(await store.consumeCode(code.hash, T0 + 3, randomUUID(), [tokenOf(w)]), false);
      assert.equal((await store.findCode(code.hash))?.consumedAt, T0 + 1);
    });

    test('revokeCodeTokens ends every live token carrying the code', async () => {
      const w = await seededWorld(store);
      const tokens = [tokenOf(w, { codeHash: 'code-a' }), tokenOf(w, { codeHash: 'code-a', kind: 'refresh' }), tokenOf(w, { codeHash: 'code-b' })];
      for (const t of tokens) await store.insertToken(t);
      assert.equal(await store.revokeCodeTokens('code-a', T0 + 9), 2);
      assert.equal((await store.findTokenByHash((tokens[2] as (typeof tokens)[number]).hash))?.revokedAt, null);
    });

    test('two nodes: 50 racing rotations of one refresh token, exactly one wins', async () => {
      const w = await seededWorld(store);
      const familyId = randomUUID();
      const refresh = tokenOf(w, { kind: 'refresh', familyId });
      await store.insertToken(refresh);
      const attempts = Array.from({ length: 50 }, () => [tokenOf(w, { familyId }), tokenOf(w, { familyId, kind: 'refresh' })]);
      const results = await Promise.all(attempts.map((tokens, i) => node(i).rotateRefreshToken(refresh.hash, T0 + 1, tokens)));
      assert.equal(results.filter(Boolean).length, 1);
      const winner = attempts[results.indexOf(true)];
      for (const tokens of attempts) {
        for (const t of tokens) assert.equal((await store.findTokenByHash(t.hash)) !== null, tokens === winner);
      }
      assert.equal((await store.findTokenByHash(refresh.hash))?.revokedAt, T0 + 1, 'the old one is retired');
    });

    test('rotation refuses an access token, a revoked or an expired refresh token', async () => {
      const w = await seededWorld(store);
      const access = tokenOf(w);
      const revoked = tokenOf(w, { kind: 'refresh', revokedAt: T0 });
      const expired = tokenOf(w, { kind: 'refresh', expiresAt: T0 + 1 });
      for (const t of [access, revoked, expired]) await store.insertToken(t);
      for (const t of [access, revoked, expired]) assert.equal(await store.rotateRefreshToken(t.hash, T0 + 1, [tokenOf(w)]), false);
      assert.equal(await store.rotateRefreshToken('no-such-token', T0 + 1, [tokenOf(w)]), false);
    });

    test('listUserTokens: live tokens of the user, newest first', async () => {
      const w = await seededWorld(store);
      const older = tokenOf(w, { issuedAt: T0 });
      const newer = tokenOf(w, { issuedAt: T0 + 10, kind: 'refresh' });
      const revoked = tokenOf(w, { revokedAt: T0 });
      const expired = tokenOf(w, { expiresAt: T0 + 5 });
      for (const t of [older, newer, revoked, expired]) await store.insertToken(t);
      assert.deepEqual(
        (await second.listUserTokens(w.user.id, T0 + 5)).map((t) => t.hash),
        [newer.hash, older.hash],
      );
    });

    test("listClientTokens: live tokens of the client, its users' and its own, newest first", async () => {
      const w = await seededWorld(store);
      const ofUser = tokenOf(w, { issuedAt: T0 });
      const ofClient = tokenOf(w, { issuedAt: T0 + 10, userId: null, grantType: 'client_credentials' });
      const revoked = tokenOf(w, { revokedAt: T0 });
      const expired = tokenOf(w, { expiresAt: T0 + 5 });
      for (const t of [ofUser, ofClient, revoked, expired]) await store.insertToken(t);
      assert.deepEqual(
        (await second.listClientTokens(w.client.id, T0 + 5)).map((t) => t.hash),
        [ofClient.hash, ofUser.hash],
      );
      assert.deepEqual(await second.listClientTokens('no-such-client', T0), []);
    });

    test('sessions: insert, find, end (idempotent), end all of a user', async () => {
      const w = await seededWorld(store);
      const session = { hash: `s-${randomUUID()}`, userId: w.user.id, organizationId: w.organization.id, createdAt: T0, expiresAt: T0 + 1000, revokedAt: null };
      const other = { ...session, hash: `s-${randomUUID()}` };
      await store.insertSession(session);
      await store.insertSession(other);
      assert.deepEqual(await second.findSession(session.hash), session);
      const implicit = tokenOf(w, { familyId: randomUUID() });
      await store.insertToken(implicit);
      assert.deepEqual(await store.listSessionFamilies(session.hash), []);
      await store.linkSessionFamily(session.hash, implicit.familyId as string);
      await store.linkSessionFamily(session.hash, implicit.familyId as string);
      assert.deepEqual(await store.listSessionFamilies(session.hash), [implicit.familyId], 'the account page marks them "this browser"');
      assert.deepEqual(await store.listSessionFamilies(other.hash), []);
      assert.deepEqual(await store.endSession(session.hash, T0 + 5), [implicit.familyId]);
      assert.deepEqual(await store.endSession(session.hash, T0 + 6), [implicit.familyId]);
      assert.equal((await store.findSession(session.hash))?.revokedAt, T0 + 5);
      assert.equal((await store.findTokenByHash(implicit.hash))?.revokedAt, T0 + 5);
      assert.equal(await store.endUserSessions(w.user.id, T0 + 7), 1);
      assert.equal((await store.findSession(other.hash))?.revokedAt, T0 + 7);
    });

    test('two nodes: of racing reservations at most the limit win; a window restarts after it ends', async () => {
      const key = `account:${randomUUID()}`;
      const won = await Promise.all(Array.from({ length: 12 }, (_, i) => node(i).reserveAttempt(key, T0 + i, 60_000, 5)));
      assert.equal(won.filter((window) => window !== null).length, 5);
      const counted = await store.findSignInFailures(key);
      assert.equal(counted?.failures, 5);
      // The window opened with whichever attempt arrived first.
      assert.ok(counted && counted.windowStartedAt >= T0 && counted.windowStartedAt <= T0 + 11);
      assert.equal(await store.reserveAttempt(key, T0 + 100, 60_000, 5), null);
      // A reservation given back frees one place, in its own window only.
      await second.releaseAttempt(key, counted.windowStartedAt);
      assert.equal((await store.findSignInFailures(key))?.failures, 4);
      await store.releaseAttempt(key, counted.windowStartedAt + 1);
      assert.equal((await store.findSignInFailures(key))?.failures, 4);
      assert.deepEqual(await store.reserveAttempt(key, T0 + 200, 60_000, 5), { failures: 5, windowStartedAt: counted.windowStartedAt });
      assert.deepEqual(await store.reserveAttempt(key, T0 + 70_000, 60_000, 5), { failures: 1, windowStartedAt: T0 + 70_000 });
      await second.clearSignInFailures(key);
      assert.equal(await store.findSignInFailures(key), null);
    });

    test('remembered client addresses: one row per client and address, moved only a day at a time, forgotten when old', async () => {
      const clientId = randomUUID();
      const DAY = 24 * 3600_000;
      assert.equal(await store.findClientAddress(clientId, '203.0.113.7'), null);
      await store.rememberClientAddress(clientId, '203.0.113.7', T0, DAY);
      assert.equal(await second.findClientAddress(clientId, '203.0.113.7'), T0);
      assert.equal(await second.findClientAddress(clientId, '203.0.113.8'), null);
      // Within a day nothing moves; an older time never moves it back.
      await second.rememberClientAddress(clientId, '203.0.113.7', T0 + DAY - 1, DAY);
      await store.rememberClientAddress(clientId, '203.0.113.7', T0 - 5 * DAY, DAY);
      assert.equal(await store.findClientAddress(clientId, '203.0.113.7'), T0);
      // Racing on two nodes a day later: one row, the latest time.
      await Promise.all(Array.from({ length: 10 }, (_, i) => node(i).rememberClientAddress(clientId, '203.0.113.7', T0 + DAY + i, DAY)));
      const moved = await store.findClientAddress(clientId, '203.0.113.7');
      assert.ok(moved !== null && moved >= T0 + DAY && moved <= T0 + DAY + 9, String(moved));
      await store.rememberClientAddress(clientId, '2001:db8:1:2::/64', T0, DAY);
      await second.deleteOldClientAddresses(T0 + 1);
      assert.equal(await store.findClientAddress(clientId, '2001:db8:1:2::/64'), null);
      assert.equal(await store.findClientAddress(clientId, '203.0.113.7'), moved);
    });

    test('devices: found by hash, deleted once expired', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const device = { hash: randomBytes(32).toString('base64url'), userId: w.user.id, createdAt: T0, expiresAt: T0 + 1000 };
      await store.insertDevice(device);
      assert.deepEqual(await second.findDevice(device.hash), device);
      assert.equal(await store.findDevice('nope'), null);
      await store.deleteExpiredSignIns(T0 + 999);
      assert.deepEqual(await store.findDevice(device.hash), device);
      await store.deleteExpiredSignIns(T0 + 1001);
      assert.equal(await store.findDevice(device.hash), null);
    });

    test('findOrganizationByName ignores case; deleteExpiredSignIns keeps what is recent', async () => {
      const w = world();
      await store.applySeed(w.plan);
      assert.equal((await second.findOrganizationByName(w.organization.name.toUpperCase()))?.id, w.organization.id);
      const old = codeOf(w, { expiresAt: 1000 });
      const recent = codeOf(w);
      await store.insertCode(old);
      await store.insertCode(recent);
      await store.deleteExpiredSignIns(2000);
      assert.equal(await store.findCode(old.hash), null);
      assert.notEqual(await store.findCode(recent.hash), null);
    });
  });
}
