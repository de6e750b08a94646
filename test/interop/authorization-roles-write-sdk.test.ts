/**
 * The roles API's writes through the official Genesys JavaScript SDK, unchanged, against a
 * listening tokend (SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres): AuthorizationApi
 * postAuthorizationRoles, putAuthorizationRole, patchAuthorizationRole, deleteAuthorizationRole,
 * getAuthorizationRoleUsers and putAuthorizationRoleUsersAdd/Remove. What each resolves to, its
 * paging, its refusals, and a holder's token refused on the next call once the role is taken.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';
import { ROLES_SEED, roleClients, roleIds, userIds, vera } from '../helpers/roles-fixture.js';

let t: TestApp;
let port: number;
before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never, seedFile: ROLES_SEED });
  port = await listenForSdk(t);
});
after(() => t.close());

async function sdkAs(client: { id: string; secret: string }) {
  const sdk = sdkClientFor(port);
  await sdk.loginClientCredentialsGrant(client.id, client.secret);
  return sdk;
}
const authorizationAs = async (client: { id: string; secret: string }) => new platformClient.AuthorizationApi(await sdkAs(client));

test('create, read, replace, patch and delete a role, as the SDK resolves each', async () => {
  const api = await authorizationAs(roleClients.admin);
  const policies = [{ domain: 'oauth', entityName: 'client', policyName: 'Clients', actionSet: ['view'] }];
  const made = await api.postAuthorizationRoles({ name: 'SDK role', description: 'made by the SDK', permissionPolicies: policies });
  assert.ok(made.id);
  assert.deepEqual(made, {
    id: made.id,
    name: 'SDK role',
    description: 'made by the SDK',
    permissions: ['oauth:client:view'],
    permissionPolicies: policies,
    userCount: 0,
    default: false,
    selfUri: `/api/v2/authorization/roles/${made.id}`,
  });
  assert.deepEqual(await api.getAuthorizationRole(made.id), made);

  const replaced = await api.putAuthorizationRole(made.id, { name: 'SDK role, replaced', permissions: ['authorization:role:view'] });
  assert.deepEqual(replaced, {
    id: made.id,
    name: 'SDK role, replaced',
    permissions: ['authorization:role:view'],
    permissionPolicies: [{ domain: 'authorization', entityName: 'role', actionSet: ['view'] }],
    userCount: 0,
    default: false,
    selfUri: made.selfUri,
  });
  const patched = await api.patchAuthorizationRole(made.id, { description: 'patched' });
  assert.deepEqual(patched, { ...replaced, description: 'patched' });
  assert.deepEqual(await api.getAuthorizationRole(made.id), patched);

  assert.equal(await api.deleteAuthorizationRole(made.id), undefined);
  await assert.rejects(api.getAuthorizationRole(made.id), refusedWith(404, 'not.found', /no role with the id/));
  await assert.rejects(api.deleteAuthorizationRole(made.id), refusedWith(404, 'not.found'));
  await assert.rejects(api.putAuthorizationRole(roleIds.elsewhere, { name: 'x' }), refusedWith(404, 'not.found'));
  await assert.rejects(api.postAuthorizationRoles({ name: 'Client viewer' }), refusedWith(400, 'constraint.validation', /already exists/));
  await assert.rejects(api.postAuthorizationRoles({ name: 'x', permissions: ['nope'] }), refusedWith(400, 'invalid.value', /is not a permission/));
});

test('refusals: the permission of the table, and a role the caller does not hold', async () => {
  const editor = await authorizationAs(roleClients.editor);
  await assert.rejects(editor.postAuthorizationRoles({ name: 'x' }), refusedWith(403, 'missing.any.permissions', /authorization:role:add/));
  await assert.rejects(editor.deleteAuthorizationRole(roleIds.nothing), refusedWith(403, 'missing.any.permissions', /authorization:role:delete/));
  await assert.rejects(
    editor.patchAuthorizationRole(roleIds.editor, { permissions: ['authorization:role:edit', 'authorization:role:view', '*:*:*'] }),
    refusedWith(403, 'missing.permissions', /\*:\*:\*/),
  );
  await assert.rejects(
    editor.putAuthorizationRoleUsersAdd(roleIds.editor, [userIds.nina]),
    refusedWith(403, 'missing.any.permissions', /authorization:grant:add/),
  );
  const admin = await authorizationAs(roleClients.admin);
  await assert.rejects(admin.postAuthorizationRoles({ name: 'Takeover', permissions: ['*:*:*'] }), refusedWith(403, 'missing.permissions', /\*:\*:\*/));
  await assert.rejects(admin.putAuthorizationRoleUsersAdd(roleIds.everything, [userIds.nina]), refusedWith(403, 'missing.permissions', /\*:\*:\*/));
  await assert.rejects(admin.putAuthorizationRoleUsersRemove(roleIds.everything, [userIds.sam]), refusedWith(403, 'missing.permissions', /\*:\*:\*/));
  assert.deepEqual((await admin.getAuthorizationRole(roleIds.everything)).permissions, ['*:*:*']);
});

test("getAuthorizationRoleUsers pages the holders; users add and remove resolve to the ids, and a removed holder's token is refused on its next call", async () => {
  const admin = await authorizationAs(roleClients.admin);
  const first = await admin.getAuthorizationRoleUsers(roleIds.viewer, { pageSize: 2 });
  assert.deepEqual(
    [first.total, first.pageCount, first.pageNumber, first.pageSize, first.entities?.map((u) => u.id)],
    [3, 2, 1, 2, [userIds.vera, userIds.walt]],
  );
  const second = await admin.getAuthorizationRoleUsers(roleIds.viewer, { pageSize: 2, pageNumber: 2 });
  assert.deepEqual(
    second.entities?.map((u) => u.id),
    [userIds.xena],
  );
  await assert.rejects(admin.getAuthorizationRoleUsers(roleIds.elsewhere), refusedWith(404, 'not.found'));

  const veraSdk = sdkClientFor(port);
  veraSdk.setAccessToken(await t.token(roleClients.app, vera));
  const veraClients = new platformClient.OAuthApi(veraSdk);
  await veraClients.getOauthClients();

  assert.deepEqual(await admin.putAuthorizationRoleUsersRemove(roleIds.viewer, [userIds.vera]), [userIds.vera]);
  await assert.rejects(veraClients.getOauthClients(), refusedWith(403, 'missing.any.permissions', /oauth:client:view/));
  assert.deepEqual(await admin.putAuthorizationRoleUsersAdd(roleIds.viewer, [userIds.vera, userIds.nina]), [userIds.vera, userIds.nina]);
  await veraClients.getOauthClients();
  assert.deepEqual(
    // The JS SDK types the entities as UserReference; the answer is the .NET SDK's UserEntityListing, whole users.
    (await admin.getAuthorizationRoleUsers(roleIds.viewer)).entities?.map((u) => (u as { name?: string }).name),
    ['Nina Nobody', 'Vera Viewer', 'walt Viewer', 'Xena Viewer'],
  );

  // Deleting the role ends it for every holder from their next call.
  await admin.deleteAuthorizationRole(roleIds.viewer);
  await assert.rejects(veraClients.getOauthClients(), refusedWith(403, 'missing.any.permissions', /oauth:client:view/));
  await assert.rejects(admin.getAuthorizationRoleUsers(roleIds.viewer), refusedWith(404, 'not.found'));
});
