/**
 * Subjects (a person's grants of roles in divisions) over raw HTTP and through the official JS
 * SDK (CONTRACT.md, "The directory and authorization planes"): exact AuthzSubject bodies, the
 * grantor rules (403 naming what the caller lacks, nothing changed), 404s for unknown people,
 * roles and divisions, 400 for a bad body, and a grant taken away ending the holder's permission
 * from their very next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import platformClient from 'purecloud-platform-client-v2';
import { assertErrorBody, type ExpectedErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { DIVISIONS_SEED, divisionClients, jo, people, roles } from '../helpers/divisions-fixture.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';

let t: TestApp;
let admin: string;
let grantAdmin: string;
let homeId: string;
let east: string;
let west: string;
let port: number;
before(async () => {
  t = await startTestApp({ seedFile: DIVISIONS_SEED });
  admin = await t.token(divisionClients.admin);
  grantAdmin = await t.token(divisionClients.grants);
  homeId = (await send(admin, 'GET', '/api/v2/authorization/divisions/home')).json().id;
  east = (await send(admin, 'POST', '/api/v2/authorization/divisions', { name: 'East' })).json().id;
  west = (await send(admin, 'POST', '/api/v2/authorization/divisions', { name: 'West' })).json().id;
  port = await listenForSdk(t);
});
after(() => t.close());

function send(token: string, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return t.inject({
    method,
    url,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

const grantUrl = (userId: string, divisionId: string, roleId: string) => `/api/v2/authorization/subjects/${userId}/divisions/${divisionId}/roles/${roleId}`;
const subject = async (userId: string) => (await send(admin, 'GET', `/api/v2/authorization/subjects/${userId}`)).json();
/** A subject's grants as "division/role" pairs. */
const pairs = async (userId: string) =>
  (await subject(userId)).grants.map((g: { division: { name: string }; role: { name: string } }) => `${g.division.name}/${g.role.name}`);
const missing = (permissions: string, details: ExpectedErrorBody['details']): ExpectedErrorBody => ({
  status: 403,
  code: 'missing.permissions',
  message: `Unable to perform the requested action. You are missing the following permission(s): ${permissions}`,
  messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
  messageParams: { permissions },
  details,
});
const notFound = (what: string, id: string): ExpectedErrorBody => ({ status: 404, code: 'not.found', message: `no ${what} with the id ${id}`, entityId: id });

test('an AuthzSubject: each grant with its division and role; a home grant has no grantMadeAt, a grant elsewhere its time', async () => {
  const before = await subject(people.vera.id);
  assert.equal((await send(grantAdmin, 'POST', grantUrl(people.vera.id, east, roles.nothing.id))).statusCode, 204);
  const after = await subject(people.vera.id);
  assert.equal(after.version, before.version + 1, 'a grant moves the subject version');
  assert.deepEqual(after, {
    id: people.vera.id,
    name: 'Vera Viewer',
    grants: [
      {
        subjectId: people.vera.id,
        division: { id: east, name: 'East', description: '', homeDivision: false, selfUri: `/api/v2/authorization/divisions/${east}` },
        role: { id: roles.nothing.id, name: 'Nothing', policies: [], default: false, selfUri: `/api/v2/authorization/roles/${roles.nothing.id}` },
        grantMadeAt: new Date(t.clock.now()).toISOString(),
      },
      {
        subjectId: people.vera.id,
        division: {
          id: homeId,
          name: 'Home',
          description: 'The home division of Dunder',
          homeDivision: true,
          selfUri: `/api/v2/authorization/divisions/${homeId}`,
        },
        role: {
          id: roles.viewer.id,
          name: 'Viewer',
          policies: [{ domain: 'directory', entityName: 'user', actions: ['view'] }],
          default: false,
          selfUri: `/api/v2/authorization/roles/${roles.viewer.id}`,
        },
      },
    ],
    version: after.version,
    selfUri: `/api/v2/authorization/subjects/${people.vera.id}`,
  });
  assert.equal((await send(grantAdmin, 'POST', grantUrl(people.vera.id, east, roles.nothing.id))).statusCode, 204, 'granting it again is no error');
  assert.equal((await send(grantAdmin, 'DELETE', grantUrl(people.vera.id, east, roles.nothing.id))).statusCode, 204);
  assert.equal((await send(grantAdmin, 'DELETE', grantUrl(people.vera.id, east, roles.nothing.id))).statusCode, 204, 'removing it again is no error');
  assert.deepEqual(await pairs(people.vera.id), ['Home/Viewer']);
});

