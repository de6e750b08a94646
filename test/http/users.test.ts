/**
 * The users API over raw HTTP (CONTRACT.md, "The directory and authorization planes"): exact
 * ErrorBodies for paging, query values, bodies, stale versions and the rules core decides (a
 * caller changes only a person whose every role it holds, another organization's person is 404,
 * a deleted person is gone but restorable); every refusal changes nothing; and what a change
 * ends (tokens, sessions) ends from the very next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { assertErrorBody, errorBodies, type ExpectedErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { art, LATEX, PENDANT, people, roles, USERS_SEED, userClients } from '../helpers/users-fixture.js';

let t: TestApp;
let admin: string;
let home: string;
before(async () => {
  t = await startTestApp({ seedFile: USERS_SEED });
  admin = await t.token(userClients.admin);
  home = (await t.app.tokend.store.findOrganization(PENDANT))?.homeDivisionId ?? '';
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
const noUser = (id: string): ExpectedErrorBody => ({ status: 404, code: 'not.found', message: `no user with the id ${id}`, entityId: id });
const missing = (permissions: string, details: ExpectedErrorBody['details']): ExpectedErrorBody => ({
  status: 403,
  code: 'missing.permissions',
  message: `Unable to perform the requested action. You are missing the following permission(s): ${permissions}`,
  messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
  messageParams: { permissions },
  details,
});
const conflict = (message: string, fieldName: string, entityId?: string, entityName?: string): ExpectedErrorBody => ({
  status: 409,
  code: 'general.conflict',
  message,
  details: [{ errorCode: 'general.conflict', fieldName, ...(entityId ? { entityId } : {}), ...(entityName ? { entityName } : {}) }],
});

async function create(fields: Record<string, unknown> = {}): Promise<{ id: string; version: number; name: string; email: string }> {
  const n = Math.random().toString(36).slice(2, 8);
  const response = await send(admin, 'POST', '/api/v2/users', { name: `Made ${n}`, email: `made-${n}@pendant.test`, divisionId: home, ...fields });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}
const names = async (query: string, token = admin) =>
  (await send(token, 'GET', `/api/v2/users${query}`)).json().entities.map((user: { name: string }) => user.name);

test('listing: by name in any case, state filter, paging 1-500, sortOrder spellings, ids comma-joined or repeated, pageCount, another organization never', async () => {
  assertErrorBody(await send(admin, 'GET', '/api/v2/users?pageSize=0'), queryValue('pageSize', 'must be >= 1'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/users?pageSize=501'), queryValue('pageSize', 'must be <= 500'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/users?sortOrder=sideways'), queryValue('sortOrder', 'must be equal to one of the allowed values'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/users?state=gone'), queryValue('state', 'must be equal to one of the allowed values'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/users?id=a&jabberId=b'), queryValue('jabberId', 'cannot be used with id'));
  assertErrorBody(await send(admin, 'GET', '/api/v2/users?expand=presence,token'), {
    ...queryValue('expand', ''),
    message: 'Invalid value for parameter expand: "token" is not an expand of getUsers.',
  });

  const active = ['nora Nobody', 'Paula People', 'Tom Tokens', 'Vic Viewer'];
  for (const spelling of ['', '?sortOrder=asc', '?sortOrder=ASC', '?sortOrder=Ascending', '?state=active'])
    assert.deepEqual(await names(spelling), active, spelling);
  for (const spelling of ['?sortOrder=DESC', '?sortOrder=desc']) assert.deepEqual(await names(spelling), [...active].reverse(), spelling);
  assert.deepEqual(await names('?state=inactive'), ['Ivy Inactive']);
  assert.deepEqual(await names('?state=any'), ['Ivy Inactive', 'nora Nobody', 'Paula People', 'Tom Tokens', 'Vic Viewer']);
  assert.deepEqual(await names('?state=deleted'), []);
  assert.deepEqual(await names(`?id=${art.id}`), [], "another organization's person is never listed");
  assert.deepEqual(await names('?jabberId=someone'), [], 'tokend keeps no jabber ids');

  const joined = (await send(admin, 'GET', `/api/v2/users?id=${people.vic.id},${people.tom.id}&pageSize=1&pageNumber=2`)).json();
  const repeated = (await send(admin, 'GET', `/api/v2/users?id=${people.vic.id}&id=${people.tom.id}&pageSize=1&pageNumber=2`)).json();
  assert.deepEqual(joined, repeated);
  assert.deepEqual([joined.total, joined.pageCount, joined.pageNumber, joined.entities.length, joined.entities[0].name], [2, 2, 2, 1, 'Vic Viewer']);
  assert.equal(joined.previousUri, `/api/v2/users?pageSize=1&pageNumber=1&id=${people.vic.id}&id=${people.tom.id}`);
  const page = (await send(admin, 'GET', '/api/v2/users?pageSize=3')).json();
  assert.deepEqual([page.total, page.pageCount, page.pageSize, page.nextUri], [4, 2, 3, '/api/v2/users?pageSize=3&pageNumber=2']);
  assert.deepEqual(page.entities[0], {
    id: people.nora.id,
    name: 'nora Nobody',
    division: { id: home, name: 'Home', selfUri: `/api/v2/authorization/divisions/${home}` },
    email: people.nora.email,
    state: 'active',
    username: people.nora.email,
    version: 1,
    selfUri: `/api/v2/users/${people.nora.id}`,
  });
  // A users:readonly token reads; a token of another organization sees its own people only.
  assert.deepEqual(await names('', await t.token(userClients.readonlyApp, people.nora)), active);
  assert.deepEqual(await names('', await t.token(userClients.vandal)), ['Art Vandal']);
});

test('expands: the identity plane for real, other domains fixed; authorization of another person needs authorization:grant:view', async () => {
  const vicToken = await t.token(userClients.readonlyApp, people.vic);
  const shown = (
    await send(admin, 'GET', `/api/v2/users/${people.vic.id}?expand=authorization,groups,presence,routingStatus,lasttokenissued,dateLastLogin,skills,station`)
  ).json();
  assert.deepEqual(shown.authorization, {
    roles: [{ id: roles.viewer.id, name: 'Viewer' }],
    permissions: ['directory:user:view'],
    permissionPolicies: [{ domain: 'directory', entityName: 'user', actionSet: ['view'] }],
  });
  assert.deepEqual(shown.groups, [{ id: LATEX, name: 'Latex', selfUri: `/api/v2/groups/${LATEX}` }]);
  assert.deepEqual(shown.presence, { source: 'PURECLOUD', primary: true, presenceDefinition: { systemPresence: 'Offline' } });
  assert.deepEqual(shown.routingStatus, { userId: people.vic.id, status: 'OFF_QUEUE' });
  const now = new Date(t.clock.now()).toISOString();
  assert.deepEqual([shown.lastTokenIssued, shown.dateLastLogin], [{ dateIssued: now }, now], 'the password grant just made');
  assert.deepEqual([shown.skills, shown.station], [[], {}]);
  const never = (await send(admin, 'GET', `/api/v2/users/${people.ivy.id}?expand=lasttokenissued,dateLastLogin`)).json();
  assert.deepEqual([never.lastTokenIssued, never.dateLastLogin], [{}, undefined], 'no trace of a sign-in: none shown');

  // Vic (no authorization:grant:view) sees his own authorization, not another person's.
  assert.equal((await send(vicToken, 'GET', `/api/v2/users/${people.vic.id}?expand=authorization`)).statusCode, 200);
  const refused = missing('authorization:grant:view', [{ errorCode: 'missing.permissions', fieldName: 'expand' }]);
  assertErrorBody(await send(vicToken, 'GET', `/api/v2/users/${people.nora.id}?expand=authorization`), refused);
  assertErrorBody(await send(vicToken, 'GET', '/api/v2/users?expand=authorization.unusedRoles'), refused);
  assertErrorBody(await send(admin, 'GET', `/api/v2/users/${people.vic.id}?expand=organization`), {
    ...queryValue('expand', ''),
    message: 'Invalid value for parameter expand: "organization" is not an expand of getUser.',
  });
});

test('create: the policy judges the password (400 naming the rule), a taken email is 409, the division must be home; the new person signs in', async () => {
  const base = { name: 'Nina New', email: 'nina@pendant.test', divisionId: home };
  assertErrorBody(await send(admin, 'POST', '/api/v2/users', { ...base, password: 'short' }), {
    status: 400,
    code: 'invalid.value',
    message: 'The password must have at least 8 characters (passwordRequirements.minimumLength).',
    messageWithParams: 'The password must have at least {minimum} {what} (passwordRequirements.{rule}).',
    messageParams: { minimum: '8', what: 'characters', rule: 'minimumLength' },
    details: [{ errorCode: 'invalid.value', fieldName: 'password' }],
  });
  assertErrorBody(
    await send(admin, 'POST', '/api/v2/users', { ...base, email: 'VIC@pendant.test' }),
    conflict('a user with the email VIC@pendant.test already exists in Pendant', 'email', people.vic.id, 'Vic Viewer'),
  );
  assertErrorBody(await send(admin, 'POST', '/api/v2/users', { ...base, divisionId: 'elsewhere' }), {
    status: 400,
    code: 'invalid.value',
    message: `no division with the id elsewhere in this organization (its home division is ${home})`,
    details: [{ errorCode: 'invalid.value', fieldName: 'divisionId' }],
  });
  assertErrorBody(await send(admin, 'POST', '/api/v2/users', { ...base, nickname: 'x' }), {
    status: 400,
    code: 'invalid.property',
    message: 'Unrecognized property: nickname',
    details: [{ errorCode: 'invalid.property', fieldName: 'nickname' }],
  });
  assert.deepEqual(await names('?state=any&id=nina'), [], 'nothing was created');

  const made = await send(admin, 'POST', '/api/v2/users', { ...base, password: 'nina-password', title: 'Tester', department: 'QA' });
  assert.equal(made.statusCode, 200, made.body);
  const nina = made.json();
  assert.deepEqual(
    [nina.name, nina.email, nina.state, nina.version, nina.title, nina.department],
    ['Nina New', 'nina@pendant.test', 'active', 1, 'Tester', 'QA'],
  );
  const token = await t.token(userClients.readonlyApp, { email: 'nina@pendant.test', password: 'nina-password' });
  assert.equal((await send(token, 'GET', '/api/v2/users/me')).json().id, nina.id);
  assertErrorBody(await send(await t.token(userClients.bare), 'POST', '/api/v2/users', base), errorBodies.missingAnyPermissions('directory:user:add'));
});

test('patch: at the version read (stale 409, nothing changed), a taken email 409, only a person whose every role the caller holds', async () => {
  const made = await create({ password: 'first-password' });
  const url = `/api/v2/users/${made.id}`;
  assertErrorBody(await send(admin, 'PATCH', url, { name: 'x' }), {
    status: 400,
    code: 'invalid.value',
    message: 'version is required',
    details: [{ errorCode: 'invalid.value', fieldName: 'version' }],
  });
  const renamed = await send(admin, 'PATCH', url, { version: 1, name: 'Renamed', title: 'Boss', chat: { jabberId: 'ignored' } });
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.deepEqual([renamed.json().name, renamed.json().version, renamed.json().title], ['Renamed', 2, 'Boss']);
  const before = (await send(admin, 'GET', url)).json();
  assertErrorBody(
    await send(admin, 'PATCH', url, { version: 1, name: 'Stale' }),
    conflict('the user Renamed is no longer at version 1: read it again and retry', 'version', made.id, 'Renamed'),
  );
  assertErrorBody(
    await send(admin, 'PATCH', url, { version: 2, email: 'Tom@Pendant.test' }),
    conflict('a user with the email Tom@Pendant.test already exists in Pendant', 'email', people.tom.id, 'Tom Tokens'),
  );
  assert.deepEqual((await send(admin, 'GET', url)).json(), before, 'refused writes changed nothing');

  // Tom holds Token admin, which the people admin does not: he is out of its reach.
  assertErrorBody(
    await send(admin, 'PATCH', `/api/v2/users/${people.tom.id}`, { version: 1, name: 'Taken over' }),
    missing('oauth:token:delete', [{ errorCode: 'missing.permissions', fieldName: 'roles', entityId: roles.tokenAdmin.id, entityName: 'Token admin' }]),
  );
  assertErrorBody(await send(admin, 'DELETE', `/api/v2/users/${people.tom.id}`), {
    ...missing('oauth:token:delete', [{ errorCode: 'missing.permissions', fieldName: 'roles', entityId: roles.tokenAdmin.id, entityName: 'Token admin' }]),
  });
  assertErrorBody(await send(admin, 'PATCH', `/api/v2/users/${art.id}`, { version: 1, name: 'x' }), noUser(art.id));

  // state inactive ends the person's tokens at once.
  const token = await t.token(userClients.readonlyApp, { email: made.email, password: 'first-password' });
  assert.equal((await send(admin, 'PATCH', url, { version: 2, state: 'inactive' })).json().state, 'inactive');
  assertErrorBody(await send(token, 'GET', '/api/v2/users/me'), errorBodies.badCredentials);
});

test("delete: the person's tokens end at once, they sign in nowhere, GET is 404 unless state=deleted, PATCH state active restores them", async () => {
  const made = await create({ password: 'doomed-password' });
  const token = await t.token(userClients.readonlyApp, { email: made.email, password: 'doomed-password' });
  const deleted = await send(admin, 'DELETE', `/api/v2/users/${made.id}`);
  assert.equal(deleted.statusCode, 200);
  assert.deepEqual(deleted.json(), {});
  assertErrorBody(await send(token, 'GET', '/api/v2/users/me'), errorBodies.badCredentials);
  await assert.rejects(t.token(userClients.readonlyApp, { email: made.email, password: 'doomed-password' }), /400/);
  assertErrorBody(await send(admin, 'GET', `/api/v2/users/${made.id}`), noUser(made.id));
  assertErrorBody(await send(admin, 'DELETE', `/api/v2/users/${made.id}`), noUser(made.id));
  const gone = (await send(admin, 'GET', `/api/v2/users/${made.id}?state=deleted`)).json();
  assert.deepEqual([gone.state, gone.version], ['deleted', 2]);
  assert.deepEqual(await names(`?state=deleted&id=${made.id}`), [made.name]);
  assertErrorBody(await send(admin, 'GET', `/api/v2/users/${people.vic.id}?state=deleted`), noUser(people.vic.id));
  assertErrorBody(
    await send(admin, 'POST', '/api/v2/users', { name: 'Again', email: made.email, divisionId: home }),
    conflict(`a user with the email ${made.email} already exists in Pendant`, 'email', made.id, made.name),
  );
  const restored = await send(admin, 'PATCH', `/api/v2/users/${made.id}`, { version: 2, state: 'active' });
  assert.deepEqual([restored.statusCode, restored.json().state], [200, 'active']);
  assertErrorBody(await send(token, 'GET', '/api/v2/users/me'), errorBodies.badCredentials, 'a restore brings no token back');
  assert.ok(await t.token(userClients.readonlyApp, { email: made.email, password: 'doomed-password' }));
});

test('roles: read and replaced; a caller gives only roles it holds, to a person whose every role it holds; the new permissions apply at once', async () => {
  const made = await create({ password: 'roles-password' });
  const url = `/api/v2/users/${made.id}/roles`;
  assert.deepEqual((await send(admin, 'GET', url)).json(), { roles: [], permissions: [], permissionPolicies: [] });
  const personToken = await t.token(userClients.readonlyApp, { email: made.email, password: 'roles-password' });
  assertErrorBody(await send(personToken, 'POST', '/api/v2/users/search', { query: [] }), errorBodies.scopeNotAuthorized('users'));
  const viewerToken = await t.token(userClients.app, { email: made.email, password: 'roles-password' });
  assertErrorBody(await send(viewerToken, 'POST', '/api/v2/users/search', {}), errorBodies.missingAnyPermissions('directory:user:view'));

  const given = await send(admin, 'PUT', url, [roles.viewer.id]);
  assert.deepEqual(given.json(), {
    roles: [{ id: roles.viewer.id, name: 'Viewer' }],
    permissions: ['directory:user:view'],
    permissionPolicies: [{ domain: 'directory', entityName: 'user', actionSet: ['view'] }],
  });
  assert.equal((await send(viewerToken, 'POST', '/api/v2/users/search', {})).statusCode, 200, 'the role applies from the next request');

  const tokenAdmin = missing('oauth:token:delete', [
    { errorCode: 'missing.permissions', fieldName: 'roles', entityId: roles.tokenAdmin.id, entityName: 'Token admin' },
  ]);
  assertErrorBody(await send(admin, 'PUT', url, [roles.viewer.id, roles.tokenAdmin.id]), tokenAdmin);
  assertErrorBody(await send(admin, 'PUT', `/api/v2/users/${people.tom.id}/roles`, []), tokenAdmin);
  assertErrorBody(await send(admin, 'PUT', url, [roles.vandal.id]), {
    status: 400,
    code: 'invalid.value',
    message: `no role ${roles.vandal.id} in organization Pendant`,
    details: [{ fieldName: 'roles' }],
  });
  assert.deepEqual((await send(admin, 'GET', url)).json().roles, [{ id: roles.viewer.id, name: 'Viewer' }], 'refusals changed nothing');
  // A scoped user token hands on only what its scopes reach: Paula (People admin) through the app
  // cannot give People admin (a wildcard role) to anyone.
  const paula = await t.token(userClients.app, people.paula);
  assertErrorBody(await send(paula, 'PUT', url, [roles.peopleAdmin.id]), {
    ...missing('authorization:grant:*, directory:user:*', [
      { errorCode: 'missing.permissions', fieldName: 'roles', entityId: roles.peopleAdmin.id, entityName: 'People admin' },
    ]),
  });
  assertErrorBody(await send(await t.token(userClients.vandal), 'GET', url), noUser(made.id));
});

test('passwords: an admin sets one the policy allows; a person changes theirs given the old one; sessions end, the new one signs in', async () => {
  const made = await create({ password: 'old-password' });
  assertErrorBody(await send(admin, 'POST', `/api/v2/users/${made.id}/password`, { newPassword: 'tiny' }), {
    status: 400,
    code: 'invalid.value',
    message: 'The password must have at least 8 characters (passwordRequirements.minimumLength).',
    messageWithParams: 'The password must have at least {minimum} {what} (passwordRequirements.{rule}).',
    messageParams: { minimum: '8', what: 'characters', rule: 'minimumLength' },
    details: [{ errorCode: 'invalid.value', fieldName: 'password' }],
  });
  const set = await send(admin, 'POST', `/api/v2/users/${made.id}/password`, { newPassword: 'admin-set-password' });
  assert.equal(set.statusCode, 204);
  assert.equal(set.body, '');
  const token = await t.token(userClients.app, { email: made.email, password: 'admin-set-password' });
  assertErrorBody(await send(token, 'POST', '/api/v2/users/me/password', { oldPassword: 'wrong-password', newPassword: 'mine-password' }), {
    status: 400,
    code: 'invalid.value',
    message: 'the old password is not the password of this user',
    details: [{ errorCode: 'invalid.value', fieldName: 'oldPassword' }],
  });
  assertErrorBody(await send(token, 'POST', '/api/v2/users/me/password', { oldPassword: 'admin-set-password', newPassword: 'short' }), {
    status: 400,
    code: 'invalid.value',
    message: 'The password must have at least 8 characters (passwordRequirements.minimumLength).',
    messageWithParams: 'The password must have at least {minimum} {what} (passwordRequirements.{rule}).',
    messageParams: { minimum: '8', what: 'characters', rule: 'minimumLength' },
    details: [{ errorCode: 'invalid.value', fieldName: 'newPassword' }],
  });
  assert.equal((await send(token, 'POST', '/api/v2/users/me/password', { oldPassword: 'admin-set-password', newPassword: 'mine-password' })).statusCode, 204);
  await assert.rejects(t.token(userClients.app, { email: made.email, password: 'admin-set-password' }), /400/);
  assert.ok(await t.token(userClients.app, { email: made.email, password: 'mine-password' }));
  assertErrorBody(
    await send(admin, 'POST', `/api/v2/users/${people.tom.id}/password`, { newPassword: 'takeover-password' }),
    missing('oauth:token:delete', [{ errorCode: 'missing.permissions', fieldName: 'roles', entityId: roles.tokenAdmin.id, entityName: 'Token admin' }]),
  );
  await assert.rejects(t.token(userClients.app, { email: people.tom.email, password: 'takeover-password' }), /400/);
});

test("a person's token is no faster way to guess their password: wrong old passwords are throttled as sign-ins are, the right one included past the cap", async () => {
  const made = await create({ password: 'guessed-password' });
  const token = await t.token(userClients.app, { email: made.email, password: 'guessed-password' });
  const change = (oldPassword: string) => send(token, 'POST', '/api/v2/users/me/password', { oldPassword, newPassword: 'changed-password' });
  // Five verdicts per person and address in 15 minutes (CONTRACT.md), in parallel as in turn.
  const guesses = await Promise.all(Array.from({ length: 8 }, (_, i) => change(`guess-${i}`)));
  assert.deepEqual(guesses.map((r) => r.statusCode).sort(), [400, 400, 400, 400, 400, 429, 429, 429]);
  const capped = await change('guessed-password');
  assert.equal(capped.statusCode, 429);
  assert.equal(capped.json().code, 'too.many.requests.retry.after');
  assert.match(capped.json().message, /^too many wrong old passwords; retry in \d+ seconds$/);
  assert.ok(Number(capped.headers['retry-after']) > 0);
  // Nothing changed: the old password still signs in, after the window.
  t.clock.advance(15 * 60_000);
  assert.ok(await t.token(userClients.app, { email: made.email, password: 'guessed-password' }));
  assert.equal((await change('guessed-password')).statusCode, 204);
});

test('search: EXACT, CONTAINS, STARTS_WITH, TERM on email, name, id, state; paged by q64; GET takes no expand', async () => {
  const search = async (body: unknown) => {
    const response = await send(admin, 'POST', '/api/v2/users/search', body);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  const found = async (query: unknown[]) => (await search({ query })).results.map((user: { name: string }) => user.name);
  assert.deepEqual(await found([{ type: 'EXACT', fields: ['email'], value: 'VIC@pendant.test' }]), ['Vic Viewer']);
  assert.deepEqual(await found([{ type: 'CONTAINS', fields: ['name'], value: 'oBo' }]), ['nora Nobody']);
  assert.deepEqual(await found([{ type: 'STARTS_WITH', fields: ['name', 'email'], value: 'to' }]), ['Tom Tokens']);
  assert.deepEqual(await found([{ type: 'TERM', fields: ['name'], value: 'viewer' }]), ['Vic Viewer']);
  assert.deepEqual(await found([{ type: 'EXACT', fields: ['id'], values: [people.tom.id, art.id] }]), ['Tom Tokens']);
  assert.deepEqual(
    await found([
      { type: 'EXACT', fields: ['state'], value: 'inactive' },
      { type: 'STARTS_WITH', fields: ['email'], value: 'ivy', operator: 'AND' },
    ]),
    ['Ivy Inactive'],
  );
  assertErrorBody(await send(admin, 'POST', '/api/v2/users/search', { query: [{ type: 'EXACT', fields: ['phone'], value: 'x' }] }), {
    status: 400,
    code: 'invalid.value',
    message: 'query[0].fields[0]: users are searched by id, name, email, state, not phone',
    details: [{ errorCode: 'invalid.value', fieldName: 'query[0].fields[0]' }],
  });

  const seeded = [people.nora.id, people.paula.id, people.tom.id, people.vic.id];
  const first = await search({ query: [{ type: 'EXACT', fields: ['id'], values: seeded }], pageSize: 2, expand: ['routingStatus'] });
  assert.deepEqual([first.total, first.pageCount, first.pageNumber, first.types], [4, 2, 1, ['users']]);
  assert.deepEqual(first.results[0].routingStatus, { userId: first.results[0].id, status: 'OFF_QUEUE' });
  const next = await send(admin, 'GET', first.nextPage);
  assert.equal(next.statusCode, 200, next.body);
  assert.deepEqual(
    next.json().results.map((user: { name: string; routingStatus: unknown }) => [user.name, Boolean(user.routingStatus)]),
    [
      ['Tom Tokens', true],
      ['Vic Viewer', true],
    ],
  );
  assertErrorBody(await send(admin, 'GET', `${first.nextPage}&expand=presence`), {
    ...queryValue('expand', ''),
    message: "Invalid value for parameter expand: getUsersSearch lists no expand values; the q64 carries the search's own.",
  });
  assertErrorBody(await send(admin, 'GET', '/api/v2/users/search?q64=%%%'), queryValue('q64', 'not base64 of a JSON UserSearchRequest'));
});
