/**
 * Role and group writes of the store (issue 14, the admin core's roles and groups), run on every
 * backend: each is one transaction, seen at once through another connection; deleting a role
 * takes it from its holders, deleting a group ends its memberships.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { type Backend, useBackend } from '../helpers/backend-store.js';
import { userOf, world } from './fixtures.js';

export async function directoryStoreSuite(backend: Backend): Promise<void> {
  describe(`directory store suite on ${backend.name}`, { skip: (await backend.unavailable()) ?? false }, () => {
    let store: Store;
    let second: Store;
    useBackend(backend, (nodes) => ({ store, second } = nodes));

    test('saveRole creates a role and replaces its name and permissions; deleteRole takes it from every holder, once', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const role = { id: randomUUID(), organizationId: w.organization.id, name: 'Auditor', permissions: ['oauth:client:view'] };
      await store.saveRole(role);
      await store.saveRole({ ...role, name: 'Auditors', permissions: ['oauth:client:view', 'authorization:role:view'] });
      assert.deepEqual(await second.findRoles([role.id]), [{ ...role, name: 'Auditors', permissions: ['oauth:client:view', 'authorization:role:view'] }]);
      assert.equal(await store.deleteRole(w.role.id), true);
      assert.deepEqual(await second.findRoles([w.role.id]), []);
      assert.deepEqual((await second.findUser(w.user.id))?.roleIds, []);
      assert.deepEqual((await second.findClient(w.client.id))?.roleDivisions, []);
      assert.equal(await store.deleteRole(w.role.id), false);
    });

    test('saveGroup replaces the members only when given; deleteGroup ends every membership, once', async () => {
      const w = world();
      const other = userOf(w.organization.id);
      w.plan.organizations[0]?.users.push(other);
      await store.applySeed(w.plan);
      const group = { id: w.groupId, organizationId: w.organization.id, name: 'Night crew' };
      await store.saveGroup(group, null);
      assert.deepEqual((await second.findUser(w.user.id))?.groupIds, [w.groupId], 'no member list: the members stay');
      await store.saveGroup(group, [other.id]);
      assert.deepEqual([(await second.findUser(w.user.id))?.groupIds, (await second.findUser(other.id))?.groupIds], [[], [w.groupId]]);
      assert.deepEqual(await second.listGroups(w.organization.id), [group]);
      assert.equal(await store.deleteGroup(w.groupId), true);
      assert.deepEqual([await second.listGroups(w.organization.id), (await second.findUser(other.id))?.groupIds], [[], []]);
      assert.equal(await store.deleteGroup(w.groupId), false);
    });
  });
}