test('a grant in another division gives its permissions from the next request; taken away, it ends them from the next one', async () => {
  const nat = await t.token(divisionClients.app, people.nat);
  const search = () => send(nat, 'POST', '/api/v2/users/search', {});
  assert.equal((await search()).statusCode, 403);
  assert.equal((await send(grantAdmin, 'POST', grantUrl(people.nat.id, west, roles.viewer.id))).statusCode, 204);
  assert.equal((await search()).statusCode, 200, 'the role granted in West counts');
  const subjectsMe = (await send(nat, 'GET', '/api/v2/authorization/subjects/me')).json();
  assert.deepEqual(
    subjectsMe.grants.map((g: { division: { name: string }; role: { name: string } }) => `${g.division.name}/${g.role.name}`),
    ['Home/Nothing', 'West/Viewer'],
  );
  const permitted = await send(nat, 'GET', '/api/v2/authorization/divisionspermitted/me?permission=directory:user:view');
  assert.deepEqual(
    permitted.json().map((d: { name: string }) => d.name),
    ['West'],
  );
  assert.equal((await send(grantAdmin, 'DELETE', grantUrl(people.nat.id, west, roles.viewer.id))).statusCode, 204);
  assertErrorBody(await search(), {
    status: 403,
    code: 'missing.any.permissions',
    message: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: directory:user:view',
    messageWithParams: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: {permissions}',
    messageParams: { permissions: 'directory:user:view' },
  });
  assert.deepEqual((await send(nat, 'GET', '/api/v2/authorization/divisionspermitted/me?permission=directory:user:view')).json(), []);
});

test('the grantor rules: only roles the caller holds, only to a person whose every role it holds; nothing changes when refused', async () => {
  assertErrorBody(
    await send(grantAdmin, 'POST', grantUrl(people.nat.id, east, roles.tokenAdmin.id)),
    missing('oauth:token:delete', [{ errorCode: 'missing.permissions', fieldName: 'grants', entityId: roles.tokenAdmin.id, entityName: 'Token admin' }]),
  );
  assertErrorBody(
    await send(grantAdmin, 'POST', grantUrl(people.tina.id, east, roles.viewer.id)),
    missing('oauth:token:delete', [{ errorCode: 'missing.permissions', fieldName: 'grants', entityId: roles.tokenAdmin.id, entityName: 'Token admin' }]),
  );
  assertErrorBody(
    await send(grantAdmin, 'POST', `/api/v2/authorization/subjects/${people.nat.id}/bulkadd`, {
      grants: [
        { roleId: roles.viewer.id, divisionId: east },
        { roleId: roles.divisionAdmin.id, divisionId: east },
      ],
    }),
    missing('authorization:division:*', [
      { errorCode: 'missing.permissions', fieldName: 'grants', entityId: roles.divisionAdmin.id, entityName: 'Division admin' },
    ]),
  );
  assert.deepEqual(await pairs(people.nat.id), ['Home/Nothing'], 'a refused bulk add grants none of its roles');
  assert.deepEqual(await pairs(people.tina.id), ['Home/Token admin']);
  // A stronger role granted elsewhere protects the person from a weaker caller everywhere, the users API included.
  assert.equal((await send(admin, 'POST', grantUrl(people.nat.id, east, roles.divisionAdmin.id))).statusCode, 204);
  const stronger = missing('authorization:division:*', [
    { errorCode: 'missing.permissions', fieldName: 'grants', entityId: roles.divisionAdmin.id, entityName: 'Division admin' },
  ]);
  assertErrorBody(await send(grantAdmin, 'DELETE', grantUrl(people.nat.id, east, roles.divisionAdmin.id)), stronger);
  assertErrorBody(await send(grantAdmin, 'POST', `/api/v2/authorization/subjects/${people.nat.id}/bulkreplace`, { grants: [] }), stronger);
  const putRoles = await t.inject({
    method: 'PUT',
    url: `/api/v2/users/${people.nat.id}/roles`,
    headers: { ...bearer(grantAdmin), 'content-type': 'application/json' },
    payload: JSON.stringify([roles.viewer.id]),
  });
  assertErrorBody(
    putRoles,
    missing('authorization:division:*', [
      { errorCode: 'missing.permissions', fieldName: 'roles', entityId: roles.divisionAdmin.id, entityName: 'Division admin' },
    ]),
  );
  assert.equal((await send(admin, 'DELETE', grantUrl(people.nat.id, east, roles.divisionAdmin.id))).statusCode, 204);
  const bare = await t.token(divisionClients.bare);
  assert.equal((await send(bare, 'GET', `/api/v2/authorization/subjects/${people.nat.id}`)).statusCode, 403);
  assert.equal((await send(bare, 'POST', grantUrl(people.nat.id, east, roles.nothing.id))).statusCode, 403);
});

