/**
 * The admin part of the store suite (issue 13, item 5), run on every backend: disabling a user
 * or a client ends what it must in the same transaction and enabling brings nothing back,
 * revoke-user and a password reset end sessions, and a seed remembers what it applied.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { SignInSession } from '../../src/core/models.js';
import type { Store } from '../../src/store/store.js';
import { type Backend, useBackend } from '../helpers/backend-store.js';
import { clientOf, T0, tokenOf, world, type World } from './fixtures.js';

function sessionOf(w: World, overrides: Partial<SignInSession> = {}): SignInSession {
  return {
    hash: `s-${randomUUID()}`,
    userId: w.user.id,
    organizationId: w.organization.id,
    createdAt: T0,
    expiresAt: T0 + 3_600_000,
    revokedAt: null,
    ...overrides,
  };
}

export async function adminStoreSuite(backend: Backend): Promise<void> {
  describe(`admin store suite on ${backend.name}`, { skip: (await backend.unavailable()) ?? false }, () => {
    let store: Store;
    let second: Store;
    useBackend(backend, (nodes) => ({ store, second } = nodes));

    /** A seeded world with a live session and two live tokens of its user, one already revoked. */
    async function userWithAccess() {
      const w = world();
      await store.applySeed(w.plan);
      const session = sessionOf(w);
      await store.insertSession(session);
      await store.insertSession(sessionOf(w, { revokedAt: T0 }));
      const tokens = [tokenOf(w), tokenOf(w, { kind: 'refresh', familyId: randomUUID() }), tokenOf(w, { revokedAt: T0 })];
      for (const token of tokens) await store.insertToken(token);
      return { w, session, tokens };
    }

    test('disabling a user ends their live sessions and tokens in one change; enabling brings none back', async () => {
      const { w, session, tokens } = await userWithAccess();
      const bystander = tokenOf(w, { userId: null });
      await store.insertToken(bystander);
      assert.deepEqual(await second.setUserState(w.user.id, 'inactive', T0 + 10), { endedSessions: 1, revokedTokens: 2 });
      assert.equal((await store.findSession(session.hash))?.revokedAt, T0 + 10);
      for (const token of tokens.slice(0, 2)) assert.equal((await store.findTokenByHash(token.hash))?.revokedAt, T0 + 10);
      assert.equal((await store.findTokenByHash(tokens[2]!.hash))?.revokedAt, T0, 'the first revocation is kept');
      assert.equal((await store.findTokenByHash(bystander.hash))?.revokedAt, null, "another user's token is untouched");
      assert.deepEqual(await store.setUserState(w.user.id, 'active', T0 + 20), { endedSessions: 0, revokedTokens: 0 });
      assert.equal((await store.findUser(w.user.id))?.state, 'active');
      assert.equal((await store.findSession(session.hash))?.revokedAt, T0 + 10, 'the session stays ended');
      assert.deepEqual(await store.listUserTokens(w.user.id, T0 + 30), [], 'no token comes back');
      assert.deepEqual(await store.setUserState(w.user.id, 'inactive', T0 + 40), { endedSessions: 0, revokedTokens: 0 }, 'idempotent');
    });

    test('endUserAccess (revoke-user) ends sessions and tokens and leaves the user active', async () => {
      const { w, session } = await userWithAccess();
      assert.deepEqual(await store.endUserAccess(w.user.id, T0 + 10), { endedSessions: 1, revokedTokens: 2 });
      assert.equal((await second.findSession(session.hash))?.revokedAt, T0 + 10);
      assert.equal((await store.findUser(w.user.id))?.state, 'active');
      assert.deepEqual(await store.endUserAccess(w.user.id, T0 + 20), { endedSessions: 0, revokedTokens: 0 });
      assert.deepEqual(await store.endUserAccess('no-such-user', T0), { endedSessions: 0, revokedTokens: 0 });
    });

    test('resetUserPassword replaces the hash and ends sessions; tokens stay; null for an unknown user', async () => {
      const { w, session, tokens } = await userWithAccess();
      assert.deepEqual(await store.resetUserPassword(w.user.id, 'scrypt$new', T0 + 10), { endedSessions: 1 });
      const user = await store.findUser(w.user.id);
      assert.deepEqual([user?.passwordHash, user?.dateModified], ['scrypt$new', T0 + 10]);
      assert.equal((await store.findSession(session.hash))?.revokedAt, T0 + 10);
      assert.equal((await store.findTokenByHash(tokens[0]!.hash))?.revokedAt, null);
      assert.equal(await store.resetUserPassword('no-such-user', 'x', T0), null);
    });

    test("revokeClientTokens revokes that client's live access and refresh tokens only, idempotently", async () => {
      const w = world();
      await store.applySeed(w.plan);
      const other = clientOf(w.organization.id);
      await store.insertClient(other);
      const mine = [tokenOf(w, { userId: null }), tokenOf(w, { kind: 'refresh', familyId: randomUUID() })];
      const theirs = tokenOf(w, { clientId: other.id });
      for (const token of [...mine, theirs]) await store.insertToken(token);
      assert.equal(await second.revokeClientTokens(w.client.id, T0 + 10), 2);
      for (const token of mine) assert.equal((await store.findTokenByHash(token.hash))?.revokedAt, T0 + 10);
      assert.equal((await store.findTokenByHash(theirs.hash))?.revokedAt, null);
      assert.equal(await store.revokeClientTokens(w.client.id, T0 + 20), 0);
    });

    test('disabling a client revokes its tokens and burns its pending codes; enabling brings none back', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const tokens = [tokenOf(w, { userId: null }), tokenOf(w, { kind: 'refresh', familyId: randomUUID() })];
      for (const token of tokens) await store.insertToken(token);
      const code = {
        hash: `c-${randomUUID()}`,
        clientId: w.client.id,
        userId: w.user.id,
        organizationId: w.organization.id,
        sessionHash: null,
        redirectUri: 'https://app.test/cb',
        scopes: [],
        codeChallenge: null,
        issuedAt: T0,
        expiresAt: T0 + 300_000,
        consumedAt: null,
        familyId: null,
      };
      await store.insertCode(code);
      assert.deepEqual(await store.setClientState(w.client.id, 'disabled', T0 + 10), { revokedTokens: 2 });
      assert.equal((await store.findCode(code.hash))?.consumedAt, T0 + 10, 'a pending code is used up');
      assert.equal(await store.consumeCode(code.hash, T0 + 15, randomUUID(), [tokenOf(w)]), false);
      assert.deepEqual(await store.setClientState(w.client.id, 'active', T0 + 20), { revokedTokens: 0 });
      for (const token of tokens) assert.equal((await second.findTokenByHash(token.hash))?.revokedAt, T0 + 10, 'stays revoked');
      assert.equal(await store.setClientState('no-such-client', 'disabled', T0), null);
    });

    test('applySeed remembers applied fields, and its disables end access in the same transaction', async () => {
      const { w, session } = await userWithAccess();
      const clientToken = tokenOf(w, { userId: null });
      await store.insertToken(clientToken);
      assert.deepEqual(await store.findSeedApplied('user', w.user.id), new Map());
      const org = w.plan.organizations[0]!;
      const ended = await store.applySeed({
        organizations: [{ ...org, users: [{ ...w.user, state: 'inactive' }], clients: [{ ...w.client, state: 'disabled' }] }],
        applied: [
          { kind: 'user', id: w.user.id, field: 'state', value: '"inactive"' },
          { kind: 'user', id: w.user.id, field: 'password', value: null },
        ],
        disables: { users: [w.user.id], clients: [w.client.id] },
        at: T0 + 10,
      });
      // The user's two tokens are of this client too: revoked once, counted once.
      assert.deepEqual(ended, { endedSessions: 1, revokedTokens: 3 });
      assert.equal((await store.findSession(session.hash))?.revokedAt, T0 + 10);
      assert.equal((await store.findTokenByHash(clientToken.hash))?.revokedAt, T0 + 10);
      assert.deepEqual(
        await second.findSeedApplied('user', w.user.id),
        new Map([
          ['password', null],
          ['state', '"inactive"'],
        ]),
      );
      assert.deepEqual(await store.findSeedApplied('client', w.user.id), new Map(), 'kinds are apart');
      await store.applySeed({ organizations: [], applied: [{ kind: 'user', id: w.user.id, field: 'state', value: '"active"' }], at: T0 + 20 });
      assert.equal((await store.findSeedApplied('user', w.user.id)).get('state'), '"active"', 'a field is replaced');
      // All or nothing: a plan that fails remembers nothing either.
      const broken = { ...w.user, roleIds: ['no-such-role'] };
      await assert.rejects(
        store.applySeed({
          organizations: [{ ...org, users: [broken], clients: [] }],
          applied: [{ kind: 'user', id: w.user.id, field: 'state', value: '"x"' }],
          at: T0 + 30,
        }),
      );
      assert.equal((await store.findSeedApplied('user', w.user.id)).get('state'), '"active"');
    });
  });
}
