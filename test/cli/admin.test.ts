/**
 * The admin commands on the SQLite file a listening tokend serves from: each change shows on
 * the server's next request over the socket (it drops its caches when `data_version` moves).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { otherNodeChange } from '../helpers/app.js';
import { ACME, clients, users } from '../helpers/fixture.js';
import { rawRows } from '../helpers/raw-sql.js';
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

/** A token over the socket, or the status of the refusal. */
async function login(client: { id: string; secret: string }, user?: { email: string; password: string }): Promise<string | number> {
  const body = new URLSearchParams(user ? { grant_type: 'password', username: user.email, password: user.password } : { grant_type: 'client_credentials' });
  const response = await fetch(`${t.url}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}` },
    body,
  });
  return response.ok ? ((await response.json()) as { access_token: string }).access_token : response.status;
}

async function status(token: string | number): Promise<number> {
  assert.equal(typeof token, 'string', `expected a token, got ${token}`);
  return (await fetch(`${t.url}/api/v2/tokens/me`, { method: 'HEAD', headers: { authorization: `Bearer ${token}` } })).status;
}

const storedClient = async (id: string) => (await rawRows<{ secret_hash: string; state: string }>(t.database, 'SELECT * FROM clients WHERE id = ?', [id]))[0];

test('clients create prints the id and a generated secret once; only its hash is stored; the secret logs in', async () => {
  const run = await admin(['clients', 'create', '--org', 'Acme', '--name', 'CLI service', '--grant-type', 'CLIENT-CREDENTIALS', '--role', 'Token admin']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, 'Save the client secret now: tokend keeps only its hash and cannot show it again.\n');
  const created = json<{ id: string; secret: string; organization: { id: string; name: string }; roleDivisions: Array<{ roleId: string }>; state: string }>(
    run,
  );
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  assert.ok(created.secret.length >= 43, 'a 256-bit secret');
  assert.deepEqual(created.organization, { id: ACME, name: 'Acme' });
  assert.deepEqual(
    created.roleDivisions.map((rd) => rd.roleId),
    ['11111111-0000-4000-8000-00000000a001'],
  );
  assert.equal(created.state, 'active');
  const stored = await storedClient(created.id);
  assert.match(stored?.secret_hash ?? '', /^scrypt\$/);
  assert.ok(!stored?.secret_hash.includes(created.secret));

  const me = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--client-id', created.id, '--client-secret', created.secret]);
  assert.equal(me.code, 0, me.stderr);
  assert.equal(json<{ OAuthClient: { name: string } }>(me).OAuthClient.name, 'CLI service');

  const listed = await admin(['clients', 'list', '--org', ACME]);
  assert.equal(listed.code, 0, listed.stderr);
  assert.ok(json<Array<{ id: string }>>(listed).some((c) => c.id === created.id));
  assert.ok(
    !listed.stdout.includes(created.secret) && !listed.stdout.includes('scrypt') && !listed.stdout.includes('secret'),
    'no secret and no hash in the list',
  );
});

