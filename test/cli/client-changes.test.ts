/**
 * `tokend clients update` and `tokend clients delete` on the store a listening tokend serves
 * from (SQLite, or PostgreSQL with TOKEND_TEST_DATABASE=postgres): exact output and exit codes,
 * and what the server does on its next request.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ACME, clients } from '../helpers/fixture.js';
import { cliHome, json, listeningTokend } from './helpers.js';

let t: Awaited<ReturnType<typeof listeningTokend>>;
const cli = cliHome();
let admin: (args: string[]) => ReturnType<typeof cli.run>;
before(async () => {
  t = await listeningTokend();
  admin = (args) => cli.run(args, { env: { TOKEND_DATABASE: t.database } });
});
after(async () => {
  await t.close();
  cli.dispose();
});

const NOTHING_ROLE = '11111111-0000-4000-8000-00000000a003';
const TOKEN_ADMIN_ROLE = '11111111-0000-4000-8000-00000000a001';

async function login(client: { id: string; secret: string }): Promise<string | number> {
  const response = await fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  return response.ok ? ((await response.json()) as { access_token: string }).access_token : response.status;
}
const status = async (token: string | number) => {
  assert.equal(typeof token, 'string', `expected a token, got ${token}`);
  return (await fetch(`${t.url}/api/v2/tokens/me`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } })).status;
};

test('clients update replaces only the fields given and prints the client; its tokens stay valid while it stays active', async () => {
  const token = await login(clients.plain);
  assert.equal(await status(token), 200);
  const run = await admin([
    'clients',
    'update',
    clients.plain.id,
    '--name',
    'Plain service v2',
    '--access-token-validity',
    '3600',
    '--role',
    'Token admin',
    '--description',
    'billing',
  ]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, `Updated client ${clients.plain.id}: revoked 0 tokens.\n`);
  const shown = json(run);
  assert.deepEqual(
    { ...shown, dateCreated: typeof shown.dateCreated, dateModified: typeof shown.dateModified },
    {
      id: clients.plain.id,
      name: 'Plain service v2',
      organization: { id: ACME, name: 'Acme' },
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      state: 'active',
      scope: [],
      registeredRedirectUri: [],
      roleDivisions: [{ roleId: TOKEN_ADMIN_ROLE, divisionId: (shown.roleDivisions as Array<{ divisionId: string }>)[0]?.divisionId }],
      accessTokenValiditySeconds: 3600,
      description: 'billing',
      dateCreated: 'string',
      dateModified: 'string',
      revokedTokens: 0,
    },
  );
  const stored = await t.app.tokend.store.findClient(clients.plain.id);
  assert.equal(stored?.description, 'billing');
  assert.deepEqual(
    stored?.roleDivisions.map((rd) => rd.roleId),
    [TOKEN_ADMIN_ROLE],
    `--role replaced ${NOTHING_ROLE}`,
  );
  assert.equal(await status(token), 200, 'an update that keeps the client active ends nothing');
  // The server's next login carries the new lifetime.
  const fresh = await fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${clients.plain.id}:${clients.plain.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  assert.equal(((await fresh.json()) as { expires_in: number }).expires_in, 3600);
});

test("clients update --state disabled revokes the client's tokens, as disable does; --state active lets it in again", async () => {
  const token = await login(clients.wildcard);
  const run = await admin(['clients', 'update', clients.wildcard.id, '--state', 'disabled']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, `Updated client ${clients.wildcard.id}: revoked 1 token.\n`);
  assert.equal(json(run).state, 'disabled');
  assert.equal(await status(token), 401);
  assert.equal(await login(clients.wildcard), 400, 'a disabled client gets no token');
  const back = await admin(['clients', 'update', clients.wildcard.id, '--state', 'active']);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(await status(await login(clients.wildcard)), 200);
});

test('clients update refuses what the client rules refuse, a bad --state, an empty change and an unknown id, and changes nothing', async () => {
  const before = await t.app.tokend.store.findClient(clients.admin.id);
  const cases: Array<[string[], number, RegExp]> = [
    [
      ['--scope', 'authorization'],
      1,
      /^tokend: --scope applies to user-grant clients only: a CLIENT-CREDENTIALS token carries its roles\n\nUsage: tokend clients update <clientId\|name>/,
    ],
    [
      ['--access-token-validity', '10'],
      1,
      /^tokend: --access-token-validity must be a whole number of seconds from 300 to 172800\n\nUsage: tokend clients update/,
    ],
    [['--state', 'paused'], 1, /^tokend: --state must be one of active, disabled, inactive, not paused\n\nUsage: tokend clients update/],
    [
      [],
      1,
      /^tokend: nothing to change: give at least one of --name, --description, --role, --scope, --redirect-uri, --access-token-validity, --state, --pre-authorized\n\nUsage:/,
    ],
    [['--role', 'Nobody'], 1, /^tokend: no role "Nobody" in organization Acme \(roles: /],
  ];
  for (const [args, code, stderr] of cases) {
    const run = await admin(['clients', 'update', clients.admin.id, ...args]);
    assert.equal(run.code, code, args.join(' '));
    assert.equal(run.stdout, '', args.join(' '));
    assert.match(run.stderr, stderr, args.join(' '));
  }
  const unknown = await admin(['clients', 'update', '00000000-0000-4000-8000-000000000000', '--name', 'x']);
  assert.deepEqual(unknown, {
    code: 1,
    stdout: '',
    stderr: 'tokend: no client with the id or name "00000000-0000-4000-8000-000000000000" (tokend clients list shows them)\n',
  });
  assert.deepEqual(await t.app.tokend.store.findClient(clients.admin.id), before);
});

test("clients delete revokes the client's tokens at once and removes it; a second delete finds nothing", async () => {
  const token = await login(clients.globex);
  assert.equal(await status(token), 200);
  const run = await admin(['clients', 'delete', clients.globex.id]);
  assert.deepEqual(run, {
    code: 0,
    stdout: `${JSON.stringify({ id: clients.globex.id, deleted: true, revokedTokens: 1 }, null, 2)}\n`,
    stderr: `Deleted client ${clients.globex.id}: revoked 1 token.\n`,
  });
  assert.equal(await status(token), 401);
  assert.equal(await login(clients.globex), 401);
  assert.equal(await t.app.tokend.store.findClient(clients.globex.id), null);
  assert.equal(await t.app.tokend.store.isClientDeleted(clients.globex.id), true);
  const again = await admin(['clients', 'delete', clients.globex.id]);
  assert.deepEqual(again, { code: 1, stdout: '', stderr: `tokend: no client with the id or name "${clients.globex.id}" (tokend clients list shows them)\n` });
});
