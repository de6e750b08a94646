/**
 * Issue 24's roles reads through the official Genesys JavaScript SDK, unchanged, against a
 * listening tokend (SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres):
 * getAuthorizationRole (the read Terraform's genesyscloud_auth_role makes) and the listing's
 * permission, defaultRoleId, userCount and id filters. Exact bodies, and every refusal.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { createUser } from '../../src/core/admin/users.js';
import { systemClock } from '../../src/core/clock.js';
import type { Organization } from '../../src/core/models.js';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';
import { HOOLI, INITECH, initechRoles, people, READAPI_SEED_FILE, services } from '../helpers/readapi-fixture.js';

const ROLES = '/api/v2/authorization/roles';
const HOOLI_VIEWER = '55555555-0000-4000-8000-00000000a001';

let t: TestApp;
let port: number;
/** The roles made here, by name. */
const made: Record<'queueViewer' | 'routingAdmin', string> = { queueViewer: '', routingAdmin: '' };

before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never, seedFile: READAPI_SEED_FILE });
  port = await listenForSdk(t);
  const { tokend } = t.app;
  const organization = async (id: string): Promise<Organization> => {
    const found = await tokend.directory.organization(id);
    if (!found) throw new Error(`no organization ${id}`);
    return found;
  };
  const initech = await organization(INITECH);
  made.queueViewer = (await tokend.roles.create(initech, { name: 'Queue viewer', permissions: ['routing:queue:view'] })).id;
  made.routingAdmin = (await tokend.roles.create(initech, { name: 'Routing admin', permissions: ['routing:*:*'] })).id;
  await tokend.roles.create(await organization(HOOLI), { name: 'Hooli queues', permissions: ['routing:queue:view'] });
  // Queue viewer: Quinn (active) and Ivy (inactive) hold it, Una did until deleted; Ivy also holds Routing admin.
  const person = (name: string, roleIds: string[], state?: 'inactive') =>
    createUser(tokend.users.deps, { organizationId: INITECH, name, email: `${name.toLowerCase()}@initech.test`, roleIds, ...(state ? { state } : {}) });
  await person('Quinn', [made.queueViewer, initechRoles.roleViewer]);
  await person('Ivy', [made.queueViewer, made.routingAdmin], 'inactive');
  const una = await person('Una', [made.queueViewer]);
  await tokend.users.delete(initech, una.user.id, null);
});
after(() => t.close());

async function asService(client: { id: string; secret: string }) {
  const sdk = sdkClientFor(port);
  await sdk.loginClientCredentialsGrant(client.id, client.secret);
  return new platformClient.AuthorizationApi(sdk);
}

async function asPerson(app: { id: string; secret: string }, person: { email: string; password: string }) {
  const sdk = sdkClientFor(port);
  sdk.setAccessToken(await t.token(app, person));
  return new platformClient.AuthorizationApi(sdk);
}

const get = async (url: string, client = services.roles) => t.inject({ method: 'GET', url, headers: bearer(await t.token(client)) });

const queueViewer = () => ({
  id: made.queueViewer,
  name: 'Queue viewer',
  permissions: ['routing:queue:view'],
  permissionPolicies: [{ domain: 'routing', entityName: 'queue', actionSet: ['view'] }],
  default: false,
  selfUri: `${ROLES}/${made.queueViewer}`,
});
const routingAdmin = () => ({
  id: made.routingAdmin,
  name: 'Routing admin',
  permissions: ['routing:*:*'],
  permissionPolicies: [{ domain: 'routing', entityName: '*', actionSet: ['*'] }],
  default: false,
  selfUri: `${ROLES}/${made.routingAdmin}`,
});
const everything = {
  id: initechRoles.everything,
  name: 'Everything',
  permissions: ['*'],
  permissionPolicies: [{ domain: '*', entityName: '*', actionSet: ['*'] }],
  default: false,
  selfUri: `${ROLES}/${initechRoles.everything}`,
};

const roleViewer = {
  id: initechRoles.roleViewer,
  name: 'Role viewer',
  permissions: ['authorization:role:view'],
  permissionPolicies: [{ domain: 'authorization', entityName: 'role', actionSet: ['view'] }],
  default: false,
  selfUri: `${ROLES}/${initechRoles.roleViewer}`,
};

test('getAuthorizationRole: the role, with userCount by default (inactive people count, deleted ones and clients do not)', async () => {
  const api = await asService(services.roles);
  assert.deepEqual(await api.getAuthorizationRole(made.queueViewer), { ...queueViewer(), userCount: 2 });
  assert.deepEqual(await api.getAuthorizationRole(made.queueViewer, { userCount: true }), { ...queueViewer(), userCount: 2 });
  assert.deepEqual(await api.getAuthorizationRole(made.queueViewer, { userCount: false }), queueViewer());
  // Role viewer: Rita and Quinn; the Role service client holds it too, and is no user.
  assert.equal((await api.getAuthorizationRole(initechRoles.roleViewer)).userCount, 2);
  assert.equal((await api.getAuthorizationRole(initechRoles.clientKeeper)).userCount, 0);
  // A person's token with authorization:readonly, holding authorization:role:view.
  const rita = await asPerson(services.readonlyApp, people.rita);
  assert.deepEqual(await rita.getAuthorizationRole(made.routingAdmin), { ...routingAdmin(), userCount: 1 });
});

