/** `tokend tokens ...` (the Genesys CLI's tree) as a subprocess against a listening tokend. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Command, type Group, parseCommand } from '../../src/cli/args.js';
import { tokensGroup } from '../../src/cli/commands/tokens.js';
import { clients, users } from '../helpers/fixture.js';
import { closedPort, json, type ListeningTokend, type RunOptions, useListeningTokend } from './helpers.js';

let t: ListeningTokend;
const cli = useListeningTokend((started) => (t = started));

/** Runs a command as `client`: its id as a flag, its secret in GENESYSCLOUD_OAUTHCLIENT_SECRET, never on the command line. */
const runAs = (client: { id: string; secret: string }, args: string[], options: RunOptions = {}) =>
  cli.run([...args, '--url', t.url, '--client-id', client.id], { ...options, env: { GENESYSCLOUD_OAUTHCLIENT_SECRET: client.secret, ...options.env } });
const status = async (token: string) =>
  (await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: { authorization: `Bearer ${token}` } })).statusCode;

test('tokens me get prints the TokenInfo as JSON, exit 0, nothing on stderr', async () => {
  const run = await runAs(clients.admin, ['tokens', 'me', 'get']);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  const info = json(run) as { organization: { name: string }; OAuthClient: { id: string; authorizedGrantType: string } };
  assert.equal(info.organization.name, 'Acme');
  assert.equal(info.OAuthClient.id, clients.admin.id);
  assert.equal(info.OAuthClient.authorizedGrantType, 'CLIENT-CREDENTIALS');
  assert.ok(!run.stdout.includes(clients.admin.secret));
});

test('--preserveIdleTTL, bare or =true/=false or followed by true/false; anything else is a usage error', async () => {
  for (const flag of [['--preserveIdleTTL'], ['--preserveIdleTTL=true'], ['--preserveIdleTTL', 'false'], ['--preserveIdleTTL=false']]) {
    const run = await runAs(clients.admin, ['tokens', 'me', 'get', ...flag]);
    assert.equal(run.code, 0, `${flag.join(' ')}: ${run.stderr}`);
  }
  const bad = await runAs(clients.admin, ['tokens', 'me', 'get', '--preserveIdleTTL=maybe']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^tokend: --preserveIdleTTL takes true or false, not "maybe"\n\nUsage: tokend tokens me get/);
});

test('--preserveIdleTTL takes true and false in any letter case (.NET SDKs send True), as the server does', async () => {
  const get = (tokensGroup.children.find((c) => c.name === 'me') as Group).children.find((c) => c.name === 'get') as Command;
  const path = ['tokens', 'me', 'get'];
  for (const flag of [['--preserveIdleTTL=True'], ['--preserveIdleTTL=TRUE'], ['--preserveIdleTTL', 'True']]) {
    assert.deepEqual({ ...parseCommand(get, flag, path).values }, { preserveIdleTTL: true }, flag.join(' '));
  }
  for (const flag of [['--preserveIdleTTL=False'], ['--preserveIdleTTL', 'FALSE']]) {
    assert.deepEqual({ ...parseCommand(get, flag, path).values }, {}, flag.join(' '));
  }
  const run = await runAs(clients.admin, ['tokens', 'me', 'get', '--preserveIdleTTL=True']);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  const bad = await runAs(clients.admin, ['tokens', 'me', 'get', '--preserveIdleTTL=Yes']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^tokend: --preserveIdleTTL takes true or false, not "Yes"\n/);
});

test('tokens me head: exit 0 and nothing printed for a valid token, exit 1 and the 401 for a bad one', async () => {
  const ok = await runAs(clients.admin, ['tokens', 'me', 'head']);
  assert.deepEqual(ok, { code: 0, stdout: '', stderr: '' });
  const bad = await cli.run(['tokens', 'me', 'head', '--url', t.url], { env: { GENESYSCLOUD_ACCESS_TOKEN: 'not-a-token' } });
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^tokend: 401 bad\.credentials: .*not valid.*\n$/);
});

test('tokens me delete revokes the token it was made with', async () => {
  const token = await t.token(clients.plain);
  const run = await cli.run(['tokens', 'me', 'delete', '--url', t.url], { env: { GENESYSCLOUD_ACCESS_TOKEN: token } });
  assert.deepEqual(run, { code: 0, stdout: '', stderr: '' });
  assert.equal(await status(token), 401);
});

