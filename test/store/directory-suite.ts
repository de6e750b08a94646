/**
 * Role and group writes of the store (the admin core's roles and groups), run on every backend:
 * each is one transaction, seen at once through another connection; deleting a role takes it
 * from its holders, deleting a group ends its memberships; a group write at a version is
 * conditional, and of racing writers at one version exactly one lands, with nothing of the others.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { Store } from '../../src/store/store.js';
import { type Backend, useBackend } from '../helpers/backend-store.js';
import { groupOf, T0, userOf, world } from './fixtures.js';

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

    test('groups: insert with members, update and member changes move the version, each conditional; deleteGroup ends every membership, once', async () => {
      const w = world();
      const other = userOf(w.organization.id);
      const stranger = userOf(randomUUID());
      w.plan.organizations[0]?.users.push(other);
      await store.applySeed(w.plan);
      const [seeded] = await second.listGroups(w.organization.id);
      assert.deepEqual(seeded && { ...seeded, dateModified: null }, { ...groupOf(w.groupId, w.organization.id, 'Night shift'), dateModified: null });
      const group = groupOf(randomUUID(), w.organization.id, 'Day shift', { description: 'days', visibility: 'members', details: { ownerIds: [other.id] } });
      // A user of another organization (or none) is left out, whatever the caller checked.
      assert.equal(await store.insertGroup(group, [w.user.id, other.id, stranger.id]), true);
      assert.deepEqual(await second.findGroup(group.id), group);
      assert.deepEqual(await second.listGroupMemberIds(group.id), [w.user.id, other.id].sort());
      assert.equal(await store.insertGroup({ ...group, id: randomUUID(), name: 'DAY SHIFT' }, []), false, 'a name taken in any case');
      assert.deepEqual(Object.fromEntries(await second.countGroupMembers([group.id, w.groupId, randomUUID()])), { [group.id]: 2, [w.groupId]: 1 });

      const renamed = { ...group, name: 'Days', dateModified: T0 + 1000 };
      assert.equal(await store.updateGroup(renamed, null, 2), 'stale');
      assert.equal(await store.updateGroup({ ...renamed, name: 'night SHIFT' }, null, 1), 'name-taken');
      assert.equal(await store.updateGroup({ ...renamed, id: randomUUID() }, null, 1), 'missing');
      assert.deepEqual(await second.findGroup(group.id), group, 'refused writes changed nothing');
      assert.equal(await store.updateGroup(renamed, [other.id], 1), 'written');
      assert.deepEqual(await second.findGroup(group.id), { ...renamed, version: 2 });
      assert.deepEqual(await second.listGroupMemberIds(group.id), [other.id]);
      assert.equal(await store.updateGroup(renamed, null, 1), 'stale', 'version 1 is spent');

      assert.equal(await store.changeGroupMembers(group.id, { add: [w.user.id, stranger.id], remove: [other.id] }, 1, T0 + 2000), 'stale');
      assert.deepEqual(await second.listGroupMemberIds(group.id), [other.id], 'a stale change adds and removes nothing');
      assert.equal(await store.changeGroupMembers(group.id, { add: [w.user.id, stranger.id], remove: [other.id] }, 2, T0 + 2000), 'written');
      assert.deepEqual(await second.listGroupMemberIds(group.id), [w.user.id]);
      assert.deepEqual([(await second.findGroup(group.id))?.version, (await second.findGroup(group.id))?.dateModified], [3, T0 + 2000]);
      assert.equal(await store.changeGroupMembers(group.id, { add: [other.id], remove: [] }, null, T0 + 3000), 'written');
      assert.deepEqual((await second.findUser(other.id))?.groupIds, [group.id]);
      assert.equal(await store.changeGroupMembers(randomUUID(), { add: [], remove: [] }, null, T0), 'missing');

      assert.equal(await store.deleteGroup(group.id), true);
      assert.deepEqual(
        [await second.findGroup(group.id), await second.listGroupMemberIds(group.id), (await second.findUser(w.user.id))?.groupIds],
        [null, [], [w.groupId]],
      );
      assert.equal(await store.deleteGroup(group.id), false);
    });

    test('racing member changes at one version: exactly one is written, and only its members land', async () => {
      const w = world();
      const people = Array.from({ length: 8 }, () => userOf(w.organization.id));
      w.plan.organizations[0]?.users.push(...people);
      await store.applySeed(w.plan);
      const group = groupOf(randomUUID(), w.organization.id, 'Raced');
      await store.insertGroup(group, []);
      const outcomes = await Promise.all(
        people.map((person, i) => (i % 2 === 0 ? store : second).changeGroupMembers(group.id, { add: [person.id], remove: [] }, 1, T0)),
      );
      assert.deepEqual(outcomes.filter((o) => o === 'written').length + outcomes.filter((o) => o === 'stale').length, people.length);
      const winner = outcomes.indexOf('written');
      assert.equal(outcomes.filter((o) => o === 'written').length, 1, outcomes.join());
      assert.deepEqual(await second.listGroupMemberIds(group.id), [people[winner]?.id]);
      assert.equal((await second.findGroup(group.id))?.version, 2);
    });

    test('racing renames of different groups to one name: exactly one is written, the others are told the name is taken', async () => {
      const w = world();
      await store.applySeed(w.plan);
      const groups = Array.from({ length: 8 }, (_, i) => groupOf(randomUUID(), w.organization.id, `Racer ${i}`));
      for (const g of groups) assert.equal(await store.insertGroup(g, []), true);
      const outcomes = await Promise.all(groups.map((g, i) => (i % 2 === 0 ? store : second).updateGroup({ ...g, name: 'Finish line' }, null, 1)));
      assert.deepEqual(outcomes.slice().sort(), ['name-taken', 'name-taken', 'name-taken', 'name-taken', 'name-taken', 'name-taken', 'name-taken', 'written']);
      assert.equal((await second.listGroups(w.organization.id)).filter((g) => g.name === 'Finish line').length, 1);
    });

    test("members page by name either way; existingUserIds keeps only the organization's; auth settings by organization", async () => {
      const w = world();
      const named = ['carol', 'Bob', 'alice'].map((name) => userOf(w.organization.id, { name, groupIds: [w.groupId] }));
      w.plan.organizations[0]?.users.push(...named);
      await store.applySeed(w.plan);
      const names = async (descending: boolean, offset: number, limit: number) =>
        (await second.listGroupMembersPage(w.groupId, offset, limit, descending)).map((u) => u.name);
      // The world's own user is "Alice": names compare without case, then by id.
      assert.deepEqual(
        (await names(false, 0, 10)).map((n) => n.toLowerCase()),
        ['alice', 'alice', 'bob', 'carol'],
      );
      assert.deepEqual(await names(true, 0, 2), ['carol', 'Bob']);
      assert.deepEqual(await names(false, 3, 10), ['carol']);
      const [first] = await second.listGroupMembersPage(w.groupId, 0, 1, true);
      assert.deepEqual(first?.groupIds, [w.groupId], 'with their groups');
      assert.deepEqual((await second.existingUserIds(w.organization.id, [named[0]!.id, randomUUID(), w.user.id])).sort(), [named[0]!.id, w.user.id].sort());
      assert.deepEqual(await second.existingUserIds(randomUUID(), [w.user.id]), []);

      assert.equal(await second.findAuthSettings(w.organization.id), null);
      const settings = {
        multifactorAuthenticationRequired: false,
        domainAllowlistEnabled: true,
        domainAllowlist: ['example.com'],
        ipAddressAllowlist: [],
        passwordRequirements: {
          minimumLength: 12,
          minimumDigits: 1,
          minimumLetters: 0,
          minimumUpper: 0,
          minimumLower: 0,
          minimumSpecials: 0,
          minimumAgeSeconds: 0,
          expirationDays: 0,
        },
        inactivityTimeoutExclusions: [],
        universalLogout: false,
      };
      assert.equal(await store.saveAuthSettings(w.organization.id, settings), true);
      assert.equal(await store.saveAuthSettings(w.organization.id, { ...settings, universalLogout: true }), true);
      assert.deepEqual(await second.findAuthSettings(w.organization.id), { ...settings, universalLogout: true });
      assert.equal(await store.saveAuthSettings(randomUUID(), settings), false, 'no such organization');
    });
  });
}
