/**
 * The roles API's writes over raw HTTP (CONTRACT.md, "The directory and authorization planes"):
 * postAuthorizationRoles, putAuthorizationRole, patchAuthorizationRole, deleteAuthorizationRole,
 * getAuthorizationRoleUsers and putAuthorizationRoleUsersAdd/Remove. Exact bodies and
 * ErrorBodies; a caller writes, gives and takes only roles it holds; every refusal changes
 * nothing; a role taken away ends what a holder's token may do from its very next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { assertErrorBody, type ExpectedErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { elsa, ROLODEX, ROLES_SEED, roleClients, roleIds, userIds, vera } from '../helpers/roles-fixture.js';

const ROLES = '/api/v2/authorization/roles';

let t: TestApp;
let admin: string;
let editor: string;
before(async () => {
  t = await startTestApp({ seedFile: ROLES_SEED });
  admin = await t.token(roleClients.admin);
  editor = await t.token(roleClients.editor);
});
after(() => t.close());

function send(token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return t.inject({
    method,
    url,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

const missing = (permissions: string, details: ExpectedErrorBody['details'] = []): ExpectedErrorBody => ({
  status: 403,
  code: 'missing.permissions',
  message: `Unable to perform the requested action. You are missing the following permission(s): ${permissions}`,
  messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
  messageParams: { permissions },
  details,
});
/** The table's permission, refused at admission. */
const missingAny = (permission: string): ExpectedErrorBody => ({
  status: 403,
  code: 'missing.any.permissions',
  message: `Unable to perform the requested action. You must have at least one of the following permissions assigned: ${permission}`,
  messageWithParams: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: {permissions}',
  messageParams: { permissions: permission },
});
const bodyValue = (field: string, message: string, code = 'invalid.value'): ExpectedErrorBody => ({
  status: 400,
  code,
  message,
  details: [{ errorCode: code, fieldName: field }],
});
const noRole = (id: string): ExpectedErrorBody => ({ status: 404, code: 'not.found', message: `no role with the id ${id}`, entityId: id });

const role = async (id: string) => (await send(admin, 'GET', `${ROLES}/${id}`)).json();
const roleNames = async () => (await send(admin, 'GET', `${ROLES}?pageSize=100`)).json().entities.map((r: { name: string }) => r.name);
const holders = async (id: string) => (await send(admin, 'GET', `${ROLES}/${id}/users?pageSize=100`)).json().entities.map((u: { id: string }) => u.id);
const oauthClients = (token: string) => send(token, 'GET', '/api/v2/oauth/clients');