test('tokens delete <userId> revokes every token of that user; without the permission a 403 on stderr', async () => {
  const bob = await t.token(clients.passwordApp, users.bob);
  const denied = await runAs(clients.plain, ['tokens', 'delete', users.bob.id]);
  assert.equal(denied.code, 1);
  assert.equal(denied.stdout, '');
  assert.match(denied.stderr, /^tokend: 403 missing\.any\.permissions: .*oauth:token:delete \(correlation id [^)]+\) - .*\n$/);
  assert.equal(await status(bob), 200);
  const run = await runAs(clients.admin, ['tokens', 'delete', users.bob.id]);
  assert.deepEqual(run, { code: 0, stdout: '', stderr: '' });
  assert.equal(await status(bob), 401);
  const missing = await runAs(clients.admin, ['tokens', 'delete']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^tokend: missing <userId\|email>\n\nUsage: tokend tokens delete <userId\|email>/);
});

test('tokens delete takes an email, found with the users search; an email nobody has is one line, exit 1', async () => {
  const carol = await t.token(clients.passwordApp, users.carol);
  // The search needs its own permission, named as any 403 is.
  const denied = await runAs(clients.admin, ['tokens', 'delete', users.carol.email]);
  assert.equal(denied.code, 1);
  assert.match(denied.stderr, /^tokend: 403 missing\.any\.permissions: .*directory:user:view \(correlation id [^)]+\) - .*\n$/);
  assert.equal(await status(carol), 200);
  // A service that may both search people and delete their tokens.
  const store = { env: { TOKEND_DATABASE: t.database } };
  const role = await cli.run(['roles', 'create', '--org', 'Acme', '--name', 'Token reaper', '--permission', 'oauth:token:delete,directory:user:view'], store);
  assert.equal(role.code, 0, role.stderr);
  const made = await cli.run(
    ['clients', 'create', '--org', 'Acme', '--name', 'Token reaper', '--grant-type', 'CLIENT-CREDENTIALS', '--role', 'Token reaper'],
    store,
  );
  assert.equal(made.code, 0, made.stderr);
  const reaper = json<{ id: string; secret: string }>(made);
  const run = await runAs(reaper, ['tokens', 'delete', users.carol.email]);
  assert.deepEqual(run, { code: 0, stdout: '', stderr: '' });
  assert.equal(await status(carol), 401);
  const nobody = await runAs(reaper, ['tokens', 'delete', 'nobody@acme.test']);
  assert.deepEqual(nobody, { code: 1, stdout: '', stderr: "tokend: no user with the email nobody@acme.test in the client's organization\n" });
});

test('tokens timeout get and update -f / --file / -f - (stdin) print the stored IdleTokenTimeout', async () => {
  const got = await runAs(clients.admin, ['tokens', 'timeout', 'get']);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(json(got).enableIdleTokenTimeout, false);
  const file = join(cli.home, 'timeout.json');
  writeFileSync(file, JSON.stringify({ enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 1800, inactivityTimeoutUnit: 'Minutes' }));
  for (const flag of ['-f', '--file']) {
    const put = await runAs(clients.admin, ['tokens', 'timeout', 'update', flag, file]);
    assert.equal(put.code, 0, put.stderr);
    assert.equal(json(put).idleTokenTimeoutSeconds, 1800);
  }
  const body = JSON.stringify({ enableIdleTokenTimeout: false, idleTokenTimeoutSeconds: 900 });
  const piped = await runAs(clients.admin, ['tokens', 'timeout', 'update', '-f', '-'], { input: body });
  assert.equal(piped.code, 0, piped.stderr);
  assert.deepEqual([json(piped).enableIdleTokenTimeout, json(piped).idleTokenTimeoutSeconds], [false, 900]);
  assert.equal(json(await runAs(clients.admin, ['tokens', 'timeout', 'get'])).enableIdleTokenTimeout, false);
});

