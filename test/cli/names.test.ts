/**
 * Every admin command that takes a person takes an id or an email, and every one that takes a
 * client an id or a name (any case); a name or email that several have is refused, listing
 * their ids. The command line and the seed keep one client per name in an organization; the
 * API still allows a second one, as Genesys does.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ACME, clients, users } from '../helpers/fixture.js';
import { cliHome, json, listeningTokend } from './helpers.js';

let t: Awaited<ReturnType<typeof listeningTokend>>;
const cli = cliHome();
let admin: (args: string[], input?: string) => ReturnType<typeof cli.run>;
before(async () => {
  t = await listeningTokend();
  admin = (args, input) => cli.run(args, { env: { TOKEND_DATABASE: t.database }, ...(input === undefined ? {} : { input }) });
});
after(async () => {
  await t.close();
  cli.dispose();
});

/** A client made through the API, which allows a name another client has. */
async function createThroughApi(name: string): Promise<string> {
  const token = await t.token(clients.wildcard);
  const response = await fetch(`${t.url}/api/v2/oauth/clients`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, authorizedGrantType: 'PASSWORD', scope: ['user-basic-info'] }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { id: string }).id;
}

test('clients disable, enable, update, rotate-secret and delete take a name in any case', async () => {
  const made = await admin(['clients', 'create', '--org', 'Acme', '--name', 'Named service', '--grant-type', 'CLIENT-CREDENTIALS']);
  assert.equal(made.code, 0, made.stderr);
  const { id } = json<{ id: string }>(made);
  const disabled = await admin(['clients', 'disable', 'named SERVICE']);
  assert.deepEqual(
    [disabled.code, json(disabled), disabled.stderr],
    [0, { id, state: 'disabled', revokedTokens: 0 }, `Disabled client ${id}: revoked 0 tokens.\n`],
  );
  // Disable and enable change the store: each writes its audit line, naming the client as typed.
  assert.deepEqual(
    disabled.audit.map((entry) => [entry.action, entry.target, entry.result]),
    [['tokend clients disable', { 'clientId|name': 'named SERVICE' }, 'succeeded']],
  );
  const enabled = await admin(['clients', 'enable', 'Named service', '--org', 'acme']);
  assert.deepEqual([enabled.code, json(enabled)], [0, { id, state: 'active' }]);
  const updated = await admin(['clients', 'update', 'Named service', '--description', 'found by name']);
  assert.deepEqual([updated.code, json(updated).id, json(updated).description], [0, id, 'found by name']);
  const rotated = await admin(['clients', 'rotate-secret', 'Named service', '--yes']);
  assert.deepEqual([rotated.code, json(rotated).id], [0, id]);
  const deleted = await admin(['clients', 'delete', 'Named service']);
  assert.deepEqual([deleted.code, json(deleted)], [0, { id, deleted: true, revokedTokens: 0 }]);
  const gone = await admin(['clients', 'disable', 'Named service']);
  assert.deepEqual([gone.code, gone.stdout, gone.stderr], [1, '', 'tokend: no client with the id or name "Named service" (tokend clients list shows them)\n']);
  const elsewhere = await admin(['clients', 'disable', 'Plain service', '--org', 'Globex']);
  assert.deepEqual(
    [elsewhere.code, elsewhere.stderr],
    [1, 'tokend: no client with the id or name "Plain service" in organization Globex (tokend clients list shows them)\n'],
  );
});

test('a client name that several clients have (the API made one) is refused, listing their ids; an id or --org still finds one', async () => {
  const second = await createThroughApi('Password app');
  const run = await admin(['clients', 'disable', 'password app']);
  assert.deepEqual(
    [run.code, run.stdout, run.stderr],
    [
      1,
      '',
      `tokend: 2 clients are named "password app": give one of their ids: ${[`${clients.passwordApp.id} (Acme)`, `${second} (Acme)`].sort().join(', ')}\n`,
    ],
  );
  const rotate = await admin(['clients', 'rotate-secret', 'Password app', '--yes']);
  assert.equal(rotate.code, 1);
  assert.match(rotate.stderr, /^tokend: 2 clients are named "Password app": give one of their ids: /);
  const byId = await admin(['clients', 'delete', second]);
  assert.equal(byId.code, 0, byId.stderr);
});