test('clients create: CODE with redirect URIs and scopes, by organization id; mistakes are refused with the reason', async () => {
  const code = await admin([
    'clients',
    'create',
    '--org',
    ACME,
    '--name',
    'Web app',
    '--grant-type',
    'CODE',
    '--redirect-uri',
    'https://app.test/cb,http://127.0.0.1/cb',
    '--scope',
    'authorization',
    '--access-token-validity',
    '3600',
  ]);
  assert.equal(code.code, 0, code.stderr);
  const created = json<{ registeredRedirectUri: string[]; scope: string[]; accessTokenValiditySeconds: number }>(code);
  assert.deepEqual(created.registeredRedirectUri, ['https://app.test/cb', 'http://127.0.0.1/cb']);
  assert.deepEqual(created.scope, ['authorization']);
  assert.equal(created.accessTokenValiditySeconds, 3600);

  const cases: Array<[string[], RegExp]> = [
    [['--org', 'Nowhere', '--name', 'x', '--grant-type', 'CLIENT-CREDENTIALS'], /^tokend: no organization with the id or name "Nowhere"\n$/],
    [
      ['--org', 'Acme', '--name', 'x', '--grant-type', 'CLIENT-CREDENTIALS', '--role', 'Boss'],
      /^tokend: no role "Boss" in organization Acme \(roles: Nothing, Org admin, Token admin, Wildcard\)\n$/,
    ],
    [
      ['--org', 'Acme', '--name', 'x', '--grant-type', 'MAGIC'],
      /^tokend: --grant-type must be one of CODE, TOKEN, SAML2-BEARER, PASSWORD, CLIENT-CREDENTIALS, not MAGIC\n\nUsage: tokend clients create/,
    ],
    [['--org', 'Acme', '--grant-type', 'PASSWORD'], /^tokend: --name is required\n\nUsage: tokend clients create/],
    [['--org', 'Acme', '--name', 'x', '--grant-type', 'PASSWORD', '--role', 'Nothing'], /^tokend: --role applies to CLIENT-CREDENTIALS clients only/],
    [['--org', 'Acme', '--name', 'x', '--grant-type', 'CODE'], /^tokend: a CODE client needs at least one --redirect-uri\n/],
    [
      ['--org', 'Acme', '--name', 'x', '--grant-type', 'PASSWORD', '--access-token-validity', '10'],
      /^tokend: --access-token-validity must be a whole number of seconds from 300 to 172800\n/,
    ],
  ];
  for (const [args, expected] of cases) {
    const run = await admin(['clients', 'create', ...args]);
    assert.equal(run.code, 1, args.join(' '));
    assert.equal(run.stdout, '', 'no secret printed for a client that was not made');
    assert.match(run.stderr, expected);
  }
});

test("clients disable: the running server refuses the client's cached token and its logins at once; enable lets it in again, not its old tokens", async () => {
  const token = await login(clients.wildcard);
  assert.equal(await status(token), 200, 'the server has the token and the client cached now');
  const disabled = await admin(['clients', 'disable', clients.wildcard.id]);
  assert.deepEqual(
    [disabled.code, json(disabled), disabled.stderr],
    [0, { id: clients.wildcard.id, state: 'disabled', revokedTokens: 1 }, `Disabled client ${clients.wildcard.id}: revoked 1 token.\n`],
  );
  // A login first: /oauth/token must see the change without an API call having synced the caches.
  assert.equal(typeof (await login(clients.wildcard)), 'number', 'no new token');
  assert.equal(await status(token), 401);
  const enabled = await admin(['clients', 'enable', clients.wildcard.id]);
  assert.deepEqual(
    [enabled.code, json(enabled), enabled.stderr],
    [0, { id: clients.wildcard.id, state: 'active' }, `Enabled client ${clients.wildcard.id}: ended nothing; tokens revoked before stay revoked.\n`],
  );
  assert.equal(await status(await login(clients.wildcard)), 200);
  assert.equal(await status(token), 401, 'the token revoked by the disable stays revoked');
  const unknown = await admin(['clients', 'disable', '00000000-0000-4000-8000-000000000000']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'tokend: no client with the id or name "00000000-0000-4000-8000-000000000000" (tokend clients list shows them)\n');
});

test('clients rotate-secret shows a new secret once; the old secret stops working at once, the new one works', async () => {
  assert.equal(typeof (await login(clients.plain)), 'string', 'the server has the client and its verified secret cached now');
  const run = await admin(['clients', 'rotate-secret', clients.plain.id, '--yes']);
  assert.equal(run.code, 0, run.stderr);
  const { id, secret } = json<{ id: string; secret: string }>(run);
  assert.equal(id, clients.plain.id);
  assert.notEqual(secret, clients.plain.secret);
  assert.match(run.stderr, /Save the client secret now/);
  assert.equal(await login(clients.plain), 401);
  assert.equal(await status(await login({ id: clients.plain.id, secret })), 200);
});

