/**
 * The groups API over raw HTTP (CONTRACT.md, "The directory and authorization planes"): exact
 * ErrorBodies for paging, sort order, lists, bodies, stale versions and the rules core decides
 * (visibility, who changes members, a group named by the idle timeout); every refusal changes
 * nothing; and a membership change moves a member's idle deadline from their very next request.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { assertErrorBody, type ExpectedErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { GROUPS_SEED, groupClients, kenny, KRAMERICA_CREW, NIGHT_SHIFT, people } from '../helpers/groups-fixture.js';

let t: TestApp;
let admin: string;
before(async () => {
  t = await startTestApp({ seedFile: GROUPS_SEED });
  admin = await t.token(groupClients.admin);
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

const queryValue = (field: string, message: string): ExpectedErrorBody => ({
  status: 400,
  code: 'invalid.query.param.value',
  message: `Invalid value for parameter ${field}: ${message}.`,
  details: [{ errorCode: 'invalid.query.param.value', fieldName: field }],
});
const bodyValue = (field: string, message: string, code = 'invalid.value'): ExpectedErrorBody => ({
  status: 400,
  code,
  message,
  details: [{ errorCode: code, fieldName: field }],
});
const noGroup = (id: string): ExpectedErrorBody => ({ status: 404, code: 'not.found', message: `no group with the id ${id}`, entityId: id });

async function create(token: string, fields: Record<string, unknown> = {}): Promise<{ id: string; version: number; name: string }> {
  const response = await send(token, 'POST', '/api/v2/groups', {
    name: `group ${randomUUID()}`,
    type: 'official',
    visibility: 'public',
    rulesVisible: true,
    ...fields,
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}
const group = async (id: string) => (await send(admin, 'GET', `/api/v2/groups/${id}`)).json();

test('paging and query values: pageSize 1-500, sortOrder in any of its spellings, lists comma-joined or repeated, pageCount on every listing', async () => {
  assertErrorBody(await send(admin, 'GET', '/api/v2/groups?pageSize=0'), queryValue('pageSize', 'must be >= 1'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/groups?pageSize=501'), queryValue('pageSize', 'must be <= 500'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/groups?sortOrder=sideways'), queryValue('sortOrder', 'must be equal to one of the allowed values'));
  assertErrorBody(await send(admin, 'GET', `/api/v2/groups/${NIGHT_SHIFT}/members?pageSize=501`), queryValue('pageSize', 'must be <= 500'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/groups?id=a&jabberId=b'), queryValue('jabberId', 'cannot be used with id'));
  assertErrorBody(
    await send(admin, 'GET', `/api/v2/groups/${NIGHT_SHIFT}/members?expand=presence,nonsense`),
    queryValue('expand[1]', 'must be equal to one of the allowed values'),
  );

  const second = await create(admin, { name: 'Alpha team' });
  const names = async (query: string) => (await send(admin, 'GET', `/api/v2/groups${query}`)).json().entities.map((g: { name: string }) => g.name);
  for (const spelling of ['', '?sortOrder=asc', '?sortOrder=ASC', '?sortOrder=Ascending'])
    assert.deepEqual(await names(spelling), ['Alpha team', 'Night shift'], spelling);
  for (const spelling of ['?sortOrder=DESC', '?sortOrder=desc', '?sortOrder=descending'])
    assert.deepEqual(await names(spelling), ['Night shift', 'Alpha team'], spelling);
  const joined = (await send(admin, 'GET', `/api/v2/groups?id=${NIGHT_SHIFT},${second.id}&pageSize=1&pageNumber=2`)).json();
  const repeated = (await send(admin, 'GET', `/api/v2/groups?id=${NIGHT_SHIFT}&id=${second.id}&pageSize=1&pageNumber=2`)).json();
  assert.deepEqual(joined, repeated);
  assert.deepEqual([joined.total, joined.pageCount, joined.pageNumber, joined.entities.length], [2, 2, 2, 1]);
  assert.equal(joined.previousUri, `/api/v2/groups?pageSize=1&pageNumber=1&id=${NIGHT_SHIFT}&id=${second.id}`);
  assert.deepEqual((await send(admin, 'GET', '/api/v2/groups?jabberId=someone')).json().entities, [], 'tokend keeps no jabber ids');
  const members = (await send(admin, 'GET', `/api/v2/groups/${NIGHT_SHIFT}/members`)).json();
  assert.deepEqual([members.total, members.pageCount, members.pageSize, members.entities[0].id], [1, 1, 25, people.mary.id]);
  assert.equal((await send(admin, 'DELETE', `/api/v2/groups/${second.id}`)).statusCode, 200);
});

test('bodies: required fields, unknown properties, enums, bounds, and a stale version is 409 with nothing changed', async () => {
  const base = { name: 'x', type: 'official', visibility: 'public', rulesVisible: true };
  const { type: _type, ...noType } = base;
  assertErrorBody(await send(admin, 'POST', '/api/v2/groups', noType), bodyValue('type', 'type is required'));
  assertErrorBody(
    await send(admin, 'POST', '/api/v2/groups', { ...base, colour: 'red' }),
    bodyValue('colour', 'Unrecognized property: colour', 'invalid.property'),
  );
  assertErrorBody(
    await send(admin, 'POST', '/api/v2/groups', { ...base, visibility: 'everyone' }),
    bodyValue('visibility', 'visibility must be equal to one of the allowed values'),
  );
  assertErrorBody(await send(admin, 'POST', '/api/v2/groups', { ...base, name: ' ' }), bodyValue('name', 'the group name must not be empty'));
  assertErrorBody(await send(admin, 'POST', '/api/v2/groups', { ...base, name: 'NIGHT SHIFT' }), {
    status: 400,
    code: 'constraint.validation',
    message: 'a group named Night shift already exists in Vandelay',
    details: [{ errorCode: 'constraint.validation', fieldName: 'name', entityId: NIGHT_SHIFT }],
  });
  assertErrorBody(
    await send(admin, 'POST', '/api/v2/groups', { ...base, ownerIds: [kenny.id] }),
    bodyValue('ownerIds', `no user ${kenny.id} in organization Vandelay`),
  );
  assertErrorBody(await send(admin, 'PUT', `/api/v2/groups/${NIGHT_SHIFT}`, { name: 'x' }), bodyValue('version', 'version is required'));

  const made = await create(admin, { description: 'first' });
  assert.equal((await send(admin, 'PUT', `/api/v2/groups/${made.id}`, { version: 1, description: 'second' })).json().version, 2);
  const before = await group(made.id);
  assertErrorBody(await send(admin, 'PUT', `/api/v2/groups/${made.id}`, { version: 1, description: 'third' }), {
    status: 409,
    code: 'general.conflict',
    message: `the group ${made.name} is no longer at version 1: read it again and retry`,
    details: [{ errorCode: 'general.conflict', fieldName: 'version', entityId: made.id, entityName: made.name }],
  });
  assertErrorBody(await send(admin, 'POST', `/api/v2/groups/${made.id}/members`, { memberIds: [people.nick.id], version: 1 }), {
    status: 409,
    code: 'general.conflict',
    message: `the group ${made.name} is no longer at version 1: read it again and retry`,
    details: [{ errorCode: 'general.conflict', fieldName: 'version', entityId: made.id, entityName: made.name }],
  });
  assert.deepEqual(await group(made.id), before, 'a stale write changed nothing');
  const tooMany = Array.from({ length: 51 }, () => randomUUID());
  assertErrorBody(
    await send(admin, 'POST', `/api/v2/groups/${made.id}/members`, { memberIds: tooMany }),
    bodyValue('memberIds', 'memberIds must NOT have more than 50 items'),
  );
  assertErrorBody(
    await send(admin, 'DELETE', `/api/v2/groups/${made.id}/members?ids=${tooMany.join(',')}`),
    queryValue('ids', 'must NOT have more than 50 items'),
  );
  assertErrorBody(await send(admin, 'DELETE', `/api/v2/groups/${made.id}/members`), queryValue('ids', "must have required property 'ids'"));
  // Another organization's user is refused exactly as an unknown one, and nothing is added.
  const unknown = randomUUID();
  assertErrorBody(
    await send(admin, 'POST', `/api/v2/groups/${made.id}/members`, { memberIds: [people.nick.id, kenny.id, unknown] }),
    bodyValue('memberIds', `no user ${[kenny.id, unknown].sort().join(', ')} in organization Vandelay`),
  );
  assert.deepEqual(await group(made.id), before);
  assert.equal((await send(admin, 'DELETE', `/api/v2/groups/${made.id}`)).statusCode, 200);
});

test("another organization's group is 404, as an unknown one, for every operation", async () => {
  const kramerica = await t.token(groupClients.kramerica);
  const paths = [
    ['GET', `/api/v2/groups/${NIGHT_SHIFT}`],
    ['PUT', `/api/v2/groups/${NIGHT_SHIFT}`, { version: 1, name: 'mine now' }],
    ['DELETE', `/api/v2/groups/${NIGHT_SHIFT}`],
    ['GET', `/api/v2/groups/${NIGHT_SHIFT}/members`],
    ['POST', `/api/v2/groups/${NIGHT_SHIFT}/members`, { memberIds: [kenny.id] }],
    ['DELETE', `/api/v2/groups/${NIGHT_SHIFT}/members?ids=${people.mary.id}`],
  ] as const;
  for (const [method, url, body] of paths) assertErrorBody(await send(kramerica, method, url, body), noGroup(NIGHT_SHIFT), `${method} ${url}`);
  const unknown = randomUUID();
  assertErrorBody(await send(admin, 'GET', `/api/v2/groups/${unknown}`), noGroup(unknown));
  assert.deepEqual(
    (await send(kramerica, 'GET', '/api/v2/groups')).json().entities.map((g: { id: string }) => g.id),
    [KRAMERICA_CREW],
  );
  assert.deepEqual((await group(NIGHT_SHIFT)).name, 'Night shift');
  assert.deepEqual((await send(admin, 'GET', `/api/v2/groups/${NIGHT_SHIFT}/members`)).json().total, 1);
});

test('visibility: members and owners groups are seen only by them and by administrators; others get 404 and do not see them listed', async () => {
  const owners = await create(admin, { name: 'Owners only', visibility: 'owners', ownerIds: [people.oscar.id] });
  const members = await create(admin, { name: 'Members only', visibility: 'members' });
  assert.equal((await send(admin, 'POST', `/api/v2/groups/${members.id}/members`, { memberIds: [people.mary.id] })).statusCode, 202);
  const as = async (person: { email: string; password: string }) => t.token(groupClients.app, person);
  const [oscar, mary, nick, gwen] = await Promise.all([as(people.oscar), as(people.mary), as(people.nick), as(people.gwen)]);
  const seen = async (token: string) => (await send(token, 'GET', '/api/v2/groups')).json().entities.map((g: { name: string }) => g.name);
  assert.deepEqual(await seen(nick), ['Night shift']);
  assert.deepEqual(await seen(oscar), ['Night shift', 'Owners only']);
  assert.deepEqual(await seen(mary), ['Members only', 'Night shift']);
  assert.deepEqual(await seen(gwen), ['Members only', 'Night shift', 'Owners only']);
  assertErrorBody(await send(nick, 'GET', `/api/v2/groups/${owners.id}`), noGroup(owners.id));
  assertErrorBody(await send(nick, 'GET', `/api/v2/groups/${members.id}/members`), noGroup(members.id));
  assertErrorBody(await send(mary, 'GET', `/api/v2/groups/${owners.id}`), noGroup(owners.id));
  assert.equal((await send(oscar, 'GET', `/api/v2/groups/${owners.id}`)).statusCode, 200);
  assert.equal((await send(mary, 'GET', `/api/v2/groups/${members.id}/members`)).statusCode, 200);
  const search = async (token: string) =>
    (await send(token, 'POST', '/api/v2/groups/search', { query: [{ type: 'MATCH_ALL' }] })).json().results.map((g: { name: string }) => g.name);
  assert.deepEqual(await search(nick), ['Night shift']);
  assert.deepEqual(await search(mary), ['Members only', 'Night shift']);
  for (const made of [owners, members]) assert.equal((await send(admin, 'DELETE', `/api/v2/groups/${made.id}`)).statusCode, 200);
});

test('members are changed by an administrator of groups or an owner (ours), never by a person choosing their own idle timeout', async () => {
  const owned = await create(admin, { name: 'Owned', ownerIds: [people.oscar.id] });
  const nick = await t.token(groupClients.app, people.nick);
  const forbidden = (what: { id: string; name: string }): ExpectedErrorBody => ({
    status: 403,
    code: 'missing.permissions',
    message: 'Unable to perform the requested action. You are missing the following permission(s): directory:group:edit',
    messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
    messageParams: { permissions: 'directory:group:edit' },
    details: [{ errorCode: 'missing.permissions', fieldName: 'memberIds', entityId: what.id, entityName: what.name }],
  });
  assertErrorBody(
    await send(nick, 'POST', `/api/v2/groups/${NIGHT_SHIFT}/members`, { memberIds: [people.nick.id] }),
    forbidden({ id: NIGHT_SHIFT, name: 'Night shift' }),
  );
  assertErrorBody(
    await send(nick, 'DELETE', `/api/v2/groups/${NIGHT_SHIFT}/members?ids=${people.mary.id}`),
    forbidden({ id: NIGHT_SHIFT, name: 'Night shift' }),
  );
  const bare = await t.token(groupClients.bare);
  assertErrorBody(await send(bare, 'POST', `/api/v2/groups/${owned.id}/members`, { memberIds: [people.nick.id] }), forbidden(owned));
  assert.equal((await group(NIGHT_SHIFT)).memberCount, 1, 'nothing changed');

  const oscar = await t.token(groupClients.app, people.oscar);
  assert.equal((await send(oscar, 'POST', `/api/v2/groups/${owned.id}/members`, { memberIds: [people.nick.id, people.zoe.id], version: 1 })).statusCode, 202);
  assert.deepEqual((await send(oscar, 'DELETE', `/api/v2/groups/${owned.id}/members?ids=${people.zoe.id}`)).json(), {});
  assert.deepEqual([(await group(owned.id)).memberCount, (await group(owned.id)).version], [1, 3]);
  // The owner of one group is no one else's: Night shift stays out of reach.
  assertErrorBody(
    await send(oscar, 'POST', `/api/v2/groups/${NIGHT_SHIFT}/members`, { memberIds: [people.oscar.id] }),
    forbidden({ id: NIGHT_SHIFT, name: 'Night shift' }),
  );
  assert.equal((await send(admin, 'DELETE', `/api/v2/groups/${owned.id}`)).statusCode, 200);
});

test("a membership change moves the member's idle deadline from their very next request; a group named by the timeout is not deleted", async () => {
  const nick = await t.token(groupClients.app, people.nick);
  const idlesIn = async () => {
    const me = await send(nick, 'GET', '/api/v2/tokens/me');
    assert.equal(me.statusCode, 200, me.body);
    return (Date.parse(me.json().dateTokenIdles) - t.clock.now()) / 1000;
  };
  assert.equal(await idlesIn(), 3600, "the organization's timeout");
  assert.equal((await send(admin, 'POST', `/api/v2/groups/${NIGHT_SHIFT}/members`, { memberIds: [people.nick.id] })).statusCode, 202);
  assert.equal(await idlesIn(), 600, "Night shift's bundle, at once");
  assert.equal((await send(admin, 'DELETE', `/api/v2/groups/${NIGHT_SHIFT}/members?ids=${people.nick.id}`)).statusCode, 202);
  assert.equal(await idlesIn(), 3600);

  const before = await group(NIGHT_SHIFT);
  assertErrorBody(await send(admin, 'DELETE', `/api/v2/groups/${NIGHT_SHIFT}`), {
    status: 409,
    code: 'general.conflict',
    message: 'the group Night shift is named by the idle token timeout of Vandelay (inactivityTimeoutGroupBundles): change the timeout first',
    details: [{ errorCode: 'general.conflict', fieldName: 'inactivityTimeoutGroupBundles', entityId: NIGHT_SHIFT, entityName: 'Night shift' }],
  });
  assert.deepEqual(await group(NIGHT_SHIFT), before);
});

test('search: criteria, operators, nesting and sorting; what tokend does not understand is 400 naming the criterion', async () => {
  const made = await Promise.all([
    create(admin, { name: 'Support east', description: 'phones in the east' }),
    create(admin, { name: 'Support west', description: 'phones in the west', type: 'social' }),
    create(admin, { name: 'Sales', description: 'not support' }),
  ]);
  const search = async (body: Record<string, unknown>) => {
    const response = await send(admin, 'POST', '/api/v2/groups/search', body);
    assert.equal(response.statusCode, 200, response.body);
    return response.json().results.map((g: { name: string }) => g.name);
  };
  assert.deepEqual(await search({ query: [{ type: 'STARTS_WITH', fields: ['name'], value: 'support' }] }), ['Support east', 'Support west']);
  assert.deepEqual(await search({ query: [{ type: 'TERM', fields: ['description'], value: 'SUPPORT' }] }), ['Sales']);
  assert.deepEqual(await search({ query: [{ type: 'TERMS', fields: ['description'], values: ['west', 'not'] }] }), ['Sales', 'Support west']);
  assert.deepEqual(await search({ query: [{ type: 'EXACT', fields: ['type'], value: 'social' }] }), ['Support west']);
  assert.deepEqual(
    await search({
      query: [
        { type: 'CONTAINS', fields: ['name'], value: 's' },
        { type: 'EXACT', fields: ['name'], value: 'night shift', operator: 'NOT' },
        {
          type: 'MATCH_ALL',
          group: [
            { type: 'CONTAINS', fields: ['description'], value: 'east', operator: 'OR' },
            { type: 'EXACT', fields: ['name'], value: 'Sales', operator: 'OR' },
          ],
        },
      ],
      sort: [{ sortBy: 'name', sortOrder: 'DESC' }],
    }),
    ['Support east', 'Sales'],
  );
  assert.deepEqual(await search({ query: [{ type: 'REQUIRED_FIELDS', fields: ['description'] }], sortBy: 'description', sortOrder: 'descending' }), [
    'Support west',
    'Support east',
    'Sales',
  ]);
  const refused = async (body: Record<string, unknown>, field: string, message: string) =>
    assertErrorBody(await send(admin, 'POST', '/api/v2/groups/search', body), bodyValue(field, `${field}: ${message}`), field);
  await refused(
    { query: [{ type: 'REGEX', fields: ['name'], value: 'x' }] },
    'query[0].type',
    'tokend searches groups by EXACT, STARTS_WITH, CONTAINS, TERM, TERMS, MATCH_ALL, REQUIRED_FIELDS, not REGEX',
  );
  await refused(
    { query: [{ type: 'EXACT', fields: ['colour'], value: 'x' }] },
    'query[0].fields[0]',
    'groups are searched by id, name, description, state, type, visibility, email, not colour',
  );
  await refused({ query: [{ type: 'EXACT', fields: ['name'] }] }, 'query[0].value', 'a EXACT criterion needs a value or values');
  await refused({ query: [{ type: 'CONTAINS', value: 'x' }] }, 'query[0].fields', 'a CONTAINS criterion names at least one field');
  await refused(
    { query: [{ type: 'MATCH_ALL', group: [{ type: 'EXACT', fields: ['name'], value: 'x', operator: 'XOR' }] }] },
    'query[0].group[0].operator',
    'must be one of AND, OR, NOT',
  );
  await refused({ sortBy: 'colour' }, 'sortBy', 'groups sort by id, name, description, state, type, visibility, email, dateModified, not colour');
  await refused({ sort: [{ sortOrder: 'sideways' }] }, 'sort[0].sortOrder', 'must be ascending, descending, ASC or DESC');
  assertErrorBody(await send(admin, 'POST', '/api/v2/groups/search', { pageSize: 501 }), bodyValue('pageSize', 'pageSize must be <= 500'));

  const paged = (await send(admin, 'POST', '/api/v2/groups/search', { pageSize: 2, pageNumber: 2, query: [{ type: 'MATCH_ALL' }] })).json();
  assert.deepEqual([paged.total, paged.pageCount, paged.pageNumber, paged.results.length, paged.nextPage], [4, 2, 2, 2, undefined]);
  const previous = await send(admin, 'GET', paged.previousPage);
  assert.deepEqual(
    previous.json().results.map((g: { name: string }) => g.name),
    ['Night shift', 'Sales'],
  );
  assertErrorBody(await send(admin, 'GET', '/api/v2/groups/search?q64=bm9wZQ'), queryValue('q64', 'not base64 of a JSON GroupSearchRequest'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/groups/search?q64=e30&expand=groups'), queryValue('expand', 'a group search expands nothing'));
  for (const g of made) assert.equal((await send(admin, 'DELETE', `/api/v2/groups/${g.id}`)).statusCode, 200);
});
