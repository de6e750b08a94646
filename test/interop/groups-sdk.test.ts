/**
 * The groups API and the password policy through the official Genesys JavaScript SDK,
 * unchanged (`GroupsApi`, `OrganizationApi`), against a listening tokend: SQLite, or PostgreSQL
 * under TOKEND_TEST_DATABASE=postgres. Every operation, what it answers, and the refusals an SDK
 * caller sees (permission, scope, version, another organization's group).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';
import { GROUPS_SEED, groupClients, KRAMERICA_CREW, NIGHT_SHIFT, people } from '../helpers/groups-fixture.js';

let t: TestApp;
let port: number;
before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never, seedFile: GROUPS_SEED });
  port = await listenForSdk(t);
});
after(() => t.close());

async function asService(client: { id: string; secret: string }) {
  const sdk = sdkClientFor(port);
  await sdk.loginClientCredentialsGrant(client.id, client.secret);
  return sdk;
}

async function asPerson(app: { id: string; secret: string }, person: { email: string; password: string }) {
  const sdk = sdkClientFor(port);
  sdk.setAccessToken(await t.token(app, person));
  return sdk;
}

test('GroupsApi: postGroups, getGroup, putGroup (version), getGroups paged, members, search, deleteGroup', async () => {
  const groups = new platformClient.GroupsApi(await asService(groupClients.admin));

  const created = await groups.postGroups({
    name: 'SDK crew',
    type: 'official',
    visibility: 'public',
    rulesVisible: true,
    description: 'made by the SDK',
    ownerIds: [people.oscar.id],
    addresses: [{ address: '+13175550100', type: 'GROUPRING', mediaType: 'PHONE' }],
  });
  assert.ok(created.id);
  assert.equal(created.version, 1);
  assert.equal(created.memberCount, 0);
  assert.equal(created.state, 'active');
  assert.equal(created.selfUri, `/api/v2/groups/${created.id}`);
  assert.deepEqual(created.owners, [{ id: people.oscar.id, selfUri: `/api/v2/users/${people.oscar.id}` }]);
  assert.deepEqual(created.addresses, [{ address: '+13175550100', type: 'GROUPRING', mediaType: 'PHONE' }]);
  assert.equal(created.rolesEnabled, true);
  assert.equal(created.callsEnabled, true);
  assert.ok(created.dateModified && !Number.isNaN(Date.parse(created.dateModified)));
  const id = created.id;

  assert.deepEqual(await groups.getGroup(id), created);

  const updated = await groups.putGroup(id, { body: { version: 1, name: 'SDK crew renamed', visibility: 'members' } });
  assert.equal(updated.version, 2);
  assert.equal(updated.name, 'SDK crew renamed');
  assert.equal(updated.visibility, 'members');
  assert.equal(updated.description, 'made by the SDK', 'a field left out stays');
  assert.equal(updated.type, 'official');
  await assert.rejects(groups.putGroup(id, { body: { version: 1, name: 'stale' } }), refusedWith(409, 'general.conflict', /no longer at version 1/));
  assert.equal((await groups.getGroup(id)).name, 'SDK crew renamed', 'a stale write changed nothing');

  // Members: added at the group's version, listed by name, removed by a comma-separated list.
  assert.deepEqual(await groups.postGroupMembers(id, { memberIds: [people.zoe.id, people.adam.id, people.nick.id], version: 2 }), {});
  await assert.rejects(groups.postGroupMembers(id, { memberIds: [people.gwen.id], version: 2 }), refusedWith(409, 'general.conflict'));
  const withMembers = await groups.getGroup(id);
  assert.deepEqual([withMembers.version, withMembers.memberCount], [3, 3]);
  const members = await groups.getGroupMembers(id, { pageSize: 2, sortOrder: 'ASC', expand: ['routingStatus', 'groups'] });
  assert.deepEqual(
    members.entities?.map((user) => user.name),
    ['adam Able', 'Nick Nobody'],
  );
  assert.deepEqual([members.total, members.pageCount, members.pageSize, members.pageNumber], [3, 2, 2, 1]);
  const adam = members.entities?.[0];
  assert.equal(adam?.email, people.adam.email);
  assert.equal(adam?.username, people.adam.email);
  assert.equal(adam?.state, 'active');
  assert.equal(adam?.selfUri, `/api/v2/users/${people.adam.id}`);
  const descending = await groups.getGroupMembers(id, { sortOrder: 'descending' });
  assert.deepEqual(
    descending.entities?.map((user) => user.name),
    ['Zoe Zed', 'Nick Nobody', 'adam Able'],
  );
  assert.deepEqual(await groups.deleteGroupMembers(id, `${people.zoe.id},${people.nick.id}`), {});
  assert.deepEqual(
    (await groups.getGroupMembers(id)).entities?.map((user) => user.id),
    [people.adam.id],
  );

  const page = await groups.getGroups({ pageSize: 1, pageNumber: 2, sortOrder: 'DESC' });
  assert.deepEqual([page.total, page.pageCount, page.pageNumber, page.entities?.[0]?.id], [2, 2, 2, NIGHT_SHIFT]);
  const byId = await groups.getGroups({ id: [NIGHT_SHIFT, KRAMERICA_CREW] });
  assert.deepEqual(
    byId.entities?.map((group) => [group.id, group.memberCount]),
    [[NIGHT_SHIFT, 1]],
    "another organization's group is not listed",
  );

  const search = await groups.postGroupsSearch({
    pageSize: 1,
    query: [
      { type: 'CONTAINS', fields: ['name', 'description'], value: 'SHIFT', operator: 'OR' },
      { type: 'EXACT', fields: ['id'], value: id, operator: 'OR' },
    ],
  });
  assert.deepEqual([search.total, search.pageCount, search.types], [2, 2, ['groups']]);
  assert.equal(search.results[0]?.id, NIGHT_SHIFT, 'by name: Night shift before SDK crew renamed');
  assert.ok(search.nextPage);
  const q64 = new URL(search.nextPage, 'http://x').searchParams.get('q64') ?? '';
  const next = await groups.getGroupsSearch(q64);
  assert.deepEqual([next.pageNumber, next.results[0]?.id, next.nextPage], [2, id, undefined]);

  await assert.rejects(groups.deleteGroup(NIGHT_SHIFT), refusedWith(409, 'general.conflict', /named by the idle token timeout/));
  await groups.deleteGroup(id);
  await assert.rejects(groups.getGroup(id), refusedWith(404, 'not.found'));
});

test('GroupsApi refusals as the SDK sees them: permission, scope, member changes, another organization', async () => {
  const bare = new platformClient.GroupsApi(await asService(groupClients.bare));
  await assert.rejects(
    bare.postGroups({ name: 'x', type: 'official', visibility: 'public', rulesVisible: true }),
    refusedWith(403, 'missing.any.permissions', /directory:group:add/),
  );
  // No permission is needed to read a public group, nor to list; but changing its members needs one.
  assert.equal((await bare.getGroup(NIGHT_SHIFT)).name, 'Night shift');
  await assert.rejects(bare.postGroupMembers(NIGHT_SHIFT, { memberIds: [people.nick.id] }), refusedWith(403, 'missing.permissions', /directory:group:edit/));

  const readonly = new platformClient.GroupsApi(await asPerson(groupClients.readonlyApp, people.gwen));
  assert.equal((await readonly.getGroups()).total, 1);
  await assert.rejects(bare.getGroup(KRAMERICA_CREW), refusedWith(404, 'not.found'));
  await assert.rejects(readonly.deleteGroupMembers(NIGHT_SHIFT, people.mary.id), refusedWith(403, 'app.not.authorized.for.scope', /groups$/));

  const kramerica = new platformClient.GroupsApi(await asService(groupClients.kramerica));
  await assert.rejects(kramerica.getGroup(NIGHT_SHIFT), refusedWith(404, 'not.found'));
  await assert.rejects(kramerica.putGroup(NIGHT_SHIFT, { body: { version: 1, name: 'taken over' } }), refusedWith(404, 'not.found'));
  await assert.rejects(kramerica.deleteGroup(NIGHT_SHIFT), refusedWith(404, 'not.found'));
  await assert.rejects(kramerica.postGroupMembers(KRAMERICA_CREW, { memberIds: [people.nick.id] }), refusedWith(400, 'invalid.value', /no user/));
});

test('OrganizationApi: the authentication settings, defaults then PATCHed as Terraform sends them; the policy refuses a short password', async () => {
  const organization = new platformClient.OrganizationApi(await asService(groupClients.admin));
  const defaults = await organization.getOrganizationsAuthenticationSettings();
  assert.deepEqual(defaults, {
    multifactorAuthenticationRequired: false,
    domainAllowlistEnabled: false,
    domainAllowlist: [],
    ipAddressAllowlist: [],
    passwordRequirements: {
      minimumLength: 8,
      minimumDigits: 0,
      minimumLetters: 0,
      minimumUpper: 0,
      minimumLower: 0,
      minimumSpecials: 0,
      minimumAgeSeconds: 0,
      expirationDays: 0,
    },
    inactivityTimeoutExclusions: [],
    universalLogout: false,
  });
  const terraform = {
    multifactorAuthenticationRequired: false,
    domainAllowlistEnabled: true,
    domainAllowlist: ['example.com', 'genesys.com'],
    ipAddressAllowlist: [],
    passwordRequirements: {
      minimumLength: 10,
      minimumDigits: 1,
      minimumLetters: 0,
      minimumUpper: 1,
      minimumLower: 1,
      minimumSpecials: 1,
      minimumAgeSeconds: 0,
      expirationDays: 0,
    },
  };
  const patched = await organization.patchOrganizationsAuthenticationSettings(terraform);
  assert.deepEqual(patched, { ...defaults, ...terraform });
  assert.deepEqual(await organization.getOrganizationsAuthenticationSettings(), patched);
  const lengthOnly = await organization.patchOrganizationsAuthenticationSettings({ passwordRequirements: { minimumLength: 12 } });
  assert.deepEqual(lengthOnly.passwordRequirements, { ...terraform.passwordRequirements, minimumLength: 12 }, 'the other rules stay');

  const bare = new platformClient.OrganizationApi(await asService(groupClients.bare));
  await assert.rejects(bare.getOrganizationsAuthenticationSettings(), refusedWith(403, 'missing.any.permissions', /directory:organization:admin/));
  const readonly = new platformClient.OrganizationApi(await asPerson(groupClients.readonlyApp, people.gwen));
  assert.equal((await readonly.getOrganizationsAuthenticationSettings()).passwordRequirements?.minimumLength, 12);
  await assert.rejects(
    readonly.patchOrganizationsAuthenticationSettings({ universalLogout: true }),
    refusedWith(403, 'app.not.authorized.for.scope', /organization$/),
  );
});