test('404s and 400s: unknown or foreign people, roles and divisions; bad bodies and queries', async () => {
  assertErrorBody(await send(admin, 'GET', `/api/v2/authorization/subjects/${jo.id}`), notFound('user', jo.id));
  assertErrorBody(await send(admin, 'POST', grantUrl(jo.id, east, roles.viewer.id)), notFound('user', jo.id));
  assertErrorBody(await send(admin, 'POST', grantUrl(people.nat.id, 'nowhere', roles.viewer.id)), notFound('division', 'nowhere'));
  assertErrorBody(await send(admin, 'POST', grantUrl(people.nat.id, east, roles.sabreAdmin.id)), notFound('role', roles.sabreAdmin.id));
  const bulk = `/api/v2/authorization/subjects/${people.nat.id}/bulkadd`;
  assertErrorBody(await send(admin, 'POST', bulk, { grants: [{ roleId: roles.viewer.id, divisionId: 'nowhere' }] }), {
    status: 400,
    code: 'invalid.value',
    message: 'no division with the id nowhere in this organization',
    details: [{ errorCode: 'invalid.value', fieldName: 'grants[0].divisionId' }],
  });
  assertErrorBody(await send(admin, 'POST', bulk, { grants: [{ roleId: roles.viewer.id }] }), {
    status: 400,
    code: 'invalid.value',
    message: 'grants[0].divisionId is required',
    details: [{ errorCode: 'invalid.value', fieldName: 'grants[0].divisionId' }],
  });
  assertErrorBody(await send(admin, 'POST', bulk), { status: 400, code: 'bad.request', message: 'The request body must be a JSON object.' });
  assertErrorBody(await send(admin, 'POST', `/api/v2/authorization/subjects/${jo.id}/bulkadd`, { grants: [] }), notFound('user', jo.id));
  assertErrorBody(await send(admin, 'GET', '/api/v2/authorization/divisionspermitted/me'), {
    status: 400,
    code: 'invalid.query.param.value',
    message: "Invalid value for parameter permission: must have required property 'permission'.",
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'permission' }],
  });
  const permissionProblem = await send(admin, 'GET', '/api/v2/authorization/divisionspermitted/me?permission=nonsense');
  assert.equal(permissionProblem.statusCode, 400, permissionProblem.body);
  assert.equal(permissionProblem.json().code, 'invalid.query.param.value');
  assertErrorBody(await send(admin, 'GET', '/api/v2/authorization/subjects/me'), {
    status: 400,
    code: 'bad.request',
    message: 'This request requires a user context. Client credentials cannot be used for requests to this resource.',
  });
  assert.deepEqual(await pairs(people.nat.id), ['Home/Nothing']);
});