test('postAuthorizationRoles answers the role as getAuthorizationRole does, with description and defaultRoleId kept', async () => {
  const response = await send(admin, 'POST', ROLES, {
    name: 'Auditor',
    description: 'reads clients',
    defaultRoleId: 'employee',
    permissions: ['oauth:client:view', 'authorization:role:view', 'oauth:client:view'],
  });
  assert.equal(response.statusCode, 200, response.body);
  const made = response.json();
  assert.match(made.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(made, {
    id: made.id,
    name: 'Auditor',
    description: 'reads clients',
    defaultRoleId: 'employee',
    permissions: ['oauth:client:view', 'authorization:role:view'],
    permissionPolicies: [
      { domain: 'oauth', entityName: 'client', actionSet: ['view'] },
      { domain: 'authorization', entityName: 'role', actionSet: ['view'] },
    ],
    userCount: 0,
    default: false,
    selfUri: `${ROLES}/${made.id}`,
  });
  assert.deepEqual(await role(made.id), made);
  const byDefault = (await send(admin, 'GET', `${ROLES}?defaultRoleId=employee`)).json();
  assert.deepEqual(
    byDefault.entities.map((r: { id: string }) => r.id),
    [made.id],
  );
  assert.equal((await send(admin, 'DELETE', `${ROLES}/${made.id}`)).statusCode, 204);
});

test('a role made from permissionPolicies reads back the same policies, names and flags included', async () => {
  const policies = [
    {
      domain: 'authorization',
      entityName: 'role',
      policyName: 'Roles',
      policyDescription: 'read and edit roles',
      allowConditions: false,
      actionSet: ['view', 'edit'],
    },
    { domain: 'oauth', entityName: 'client', actionSet: ['view'] },
  ];
  const response = await send(admin, 'POST', ROLES, { name: 'From policies', permissions: [], permissionPolicies: policies });
  assert.equal(response.statusCode, 200, response.body);
  const made = response.json();
  assert.deepEqual(made.permissionPolicies, policies);
  assert.deepEqual(made.permissions, ['authorization:role:view', 'authorization:role:edit', 'oauth:client:view']);
  assert.deepEqual((await role(made.id)).permissionPolicies, policies);

  // PATCH leaves what it does not name; PUT replaces (description and policies), keeping defaultRoleId.
  const patched = await send(admin, 'PATCH', `${ROLES}/${made.id}`, { description: 'patched' });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.deepEqual(patched.json(), { ...made, description: 'patched' });
  const put = await send(admin, 'PUT', `${ROLES}/${made.id}`, { name: 'From policies, again', permissions: ['oauth:client:view'] });
  assert.equal(put.statusCode, 200, put.body);
  assert.deepEqual(put.json(), {
    ...made,
    name: 'From policies, again',
    permissions: ['oauth:client:view'],
    permissionPolicies: [{ domain: 'oauth', entityName: 'client', actionSet: ['view'] }],
  });
  assert.equal((await send(admin, 'DELETE', `${ROLES}/${made.id}`)).statusCode, 204);
});

test('bad bodies are 400 naming the field, and change nothing', async () => {
  const before = await roleNames();
  const refusals: Array<[unknown, ExpectedErrorBody]> = [
    [{ permissions: [] }, bodyValue('name', 'name is required')],
    [{ name: '  ' }, bodyValue('name', 'the role name must not be empty')],
    [{ name: 'x', colour: 'red' }, bodyValue('colour', 'Unrecognized property: colour', 'invalid.property')],
    [
      { name: 'x', permissions: ['oauth:client'] },
      bodyValue('permissions[0]', '"oauth:client" is not a permission: expected domain:entity:action (each a word or *), or *'),
    ],
    [
      { name: 'x', permissionPolicies: [{ domain: 'oauth', entityName: 'client', actionSet: ['view', 'a b'] }] },
      bodyValue('permissionPolicies[0].actionSet[1]', '"oauth:client:a b" is not a permission: expected domain:entity:action (each a word or *), or *'),
    ],
    [
      { name: 'x', permissionPolicies: [{ domain: 'oauth', entityName: 'client' }] },
      bodyValue('permissionPolicies[0].actionSet', 'a permission policy needs at least one action'),
    ],
    [
      { name: 'x', permissionPolicies: [{ domain: 'oauth', entityName: 'client', actionSet: ['view'], namedResources: ['abc'] }] },
      bodyValue('permissionPolicies[0].namedResources', 'tokend enforces no named resources: give the policy without them'),
    ],
    [
      { name: 'x', permissionPolicies: [{ domain: 'oauth', entityName: 'client', actionSet: ['view'], resourceConditionNode: { operator: 'EQ' } }] },
      bodyValue('permissionPolicies[0].resourceConditionNode', 'tokend enforces no conditions: give the policy without them'),
    ],
  ];
  for (const [body, expected] of refusals) assertErrorBody(await send(admin, 'POST', ROLES, body), expected, JSON.stringify(body));
  assertErrorBody(await send(admin, 'POST', ROLES, { name: 'CLIENT VIEWER' }), {
    status: 400,
    code: 'constraint.validation',
    message: 'a role named Client viewer already exists in Rolodex',
    details: [{ errorCode: 'constraint.validation', fieldName: 'name', entityId: roleIds.viewer }],
  });
  assertErrorBody(await send(admin, 'PUT', `${ROLES}/${roleIds.nothing}`, { name: 'Role EDITOR' }), {
    status: 400,
    code: 'constraint.validation',
    message: 'a role named Role editor already exists in Rolodex',
    details: [{ errorCode: 'constraint.validation', fieldName: 'name', entityId: roleIds.editor }],
  });
  assertErrorBody(await send(admin, 'PUT', `${ROLES}/${roleIds.nothing}`, { description: 'no name' }), bodyValue('name', 'name is required'));
  assertErrorBody(await send(admin, 'PATCH', `${ROLES}/${roleIds.nothing}`, { permissions: ['*:*'] }), {
    ...bodyValue('permissions[0]', '"*:*" is not a permission: expected domain:entity:action (each a word or *), or *'),
  });
  assertErrorBody(await send(admin, 'PUT', `${ROLES}/${roleIds.viewer}/users/add`, [userIds.nina, 'nobody', elsa]), {
    status: 400,
    code: 'invalid.value',
    message: `no user nobody, ${elsa} in organization Rolodex`,
    details: [
      { errorCode: 'invalid.value', fieldName: 'body[1]', entityId: 'nobody' },
      { errorCode: 'invalid.value', fieldName: 'body[2]', entityId: elsa },
    ],
  });
  assert.deepEqual(await roleNames(), before);
  assert.deepEqual((await role(roleIds.nothing)).permissions, []);
  assert.deepEqual(await holders(roleIds.viewer), [userIds.vera, userIds.walt, userIds.xena], 'Nina was not added');
});

test('creates of one name racing: one role is made, the others are 400 constraint.validation, never a 500', async () => {
  const answers = await Promise.all(Array.from({ length: 6 }, () => send(admin, 'POST', ROLES, { name: 'Racer' })));
  const statuses = answers.map((a) => a.statusCode).sort();
  assert.deepEqual(statuses, [200, 400, 400, 400, 400, 400], answers.map((a) => a.body).join('\n'));
  const made = answers.find((a) => a.statusCode === 200)?.json();
  for (const refused of answers.filter((a) => a.statusCode === 400)) assert.equal(refused.json().code, 'constraint.validation', refused.body);
  assert.equal((await roleNames()).filter((name: string) => name === 'Racer').length, 1);
  assert.equal((await send(admin, 'DELETE', `${ROLES}/${made.id}`)).statusCode, 204);
});

test('a caller creates only what it holds, and changes, deletes, gives or takes only a role it holds', async () => {
  // The table's permission first.
  assertErrorBody(await send(editor, 'POST', ROLES, { name: 'x' }), missingAny('authorization:role:add'));
  assertErrorBody(await send(editor, 'DELETE', `${ROLES}/${roleIds.nothing}`), missingAny('authorization:role:delete'));
  assertErrorBody(await send(editor, 'PUT', `${ROLES}/${roleIds.nothing}/users/add`, [userIds.nina]), missingAny('authorization:grant:add'));
  assertErrorBody(await send(editor, 'PUT', `${ROLES}/${roleIds.viewer}/users/remove`, [userIds.vera]), missingAny('authorization:grant:delete'));

  // An editor may not widen the role it holds, nor touch one it does not hold.
  assertErrorBody(
    await send(editor, 'PATCH', `${ROLES}/${roleIds.editor}`, { permissions: ['authorization:role:edit', 'authorization:role:view', '*:*:*'] }),
    missing('*:*:*', [{ errorCode: 'missing.permissions', fieldName: 'permissions', entityId: roleIds.editor, entityName: 'Role editor' }]),
  );
  assertErrorBody(
    await send(editor, 'PUT', `${ROLES}/${roleIds.viewer}`, { name: 'Client viewer', permissions: [] }),
    missing('oauth:client:view', [{ errorCode: 'missing.permissions', fieldName: 'roleId', entityId: roleIds.viewer, entityName: 'Client viewer' }]),
  );
  const described = await send(editor, 'PATCH', `${ROLES}/${roleIds.editor}`, { description: 'edits roles' });
  assert.equal(described.statusCode, 200, described.body);
  assert.equal(described.json().description, 'edits roles');

  // The admin holds all but *:*:*.
  assertErrorBody(
    await send(admin, 'POST', ROLES, { name: 'Takeover', permissions: ['oauth:client:view', '*:*:*', 'oauth:client:add'] }),
    missing('*:*:*, oauth:client:add', [{ errorCode: 'missing.permissions', fieldName: 'permissions' }]),
  );
  const everything = [{ errorCode: 'missing.permissions', fieldName: 'roleId', entityId: roleIds.everything, entityName: 'Everything' }];
  assertErrorBody(await send(admin, 'DELETE', `${ROLES}/${roleIds.everything}`), missing('*:*:*', everything));
  assertErrorBody(await send(admin, 'PATCH', `${ROLES}/${roleIds.everything}`, { permissions: [] }), missing('*:*:*', everything));
  assertErrorBody(await send(admin, 'PUT', `${ROLES}/${roleIds.everything}/users/add`, [userIds.nina]), missing('*:*:*', everything));
  assertErrorBody(
    await send(admin, 'PUT', `${ROLES}/${roleIds.viewer}/users/add`, [userIds.nina, userIds.sam]),
    missing('*:*:*', [{ errorCode: 'missing.permissions', fieldName: 'roles', entityId: roleIds.everything, entityName: 'Everything' }]),
  );
  assertErrorBody(await send(admin, 'PUT', `${ROLES}/${roleIds.everything}/users/remove`, [userIds.sam]), missing('*:*:*', everything));
  assert.deepEqual((await role(roleIds.everything)).permissions, ['*:*:*']);
  assert.deepEqual(await holders(roleIds.everything), [userIds.sam]);
  assert.deepEqual(await holders(roleIds.viewer), [userIds.vera, userIds.walt, userIds.xena]);
  assert.ok(!(await roleNames()).includes('Takeover'));
});

test("unknown roles and another organization's are 404, on every operation", async () => {
  for (const id of ['no-such-role', roleIds.elsewhere]) {
    assertErrorBody(await send(admin, 'PUT', `${ROLES}/${id}`, { name: 'x' }), noRole(id));
    assertErrorBody(await send(admin, 'PATCH', `${ROLES}/${id}`, { name: 'x' }), noRole(id));
    assertErrorBody(await send(admin, 'DELETE', `${ROLES}/${id}`), noRole(id));
    assertErrorBody(await send(admin, 'GET', `${ROLES}/${id}/users`), noRole(id));
    assertErrorBody(await send(admin, 'PUT', `${ROLES}/${id}/users/add`, [userIds.nina]), noRole(id));
    assertErrorBody(await send(admin, 'PUT', `${ROLES}/${id}/users/remove`, [userIds.nina]), noRole(id));
  }
});

test("getAuthorizationRoleUsers pages the role's holders by name, each as the users listing shows them", async () => {
  const first = (await send(admin, 'GET', `${ROLES}/${roleIds.viewer}/users?pageSize=2`)).json();
  const listed = (await send(admin, 'GET', `/api/v2/users?id=${userIds.vera},${userIds.walt},${userIds.xena}`)).json().entities;
  const shown = (id: string) => listed.find((u: { id: string }) => u.id === id);
  const path = `${ROLES}/${roleIds.viewer}/users`;
  assert.deepEqual(first, {
    entities: [shown(userIds.vera), shown(userIds.walt)],
    pageSize: 2,
    pageNumber: 1,
    total: 3,
    pageCount: 2,
    firstUri: `${path}?pageSize=2&pageNumber=1`,
    selfUri: `${path}?pageSize=2&pageNumber=1`,
    lastUri: `${path}?pageSize=2&pageNumber=2`,
    nextUri: `${path}?pageSize=2&pageNumber=2`,
  });
  // The SDK reference requires no permission for it: a token of the role Nothing reads it too.
  const bare = await send(await t.token(roleClients.bare), 'GET', `${path}?pageSize=2`);
  assert.deepEqual([bare.statusCode, bare.json()], [200, first]);
  const second = (await send(admin, 'GET', `${path}?pageSize=2&pageNumber=2`)).json();
  assert.deepEqual(second.entities, [shown(userIds.xena)]);
  assert.equal(second.previousUri, `${path}?pageSize=2&pageNumber=1`);
  assert.deepEqual(
    (await send(admin, 'GET', `${ROLES}/${roleIds.nothing}/users`)).json().entities.map((u: { id: string }) => u.id),
    [userIds.nina, userIds.xena],
  );
  assertErrorBody(await send(admin, 'GET', `${path}?pageSize=501`), {
    status: 400,
    code: 'invalid.query.param.value',
    message: 'Invalid value for parameter pageSize: must be <= 500.',
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'pageSize' }],
  });
});

