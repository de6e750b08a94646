/**
 * `tokend tokens list`: a person's or a client's live tokens from the store, as JSON or a
 * table: family, kind, client or person, issued, expires, last used; never a token or a hash.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { clients, users } from '../helpers/fixture.js';
import { rawRows } from '../helpers/raw-sql.js';
import { cliHome, json, listeningTokend } from './helpers.js';

let t: Awaited<ReturnType<typeof listeningTokend>>;
const cli = cliHome();
let admin: (args: string[]) => ReturnType<typeof cli.run>;
before(async () => {
  // The command reads the real clock: the server issues at the real time too, or its tokens would be long expired.
  t = await listeningTokend({ clock: new ManualClock(Date.now()) });
  admin = (args) => cli.run(args, { env: { TOKEND_DATABASE: t.database } });
});
after(async () => {
  await t.close();
  cli.dispose();
});

interface Listed {
  familyId: string | null;
  kind: string;
  grantType: string;
  client: { id: string; name: string };
  user: { id: string; email: string } | null;
  issued: string;
  expires: string;
  lastUsed: string | null;
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

test("--user lists the person's live sign-ins (access and refresh of one family), --client a client's tokens; no token, no hash", async () => {
  const issued = [await t.token(clients.readonlyApp, users.carol), await t.token(clients.readonlyApp, users.carol)];
  const run = await admin(['tokens', 'list', '--user', users.carol.email, '--json']);
  assert.equal(run.code, 0, run.stderr);
  const listed = json<Listed[]>(run);
  assert.ok(listed.length >= 2, run.stdout);
  for (const row of listed) {
    assert.deepEqual(Object.keys(row), ['familyId', 'kind', 'grantType', 'client', 'user', 'issued', 'expires', 'lastUsed']);
    assert.deepEqual([row.client.id, row.user, row.grantType], [clients.readonlyApp.id, { id: users.carol.id, email: users.carol.email }, 'password']);
    assert.match(row.familyId ?? '', /^[0-9a-f-]{36}$/);
    assert.match(row.issued, ISO);
    assert.match(row.expires, ISO);
    assert.equal(row.lastUsed, null);
  }
  const hashes = (await rawRows<{ hash: string }>(t.database, 'SELECT hash FROM tokens')).map((r) => r.hash);
  for (const secret of [...issued, ...hashes, clients.readonlyApp.secret]) assert.ok(!run.stdout.includes(secret), 'no token, hash or secret');

  await t.token(clients.plain);
  const byClient = await admin(['tokens', 'list', '--client', 'plain SERVICE', '--json']);
  assert.equal(byClient.code, 0, byClient.stderr);
  const rows = json<Listed[]>(byClient);
  assert.ok(rows.length >= 1);
  assert.deepEqual(
    [rows[0]?.familyId, rows[0]?.kind, rows[0]?.grantType, rows[0]?.client, rows[0]?.user],
    [null, 'access', 'client_credentials', { id: clients.plain.id, name: 'Plain service' }, null],
  );
});

test('the table: by person a CLIENT column, by client a USER column; dates to the minute; at most 100 columns', async () => {
  await t.token(clients.readonlyApp, users.alice);
  const byUser = await admin(['tokens', 'list', '--user', users.alice.id, '--table']);
  assert.equal(byUser.code, 0, byUser.stderr);
  const [header, first] = byUser.stdout.split('\n');
  assert.match(header ?? '', /^FAMILY {4}KIND {2,}CLIENT {8}ISSUED {13}EXPIRES {12}LAST USED$/);
  assert.match(first ?? '', /^[0-9a-f]{8} {2}(access|refresh) +Readonly app {2}\d{4}-\d\d-\d\d \d\d:\d\dZ {2}\d{4}-\d\d-\d\d \d\d:\d\dZ {2}never$/);
  const byClient = await admin(['tokens', 'list', '--client', clients.readonlyApp.id, '--table']);
  assert.match(byClient.stdout.split('\n')[0] ?? '', /^FAMILY {4}KIND {2,}USER {2,}ISSUED/);
  for (const output of [byUser.stdout, byClient.stdout]) assert.ok(output.split('\n').every((line) => line.length <= 100));
});

test('neither --user nor --client: one line and the usage, exit 1; an unknown person or client: exit 1, nothing on stdout', async () => {
  const none = await admin(['tokens', 'list']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /^tokend: give --user or --client \(or both\)\n\nUsage: tokend tokens list \[options\]\n/);
  const nobody = await admin(['tokens', 'list', '--user', 'nobody@acme.test']);
  assert.deepEqual([nobody.code, nobody.stdout, nobody.stderr], [1, '', 'tokend: no user with the id or email nobody@acme.test\n']);
  const noClient = await admin(['tokens', 'list', '--client', 'No such app']);
  assert.deepEqual([noClient.code, noClient.stderr], [1, 'tokend: no client with the id or name "No such app" (tokend clients list shows them)\n']);
});
