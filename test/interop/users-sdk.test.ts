/**
 * The users API through the official Genesys JavaScript SDK, unchanged (`UsersApi`), against a
 * listening tokend: SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres. Every operation,
 * what it answers, and the refusals an SDK caller sees (permission, scope, version, another
 * organization's person, a person whose role the caller lacks); a person created through the API
 * signs in with the password grant.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';
import { art, PENDANT, people, roles, USERS_SEED, userClients } from '../helpers/users-fixture.js';

let t: TestApp;
let port: number;
let home: string;
before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never, seedFile: USERS_SEED });
  port = await listenForSdk(t);
  home = (await t.app.tokend.store.findOrganization(PENDANT))?.homeDivisionId ?? '';
});
after(() => t.close());

async function asService(client: { id: string; secret: string }) {
  const sdk = sdkClientFor(port);
  await sdk.loginClientCredentialsGrant(client.id, client.secret);
  return new platformClient.UsersApi(sdk);
}

async function asPerson(app: { id: string; secret: string }, person: { email: string; password: string }) {
  const sdk = sdkClientFor(port);
  sdk.setAccessToken(await t.token(app, person));
  return new platformClient.UsersApi(sdk);
}

test('UsersApi: postUsers, getUser, getUsers paged, patchUser (version), roles, passwords, search, deleteUser', async () => {
  const users = await asService(userClients.admin);

  const created = await users.postUsers({ name: 'Sam SDK', email: 'sam@pendant.test', password: 'sam-sdk-password', divisionId: home, title: 'Agent' });
  assert.ok(created.id);
  assert.deepEqual(
    [created.name, created.email, created.username, created.state, created.version, created.title],
    ['Sam SDK', 'sam@pendant.test', 'sam@pendant.test', 'active', 1, 'Agent'],
  );
  assert.deepEqual(created.division, { id: home, name: 'Home', selfUri: `/api/v2/authorization/divisions/${home}` });
  const id = created.id as string;
  // The person signs in with the password grant and reads themselves.
  const sam = await asPerson(userClients.app, { email: 'sam@pendant.test', password: 'sam-sdk-password' });
  assert.equal((await sam.getUsersMe()).id, id);

  assert.deepEqual(await users.getUser(id), created);
  const withExpands = await users.getUser(id, { expand: ['authorization', 'presence', 'routingStatus'] });
  assert.deepEqual(withExpands.authorization, { roles: [], permissions: [], permissionPolicies: [] });
  assert.equal(withExpands.presence?.presenceDefinition?.systemPresence, 'Offline');
  assert.equal(withExpands.routingStatus?.status, 'OFF_QUEUE');
  await assert.rejects(users.getUser(id, { expand: ['token'] }), refusedWith(400, 'invalid.query.param.value', /not an expand of getUser/));

  const listed = await users.getUsers({ pageSize: 2, pageNumber: 1, sortOrder: 'ASC' });
  assert.deepEqual([listed.total, listed.pageCount, listed.entities?.length], [5, 3, 2]);
  const some = await users.getUsers({ id: [people.vic.id, id, art.id], sortOrder: 'descending' });
  assert.deepEqual(
    some.entities?.map((user) => user.name),
    ['Vic Viewer', 'Sam SDK'],
  );
  await assert.rejects(users.getUsers({ pageSize: 501 }), refusedWith(400, 'invalid.query.param.value'));

  const updated = await users.patchUser(id, { version: 1, name: 'Sam Renamed', department: 'Support' });
  assert.deepEqual([updated.name, updated.version, updated.department, updated.title], ['Sam Renamed', 2, 'Support', 'Agent']);
  await assert.rejects(users.patchUser(id, { version: 1, name: 'stale' }), refusedWith(409, 'general.conflict', /no longer at version 1/));
  assert.equal((await users.getUser(id)).name, 'Sam Renamed', 'a stale write changed nothing');

  const granted = await users.putUserRoles(id, [roles.viewer.id]);
  assert.deepEqual(granted.roles, [{ id: roles.viewer.id, name: 'Viewer' }]);
  assert.deepEqual((await users.getUserRoles(id)).permissions, ['directory:user:view']);
  await assert.rejects(users.putUserRoles(id, [roles.tokenAdmin.id]), refusedWith(403, 'missing.permissions', /oauth:token:delete/));

  const found = await users.postUsersSearch({ query: [{ type: 'EXACT', fields: ['email'], value: 'SAM@pendant.test' }], expand: ['groups'] });
  assert.deepEqual([found.total, found.results?.[0]?.id, found.results?.[0]?.groups], [1, id, []]);
  const paged = await users.postUsersSearch({ query: [{ type: 'CONTAINS', fields: ['name'], value: 'e' }], pageSize: 1 });
  assert.ok(paged.nextPage);
  const q64 = new URL(paged.nextPage as string, 'http://x').searchParams.get('q64') as string;
  const second = await users.getUsersSearch(q64);
  assert.equal(second.pageNumber, 2);
  assert.notEqual(second.results?.[0]?.id, paged.results?.[0]?.id);

  await users.postUserPassword(id, { newPassword: 'admin-set-password' });
  const samAgain = await asPerson(userClients.app, { email: 'sam@pendant.test', password: 'admin-set-password' });
  await assert.rejects(
    samAgain.postUsersMePassword({ oldPassword: 'not-it-at-all', newPassword: 'sam-own-password' }),
    refusedWith(400, 'invalid.value', /old password/),
  );
  await samAgain.postUsersMePassword({ oldPassword: 'admin-set-password', newPassword: 'sam-own-password' });
  await t.token(userClients.app, { email: 'sam@pendant.test', password: 'sam-own-password' });

  await users.deleteUser(id);
  await assert.rejects(samAgain.getUsersMe(), refusedWith(401, 'bad.credentials'));
  await assert.rejects(users.getUser(id), refusedWith(404, 'not.found'));
  assert.equal((await users.getUser(id, { state: 'deleted' })).state, 'deleted');
});

test('UsersApi refusals: permission, scope, another organization, a person whose role the caller lacks', async () => {
  const bare = await asService(userClients.bare);
  await assert.rejects(
    bare.postUsers({ name: 'x', email: 'x@pendant.test', divisionId: home }),
    refusedWith(403, 'missing.any.permissions', /directory:user:add/),
  );
  await assert.rejects(bare.postUsersSearch({ query: [] }), refusedWith(403, 'missing.any.permissions', /directory:user:view/));
  await assert.rejects(bare.deleteUser(people.nora.id), refusedWith(403, 'missing.any.permissions', /directory:user:delete/));
  await assert.rejects(bare.getUserRoles(people.nora.id), refusedWith(403, 'missing.any.permissions', /authorization:grant:view/));
  assert.equal((await bare.getUser(people.nora.id)).name, 'nora Nobody', 'getUser asks no permission');

  const readonly = await asPerson(userClients.readonlyApp, people.paula);
  await assert.rejects(readonly.patchUser(people.nora.id, { version: 1, name: 'x' }), refusedWith(403, 'app.not.authorized.for.scope', /users/));
  assert.ok((await readonly.getUsers()).entities?.length);

  const admin = await asService(userClients.admin);
  await assert.rejects(admin.getUser(art.id), refusedWith(404, 'not.found'));
  await assert.rejects(admin.deleteUser(art.id), refusedWith(404, 'not.found'));
  await assert.rejects(admin.patchUser(people.tom.id, { version: 1, name: 'x' }), refusedWith(403, 'missing.permissions', /oauth:token:delete/));
  await assert.rejects(admin.postUserPassword(people.tom.id, { newPassword: 'takeover-password' }), refusedWith(403, 'missing.permissions'));
  // A caller holding every role of Tom may change him.
  const everything = await asService(userClients.everything);
  assert.equal((await everything.patchUser(people.tom.id, { version: 1, title: 'Keeper' })).title, 'Keeper');
});