test('users add and remove answer the ids; the role taken from a person ends what their token may do on its next request', async () => {
  const veraToken = await t.token(roleClients.app, vera);
  assert.equal((await oauthClients(veraToken)).statusCode, 200, 'Client viewer grants oauth:client:view');
  const removed = await send(admin, 'PUT', `${ROLES}/${roleIds.viewer}/users/remove`, [userIds.vera, userIds.vera, userIds.nina]);
  assert.equal(removed.statusCode, 200, removed.body);
  assert.deepEqual(removed.json(), [userIds.vera, userIds.nina]);
  assertErrorBody(await oauthClients(veraToken), missingAny('oauth:client:view'), 'the very next request');
  assert.deepEqual(await holders(roleIds.viewer), [userIds.walt, userIds.xena]);

  const version = async () => (await send(admin, 'GET', `/api/v2/users/${userIds.vera}`)).json().version;
  const before = await version();
  const added = await send(admin, 'PUT', `${ROLES}/${roleIds.viewer}/users/add`, [userIds.vera]);
  assert.deepEqual([added.statusCode, added.json()], [200, [userIds.vera]]);
  assert.equal(await version(), before + 1, "a change of the person's roles moves their version, as PUT /users/{id}/roles does");
  assert.equal((await oauthClients(veraToken)).statusCode, 200, 'given back: granted from the next request');
  assert.deepEqual(await holders(roleIds.viewer), [userIds.vera, userIds.walt, userIds.xena]);
  // Giving again changes nothing, and says so by the same answer.
  assert.deepEqual((await send(admin, 'PUT', `${ROLES}/${roleIds.viewer}/users/add`, [userIds.vera])).json(), [userIds.vera]);
  assert.equal(await version(), before + 1, 'nothing changed, no new version');
});