test('getAuthorizationRole expand: unusedPermissions (the one value the SDK lists) is empty; any other is 400 invalid.query.param.value', async () => {
  const api = await asService(services.roles);
  assert.deepEqual(await api.getAuthorizationRole(made.queueViewer, { expand: ['unusedPermissions'], userCount: false }), {
    ...queueViewer(),
    unusedPermissions: [],
  });
  const anyCase = await get(`${ROLES}/${made.queueViewer}?expand=UNUSEDPERMISSIONS`);
  assert.deepEqual(anyCase.json(), { ...queueViewer(), userCount: 2, unusedPermissions: [] });
  await assert.rejects(
    api.getAuthorizationRole(made.queueViewer, { expand: ['unusedPermissions', 'permissionPolicies'] }),
    refusedWith(400, 'invalid.query.param.value', /expand: "permissionPolicies" is not an expand of getAuthorizationRole/),
  );
  assertErrorBody(await get(`${ROLES}/${made.queueViewer}?expand=users`), {
    status: 400,
    code: 'invalid.query.param.value',
    message: 'Invalid value for parameter expand: "users" is not an expand of getAuthorizationRole.',
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'expand' }],
  });
  assertErrorBody(await get(`${ROLES}/${made.queueViewer}?userCount=maybe`), {
    status: 400,
    code: 'invalid.query.param.value',
    message: 'Invalid value for parameter userCount: must be boolean.',
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'userCount' }],
  });
});

test("getAuthorizationRole: another organization's role, an unknown id and a role's name are 404 not.found", async () => {
  const api = await asService(services.roles);
  for (const id of [HOOLI_VIEWER, '44444444-0000-4000-8000-00000000a0ff', 'Role viewer']) {
    await assert.rejects(api.getAuthorizationRole(id), refusedWith(404, 'not.found'), id);
    assertErrorBody(
      await get(`${ROLES}/${encodeURIComponent(id)}`),
      { status: 404, code: 'not.found', message: `no role with the id ${id}`, entityId: id },
      id,
    );
  }
  assert.equal((await (await asService(services.hooli)).getAuthorizationRole(HOOLI_VIEWER)).name, 'Hooli viewer', 'its own organization reads it');
});

test('getAuthorizationRole refusals: the permission before the role is looked up, then the scope of a user token', async () => {
  for (const id of [made.queueViewer, 'no-such-role']) {
    await assert.rejects((await asService(services.bare)).getAuthorizationRole(id), refusedWith(403, 'missing.any.permissions'), id);
    assertErrorBody(await get(`${ROLES}/${id}?expand=bogus`, services.bare), errorBodies.missingAnyPermissions('authorization:role:view'), id);
  }
  await assert.rejects((await asPerson(services.fullApp, people.ned)).getAuthorizationRole(made.queueViewer), refusedWith(403, 'missing.any.permissions'));
  await assert.rejects(
    (await asPerson(services.basicApp, people.rita)).getAuthorizationRole(made.queueViewer),
    refusedWith(403, 'app.not.authorized.for.scope', /authorization$/),
  );
  assertErrorBody(await t.inject({ method: 'GET', url: `${ROLES}/${made.queueViewer}` }), errorBodies.authenticationRequired);
});

test('getAuthorizationRoles permission: the roles holding it as a token would, wildcards included; several: any one', async () => {
  const api = await asService(services.roles);
  const queues = await api.getAuthorizationRoles({ permission: ['routing:queue:view'] });
  const query = 'pageSize=25&pageNumber=1&permission=routing%3Aqueue%3Aview';
  assert.deepEqual(queues, {
    entities: [
      { ...everything, userCount: 0 },
      { ...queueViewer(), userCount: 2 },
      { ...routingAdmin(), userCount: 1 },
    ],
    pageSize: 25,
    pageNumber: 1,
    total: 3,
    pageCount: 1,
    firstUri: `${ROLES}?${query}`,
    selfUri: `${ROLES}?${query}`,
    lastUri: `${ROLES}?${query}`,
  });
  const names = async (permission: string[]) => (await api.getAuthorizationRoles({ permission })).entities?.map((role) => role.name);
  assert.deepEqual(await names(['routing:*:*']), ['Everything', 'Routing admin'], 'a wildcard asked: held only by one as wide');
  assert.deepEqual(await names(['routing:queue:*']), ['Everything', 'Routing admin']);
  assert.deepEqual(await names(['authorization:role:view']), ['Authorization wildcard', 'Everything', 'Role viewer']);
  assert.deepEqual(await names(['oauth:client:edit', 'routing:queue:view']), ['Client keeper', 'Everything', 'Queue viewer', 'Routing admin']);
  assert.deepEqual(await names(['*']), ['Everything']);
  assert.deepEqual(await names(['telephony:plugin:all']), ['Everything']);
  const hooli = await (await asService(services.hooli)).getAuthorizationRoles({ permission: ['routing:queue:view'] });
  assert.deepEqual(
    hooli.entities?.map((role) => role.name),
    ['Hooli queues'],
    "another organization's roles only",
  );
});

