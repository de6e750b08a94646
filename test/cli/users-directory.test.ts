/**
 * `tokend users update | delete | roles get | roles set | search`, and a person named by email
 * in every command that takes one, on the store a running tokend serves from (SQLite, or
 * PostgreSQL with TOKEND_TEST_DATABASE=postgres): exact output and exit codes, and what a change
 * ends reaching the server's cached tokens on their next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { people, roles, USERS_SEED, userClients } from '../helpers/users-fixture.js';
import { cliHome, json } from './helpers.js';

let t: TestApp;
const cli = cliHome();
const admin = (args: string[]) => cli.run(args, { env: { TOKEND_DATABASE: t.database } });
before(async () => {
  t = await startTestApp({ seedFile: USERS_SEED });
});
after(async () => {
  await t.close();
  cli.dispose();
});

const me = (token: string) => t.inject({ method: 'GET', url: '/api/v2/users/me', headers: bearer(token) });

test('users update by email: name and state; inactive ends the tokens the server holds; a bad state is a usage error', async () => {
  const token = await t.token(userClients.readonlyApp, people.nora);
  const renamed = await admin(['users', 'update', 'NORA@pendant.test', '--name', 'Nora Named']);
  assert.equal(renamed.stderr, '');
  assert.equal(renamed.code, 0);
  const shown = json<Record<string, unknown>>(renamed);
  assert.deepEqual([shown.id, shown.name, shown.state, shown.version], [people.nora.id, 'Nora Named', 'active', 2]);
  await otherNodeChange();
  assert.equal((await me(token)).json().name, 'Nora Named');

  const bad = await admin(['users', 'update', people.nora.id, '--state', 'gone']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^tokend: --state must be one of active, inactive, deleted, not gone\n/);
  const nothing = await admin(['users', 'update', people.nora.id]);
  assert.match(nothing.stderr, /^tokend: nothing to change: give --name, --email or --state\n/);

  const disabled = await admin(['users', 'update', people.nora.email, '--state', 'inactive']);
  assert.equal(disabled.code, 0, disabled.stderr);
  assert.deepEqual([json<Record<string, unknown>>(disabled).state, json<Record<string, unknown>>(disabled).revokedTokens], ['inactive', 1]);
  await otherNodeChange();
  assertErrorBody(await me(token), errorBodies.badCredentials);
  assert.equal((await admin(['users', 'enable', people.nora.email])).code, 0, 'enable takes an email too');
  const taken = await admin(['users', 'update', people.nora.email, '--email', people.vic.email]);
  assert.equal(taken.code, 1);
  assert.equal(taken.stderr, `tokend: a user with the email ${people.vic.email} already exists in Pendant\n`);
});

test('users roles get and set, by email: the new permissions apply from the next request; an unknown role names the choices', async () => {
  const got = await admin(['users', 'roles', 'get', people.vic.email]);
  assert.equal(got.code, 0, got.stderr);
  assert.deepEqual(json<Record<string, unknown>>(got).roles, [{ id: roles.viewer.id, name: 'Viewer' }]);
  assert.deepEqual(json<Record<string, unknown>>(got).permissions, ['directory:user:view']);

  const token = await t.token(userClients.app, people.tom);
  const search = () =>
    t.inject({ method: 'POST', url: '/api/v2/users/search', headers: { ...bearer(token), 'content-type': 'application/json' }, payload: '{}' });
  assert.equal((await search()).statusCode, 403);
  const set = await admin(['users', 'roles', 'set', people.tom.email, '--role', 'Viewer', '--role', 'Token admin']);
  assert.equal(set.code, 0, set.stderr);
  assert.deepEqual(json<Record<string, unknown>>(set).roles, [
    { id: roles.viewer.id, name: 'Viewer' },
    { id: roles.tokenAdmin.id, name: 'Token admin' },
  ]);
  await otherNodeChange();
  assert.equal((await search()).statusCode, 200);
  const unknown = await admin(['users', 'roles', 'set', people.tom.email, '--role', 'Janitor']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'tokend: no role "Janitor" in organization Pendant (roles: Nothing, People admin, Token admin, Viewer)\n');
});

test('users search by email or name, any case; users delete by email ends access; a deleted person is found only with --deleted', async () => {
  const byName = await admin(['users', 'search', '--name', 'VIEW']);
  assert.equal(byName.code, 0, byName.stderr);
  assert.deepEqual(
    json<Array<{ email: string }>>(byName).map((user) => user.email),
    [people.vic.email],
  );
  const byEmail = await admin(['users', 'search', '--org', 'Pendant', '--email', 'PENDANT.test', '--name', 'tom']);
  assert.deepEqual(
    json<Array<{ email: string }>>(byEmail).map((user) => user.email),
    [people.tom.email],
  );
  assert.match((await admin(['users', 'search'])).stderr, /^tokend: give --email or --name \(or both\)\n/);

  const token = await t.token(userClients.readonlyApp, people.ivy).catch(() => null);
  assert.equal(token, null, 'Ivy is inactive: no token');
  const vicToken = await t.token(userClients.readonlyApp, people.vic);
  const deleted = await admin(['users', 'delete', people.vic.email, '--org', 'Pendant']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(json(deleted), { id: people.vic.id, email: people.vic.email, state: 'deleted', endedSessions: 0, revokedTokens: 1 });
  await otherNodeChange();
  assertErrorBody(await me(vicToken), errorBodies.badCredentials);
  assert.deepEqual(json(await admin(['users', 'search', '--name', 'vic'])), []);
  assert.deepEqual(
    json<Array<{ state: string }>>(await admin(['users', 'search', '--name', 'vic', '--deleted'])).map((user) => user.state),
    ['deleted'],
  );
  const again = await admin(['users', 'delete', people.vic.email]);
  assert.equal(again.code, 1);
  assert.equal(again.stderr, `tokend: no user with the id ${people.vic.id}\n`);
  const unknown = await admin(['users', 'delete', 'nobody@pendant.test']);
  assert.equal(unknown.stderr, 'tokend: no user with the id or email nobody@pendant.test\n');
});