test("a permission taken from a role, or the role deleted, ends what its holders' tokens may do on their next request", async () => {
  const made = (await send(admin, 'POST', ROLES, { name: 'Temporary viewer', permissions: ['oauth:client:view'] })).json();
  assert.equal((await send(admin, 'PUT', `${ROLES}/${made.id}/users/add`, [userIds.vera])).statusCode, 200);
  assert.equal((await send(admin, 'PUT', `${ROLES}/${roleIds.viewer}/users/remove`, [userIds.vera])).statusCode, 200);
  const veraToken = await t.token(roleClients.app, vera);
  assert.equal((await oauthClients(veraToken)).statusCode, 200);
  const emptied = await send(admin, 'PUT', `${ROLES}/${made.id}`, { name: 'Temporary viewer', permissions: [] });
  assert.equal(emptied.statusCode, 200, emptied.body);
  assert.equal(emptied.json().userCount, 1);
  assertErrorBody(await oauthClients(veraToken), missingAny('oauth:client:view'), 'the permission is gone');

  const service = await t.token(roleClients.viewer);
  assert.equal((await oauthClients(service)).statusCode, 200);
  const deleted = await send(admin, 'DELETE', `${ROLES}/${roleIds.viewer}`);
  assert.deepEqual([deleted.statusCode, deleted.body], [204, '']);
  assertErrorBody(await oauthClients(service), missingAny('oauth:client:view'), 'the role is gone');
  assertErrorBody(await send(admin, 'GET', `${ROLES}/${roleIds.viewer}`), noRole(roleIds.viewer));
  assertErrorBody(await send(admin, 'DELETE', `${ROLES}/${roleIds.viewer}`), noRole(roleIds.viewer));
  assert.deepEqual(await holders(roleIds.nothing), [userIds.nina, userIds.xena], 'the other roles of its holders stay');
});

test('a role deleted while a change of it was under way: the change is 404 and the role stays deleted (never written again)', async () => {
  const { tokend } = t.app;
  const organization = await tokend.directory.organization(ROLODEX);
  assert.ok(organization);
  const made = (await send(admin, 'POST', ROLES, { name: 'Short-lived', permissions: ['oauth:client:view'] })).json();
  const read = await tokend.roles.get(ROLODEX, made.id);
  assert.equal((await send(admin, 'DELETE', `${ROLES}/${made.id}`)).statusCode, 204);
  const notFound = { status: 404, code: 'not.found', message: `no role with the id ${made.id}` };
  await assert.rejects(tokend.roles.update(organization, read, { name: 'Short-lived', permissions: [] }), notFound);
  await assert.rejects(tokend.roleHolders.change(organization, read, [userIds.nina], 'add', null), notFound);
  assertErrorBody(await send(admin, 'GET', `${ROLES}/${made.id}`), noRole(made.id));
  const ninaRoles = (await send(admin, 'GET', `/api/v2/users/${userIds.nina}/roles`)).json().roles.map((r: { id: string }) => r.id);
  assert.deepEqual(ninaRoles, [roleIds.nothing], 'the deleted role was given to no one');
});