test('tokens timeout update: a body the server refuses, a file that is not JSON or not there, no -f', async () => {
  const file = join(cli.home, 'bad-timeout.json');
  writeFileSync(file, JSON.stringify({ enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 10 }));
  const refused = await runAs(clients.admin, ['tokens', 'timeout', 'update', '-f', file]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^tokend: 400 (invalid\.value|constraint\.validation): .*\(correlation id [^)]+\)\n$/);
  writeFileSync(file, '{ not json');
  const notJson = await runAs(clients.admin, ['tokens', 'timeout', 'update', '-f', file]);
  assert.equal(notJson.code, 1);
  assert.match(notJson.stderr, /^tokend: .*bad-timeout\.json is not JSON: .*\n$/);
  const absent = await runAs(clients.admin, ['tokens', 'timeout', 'update', '-f', join(cli.home, 'nope.json')]);
  assert.equal(absent.code, 1);
  assert.match(absent.stderr, /^tokend: cannot read .*nope\.json: ENOENT.*\n$/);
  const noFile = await runAs(clients.admin, ['tokens', 'timeout', 'update']);
  assert.equal(noFile.code, 1);
  assert.match(noFile.stderr, /^tokend: --file is required\n\nUsage: tokend tokens timeout update/);
});

test('a wrong secret: exit 1, one clear line on stderr, the secret printed nowhere', async () => {
  const secret = 'wrong-secret-do-not-print';
  const run = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--client-id', clients.admin.id, '--client-secret-stdin'], { input: secret });
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^tokend: 401 invalid_client: authentication failed \(correlation id [^)]+\) - check the client id and secret\n$/);
  assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret));
});

test('an unreachable server: exit 1, one line naming the address and what to check', async () => {
  const port = await closedPort();
  const run = await cli.run(['tokens', 'me', 'get', '--url', `http://127.0.0.1:${port}`, '--client-id', 'id', '--client-secret-stdin'], {
    input: 'unreachable-secret\n',
  });
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(
    run.stderr,
    new RegExp(`^tokend: POST http://127\\.0\\.0\\.1:${port}/oauth/token failed: .*ECONNREFUSED.* - is the server running at that address\\?\\n$`),
  );
  assert.ok(!run.stderr.includes('unreachable-secret'));
  const withToken = await cli.run(['tokens', 'me', 'head', '--url', `http://127.0.0.1:${port}`], { env: { GENESYSCLOUD_ACCESS_TOKEN: 'x' } });
  assert.equal(withToken.code, 1);
  assert.match(withToken.stderr, /^tokend: HEAD .* failed: .*ECONNREFUSED.*\(after 3 attempts\) - is the server running/);
});

test('credentials from the Genesys environment variables and TOKEND_URL; the Genesys CLI flag spellings', async () => {
  const env = { TOKEND_URL: t.url, GENESYSCLOUD_OAUTHCLIENT_ID: clients.admin.id, GENESYSCLOUD_OAUTHCLIENT_SECRET: clients.admin.secret };
  const fromEnv = await cli.run(['tokens', 'me', 'get'], { env });
  assert.equal(fromEnv.code, 0, fromEnv.stderr);
  assert.equal(json<{ OAuthClient: { id: string } }>(fromEnv).OAuthClient.id, clients.admin.id);
  const token = await t.token(clients.plain);
  const fromTokenEnv = await cli.run(['tokens', 'me', 'get'], { env: { TOKEND_URL: t.url, GENESYSCLOUD_ACCESS_TOKEN: token } });
  assert.equal(json<{ OAuthClient: { id: string } }>(fromTokenEnv).OAuthClient.id, clients.plain.id);
  // The Genesys CLI's spellings work, with the warning every secret given as a flag gets.
  const gcFlags = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--clientid', clients.plain.id, '--clientsecret', clients.plain.secret]);
  assert.equal(json<{ OAuthClient: { id: string } }>(gcFlags).OAuthClient.id, clients.plain.id);
  assert.equal(gcFlags.stderr, argvWarning('clientsecret', SAFER_SECRET));
  const gcToken = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--accesstoken', token]);
  assert.equal(json<{ OAuthClient: { id: string } }>(gcToken).OAuthClient.id, clients.plain.id);
  assert.equal(gcToken.stderr, argvWarning('accesstoken', 'GENESYSCLOUD_ACCESS_TOKEN'));
  // Flags outrank the environment: the flag's client, not the variable's.
  const flagsWin = await cli.run(['tokens', 'me', 'get', '--client-id', clients.plain.id, '--client-secret-stdin'], { env, input: clients.plain.secret });
  assert.equal(json<{ OAuthClient: { id: string } }>(flagsWin).OAuthClient.id, clients.plain.id);
  // A region resolves to https://api.<region>: proven by the error naming that host, not by a call out.
  const region = await cli.run(['tokens', 'me', 'get', '--region', 'not a region', '--client-id', 'a', '--client-secret-stdin'], { input: 'b' });
  assert.equal(region.code, 1);
  assert.match(region.stderr, /^tokend: region "not a region" is neither a Genesys Cloud region/);
});

