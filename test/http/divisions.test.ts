/**
 * The divisions of AuthorizationApi over raw HTTP and through the official JS SDK (CONTRACT.md,
 * "The directory and authorization planes"): exact bodies, paging and filters, the rules the
 * admin core decides (unique names, the home division kept, a division in use never deleted:
 * 409 with nothing changed), permission refusals and other organizations' divisions as 404.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import platformClient from 'purecloud-platform-client-v2';
import { assertErrorBody, type ExpectedErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { DIVISIONS_SEED, divisionClients, people, roles } from '../helpers/divisions-fixture.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';

let t: TestApp;
let admin: string;
let home: { id: string; name: string; description: string; homeDivision: boolean; selfUri: string };
let port: number;
before(async () => {
  t = await startTestApp({ seedFile: DIVISIONS_SEED });
  admin = await t.token(divisionClients.admin);
  home = (await send(admin, 'GET', '/api/v2/authorization/divisions/home')).json();
  port = await listenForSdk(t);
});
after(() => t.close());

function send(token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return t.inject({
    method,
    url,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}

const bodyValue = (field: string, message: string, code = 'invalid.value'): ExpectedErrorBody => ({
  status: 400,
  code,
  message,
  details: [{ errorCode: code, fieldName: field }],
});
const noDivision = (id: string): ExpectedErrorBody => ({ status: 404, code: 'not.found', message: `no division with the id ${id}`, entityId: id });

async function create(name: string, description?: string): Promise<{ id: string; name: string }> {
  const response = await send(admin, 'POST', '/api/v2/authorization/divisions', { name, ...(description === undefined ? {} : { description }) });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

test('the home division is a division like the others: listed, read by id, described, never renamed', async () => {
  assert.deepEqual(home, {
    id: home.id,
    name: 'Home',
    description: 'The home division of Dunder',
    homeDivision: true,
    selfUri: `/api/v2/authorization/divisions/${home.id}`,
  });
  assert.deepEqual((await send(admin, 'GET', `/api/v2/authorization/divisions/${home.id}`)).json(), home);
  const changed = await send(admin, 'PUT', `/api/v2/authorization/divisions/${home.id}`, { name: 'Home', description: 'Where everyone is' });
  assert.equal(changed.statusCode, 200, changed.body);
  assert.equal((await send(admin, 'GET', '/api/v2/authorization/divisions/home')).json().description, 'Where everyone is');
  assertErrorBody(
    await send(admin, 'PUT', `/api/v2/authorization/divisions/${home.id}`, { name: 'Head office' }),
    bodyValue('name', 'the home division keeps its name Home'),
  );
  assertErrorBody(await send(admin, 'DELETE', `/api/v2/authorization/divisions/${home.id}`), {
    status: 409,
    code: 'general.conflict',
    message: 'the division Home cannot be deleted: it is the home division of the organization',
    details: [{ errorCode: 'general.conflict', entityId: home.id, entityName: 'Home' }],
  });
  assert.equal((await send(admin, 'GET', '/api/v2/authorization/divisions/limit')).body, '50');
});

test('listing: by name, paged (pageSize 1-500), with id and name filters carried into the paging URIs', async () => {
  assertErrorBody(await send(admin, 'GET', '/api/v2/authorization/divisions?pageSize=0'), {
    status: 400,
    code: 'invalid.query.param.value',
    message: 'Invalid value for parameter pageSize: must be >= 1.',
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'pageSize' }],
  });
  const east = await create('Paging east');
  const west = await create('paging west', 'the other one');
  const page = (await send(admin, 'GET', '/api/v2/authorization/divisions?name=PAGING&pageSize=1&pageNumber=2')).json();
  assert.deepEqual(page, {
    entities: [{ id: west.id, name: 'paging west', description: 'the other one', homeDivision: false, selfUri: `/api/v2/authorization/divisions/${west.id}` }],
    pageSize: 1,
    pageNumber: 2,
    total: 2,
    pageCount: 2,
    firstUri: '/api/v2/authorization/divisions?pageSize=1&pageNumber=1&name=PAGING',
    selfUri: '/api/v2/authorization/divisions?pageSize=1&pageNumber=2&name=PAGING',
    lastUri: '/api/v2/authorization/divisions?pageSize=1&pageNumber=2&name=PAGING',
    previousUri: '/api/v2/authorization/divisions?pageSize=1&pageNumber=1&name=PAGING',
  });
  const joined = (await send(admin, 'GET', `/api/v2/authorization/divisions?id=${east.id},${home.id}`)).json();
  const repeated = (await send(admin, 'GET', `/api/v2/authorization/divisions?id=${east.id}&id=${home.id}`)).json();
  assert.deepEqual(joined, repeated);
  assert.deepEqual(
    joined.entities.map((d: { name: string }) => d.name),
    ['Home', 'Paging east'],
  );
  for (const d of [east, west]) assert.equal((await send(admin, 'DELETE', `/api/v2/authorization/divisions/${d.id}`)).statusCode, 204);
});

test('bodies: a name is required, unique in any letter case, bounded; unknown properties refused; nothing written', async () => {
  const url = '/api/v2/authorization/divisions';
  assertErrorBody(await send(admin, 'POST', url, { description: 'x' }), bodyValue('name', 'name is required'));
  assertErrorBody(await send(admin, 'POST', url, { name: 'x', colour: 'red' }), bodyValue('colour', 'Unrecognized property: colour', 'invalid.property'));
  assertErrorBody(await send(admin, 'POST', url, { name: '  ' }), bodyValue('name', 'the division name must not be empty'));
  assertErrorBody(
    await send(admin, 'POST', url, { name: 'HOME' }),
    bodyValue('name', 'a division named HOME already exists in Dunder', 'constraint.validation'),
  );
  const sales = await create('Sales');
  assertErrorBody(
    await send(admin, 'PUT', `${url}/${sales.id}`, { name: 'home' }),
    bodyValue('name', 'a division named home already exists in Dunder', 'constraint.validation'),
  );
  assert.equal((await send(admin, 'GET', `${url}/${sales.id}`)).json().name, 'Sales', 'a refused rename changes nothing');
  const renamed = await send(admin, 'PUT', `${url}/${sales.id}`, { name: 'Sales and marketing' });
  assert.deepEqual(renamed.json(), {
    id: sales.id,
    name: 'Sales and marketing',
    description: '',
    homeDivision: false,
    selfUri: `/api/v2/authorization/divisions/${sales.id}`,
  });
  assertErrorBody(await send(admin, 'DELETE', `${url}/${sales.id}?force=true`), {
    status: 400,
    code: 'invalid.query.param.value',
    message: 'Invalid value for parameter force: tokend deletes only a division that holds nothing.',
    details: [{ errorCode: 'invalid.query.param.value', fieldName: 'force' }],
  });
  assert.equal((await send(admin, 'DELETE', `${url}/${sales.id}`)).statusCode, 204);
  assertErrorBody(await send(admin, 'GET', `${url}/${sales.id}`), noDivision(sales.id));
  assertErrorBody(await send(admin, 'DELETE', `${url}/${sales.id}`), noDivision(sales.id));
});

test('a division holding a grant is 409 and stays, with the grant; once the grant is gone it can be deleted', async () => {
  const kept = await create('Warehouse');
  const grant = `/api/v2/authorization/subjects/${people.nat.id}/divisions/${kept.id}/roles/${roles.viewer.id}`;
  assert.equal((await send(admin, 'POST', grant)).statusCode, 204);
  assertErrorBody(await send(admin, 'DELETE', `/api/v2/authorization/divisions/${kept.id}`), {
    status: 409,
    code: 'general.conflict',
    message: "the division Warehouse cannot be deleted: it holds 1 grant and 0 clients' roles: remove them first",
    details: [{ errorCode: 'general.conflict', entityId: kept.id, entityName: 'Warehouse' }],
  });
  assert.equal((await send(admin, 'GET', `/api/v2/authorization/divisions/${kept.id}`)).statusCode, 200);
  const grants = (await send(admin, 'GET', `/api/v2/authorization/subjects/${people.nat.id}`)).json().grants;
  assert.ok(
    grants.some((g: { division: { id: string } }) => g.division.id === kept.id),
    'the grant stays',
  );
  assert.equal((await send(admin, 'DELETE', grant)).statusCode, 204);
  assert.equal((await send(admin, 'DELETE', `/api/v2/authorization/divisions/${kept.id}`)).statusCode, 204);
});

test('permissions and organizations: writes need their permissions; another organization sees none of them', async () => {
  const bare = await t.token(divisionClients.bare);
  assertErrorBody(await send(bare, 'POST', '/api/v2/authorization/divisions', { name: 'x' }), {
    status: 403,
    code: 'missing.permissions',
    message: 'Unable to perform the requested action. You are missing the following permission(s): authorization:division:add, authorization:grant:add',
    messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
    messageParams: { permissions: 'authorization:division:add, authorization:grant:add' },
  });
  const mine = await create('Mine');
  assert.equal((await send(bare, 'GET', `/api/v2/authorization/divisions/${mine.id}`)).statusCode, 200, 'reading needs no permission');
  assert.equal((await send(bare, 'DELETE', `/api/v2/authorization/divisions/${mine.id}`)).statusCode, 403);
  const sabre = await t.token(divisionClients.sabre);
  assertErrorBody(await send(sabre, 'GET', `/api/v2/authorization/divisions/${mine.id}`), noDivision(mine.id));
  assertErrorBody(await send(sabre, 'PUT', `/api/v2/authorization/divisions/${mine.id}`, { name: 'Taken' }), noDivision(mine.id));
  assertErrorBody(await send(sabre, 'DELETE', `/api/v2/authorization/divisions/${mine.id}`), noDivision(mine.id));
  assert.deepEqual(
    (await send(sabre, 'GET', '/api/v2/authorization/divisions')).json().entities.map((d: { name: string; description: string }) => [d.name, d.description]),
    [
      ['Home', 'The home division of Sabre'],
      ['Stamford', 'Seeded'],
    ],
    "Sabre's own: its home division and the one its seed names",
  );
  assert.equal((await send(admin, 'DELETE', `/api/v2/authorization/divisions/${mine.id}`)).statusCode, 204);
});

test('the official JS SDK: ObjectsApi and AuthorizationApi create, list, read, update and delete divisions', async () => {
  const client = sdkClientFor(port);
  client.setAccessToken(admin);
  const objects = new platformClient.ObjectsApi(client);
  const authorization = new platformClient.AuthorizationApi(client);
  const made = await objects.postAuthorizationDivisions({ name: 'SDK made', description: 'by the SDK' });
  assert.equal(made.homeDivision, false);
  const listed = await objects.getAuthorizationDivisions({ id: [made.id as string, home.id], pageSize: 1 });
  assert.deepEqual([listed.total, listed.pageCount, listed.entities?.[0]?.name], [2, 2, 'Home']);
  assert.equal((await authorization.getAuthorizationDivisions({ name: 'sdk' })).entities?.[0]?.id, made.id);
  assert.equal((await authorization.getAuthorizationDivision(made.id as string)).description, 'by the SDK');
  assert.equal((await objects.putAuthorizationDivision(made.id as string, { name: 'SDK renamed', description: '' })).name, 'SDK renamed');
  assert.equal(await objects.getAuthorizationDivisionsLimit(), 50);
  await assert.rejects(objects.deleteAuthorizationDivision(home.id), refusedWith(409, 'general.conflict'));
  await objects.deleteAuthorizationDivision(made.id as string);
  await assert.rejects(authorization.getAuthorizationDivision(made.id as string), refusedWith(404, 'not.found'));
});
