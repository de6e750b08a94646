/**
 * Issuance against a disable, run on every backend (CONTRACT.md, "Control plane": a token being
 * issued while its client or user is disabled is never live after a later re-enable). A grant
 * checks the client and the user, then the store writes the token: a disable that commits in
 * between revoked what was there, so the write itself must see it. These call the store in the
 * order the race takes (checked, disabled, written); the races themselves are in
 * test/http/disable-race.test.ts and, across PostgreSQL connections, test/postgres/issuance-locks.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { type Backend, useBackend } from '../helpers/backend-store.js';
import { codeOf } from './codes.js';
import { T0, tokenOf, userOf, world } from './fixtures.js';

export async function issuanceStoreSuite(backend: Backend): Promise<void> {
  describe(`issuance store suite on ${backend.name}`, { skip: (await backend.unavailable()) ?? false }, () => {
    let store: Store;
    let second: Store;
    useBackend(backend, (nodes) => ({ store, second } = nodes));

    test('a token of an active client and user is stored, and insertToken says so', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const user = tokenOf(w);
      const service = tokenOf(w, { userId: null, grantType: 'client_credentials' });
      assert.equal(await store.insertToken(user), true);
      assert.equal(await second.insertToken(service), true);
      assert.deepEqual(await store.findTokenByHash(user.hash), user);
      assert.deepEqual(await store.findTokenByHash(service.hash), service);
    });

    test('a token written after its client was disabled is not stored: enabling the client brings nothing back', async () => {
      for (const state of ['disabled', 'inactive'] as const) {
        const w = world();
        await store.applySeed(w.plan);
        const tokens = [tokenOf(w, { userId: null, grantType: 'client_credentials' }), tokenOf(w)];
        await second.setClientState(w.client.id, state, T0 + 1);
        for (const token of tokens) assert.equal(await store.insertToken(token), false, state);
        await second.setClientState(w.client.id, 'active', T0 + 2);
        for (const token of tokens) assert.equal(await store.findTokenByHash(token.hash), null, state);
      }
    });

    test('a user token written after its user was disabled is not stored; the client’s own tokens still are', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const token = tokenOf(w);
      await second.setUserState(w.user.id, 'inactive', T0 + 1);
      assert.equal(await store.insertToken(token), false);
      assert.equal(await store.insertToken(tokenOf(w, { userId: null, grantType: 'client_credentials' })), true, 'another token of the client');
      await second.setUserState(w.user.id, 'active', T0 + 2);
      assert.equal(await store.findTokenByHash(token.hash), null);
      assert.deepEqual(await store.listUserTokens(w.user.id, T0 + 3), []);
    });

    test('a token of a deleted client, or of an unknown client or user, is not stored', async () => {
      const w = world();
      await store.applySeed(w.plan);
      await second.deleteClient(w.client.id, T0 + 1);
      const orphans = [tokenOf(w, { userId: null }), tokenOf(w, { clientId: randomUUID(), userId: null }), tokenOf(w, { userId: randomUUID() })];
      for (const token of orphans) assert.equal(await store.insertToken(token), false);
      for (const token of orphans) assert.equal(await store.findTokenByHash(token.hash), null);
    });

    test('tokens written at once: each is stored or not by its own client and user, in one commit', async () => {
      const live = world();
      const disabled = world();
      await store.applySeed(live.plan);
      await store.applySeed(disabled.plan);
      const other = userOf(live.organization.id);
      await store.insertUser(other);
      await store.setUserState(other.id, 'inactive', T0 + 1);
      await store.setClientState(disabled.client.id, 'disabled', T0 + 1);
      const batch = Array.from(
        { length: 90 },
        (_, i) =>
          [tokenOf(live, { userId: null }), tokenOf(live), tokenOf(live, { userId: other.id }), tokenOf(disabled, { userId: null }), tokenOf(disabled)][i % 5],
      ).filter((token) => token !== undefined);
      const results = await Promise.all(batch.map((token, i) => (i % 3 ? store : second).insertToken(token)));
      const expected = batch.map((token) => token.clientId === live.client.id && token.userId !== other.id);
      assert.deepEqual(results, expected);
      for (const [i, token] of batch.entries()) assert.equal((await store.findTokenByHash(token.hash)) !== null, expected[i]);
    });

    test('a code redeemed after its user was disabled yields no token, and is used up', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const code = codeOf(w);
      await store.insertCode(code);
      await second.setUserState(w.user.id, 'inactive', T0 + 1);
      const familyId = randomUUID();
      const tokens = [tokenOf(w, { familyId, codeHash: code.hash }), tokenOf(w, { familyId, codeHash: code.hash, kind: 'refresh' })];
      assert.equal(await store.consumeCode(code.hash, T0 + 2, familyId, tokens), false);
      await second.setUserState(w.user.id, 'active', T0 + 3);
      for (const token of tokens) assert.equal(await store.findTokenByHash(token.hash), null);
      assert.notEqual((await store.findCode(code.hash))?.consumedAt, null, 'it cannot be redeemed after the enable');
      assert.equal(await store.consumeCode(code.hash, T0 + 4, randomUUID(), [tokenOf(w, { codeHash: code.hash })]), false);
    });

    test('a code of a disabled client yields no token, even when its client is enabled again before the redemption', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const code = codeOf(w);
      await store.insertCode(code);
      await second.setClientState(w.client.id, 'disabled', T0 + 1);
      const familyId = randomUUID();
      const tokens = [tokenOf(w, { familyId, codeHash: code.hash })];
      assert.equal(await store.consumeCode(code.hash, T0 + 2, familyId, tokens), false);
      await second.setClientState(w.client.id, 'active', T0 + 3);
      assert.equal(await store.consumeCode(code.hash, T0 + 4, familyId, tokens), false);
      assert.equal(await store.findTokenByHash(tokens[0]!.hash), null);
    });

    test('a refresh token rotated after its client or user was disabled yields no token, nor after the enable', async () => {
      for (const disable of ['client', 'user'] as const) {
        const w = world();
        await store.applySeed(w.plan);
        const familyId = randomUUID();
        const refresh = tokenOf(w, { kind: 'refresh', familyId });
        await store.insertToken(refresh);
        if (disable === 'client') await second.setClientState(w.client.id, 'disabled', T0 + 1);
        else await second.setUserState(w.user.id, 'inactive', T0 + 1);
        const replacements = [tokenOf(w, { familyId }), tokenOf(w, { familyId, kind: 'refresh' })];
        assert.equal(await store.rotateRefreshToken(refresh.hash, T0 + 2, replacements), false, disable);
        if (disable === 'client') await second.setClientState(w.client.id, 'active', T0 + 3);
        else await second.setUserState(w.user.id, 'active', T0 + 3);
        assert.equal(await store.rotateRefreshToken(refresh.hash, T0 + 4, replacements), false, disable);
        for (const token of replacements) assert.equal(await store.findTokenByHash(token.hash), null, disable);
      }
    });

    test('a refresh token of an active client and user still rotates', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const familyId = randomUUID();
      const refresh = tokenOf(w, { kind: 'refresh', familyId });
      await store.insertToken(refresh);
      const replacements = [tokenOf(w, { familyId }), tokenOf(w, { familyId, kind: 'refresh' })];
      assert.equal(await second.rotateRefreshToken(refresh.hash, T0 + 2, replacements), true);
      for (const token of replacements) assert.deepEqual(await store.findTokenByHash(token.hash), token);
    });
  });
}
