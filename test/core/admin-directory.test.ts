/**
 * The roles and groups admin core (src/core/admin/roles.ts, groups.ts) in a running server's
 * process, on SQLite or PostgreSQL (TOKEND_TEST_DATABASE=postgres): each rule refuses with its
 * status, code and field and writes nothing, and each change tells the caches who it touched,
 * so that a holder's cached token is judged anew on its very next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type DirectoryChanges, dropHoldersOnChange, type Holders } from '../../src/core/admin/directory-changes.js';
import { GroupAdmin } from '../../src/core/admin/groups.js';
import { RoleAdmin } from '../../src/core/admin/roles.js';
import { ApiError } from '../../src/core/errors.js';
import { DEFAULT_IDLE_TOKEN_TIMEOUT, type Organization } from '../../src/core/models.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients, groups, users } from '../helpers/fixture.js';

let t: TestApp;
let acme: Organization;
const told: Array<[string, string, Holders | readonly string[]]> = [];
let changes: DirectoryChanges;
before(async () => {
  t = await startTestApp();
  acme = (await t.app.tokend.store.findOrganization(ACME)) as Organization;
  // The server's whole-cache drop, with a record of what each write told it.
  const drop = dropHoldersOnChange(t.app.tokend.authenticator);
  changes = {
    roleChanged: (id, holders) => {
      told.push(['role', id, holders]);
      return drop.roleChanged(id, holders);
    },
    groupChanged: (id, userIds) => {
      told.push(['group', id, userIds]);
      return drop.groupChanged(id, userIds);
    },
  };
});
after(() => t.close());

const NOTHING_ROLE = '11111111-0000-4000-8000-00000000a003';
const revokeDave = async (token: string) => (await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.dave.id}`, headers: bearer(token) })).statusCode;
const snapshot = async () =>
  JSON.stringify([await t.app.tokend.store.listRoles(ACME), await t.app.tokend.store.listGroups(ACME), await t.app.tokend.store.listUsers(ACME)]);

async function refused(act: () => Promise<unknown>, status: number, code: string, field: string | undefined, message: string): Promise<void> {
  const before = await snapshot();
  await assert.rejects(act, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.deepEqual([error.status, error.code, error.options.details?.[0]?.fieldName, error.message], [status, code, field, message]);
    return true;
  });
  assert.equal(await snapshot(), before, 'nothing written');
}

test("a role update reaches a holder's cached token on its very next request, and names the holders to the caches", async () => {
  const token = await t.token(clients.plain);
  assert.equal(await revokeDave(token), 403);
  const role = await new RoleAdmin(t.app.tokend.store, changes).update(acme, 'nothing', { permissions: ['oauth:token:delete'] });
  assert.deepEqual(role, { id: NOTHING_ROLE, organizationId: ACME, name: 'Nothing', permissions: ['oauth:token:delete'] });
  assert.deepEqual(told.splice(0), [['role', NOTHING_ROLE, { userIds: [users.bob.id], clientIds: [clients.plain.id] }]]);
  assert.equal(await revokeDave(token), 204);
  const { holders } = await new RoleAdmin(t.app.tokend.store, changes).delete(acme, NOTHING_ROLE);
  assert.deepEqual(holders, { userIds: [users.bob.id], clientIds: [clients.plain.id] });
  assert.deepEqual(told.splice(0), [['role', NOTHING_ROLE, holders]]);
  assert.equal(await revokeDave(token), 403);
});

test('role rules: each refusal has its status, code and field, and writes nothing', async () => {
  const roles = new RoleAdmin(t.app.tokend.store, changes);
  await refused(
    () => roles.create(acme, { name: 'X', permissions: ['oauth:token:delete', 'oauth token delete'] }),
    400,
    'invalid.value',
    'permissions[1]',
    '"oauth token delete" is not a permission: expected domain:entity:action (each a word or *), or *',
  );
  await refused(
    () => roles.create(acme, { name: 'token ADMIN', permissions: [] }),
    400,
    'constraint.validation',
    'name',
    'a role named Token admin already exists in Acme',
  );
  await refused(() => roles.create(acme, { name: '', permissions: [] }), 400, 'invalid.value', 'name', 'the role name must not be empty');
  await refused(
    () => roles.update(acme, 'Wildcard', { name: 'Org admin' }),
    400,
    'constraint.validation',
    'name',
    'a role named Org admin already exists in Acme',
  );
  // Globex's role of the same name is not Acme's.
  await refused(
    () => roles.update(acme, '22222222-0000-4000-8000-00000000a001', { permissions: [] }),
    404,
    'not.found',
    undefined,
    'no role with the id or name "22222222-0000-4000-8000-00000000a001" in organization Acme',
  );
  assert.deepEqual(told, []);
});

test('group members: replaced, with the added and removed members told to the caches; refusals write nothing', async () => {
  const admin = new GroupAdmin(t.app.tokend.store, changes);
  const updated = await admin.update(acme, 'Supervisors', { memberIds: [users.alice.id, users.carol.id] });
  assert.deepEqual([updated.memberIds, updated.added, updated.removed], [[users.alice.id, users.carol.id].sort(), [users.alice.id], []]);
  assert.deepEqual(told.splice(0), [['group', groups.supervisors, [users.alice.id]]]);
  await refused(
    () => admin.update(acme, 'Supervisors', { memberIds: [users.gina.id] }),
    400,
    'invalid.value',
    'memberIds',
    `no user ${users.gina.id} in organization Acme`,
  );
  await refused(() => admin.create(acme, { name: 'night SHIFT' }), 400, 'constraint.validation', 'name', 'a group named Night shift already exists in Acme');
  await t.app.tokend.store.setIdleTokenTimeout(ACME, {
    ...DEFAULT_IDLE_TOKEN_TIMEOUT,
    inactivityTimeoutGroupsEnabled: true,
    inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: [groups.nightShift] }],
  });
  const withBundle = (await t.app.tokend.store.findOrganization(ACME)) as Organization;
  await refused(
    () => admin.delete(withBundle, 'Night shift'),
    409,
    'general.conflict',
    'inactivityTimeoutGroupBundles',
    'the group Night shift is named by the idle token timeout of Acme (inactivityTimeoutGroupBundles): change the timeout first',
  );
  const deleted = await admin.delete(withBundle, 'Supervisors');
  assert.deepEqual(deleted.memberIds, [users.alice.id, users.carol.id].sort());
  assert.deepEqual(told.splice(0), [['group', groups.supervisors, deleted.memberIds]]);
  assert.deepEqual((await t.app.tokend.store.findUser(users.carol.id))?.groupIds, [groups.nightShift]);
});
