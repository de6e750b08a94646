/**
 * `tokend roles create|update|delete` and `tokend groups create|update|delete` on the store a
 * running tokend serves from (SQLite, or PostgreSQL with TOKEND_TEST_DATABASE=postgres): exact
 * output and exit codes, and a role change reaching its holders' cached tokens on their next
 * request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients, groups, users } from '../helpers/fixture.js';
import { cliHome, json } from './helpers.js';

let t: TestApp;
const cli = cliHome();
const admin = (args: string[]) => cli.run(args, { env: { TOKEND_DATABASE: t.database } });
before(async () => {
  t = await startTestApp();
});
after(async () => {
  await t.close();
  cli.dispose();
});

const NOTHING_ROLE = '11111111-0000-4000-8000-00000000a003';
const ACME_REF = { id: ACME, name: 'Acme' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** DELETE /api/v2/tokens/{userId} needs oauth:token:delete: what the role grants or not. */
const revokeDave = async (token: string) => (await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.dave.id}`, headers: bearer(token) })).statusCode;

test('roles create prints the role; the name is unique in the organization and each permission is domain:entity:action', async () => {
  const run = await admin(['roles', 'create', '--org', 'Acme', '--name', 'Auditor', '--permission', 'oauth:client:view,authorization:*:view']);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  const shown = json<{ id: string }>(run);
  assert.match(shown.id, UUID);
  assert.deepEqual(shown, { id: shown.id, name: 'Auditor', organization: ACME_REF, permissions: ['oauth:client:view', 'authorization:*:view'] });
  assert.deepEqual((await t.app.tokend.store.findRoles([shown.id]))[0], {
    id: shown.id,
    organizationId: ACME,
    name: 'Auditor',
    permissions: ['oauth:client:view', 'authorization:*:view'],
  });
  const refused: Array<[string[], string]> = [
    [['--name', 'auditor'], 'tokend: a role named Auditor already exists in Acme\n'],
    [
      ['--name', 'X', '--permission', 'oauth:client'],
      /^tokend: --permission "oauth:client" is not a permission: expected domain:entity:action \(each a word or \*\), or \*\n\nUsage: tokend roles create/
        .source,
    ],
    [['--name', ' '], /^tokend: --name must not be empty\n\nUsage: tokend roles create/.source],
  ];
  for (const [args, stderr] of refused) {
    const bad = await admin(['roles', 'create', '--org', 'Acme', ...args]);
    assert.equal(bad.code, 1, args.join(' '));
    assert.equal(bad.stdout, '');
    if (stderr.startsWith('tokend: a role')) assert.equal(bad.stderr, stderr);
    else assert.match(bad.stderr, new RegExp(stderr));
  }
  assert.equal((await t.app.tokend.store.listRoles(ACME)).filter((r) => r.name.toLowerCase() === 'auditor' || r.name === 'X').length, 1);
});

test("roles update changes what a holder's cached token may do from its next request; roles delete takes the role from its holders", async () => {
  const token = await t.token(clients.plain); // holds Nothing (no permission)
  assert.equal(await revokeDave(token), 403);
  const run = await admin(['roles', 'update', 'Nothing', '--org', ACME, '--permission', 'oauth:token:delete']);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(json(run), { id: NOTHING_ROLE, name: 'Nothing', organization: ACME_REF, permissions: ['oauth:token:delete'] });
  assert.equal(run.stderr, 'Updated role Nothing: held by 1 user and 1 client, who get its permissions from their next request.\n');
  await otherNodeChange();
  assert.equal(await revokeDave(token), 204, 'the same token, now allowed');

  const deleted = await admin(['roles', 'delete', NOTHING_ROLE, '--org', 'acme']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(json(deleted), { id: NOTHING_ROLE, name: 'Nothing', deleted: true, users: 1, clients: 1 });
  assert.equal(deleted.stderr, 'Deleted role Nothing: taken from 1 user and 1 client.\n');
  await otherNodeChange();
  assert.equal(await revokeDave(token), 403, 'the role is gone from the client');
  assert.deepEqual((await t.app.tokend.store.findClient(clients.plain.id))?.roleDivisions, []);
  assert.deepEqual((await t.app.tokend.store.findUser(users.bob.id))?.roleIds, []);
  const again = await admin(['roles', 'delete', 'Nothing', '--org', 'Acme']);
  assert.deepEqual(again, { code: 1, stdout: '', stderr: 'tokend: no role with the id or name "Nothing" in organization Acme\n' });
  const empty = await admin(['roles', 'update', 'Auditor', '--org', 'Acme']);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /^tokend: nothing to change: give --name, --permission or --description\n\nUsage: tokend roles update <role ID\|NAME>/);
});

test('roles create and update take a description, as the roles API answers it; an empty one removes it', async () => {
  const made = await admin(['roles', 'create', '--org', 'Acme', '--name', 'Described', '--description', 'reads clients']);
  assert.equal(made.code, 0, made.stderr);
  const shown = json<{ id: string }>(made);
  assert.deepEqual(shown, { id: shown.id, name: 'Described', description: 'reads clients', organization: ACME_REF, permissions: [] });
  const renamed = await admin(['roles', 'update', 'Described', '--org', 'Acme', '--name', 'Still described']);
  assert.equal(json<{ description: string }>(renamed).description, 'reads clients', 'a change that does not name it keeps it');
  const cleared = await admin(['roles', 'update', shown.id, '--org', 'Acme', '--description', '']);
  assert.deepEqual(json(cleared), { id: shown.id, name: 'Still described', organization: ACME_REF, permissions: [] });
  await admin(['roles', 'update', shown.id, '--org', 'Acme', '--description', 'again']);
  assert.deepEqual((await t.app.tokend.store.findRoles([shown.id]))[0]?.details, { description: 'again' });
});

test('groups create, update and delete: members by email or id, reported; unknown users refused; nothing half-done', async () => {
  const created = await admin(['groups', 'create', '--org', 'Acme', '--name', 'Weekend', '--member', `${users.alice.email},${users.dave.id}`]);
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stderr, '');
  const group = json<{ id: string }>(created);
  assert.match(group.id, UUID);
  const alice = { id: users.alice.id, email: users.alice.email };
  const dave = { id: users.dave.id, email: users.dave.email };
  const fields = { type: 'official', visibility: 'public' };
  assert.deepEqual(group, {
    id: group.id,
    name: 'Weekend',
    ...fields,
    version: 1,
    organization: ACME_REF,
    members: [alice, dave].sort((a, b) => (a.id < b.id ? -1 : 1)),
  });

  const updated = await admin([
    'groups',
    'update',
    'weekend',
    '--org',
    'Acme',
    '--name',
    'Weekend crew',
    '--member',
    users.carol.email,
    '--member',
    users.dave.email,
  ]);
  assert.equal(updated.code, 0, updated.stderr);
  assert.deepEqual(json(updated), {
    id: group.id,
    name: 'Weekend crew',
    ...fields,
    version: 2,
    organization: ACME_REF,
    members: [{ id: users.carol.id, email: users.carol.email }, dave],
  });
  assert.equal(updated.stderr, 'Updated group Weekend crew: added 1 member, removed 1 member.\n');
  assert.deepEqual((await t.app.tokend.store.findUser(users.alice.id))?.groupIds, []);
  assert.deepEqual((await t.app.tokend.store.findUser(users.carol.id))?.groupIds, [groups.nightShift, groups.supervisors, group.id].sort());

  const unknown = await admin(['groups', 'update', group.id, '--org', 'Acme', '--member', 'nobody@acme.test']);
  assert.deepEqual(unknown, {
    code: 1,
    stdout: '',
    stderr: 'tokend: no user with the id or email "nobody@acme.test" in organization Acme (tokend users list shows them)\n',
  });
  const foreign = await admin(['groups', 'update', group.id, '--org', 'Acme', '--member', users.gina.email]);
  assert.equal(foreign.code, 1, 'a user of another organization is not a user of this one');

  const deleted = await admin(['groups', 'delete', 'Weekend crew', '--org', 'Acme']);
  assert.deepEqual(deleted, {
    code: 0,
    stdout: `${JSON.stringify({ id: group.id, name: 'Weekend crew', deleted: true, members: 2 }, null, 2)}\n`,
    stderr: 'Deleted group Weekend crew: 2 members left it.\n',
  });
  assert.deepEqual((await t.app.tokend.store.findUser(users.dave.id))?.groupIds, []);
  assert.equal(
    (await t.app.tokend.store.listGroups(ACME)).some((g) => g.id === group.id),
    false,
  );
});

test('groups delete is refused while the idle token timeout names the group, and deletes nothing', async () => {
  await t.app.tokend.store.setIdleTokenTimeout(ACME, {
    ...DEFAULT_IDLE_TOKEN_TIMEOUT,
    inactivityTimeoutGroupsEnabled: true,
    inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: [groups.nightShift] }],
  });
  const run = await admin(['groups', 'delete', 'Night shift', '--org', 'Acme']);
  assert.deepEqual(run, {
    code: 1,
    stdout: '',
    stderr: 'tokend: the group Night shift is named by the idle token timeout of Acme (inactivityTimeoutGroupBundles): change the timeout first\n',
  });
  assert.deepEqual((await t.app.tokend.store.findUser(users.bob.id))?.groupIds, [groups.nightShift]);
});