test('no server or no credentials anywhere: exit 1 and where to put them', async () => {
  const noServer = await cli.run(['tokens', 'me', 'get']);
  assert.equal(noServer.code, 1);
  assert.equal(
    noServer.stderr,
    'tokend: no server given: pass --url or --region, set TOKEND_URL or GENESYSCLOUD_REGION, or add a profile (tokend profile add)\n',
  );
  const noCredentials = await cli.run(['tokens', 'me', 'get', '--url', t.url]);
  assert.equal(noCredentials.code, 1);
  assert.match(noCredentials.stderr, /^tokend: no credentials: pass --client-id and --client-secret .*GENESYSCLOUD_OAUTHCLIENT_ID.*tokend profile add\)\n$/);
  const noSecret = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--client-id', clients.admin.id]);
  assert.match(noSecret.stderr, /^tokend: a client id but no client secret/);
});

const SAFER_SECRET = '--client-secret-stdin, GENESYSCLOUD_OAUTHCLIENT_SECRET or a profile (tokend profile add)';
const argvWarning = (flag: string, instead: string) =>
  `tokend: warning: --${flag} puts a secret on the command line, where other local users see it (ps) and the shell history keeps it; use ${instead}\n`;

test('a secret given as a flag works but warns once on stderr, naming the safer way; the secret is never printed', async () => {
  const secretFlag = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--client-id', clients.admin.id, '--client-secret', clients.admin.secret]);
  assert.equal(secretFlag.code, 0);
  assert.equal(json<{ OAuthClient: { id: string } }>(secretFlag).OAuthClient.id, clients.admin.id);
  assert.equal(secretFlag.stderr, argvWarning('client-secret', SAFER_SECRET));
  const token = await t.token(clients.plain);
  const tokenFlag = await cli.run(['tokens', 'me', 'head', '--url', t.url, '--access-token', token]);
  assert.deepEqual([tokenFlag.code, tokenFlag.stderr], [0, argvWarning('access-token', 'GENESYSCLOUD_ACCESS_TOKEN')]);
  for (const run of [secretFlag, tokenFlag]) assert.ok(!`${run.stdout}${run.stderr}`.includes(clients.admin.secret) && !run.stderr.includes(token));
});

test('--client-secret-stdin reads the secret from stdin (one line); not with --client-secret, nor with -f -', async () => {
  const piped = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--client-id', clients.admin.id, '--client-secret-stdin'], {
    input: `${clients.admin.secret}\n`,
  });
  assert.deepEqual([piped.code, piped.stderr], [0, '']);
  assert.equal(json<{ OAuthClient: { id: string } }>(piped).OAuthClient.id, clients.admin.id);
  const both = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--client-id', clients.admin.id, '--client-secret', 'x', '--client-secret-stdin']);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /\ntokend: give --client-secret or --client-secret-stdin, not both\n\nUsage: tokend tokens me get/);
  const body = await cli.run(['tokens', 'timeout', 'update', '-f', '-', '--url', t.url, '--client-id', clients.admin.id, '--client-secret-stdin'], {
    input: '{}',
  });
  assert.equal(body.code, 1);
  assert.match(body.stderr, /^tokend: -f - and --client-secret-stdin both read stdin: give the body in a file\n\nUsage: tokend tokens timeout update/);
  const empty = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--client-id', clients.admin.id, '--client-secret-stdin'], { input: '' });
  assert.deepEqual([empty.code, empty.stderr], [1, 'tokend: the client secret is empty; nothing was changed\n']);
});
