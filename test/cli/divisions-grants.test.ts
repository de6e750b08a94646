/**
 * `tokend divisions list|create|update|delete` and `tokend grants list|add|remove` on the store a
 * running tokend serves from (SQLite, or PostgreSQL with TOKEND_TEST_DATABASE=postgres): exact
 * output and exit codes, the admin core's refusals as one line, and a grant taken away on the
 * command line ending the holder's permission on the server's next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { DIVISIONS_SEED, DUNDER, divisionClients, people, roles } from '../helpers/divisions-fixture.js';
import { cliHome, json } from './helpers.js';

let t: TestApp;
const cli = cliHome();
const admin = (args: string[]) => cli.run(args, { env: { TOKEND_DATABASE: t.database } });
before(async () => {
  t = await startTestApp({ seedFile: DIVISIONS_SEED });
});
after(async () => {
  await t.close();
  cli.dispose();
});

const DUNDER_REF = { id: DUNDER, name: 'Dunder' };

test('divisions create, list, update and delete; the home division stays; refusals are one line and exit 1', async () => {
  const made = await admin(['divisions', 'create', '--org', 'Dunder', '--name', 'Annex', '--description', 'Out back']);
  assert.deepEqual([made.code, made.stderr], [0, '']);
  const annex = json<{ id: string }>(made);
  assert.deepEqual(annex, { id: annex.id, name: 'Annex', description: 'Out back', home: false, organization: DUNDER_REF });
  const listed = await admin(['divisions', 'list', '--org', 'Dunder', '--json']);
  assert.deepEqual(
    json<Array<{ name: string; home: boolean }>>(listed).map((d) => [d.name, d.home]),
    [
      ['Annex', false],
      ['Home', true],
    ],
  );
  const taken = await admin(['divisions', 'create', '--org', 'Dunder', '--name', 'annex']);
  assert.deepEqual([taken.code, taken.stdout, taken.stderr], [1, '', 'tokend: a division named annex already exists in Dunder\n']);
  const renamed = await admin(['divisions', 'update', 'annex', '--org', 'Dunder', '--name', 'Annex B']);
  assert.deepEqual(json(renamed), { id: annex.id, name: 'Annex B', description: 'Out back', home: false, organization: DUNDER_REF });
  const home = await admin(['divisions', 'delete', 'Home', '--org', 'Dunder']);
  assert.deepEqual([home.code, home.stderr], [1, 'tokend: the division Home cannot be deleted: it is the home division of the organization\n']);
  const nothing = await admin(['divisions', 'update', 'Annex B', '--org', 'Dunder']);
  assert.equal(nothing.code, 1);
  assert.match(nothing.stderr, /^tokend: nothing to change: give --name or --description\n\nUsage: tokend divisions update <division ID\|NAME>/);
  const deleted = await admin(['divisions', 'delete', 'Annex B', '--org', 'Dunder']);
  assert.deepEqual([deleted.code, json(deleted), deleted.stderr], [0, { id: annex.id, name: 'Annex B', deleted: true }, 'Deleted division Annex B.\n']);
  const gone = await admin(['divisions', 'delete', annex.id, '--org', 'Dunder']);
  assert.deepEqual([gone.code, gone.stderr], [1, `tokend: no division with the id or name "${annex.id}" in organization Dunder\n`]);
});

test('grants add, list and remove; a grant taken away ends the permission on the server from the next request', async () => {
  assert.equal((await admin(['divisions', 'create', '--org', 'Dunder', '--name', 'Depot'])).code, 0);
  const nat = await t.token(divisionClients.app, people.nat);
  const search = async () =>
    (await t.inject({ method: 'POST', url: '/api/v2/users/search', headers: { ...bearer(nat), 'content-type': 'application/json' }, payload: '{}' }))
      .statusCode;
  assert.equal(await search(), 403);

  const added = await admin(['grants', 'add', people.nat.email, 'viewer', 'depot', '--org', 'Dunder']);
  assert.deepEqual([added.code, added.stderr], [0, '']);
  const shown = json<{ user: unknown; grants: Array<{ role: string; division: string; grantedAt: string | null }> }>(added);
  assert.deepEqual(shown.user, { id: people.nat.id, email: people.nat.email });
  assert.deepEqual(
    shown.grants.map((g) => [g.division, g.role, g.grantedAt === null]),
    [
      ['Depot', 'Viewer', false],
      ['Home', 'Nothing', true],
    ],
  );
  await otherNodeChange();
  assert.equal(await search(), 200, 'the server honours the grant the command line made');
  const listed = await admin(['grants', 'list', '--org', 'Dunder', people.nat.id, '--json']);
  assert.deepEqual(
    json<Array<{ roleId: string }>>(listed).map((g) => g.roleId),
    [roles.viewer.id, roles.nothing.id],
  );

  const removed = await admin(['grants', 'remove', people.nat.email, 'Viewer', 'Depot', '--org', 'Dunder']);
  assert.deepEqual([removed.code, removed.stderr], [0, `${people.nat.email} now holds 1 grant.\n`]);
  await otherNodeChange();
  assert.equal(await search(), 403, 'taken away on the command line: refused on the next request');
  const unknown = await admin(['grants', 'add', people.nat.email, 'Viewer', 'Nowhere', '--org', 'Dunder']);
  assert.deepEqual([unknown.code, unknown.stderr], [1, 'tokend: no division with the id or name "Nowhere" in organization Dunder\n']);
  assert.equal((await admin(['divisions', 'delete', 'Depot', '--org', 'Dunder'])).code, 0);
});

test('a role deleted is taken from the grants that held it in any division, which then hold nothing', async () => {
  assert.equal((await admin(['divisions', 'create', '--org', 'Dunder', '--name', 'Branch'])).code, 0);
  assert.equal((await admin(['roles', 'create', '--org', 'Dunder', '--name', 'Temp'])).code, 0);
  assert.equal((await admin(['grants', 'add', people.vera.email, 'Temp', 'Branch', '--org', 'Dunder'])).code, 0);
  assert.equal((await admin(['divisions', 'delete', 'Branch', '--org', 'Dunder'])).code, 1, 'the grant holds the division');
  const deleted = await admin(['roles', 'delete', 'Temp', '--org', 'Dunder']);
  assert.deepEqual([deleted.code, json<{ users: number }>(deleted).users], [0, 1], 'Vera held it, through her grant');
  const listed = await admin(['grants', 'list', '--org', 'Dunder', people.vera.email, '--json']);
  assert.deepEqual(
    json<Array<{ role: string; division: string }>>(listed).map((g) => `${g.division}/${g.role}`),
    ['Home/Viewer'],
  );
  assert.equal((await admin(['divisions', 'delete', 'Branch', '--org', 'Dunder'])).code, 0);
});