test('users create (password from stdin) signs in with the password grant; duplicates and missing passwords are refused', async () => {
  const password = 'erin-new-password';
  const run = await admin(
    ['users', 'create', '--org', 'Acme', '--name', 'Erin', '--email', 'erin@acme.test', '--role', 'Token admin', '--password-stdin'],
    `${password}\n`,
  );
  assert.equal(run.code, 0, run.stderr);
  assert.ok(!run.stdout.includes(password) && !run.stderr.includes(password));
  const user = json<{ id: string; email: string; roles: Array<{ name: string }>; state: string }>(run);
  assert.equal(user.email, 'erin@acme.test');
  assert.deepEqual(
    user.roles.map((r) => r.name),
    ['Token admin'],
  );
  assert.equal(await status(await login(clients.passwordApp, { email: 'erin@acme.test', password })), 200);

  const duplicate = await admin(['users', 'create', '--org', 'Acme', '--name', 'Erin 2', '--email', 'ERIN@acme.test', '--password-stdin'], 'x');
  assert.equal(duplicate.code, 1);
  assert.match(duplicate.stderr, /^tokend: a user with the email ERIN@acme\.test already exists in Acme\n$/);
  const noPassword = await admin(['users', 'create', '--org', 'Acme', '--name', 'Fay', '--email', 'fay@acme.test']);
  assert.equal(noPassword.code, 1);
  assert.match(noPassword.stderr, /^tokend: no password: pipe it with --password-stdin, or run in a terminal to be asked\n\nUsage: tokend users create/);
  const badEmail = await admin(['users', 'create', '--org', 'Acme', '--name', 'Fay', '--email', 'fay', '--password-stdin'], 'x');
  assert.match(badEmail.stderr, /^tokend: --email fay is not an email address\n/);
});

test("users disable revokes the user's tokens at once on the running server; enable lets them sign in again", async () => {
  const token = await login(clients.passwordApp, users.carol);
  assert.equal(await status(token), 200);
  const run = await admin(['users', 'disable', users.carol.id]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(json(run), { id: users.carol.id, state: 'inactive', endedSessions: 0, revokedTokens: 1 });
  assert.equal(run.stderr, `Disabled user ${users.carol.id}: ended 0 sign-in sessions, revoked 1 token.\n`);
  await otherNodeChange();
  assert.equal(await status(token), 401);
  assert.equal(typeof (await login(clients.passwordApp, users.carol)), 'number', 'an inactive user cannot sign in');
  const enabled = await admin(['users', 'enable', users.carol.id]);
  assert.deepEqual(json(enabled), { id: users.carol.id, state: 'active' });
  assert.equal(await status(token), 401, 'revoked tokens stay revoked');
  assert.equal(await status(await login(clients.passwordApp, users.carol)), 200);
});

test('users set-password: the old password stops working, the new one works; an unknown user is named', async () => {
  const run = await admin(['users', 'set-password', users.bob.id, '--password-stdin'], 'bob-second-password\n');
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(json(run), { id: users.bob.id, passwordChanged: true, endedSessions: 0 });
  assert.equal(typeof (await login(clients.passwordApp, users.bob)), 'number');
  assert.equal(await status(await login(clients.passwordApp, { email: users.bob.email, password: 'bob-second-password' })), 200);
  const unknown = await admin(['users', 'set-password', 'no-such-user', '--password-stdin'], 'x');
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'tokend: no user with the id or email no-such-user\n');
});

test('tokens revoke-user ends every token of the user on the running server; an unknown user is exit 1', async () => {
  const first = await login(clients.passwordApp, users.alice);
  const second = await login(clients.readonlyApp, users.alice);
  assert.equal(await status(first), 200);
  const run = await admin(['tokens', 'revoke-user', users.alice.id]);
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(json(run), { userId: users.alice.id, endedSessions: 0, revokedTokens: 2 });
  assert.equal(run.stderr, `Revoked the access of user ${users.alice.id}: ended 0 sign-in sessions, revoked 2 tokens.\n`);
  // The CLI is another node: on PostgreSQL its revocations reach the server as notifications.
  await otherNodeChange();
  assert.equal(await status(first), 401);
  assert.equal(await status(second), 401);
  const unknown = await admin(['tokens', 'revoke-user', 'no-such-user']);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'tokend: no user with the id or email no-such-user\n');
});

test('the store comes from --database over TOKEND_DATABASE; a missing file is an error, not a new empty store', async () => {
  const viaFlag = await cli.run(['clients', 'list', '--database', t.database], { env: { TOKEND_DATABASE: '/nonexistent/other.db' } });
  assert.equal(viaFlag.code, 0, viaFlag.stderr);
  assert.ok(json<unknown[]>(viaFlag).length >= 9);
  const missing = await cli.run(['clients', 'list', '--database', `${t.dir}/typo.db`]);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, `tokend: no database at ${t.dir}/typo.db: pass --database or set TOKEND_DATABASE to the store the server uses\n`);
});
