/**
 * The list commands on the fixture store (issue 14, "The command line"): JSON when piped (as
 * here) or with --json, a table with --table, ids alone with --ids; --org filters, --email and
 * --name look an id up; no secret, password or hash in any format.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients, GLOBEX, users } from '../helpers/fixture.js';
import { cliHome, json, type Run } from './helpers.js';

let t: TestApp;
const cli = cliHome();
let list: (...args: string[]) => Promise<Run>;
before(async () => {
  t = await startTestApp();
  list = (...args) => cli.run(args, { env: { TOKEND_DATABASE: t.database } });
});
after(async () => {
  await t.close();
  cli.dispose();
});

const ok = (run: Run) => {
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  return run;
};
const lines = (run: Run) => run.stdout.trimEnd().split('\n');

test('piped, every list prints JSON; --json says the same; --ids prints the ids alone', async () => {
  const piped = ok(await list('orgs', 'list'));
  assert.deepEqual(
    json<Array<{ id: string; name: string }>>(piped).map((o) => [o.id, o.name]),
    [
      [ACME, 'Acme'],
      [GLOBEX, 'Globex'],
    ],
  );
  assert.equal(ok(await list('orgs', 'list', '--json')).stdout, piped.stdout);
  assert.equal(ok(await list('orgs', 'list', '--ids')).stdout, `${ACME}\n${GLOBEX}\n`);
  assert.deepEqual(Object.keys(json<Array<Record<string, unknown>>>(piped)[0] ?? {}), ['id', 'name', 'homeDivisionId', 'idleTokenTimeout']);
});

test('users list: every user with organization, state, roles and groups by name; never a password or hash', async () => {
  const run = ok(await list('users', 'list'));
  const all =
    json<
      Array<{
        id: string;
        email: string;
        state: string;
        organization: { id: string; name: string };
        roles: Array<{ name: string }>;
        groups: Array<{ name: string }>;
      }>
    >(run);
  assert.deepEqual(
    all.map((u) => u.email),
    ['alice@acme.test', 'bob@acme.test', 'carol@acme.test', 'dave@acme.test', 'gina@globex.test'],
  );
  const alice = all[0];
  assert.deepEqual(alice?.organization, { id: ACME, name: 'Acme' });
  assert.deepEqual(alice?.roles.map((r) => r.name).sort(), ['Org admin', 'Token admin']);
  assert.deepEqual(all[2]?.groups.map((g) => g.name).sort(), ['Night shift', 'Supervisors']);
  assert.equal(all[3]?.state, 'inactive');
  assert.deepEqual(Object.keys(alice ?? {}), ['id', 'name', 'email', 'organization', 'state', 'roles', 'groups', 'dateCreated', 'dateModified']);
  const table = ok(await list('users', 'list', '--table'));
  for (const output of [run.stdout, table.stdout]) {
    assert.ok(!/password|scrypt|\$/i.test(output), 'no password, no hash');
  }
});

test('--table: a header in capitals, aligned columns, one row per entity', async () => {
  const table = lines(ok(await list('users', 'list', '--org', 'Globex', '--table')));
  assert.deepEqual(table, [
    'ID                                    EMAIL             NAME         STATE   ORGANIZATION  ROLES',
    `${users.gina.id}  gina@globex.test  Gina Globex  active  Globex`,
  ]);
  const roles = lines(ok(await list('roles', 'list', '--org', GLOBEX, '--table')));
  assert.match(roles[0] ?? '', /^ID {36}NAME {9}ORGANIZATION {2}PERMISSIONS$/);
  assert.match(roles[1] ?? '', /^[0-9a-f-]{36} {2}Token admin {2}Globex {8}oauth:token:delete/);
  const groups = lines(ok(await list('groups', 'list', '--table')));
  assert.deepEqual(
    groups.map((line) => line.split(/ {2,}/).slice(1)),
    [
      ['NAME', 'ORGANIZATION'],
      ['Night shift', 'Acme'],
      ['Supervisors', 'Acme'],
    ],
  );
  const orgs = lines(ok(await list('orgs', 'list', '--table')));
  assert.deepEqual(
    orgs.map((line) => line.split(/ {2,}/)[1]),
    ['NAME', 'Acme', 'Globex'],
  );
});

test('clients list: JSON as before, a table with grant type and state, never a secret', async () => {
  const run = ok(await list('clients', 'list', '--org', 'globex'));
  const found = json<Array<{ id: string; name: string; organization: { name: string } }>>(run);
  assert.deepEqual(
    found.map((c) => c.name),
    ['Globex password app', 'Globex service'],
  );
  assert.deepEqual(found[0]?.organization, { id: GLOBEX, name: 'Globex' });
  const table = ok(await list('clients', 'list', '--table'));
  // One column too wide for 100: the name, the widest that may break, wraps under itself (ids never do).
  assert.match(table.stdout, /^ID {36}NAME {16}GRANT TYPE {10}STATE {5}ORGANIZATION\n/);
  assert.match(table.stdout, new RegExp(`\\n${clients.globexPassword.id} {2}Globex password {5}PASSWORD {12}active {4}Globex\\n {38}app\\n`));
  assert.ok(table.stdout.split('\n').every((line) => line.length <= 100));
  assert.match(table.stdout, new RegExp(`\\n${clients.disabled.id} {2}Disabled service {4}CLIENT-CREDENTIALS {2}disabled {2}Acme\\n`));
  for (const output of [run.stdout, table.stdout]) assert.ok(!/secret|scrypt/i.test(output.replace(/"name": "[^"]*"/g, '')), 'no secret or hash');
});

test('lookups: --email and --name find the one entity (any case), combine with --org, and --ids gives its id', async () => {
  assert.equal(ok(await list('users', 'list', '--email', 'BOB@acme.test', '--ids')).stdout, `${users.bob.id}\n`);
  assert.equal(ok(await list('users', 'list', '--name', 'gina globex', '--org', 'Globex', '--ids')).stdout, `${users.gina.id}\n`);
  assert.equal(ok(await list('clients', 'list', '--name', 'plain service', '--ids')).stdout, `${clients.plain.id}\n`);
  assert.equal(ok(await list('orgs', 'list', '--name', 'ACME', '--ids')).stdout, `${ACME}\n`);
  const roles = json<Array<{ name: string; organization: { name: string } }>>(ok(await list('roles', 'list', '--name', 'Token admin')));
  assert.deepEqual(
    roles.map((r) => r.organization.name),
    ['Acme', 'Globex'],
    'a name in two organizations: both, each with its organization',
  );
  assert.deepEqual(json<unknown[]>(ok(await list('groups', 'list', '--org', 'Acme', '--name', 'night shift'))).length, 1);
});

test('a lookup that finds nothing exits 1 with nothing on stdout; an empty list is not an error', async () => {
  const cases: Array<[string[], string]> = [
    [['users', 'list', '--email', 'nobody@acme.test', '--ids'], 'tokend: no user with the email "nobody@acme.test"\n'],
    [['users', 'list', '--org', 'Globex', '--email', 'alice@acme.test'], 'tokend: no user with the email "alice@acme.test" in Globex\n'],
    [['clients', 'list', '--name', 'Nope', '--table'], 'tokend: no client with the name "Nope"\n'],
    [['roles', 'list', '--org', 'Globex', '--name', 'Org admin'], 'tokend: no role with the name "Org admin" in Globex\n'],
    [['orgs', 'list', '--name', 'Initech'], 'tokend: no organization with the name "Initech"\n'],
    [['groups', 'list', '--org', 'Nowhere'], 'tokend: no organization with the id or name "Nowhere"\n'],
  ];
  for (const [args, stderr] of cases) {
    const run = await list(...args);
    assert.deepEqual([run.code, run.stdout, run.stderr], [1, '', stderr], args.join(' '));
  }
  const none = ok(await list('groups', 'list', '--org', 'Globex'));
  assert.equal(none.stdout, '[]\n');
  assert.equal(ok(await list('groups', 'list', '--org', 'Globex', '--table')).stdout, 'ID  NAME  ORGANIZATION\n');
});

test('two formats at once is a usage mistake; the list commands need an existing store', async () => {
  const both = await list('users', 'list', '--json', '--table');
  assert.equal(both.code, 1);
  assert.match(both.stderr, /^tokend: give one of --json, --table and --ids, not --json and --table\n\nUsage: tokend users list \[options\]/);
  const missing = await cli.run(['orgs', 'list'], { env: { TOKEND_DATABASE: `${t.dir}/typo.db` } });
  assert.deepEqual(
    [missing.code, missing.stderr],
    [1, `tokend: no database at ${t.dir}/typo.db: pass --database or set TOKEND_DATABASE to the store the server uses\n`],
  );
});

test('a name with control characters cannot move the cursor of whoever lists it', async () => {
  const created = await cli.run(
    ['users', 'create', '--org', 'Globex', '--name', 'Eve\u001b[2J\rX', '--email', 'eve@globex.test', '--password', 'eve-password'],
    { env: { TOKEND_DATABASE: t.database } },
  );
  assert.equal(created.code, 0, created.stderr);
  const table = ok(await list('users', 'list', '--org', 'Globex', '--table'));
  assert.ok(!table.stdout.includes('\u001b') && !table.stdout.includes('\r'));
  assert.match(table.stdout, /Eve\?\[2J\?X/);
  assert.equal(
    json<Array<{ name: string }>>(ok(await list('users', 'list', '--email', 'eve@globex.test'))).at(0)?.name,
    'Eve\u001b[2J\rX',
    'JSON keeps the name exact (escaped)',
  );
});