test('bulk add, remove and replace; a client-credentials caller is permitted in the home division by its roles', async () => {
  const base = `/api/v2/authorization/subjects/${people.nat.id}`;
  const add = await send(admin, 'POST', `${base}/bulkadd`, {
    grants: [
      { roleId: roles.viewer.id, divisionId: east },
      { roleId: roles.viewer.id, divisionId: west },
      { roleId: roles.viewer.id, divisionId: east },
    ],
  });
  assert.equal(add.statusCode, 204, add.body);
  assert.deepEqual(await pairs(people.nat.id), ['East/Viewer', 'Home/Nothing', 'West/Viewer']);
  assert.equal((await send(admin, 'POST', `${base}/bulkremove`, { grants: [{ roleId: roles.viewer.id, divisionId: east }] })).statusCode, 204);
  assert.deepEqual(await pairs(people.nat.id), ['Home/Nothing', 'West/Viewer']);
  const replaced = await send(admin, 'POST', `${base}/bulkreplace`, { grants: [{ roleId: roles.nothing.id, divisionId: homeId }] });
  assert.equal(replaced.statusCode, 204, replaced.body);
  assert.deepEqual(await pairs(people.nat.id), ['Home/Nothing']);
  const permitted = (await send(admin, 'GET', '/api/v2/authorization/divisionspermitted/me?permission=authorization:division:add')).json();
  assert.deepEqual(
    permitted.map((d: { id: string }) => d.id),
    [homeId],
  );
});

test('the official JS SDK: AuthorizationApi grants, reads and removes a subject’s grants', async () => {
  const client = sdkClientFor(port);
  client.setAccessToken(admin);
  const authorization = new platformClient.AuthorizationApi(client);
  await authorization.postAuthorizationSubjectDivisionRole(people.gus.id, east, roles.viewer.id, { subjectType: 'PC_USER' });
  const gus = await authorization.getAuthorizationSubject(people.gus.id);
  assert.deepEqual(
    gus.grants?.map((g) => `${g.division?.name}/${g.role?.name}`),
    ['East/Viewer', 'Home/Grant admin'],
  );
  await authorization.postAuthorizationSubjectBulkadd(people.gus.id, { grants: [{ roleId: roles.viewer.id, divisionId: west }] });
  await authorization.postAuthorizationSubjectBulkremove(people.gus.id, { grants: [{ roleId: roles.viewer.id, divisionId: east }] });
  await authorization.postAuthorizationSubjectBulkreplace(people.gus.id, {
    grants: [
      { roleId: roles.grantAdmin.id, divisionId: homeId },
      { roleId: roles.viewer.id, divisionId: west },
    ],
  });
  assert.deepEqual(
    (await authorization.getAuthorizationSubject(people.gus.id)).grants?.map((g) => `${g.division?.name}/${g.role?.name}`),
    ['Home/Grant admin', 'West/Viewer'],
  );
  await authorization.deleteAuthorizationSubjectDivisionRole(people.gus.id, west, roles.viewer.id);
  await assert.rejects(authorization.getAuthorizationSubject(people.dana.id.replace('c001', 'c999')), refusedWith(404, 'not.found'));

  client.setAccessToken(await t.token(divisionClients.app, people.gus));
  const me = await authorization.getAuthorizationSubjectsMe();
  assert.deepEqual([me.id, me.grants?.length], [people.gus.id, 1]);
  const permitted = await authorization.getAuthorizationDivisionspermittedMe('authorization:grant:add');
  assert.deepEqual(
    permitted.map((d) => d.id),
    [homeId],
  );
  await assert.rejects(
    authorization.postAuthorizationSubjectDivisionRole(people.tina.id, east, roles.viewer.id),
    refusedWith(403, 'missing.permissions', /oauth:token:delete/),
  );
});
