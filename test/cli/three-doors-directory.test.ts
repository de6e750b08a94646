/**
 * One admin core, three doors (issue 14), for roles and groups: there is no HTTP door for their
 * writes, so the seed file and the command line give the same role and the same group for the
 * same action, and refuse the same broken rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { applySeedText } from '../../src/core/seed/apply.js';
import type { Group, Role } from '../../src/core/models.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, SEED_FILE, users } from '../helpers/fixture.js';
import { cliHome } from './helpers.js';

let t: TestApp;
const cli = cliHome();
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t.close();
  cli.dispose();
});

const viaCli = (args: string[]) => cli.run([...args, '--database', t.database]);
const viaSeed = (organization: Record<string, unknown>) =>
  applySeedText(t.app.tokend.store, t.clock, JSON.stringify({ organizations: [{ id: ACME, name: 'Acme', ...organization }] }));
const roleNamed = async (name: string): Promise<Role | undefined> => (await t.app.tokend.store.listRoles(ACME)).find((r) => r.name === name);
const groupNamed = async (name: string): Promise<Group | undefined> => (await t.app.tokend.store.listGroups(ACME)).find((g) => g.name === name);
const membersOf = async (groupId: string) => (await t.app.tokend.store.listUsers(ACME)).filter((u) => u.groupIds.includes(groupId)).map((u) => u.id);

/** Dave as the fixture seeds him (no roles, no groups), so that a seed naming him changes only his groups. */
const dave = (() => {
  const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8')) as { organizations: Array<{ users: Array<{ email: string }> }> };
  return seed.organizations[0]?.users.find((u) => u.email === users.dave.email) as Record<string, unknown>;
})();

test('creating a role: the seed and `tokend roles create` store the same permissions in the same organization', async () => {
  const permissions = ['oauth:client:view', 'authorization:*:view', '*'];
  await viaSeed({ roles: [{ name: 'Seed auditor', permissions }] });
  const run = await viaCli(['roles', 'create', '--org', 'Acme', '--name', 'Cli auditor', '--permission', permissions.join(',')]);
  assert.equal(run.code, 0, run.stderr);
  const [seeded, byCli] = await Promise.all([roleNamed('Seed auditor'), roleNamed('Cli auditor')]);
  assert.ok(seeded && byCli);
  assert.deepEqual({ ...byCli, id: '', name: '' }, { ...seeded, id: '', name: '' });
  assert.deepEqual(seeded.permissions, permissions);
});

test('one broken rule (a permission that is not domain:entity:action) is refused by both doors, and nothing is stored', async () => {
  await assert.rejects(viaSeed({ roles: [{ name: 'Broken seed', permissions: ['oauth:client'] }] }), {
    name: 'SeedError',
    message: 'organizations[0].roles[0].permissions[0]: "oauth:client" is not a permission: expected domain:entity:action (each a word or *), or *',
  });
  const run = await viaCli(['roles', 'create', '--org', 'Acme', '--name', 'Broken cli', '--permission', 'oauth:client']);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /^tokend: --permission "oauth:client" is not a permission: expected domain:entity:action \(each a word or \*\), or \*\n/);
  assert.equal(await roleNamed('Broken seed'), undefined);
  assert.equal(await roleNamed('Broken cli'), undefined);
});

test('a group with a member: the seed and `tokend groups create` store the same membership', async () => {
  await viaSeed({ groups: [{ name: 'Seed crew' }], users: [{ ...dave, groups: ['Seed crew'] }] });
  const run = await viaCli(['groups', 'create', '--org', 'Acme', '--name', 'Cli crew', '--member', users.dave.email]);
  assert.equal(run.code, 0, run.stderr);
  const [seeded, byCli] = await Promise.all([groupNamed('Seed crew'), groupNamed('Cli crew')]);
  assert.ok(seeded && byCli);
  // Each door stamps the time it wrote the group.
  assert.deepEqual({ ...byCli, id: '', name: '', dateModified: 0 }, { ...seeded, id: '', name: '', dateModified: 0 });
  assert.deepEqual(await membersOf(seeded.id), [users.dave.id]);
  assert.deepEqual(await membersOf(byCli.id), [users.dave.id]);
});

