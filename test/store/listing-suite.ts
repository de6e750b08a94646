/**
 * The listings the admin command line reads (`orgs list`, `users list`), run on every backend:
 * every organization by name, and users with their role and group ids, of one organization or all.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { type Backend, useBackend } from '../helpers/backend-store.js';
import { stored, userOf, world } from './fixtures.js';

export async function listingStoreSuite(backend: Backend): Promise<void> {
  describe(`listing store suite on ${backend.name}`, { skip: (await backend.unavailable()) ?? false }, () => {
    let store: Store;
    useBackend(backend, (nodes) => ({ store } = nodes));

    test('listOrganizations and listUsers read back what was stored, in a stable order', async () => {
      assert.deepEqual(await store.listOrganizations(), []);
      assert.deepEqual(await store.listUsers(), []);
      const a = world();
      const b = world();
      a.organization.name = 'beta';
      b.organization.name = 'Alpha';
      await store.applySeed(a.plan);
      await store.applySeed(b.plan);
      const second = userOf(a.organization.id, { email: 'AAA@acme.test' });
      await store.insertUser(second);
      assert.deepEqual(
        (await store.listOrganizations()).map((o) => o.name),
        ['Alpha', 'beta'],
        'by name, any case',
      );
      assert.deepEqual(await store.listOrganizations(), [b.organization, a.organization]);
      assert.deepEqual(await store.listUsers(a.organization.id), [stored(second), stored(a.user)], 'by email, any case, with role and group ids');
      assert.deepEqual((await store.listUsers()).map((u) => u.id).sort(), [a.user.id, second.id, b.user.id].sort());
      assert.deepEqual(await store.listUsers('no-such-org'), []);
    });
  });
}