test('the command line refuses a second client of one name in an organization, on create and on rename; another organization may have it', async () => {
  const taken = `tokend: organization Acme already has a client named "Plain service" (${clients.plain.id}): choose another name, so that a name finds one client\n`;
  const create = await admin(['clients', 'create', '--org', 'Acme', '--name', 'PLAIN service', '--grant-type', 'CLIENT-CREDENTIALS']);
  assert.deepEqual([create.code, create.stdout, create.stderr], [1, '', taken]);
  const rename = await admin(['clients', 'update', clients.admin.id, '--name', 'plain SERVICE']);
  assert.deepEqual([rename.code, rename.stdout, rename.stderr], [1, '', taken]);
  const same = await admin(['clients', 'update', clients.plain.id, '--name', 'Plain service']);
  assert.equal(same.code, 0, 'keeping its own name is no duplicate');
  const globex = await admin(['clients', 'create', '--org', 'Globex', '--name', 'Plain service', '--grant-type', 'CLIENT-CREDENTIALS']);
  assert.equal(globex.code, 0, globex.stderr);
  // Now two organizations have it: the name alone is ambiguous, --org picks one.
  const ambiguous = await admin(['clients', 'disable', 'Plain service']);
  assert.equal(ambiguous.code, 1);
  assert.equal(
    ambiguous.stderr,
    `tokend: 2 clients are named "Plain service": give one of their ids: ${[`${clients.plain.id} (Acme)`, `${json(globex).id} (Globex)`].sort().join(', ')}\n`,
  );
  const picked = await admin(['clients', 'disable', 'Plain service', '--org', 'Globex']);
  assert.deepEqual([picked.code, json(picked).id], [0, json(globex).id]);
});

test('the seed refuses a client whose name another client of the organization has, and two of one name in the file', async () => {
  const apiMade = await createThroughApi('Seeded later');
  const seedFile = join(t.dir, 'taken-name.json');
  writeFileSync(
    seedFile,
    JSON.stringify({
      organizations: [
        { id: ACME, name: 'Acme', clients: [{ name: 'seeded LATER', secret: 'a-long-enough-secret-for-this-seed-1', authorizedGrantType: 'PASSWORD' }] },
      ],
    }),
  );
  const run = await admin(['seed', seedFile]);
  assert.deepEqual(
    [run.code, run.stdout, run.stderr],
    [
      1,
      '',
      `tokend: seed refused, nothing was changed: organizations[0].clients[0].name: organization Acme already has another client named "Seeded later" (${apiMade}): a client name must name one client; rename one of them\n`,
    ],
  );
  const twice = join(t.dir, 'twice.json');
  const client = (name: string) => ({ name, secret: 'a-long-enough-secret-for-this-seed-2', authorizedGrantType: 'PASSWORD' });
  writeFileSync(twice, JSON.stringify({ organizations: [{ name: 'Twice', clients: [client('Same'), client('SAME')] }] }));
  const refused = await admin(['seed', twice]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^tokend: seed refused, nothing was changed: organizations\[0\]\.clients\[1\]\.name: /);
});

test('users disable, set-password and tokens revoke-user take an email; one two organizations have is refused, listing the ids', async () => {
  const password = 'a-password-for-bob-2';
  const set = await admin(['users', 'set-password', users.bob.email, '--password-stdin'], password);
  assert.deepEqual([set.code, json(set).id], [0, users.bob.id]);
  const revoked = await admin(['tokens', 'revoke-user', 'BOB@acme.test']);
  assert.deepEqual([revoked.code, json(revoked).userId], [0, users.bob.id]);
  const disabled = await admin(['users', 'disable', users.bob.email]);
  assert.deepEqual([disabled.code, json(disabled).id], [0, users.bob.id]);

  const twin = await admin(
    ['users', 'create', '--org', 'Globex', '--name', 'Dave at Globex', '--email', users.dave.email, '--password-stdin'],
    'a-password-for-the-twin',
  );
  assert.equal(twin.code, 0, twin.stderr);
  const ids = [`${users.dave.id} (Acme)`, `${json(twin).id} (Globex)`];
  for (const args of [
    ['users', 'disable', users.dave.email],
    ['tokens', 'revoke-user', users.dave.email],
  ]) {
    const run = await admin(args);
    assert.equal(run.code, 1, args.join(' '));
    assert.equal(run.stdout, '');
    const line = run.stderr.split('\n')[0] ?? '';
    assert.ok(
      line.startsWith(`tokend: 2 organizations have a user with the email ${users.dave.email}: give one of their ids, or the organization (--org): `),
      line,
    );
    assert.deepEqual(
      line
        .slice(line.lastIndexOf(': ') + 2)
        .split(', ')
        .sort(),
      ids.sort(),
    );
  }
  const picked = await admin(['users', 'disable', users.dave.email, '--org', 'Acme']);
  assert.deepEqual([picked.code, json(picked).id], [0, users.dave.id]);
});