test('a role the command line changed (permissions, name) holds when the seed is applied again unchanged, as a client change does', async () => {
  const run = await viaCli(['roles', 'update', 'Seed auditor', '--org', 'Acme', '--permission', 'oauth:client:view']);
  assert.equal(run.code, 0, run.stderr);
  await viaSeed({ roles: [{ name: 'Seed auditor', permissions: ['oauth:client:view', 'authorization:*:view', '*'] }] });
  assert.deepEqual((await roleNamed('Seed auditor'))?.permissions, ['oauth:client:view']);
  // Renamed by the command line: the file still refers to it by the name it gave it.
  const renamed = await viaCli(['roles', 'update', 'Seed auditor', '--org', 'Acme', '--name', 'Renamed auditor']);
  assert.equal(renamed.code, 0, renamed.stderr);
  const permissions = ['oauth:client:view', 'authorization:*:view', '*'];
  await viaSeed({
    roles: [{ name: 'Seed auditor', permissions }],
    groups: [{ name: 'Seed crew' }],
    users: [{ ...dave, groups: ['Seed crew'], roles: ['Seed auditor'] }],
  });
  const role = await roleNamed('Renamed auditor');
  assert.deepEqual(role?.permissions, ['oauth:client:view']);
  assert.equal(await roleNamed('Seed auditor'), undefined);
  assert.deepEqual((await t.app.tokend.store.findUser(users.dave.id))?.roleIds, [role?.id]);
});

test("a group the command line renamed keeps its name when the seed is applied again unchanged, and the file's references still resolve", async () => {
  const renamed = await viaCli(['groups', 'update', 'Seed crew', '--org', 'Acme', '--name', 'Renamed crew']);
  assert.equal(renamed.code, 0, renamed.stderr);
  await viaSeed({ groups: [{ name: 'Seed crew' }], users: [{ ...dave, groups: ['Seed crew'] }] });
  const group = await groupNamed('Renamed crew');
  assert.ok(group);
  assert.equal(await groupNamed('Seed crew'), undefined);
  assert.deepEqual(await membersOf(group.id), [users.dave.id]);
});

test('a role and a group the command line deleted stay deleted when the seed is applied again unchanged; the file brings them back by changing them', async () => {
  const permissions = ['oauth:client:view'];
  const organization = {
    roles: [{ name: 'Doomed role', permissions }],
    groups: [{ name: 'Doomed crew' }],
    users: [{ ...dave, groups: ['Doomed crew'], roles: ['Doomed role'] }],
  };
  await viaSeed(organization);
  const role = await roleNamed('Doomed role');
  const group = await groupNamed('Doomed crew');
  assert.ok(role && group);
  for (const args of [
    ['roles', 'delete', 'Doomed role'],
    ['groups', 'delete', 'Doomed crew'],
  ]) {
    const run = await viaCli([...args, '--org', 'Acme']);
    assert.equal(run.code, 0, run.stderr);
  }
  await viaSeed(organization);
  assert.equal(await roleNamed('Doomed role'), undefined, 'an unchanged file does not bring the role back');
  assert.equal(await groupNamed('Doomed crew'), undefined, 'nor the group');
  const daveNow = await t.app.tokend.store.findUser(users.dave.id);
  assert.equal(daveNow?.roleIds.includes(role.id), false);
  assert.equal(daveNow?.groupIds.includes(group.id), false);
  // The file changes them: they come back, as a deleted client does.
  await viaSeed({
    roles: [{ name: 'Doomed role', permissions: ['oauth:client:view', 'authorization:role:view'] }],
    groups: [{ id: group.id, name: 'Doomed crew, again' }],
    users: [{ ...dave, groups: ['Doomed crew, again'], roles: ['Doomed role'] }],
  });
  assert.deepEqual((await roleNamed('Doomed role'))?.permissions, ['oauth:client:view', 'authorization:role:view']);
  assert.equal((await groupNamed('Doomed crew, again'))?.id, group.id);
});
