/**
 * GET /api/v2/authorization/roles, /api/v2/authorization/divisions/home and /api/v2/oauth/scopes
 * (issue 14): paging, permission policies, the organization boundary, and every refusal.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, type TestApp } from '../helpers/app.js';
import { initechRoles, people, services, startReadApi } from '../helpers/readapi-fixture.js';

let t: TestApp;
let homeDivisionId: string;
before(async () => ({ t, homeDivisionId } = await startReadApi()));
after(() => t.close());

const get = (url: string, token?: string) => t.inject({ method: 'GET', url, headers: token === undefined ? {} : bearer(token) });
const ROLES = '/api/v2/authorization/roles';

test('roles: every role of the organization, by name, with permissions and policies', async () => {
  const response = await get(ROLES, await t.token(services.roles));
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.deepEqual(
    body.entities.map((role: { id: string }) => role.id),
    [initechRoles.authorizationWildcard, initechRoles.clientKeeper, initechRoles.everything, initechRoles.nothing, initechRoles.roleViewer],
    'ordered by name in any case; Hooli roles are not listed',
  );
  assert.deepEqual(body.entities[1], {
    id: initechRoles.clientKeeper,
    name: 'Client keeper',
    permissions: ['oauth:client:view', 'oauth:client:edit', 'oauth:*:*', 'directory:organization:admin', 'oauth:client:view'],
    permissionPolicies: [
      { domain: 'oauth', entityName: 'client', actionSet: ['view', 'edit'] },
      { domain: 'oauth', entityName: '*', actionSet: ['*'] },
      { domain: 'directory', entityName: 'organization', actionSet: ['admin'] },
    ],
    userCount: 0,
    default: false,
    selfUri: `${ROLES}/${initechRoles.clientKeeper}`,
  });
  assert.deepEqual(
    body.entities.map((role: { userCount: number }) => role.userCount),
    [0, 0, 0, 1, 1],
    'the people who hold each (Ned: nothing at all; Rita: Role viewer), clients not counted',
  );
  assert.deepEqual(body.entities[2].permissionPolicies, [{ domain: '*', entityName: '*', actionSet: ['*'] }]);
  assert.deepEqual(body.entities[3].permissionPolicies, []);
  const { entities: _, ...paging } = body;
  assert.deepEqual(paging, {
    pageSize: 25,
    pageNumber: 1,
    total: 5,
    pageCount: 1,
    firstUri: `${ROLES}?pageSize=25&pageNumber=1`,
    selfUri: `${ROLES}?pageSize=25&pageNumber=1`,
    lastUri: `${ROLES}?pageSize=25&pageNumber=1`,
  });
});

test('roles: pageSize and pageNumber page through them, with the Genesys paging fields', async () => {
  const token = await t.token(services.roles);
  const second = (await get(`${ROLES}?pageSize=2&pageNumber=2`, token)).json();
  assert.deepEqual(
    second.entities.map((role: { name: string }) => role.name),
    ['Everything', 'nothing at all'],
  );
  assert.equal(second.total, 5);
  assert.equal(second.pageCount, 3);
  assert.equal(second.previousUri, `${ROLES}?pageSize=2&pageNumber=1`);
  assert.equal(second.nextUri, `${ROLES}?pageSize=2&pageNumber=3`);
  assert.equal(second.lastUri, `${ROLES}?pageSize=2&pageNumber=3`);
  const last = (await get(`${ROLES}?pageSize=2&pageNumber=3`, token)).json();
  assert.deepEqual(
    last.entities.map((role: { name: string }) => role.name),
    ['Role viewer'],
  );
  assert.equal(last.nextUri, undefined);
  const beyond = (await get(`${ROLES}?pageSize=2&pageNumber=9`, token)).json();
  assert.deepEqual(beyond.entities, []);
  assert.equal(beyond.previousUri, `${ROLES}?pageSize=2&pageNumber=3`, 'back to the last page with entities');
  const first = (await get(`${ROLES}?pageSize=2`, token)).json();
  assert.equal(first.previousUri, undefined);
  assert.equal(first.pageNumber, 1);
});

test('roles: name (contains, any case) and id (repeated or comma-separated) filter, and stay in the paging URIs', async () => {
  const token = await t.token(services.roles);
  const named = (await get(`${ROLES}?name=VIEW`, token)).json();
  assert.deepEqual(
    named.entities.map((role: { id: string }) => role.id),
    [initechRoles.roleViewer],
  );
  assert.equal(named.selfUri, `${ROLES}?pageSize=25&pageNumber=1&name=VIEW`);
  for (const query of [`id=${initechRoles.nothing},${initechRoles.everything}`, `id=${initechRoles.nothing}&id=${initechRoles.everything}`]) {
    const byId = (await get(`${ROLES}?${query}&pageSize=1`, token)).json();
    assert.deepEqual(
      byId.entities.map((role: { id: string }) => role.id),
      [initechRoles.everything],
      query,
    );
    assert.equal(byId.total, 2);
    assert.equal(byId.nextUri, `${ROLES}?pageSize=1&pageNumber=2&id=${initechRoles.nothing}&id=${initechRoles.everything}`);
  }
  const foreign = (await get(`${ROLES}?id=55555555-0000-4000-8000-00000000a001`, token)).json();
  assert.deepEqual(foreign.entities, [], "another organization's role is not found by its id");
  assert.equal(foreign.total, 0);
  assert.equal(foreign.lastUri, `${ROLES}?pageSize=25&pageNumber=1&id=55555555-0000-4000-8000-00000000a001`);
});

test('roles: sortBy and expand are accepted and ignored', async () => {
  const response = await get(`${ROLES}?sortBy=name&expand=unusedPermissions`, await t.token(services.roles));
  assert.equal(response.statusCode, 200);
  assert.equal(response.json().total, 5);
});

test('roles: a page size or number out of bounds is 400 invalid.query.param.value naming it', async () => {
  const token = await t.token(services.roles);
  for (const [query, field, why] of [
    ['pageSize=0', 'pageSize', 'must be >= 1'],
    ['pageSize=501', 'pageSize', 'must be <= 500'],
    ['pageSize=ten', 'pageSize', 'must be integer'],
    ['pageSize=1&pageSize=2', 'pageSize', 'must be integer'],
    ['pageNumber=0', 'pageNumber', 'must be >= 1'],
    ['pageNumber=2.5', 'pageNumber', 'must be integer'],
    ['pageNumber=2147483648', 'pageNumber', 'must be <= 2147483647'],
    [`name=${'n'.repeat(201)}`, 'name', 'must NOT have more than 200 characters'],
  ] as const) {
    assertErrorBody(
      await get(`${ROLES}?${query}`, token),
      {
        status: 400,
        code: 'invalid.query.param.value',
        message: `Invalid value for parameter ${field}: ${why}.`,
        details: [{ errorCode: 'invalid.query.param.value', fieldName: field }],
      },
      query,
    );
  }
  assert.equal((await get(`${ROLES}?pageSize=500&pageNumber=2147483647`, token)).statusCode, 200, 'the bounds themselves');
});

test('roles: without authorization:role:view 403 missing.any.permissions, before the query is looked at', async () => {
  for (const query of ['', '?pageSize=0']) {
    const response = await get(`${ROLES}${query}`, await t.token(services.bare));
    assertErrorBody(response, errorBodies.missingAnyPermissions('authorization:role:view'));
  }
  const ned = await get(ROLES, await t.token(services.fullApp, people.ned));
  assertErrorBody(ned, errorBodies.missingAnyPermissions('authorization:role:view'));
});

test('roles: a user token needs scope authorization or authorization:readonly as well as the permission', async () => {
  for (const app of [services.fullApp, services.readonlyApp]) {
    const response = await get(ROLES, await t.token(app, people.rita));
    assert.equal(response.statusCode, 200, app.id);
    assert.equal(response.json().total, 5);
  }
  const response = await get(ROLES, await t.token(services.basicApp, people.rita));
  assertErrorBody(response, errorBodies.scopeNotAuthorized('authorization'));
});

test("roles: another organization's caller sees its own roles only", async () => {
  const body = (await get(ROLES, await t.token(services.hooli))).json();
  assert.deepEqual(
    body.entities.map((role: { name: string }) => role.name),
    ['Hooli viewer'],
  );
});

test('divisions/home: the home division that roleDivisions name, without any permission', async () => {
  const expected = {
    id: homeDivisionId,
    name: 'Home',
    description: 'The home division of Initech',
    homeDivision: true,
    selfUri: `/api/v2/authorization/divisions/${homeDivisionId}`,
  };
  for (const token of [await t.token(services.bare), await t.token(services.readonlyApp, people.ned), await t.token(services.fullApp, people.ned)]) {
    const response = await get('/api/v2/authorization/divisions/home', token);
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), expected);
  }
  const client = await t.app.tokend.store.findClient(services.roles.id);
  assert.deepEqual(
    client?.roleDivisions.map((rd) => rd.divisionId),
    [homeDivisionId],
  );
  const hooli = (await get('/api/v2/authorization/divisions/home', await t.token(services.hooli))).json();
  assert.notEqual(hooli.id, homeDivisionId, 'each organization has its own');
  const response = await get('/api/v2/authorization/divisions/home', await t.token(services.basicApp, people.ned));
  assertErrorBody(response, errorBodies.scopeNotAuthorized('authorization'));
});

test('oauth/scopes: the scopes tokend knows, with their read-only variants', async () => {
  const response = await get('/api/v2/oauth/scopes', await t.token(services.bare));
  assert.equal(response.statusCode, 200);
  const body = response.json();
  assert.deepEqual(
    body.entities.map((scope: { id: string }) => scope.id),
    [
      'user-basic-info',
      'organization',
      'organization:readonly',
      'users',
      'users:readonly',
      'groups',
      'groups:readonly',
      'authorization',
      'authorization:readonly',
      'identity-providers',
      'identity-providers:readonly',
      'oauth',
      'oauth:readonly',
    ],
  );
  for (const scope of body.entities) assert.ok(scope.description.length > 0, scope.id);
  assert.equal(body.total, 13);
  assert.equal(body.selfUri, '/api/v2/oauth/scopes');
  for (const app of [services.fullApp, services.readonlyApp]) assert.equal((await get('/api/v2/oauth/scopes', await t.token(app, people.ned))).statusCode, 200);
  const refused = await get('/api/v2/oauth/scopes', await t.token(services.basicApp, people.ned));
  assertErrorBody(refused, errorBodies.scopeNotAuthorized('oauth'));
});

test('all three: no token 401 authentication.required, a bad one 401 bad.credentials', async () => {
  for (const url of [ROLES, '/api/v2/authorization/divisions/home', '/api/v2/oauth/scopes']) {
    const none = await get(url);
    assertErrorBody(none, errorBodies.authenticationRequired);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="tokend"');
    assertErrorBody(await get(url, 'x'.repeat(40)), errorBodies.badCredentials);
  }
});

test('the OpenAPI document lists the five read operations with their SDK operationIds and ErrorBody errors', async () => {
  const doc = (await get('/api/v2/docs/openapi.json')).json();
  const expected: Record<string, string> = {
    '/api/v2/organizations/me': 'getOrganizationsMe',
    '/api/v2/users/me': 'getUsersMe',
    '/api/v2/authorization/roles': 'getAuthorizationRoles',
    '/api/v2/authorization/divisions/home': 'getAuthorizationDivisionsHome',
    '/api/v2/oauth/scopes': 'getOauthScopes',
  };
  for (const [path, operationId] of Object.entries(expected)) {
    const operation = doc.paths[path]?.get;
    assert.equal(operation?.operationId, operationId, path);
    assert.equal(operation.responses['401'].content['application/json'].schema.title, 'ErrorBody', path);
    assert.ok(operation.responses['200'].content['application/json'].schema.properties, path);
  }
  const params = doc.paths[ROLES].get.parameters.map((p: { name: string }) => p.name);
  assert.deepEqual(params.sort(), ['defaultRoleId', 'id', 'name', 'pageNumber', 'pageSize', 'permission', 'userCount']);
  const expand = doc.paths['/api/v2/users/me'].get.parameters.find((p: { name: string }) => p.name === 'expand');
  assert.equal(expand.schema.type, 'array');
  assert.equal(
    doc.paths['/api/v2/users/me'].get.responses['200'].content['application/json'].schema.properties.token.properties.OAuthClient.title,
    'OrgOAuthClient',
  );
});