test('getAuthorizationRoles: permission repeated or comma-joined, with id and name, paged, every filter kept in the URIs', async () => {
  const both = `permission=${encodeURIComponent('routing:queue:view')}&permission=${encodeURIComponent('authorization:role:view')}`;
  for (const filter of [both, `permission=${encodeURIComponent('routing:queue:view,authorization:role:view')}`]) {
    const body = (await get(`${ROLES}?${filter}&pageSize=2&pageNumber=2&userCount=false`)).json();
    const kept = `${both}&userCount=false`;
    assert.deepEqual(body, {
      // Authorization wildcard, Everything | Queue viewer, Role viewer | Routing admin.
      entities: [queueViewer(), roleViewer],
      pageSize: 2,
      pageNumber: 2,
      total: 5,
      pageCount: 3,
      firstUri: `${ROLES}?pageSize=2&pageNumber=1&${kept}`,
      selfUri: `${ROLES}?pageSize=2&pageNumber=2&${kept}`,
      lastUri: `${ROLES}?pageSize=2&pageNumber=3&${kept}`,
      nextUri: `${ROLES}?pageSize=2&pageNumber=3&${kept}`,
      previousUri: `${ROLES}?pageSize=2&pageNumber=1&${kept}`,
    });
  }
  const api = await asService(services.roles);
  const narrowed = await api.getAuthorizationRoles({ permission: ['routing:queue:view'], id: [made.queueViewer, initechRoles.roleViewer], name: 'VIEW' });
  assert.deepEqual(narrowed.entities, [{ ...queueViewer(), userCount: 2 }], 'each filter narrows the others');
  assert.equal(
    narrowed.selfUri,
    `${ROLES}?pageSize=25&pageNumber=1&name=VIEW&permission=routing%3Aqueue%3Aview&id=${made.queueViewer}&id=${initechRoles.roleViewer}`,
  );
});

test('getAuthorizationRoles userCount (true by default) and defaultRoleId (no role of tokend has one: none match)', async () => {
  const api = await asService(services.roles);
  const counted = await api.getAuthorizationRoles();
  assert.deepEqual(
    counted.entities?.map((role) => [role.name, role.userCount]),
    [
      ['Authorization wildcard', 0],
      ['Client keeper', 0],
      ['Everything', 0],
      ['nothing at all', 1],
      ['Queue viewer', 2],
      ['Role viewer', 2],
      ['Routing admin', 1],
    ],
  );
  const uncounted = await api.getAuthorizationRoles({ userCount: false });
  assert.equal(uncounted.total, 7);
  assert.ok(
    uncounted.entities?.every((role) => !('userCount' in role)),
    'no userCount when not asked',
  );
  assert.equal(uncounted.selfUri, `${ROLES}?pageSize=25&pageNumber=1&userCount=false`);
  const byDefault = await api.getAuthorizationRoles({ defaultRoleId: ['admin', 'employee'] });
  assert.deepEqual(byDefault, {
    entities: [],
    pageSize: 25,
    pageNumber: 1,
    total: 0,
    pageCount: 0,
    firstUri: `${ROLES}?pageSize=25&pageNumber=1&defaultRoleId=admin&defaultRoleId=employee`,
    selfUri: `${ROLES}?pageSize=25&pageNumber=1&defaultRoleId=admin&defaultRoleId=employee`,
    lastUri: `${ROLES}?pageSize=25&pageNumber=1&defaultRoleId=admin&defaultRoleId=employee`,
  });
});

test('getAuthorizationRoles refusals: a permission that is not one, a bad userCount, and the permission check first', async () => {
  const api = await asService(services.roles);
  await assert.rejects(
    api.getAuthorizationRoles({ permission: ['routing:queue:view', 'routing'] }),
    refusedWith(400, 'invalid.query.param.value', /parameter permission: "routing" is not a permission/),
  );
  assertErrorBody(await get(`${ROLES}?permission=a:b`), {
    status: 400,
    code: 'invalid.query.param.value',
    message: 'Invalid value for parameter permission: "a:b" is not a permission: expected domain:entity:action (each a word or *), or *.',
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'permission' }],
  });
  assertErrorBody(await get(`${ROLES}?userCount=2`), {
    status: 400,
    code: 'invalid.query.param.value',
    message: 'Invalid value for parameter userCount: must be boolean.',
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'userCount' }],
  });
  assertErrorBody(await get(`${ROLES}?permission=a:b`, services.bare), errorBodies.missingAnyPermissions('authorization:role:view'));
});
