/** `tokend tokens ...` (the Genesys CLI's tree) as a subprocess against a listening tokend. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Command, type Group, parseCommand } from '../../src/cli/args.js';
import { tokensGroup } from '../../src/cli/commands/tokens.js';
import { clients, users } from '../helpers/fixture.js';
import { closedPort, json, type ListeningTokend, useListeningTokend } from './helpers.js';

let t: ListeningTokend;
const cli = useListeningTokend((started) => (t = started));

const as = (client: { id: string; secret: string }) => ['--url', t.url, '--client-id', client.id, '--client-secret', client.secret];
const status = async (token: string) =>
  (await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: { authorization: `Bearer ${token}` } })).statusCode;

test('tokens me get prints the TokenInfo as JSON, exit 0, nothing on stderr', async () => {
  const run = await cli.run(['tokens', 'me', 'get', ...as(clients.admin)]);
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
    const run = await cli.run(['tokens', 'me', 'get', ...flag, ...as(clients.admin)]);
    assert.equal(run.code, 0, `${flag.join(' ')}: ${run.stderr}`);
  }
  const bad = await cli.run(['tokens', 'me', 'get', '--preserveIdleTTL=maybe', ...as(clients.admin)]);
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
  const run = await cli.run(['tokens', 'me', 'get', '--preserveIdleTTL=True', ...as(clients.admin)]);
  assert.equal(run.stderr, '');
  assert.equal(run.code, 0);
  const bad = await cli.run(['tokens', 'me', 'get', '--preserveIdleTTL=Yes', ...as(clients.admin)]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^tokend: --preserveIdleTTL takes true or false, not "Yes"\n/);
});

test('tokens me head: exit 0 and nothing printed for a valid token, exit 1 and the 401 for a bad one', async () => {
  const ok = await cli.run(['tokens', 'me', 'head', ...as(clients.admin)]);
  assert.deepEqual(ok, { code: 0, stdout: '', stderr: '' });
  const bad = await cli.run(['tokens', 'me', 'head', '--url', t.url, '--access-token', 'not-a-token']);
  assert.equal(bad.code, 1);
  assert.equal(bad.stdout, '');
  assert.match(bad.stderr, /^tokend: 401 bad\.credentials: .*not valid.*\n$/);
});

test('tokens me delete revokes the token it was made with', async () => {
  const token = await t.token(clients.plain);
  const run = await cli.run(['tokens', 'me', 'delete', '--url', t.url, '--access-token', token]);
  assert.deepEqual(run, { code: 0, stdout: '', stderr: '' });
  assert.equal(await status(token), 401);
});

test('tokens delete <userId> revokes every token of that user; without the permission a 403 on stderr', async () => {
  const bob = await t.token(clients.passwordApp, users.bob);
  const denied = await cli.run(['tokens', 'delete', users.bob.id, ...as(clients.plain)]);
  assert.equal(denied.code, 1);
  assert.equal(denied.stdout, '');
  assert.match(denied.stderr, /^tokend: 403 missing\.any\.permissions: .*oauth:token:delete \(correlation id [^)]+\) - .*\n$/);
  assert.equal(await status(bob), 200);
  const run = await cli.run(['tokens', 'delete', users.bob.id, ...as(clients.admin)]);
  assert.deepEqual(run, { code: 0, stdout: '', stderr: '' });
  assert.equal(await status(bob), 401);
  const missing = await cli.run(['tokens', 'delete', ...as(clients.admin)]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^tokend: missing <userId>\n\nUsage: tokend tokens delete <userId>/);
});

test('tokens timeout get and update -f / --file / -f - (stdin) print the stored IdleTokenTimeout', async () => {
  const got = await cli.run(['tokens', 'timeout', 'get', ...as(clients.admin)]);
  assert.equal(got.code, 0, got.stderr);
  assert.equal(json(got).enableIdleTokenTimeout, false);
  const file = join(cli.home, 'timeout.json');
  writeFileSync(file, JSON.stringify({ enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 1800, inactivityTimeoutUnit: 'Minutes' }));
  for (const flag of ['-f', '--file']) {
    const put = await cli.run(['tokens', 'timeout', 'update', flag, file, ...as(clients.admin)]);
    assert.equal(put.code, 0, put.stderr);
    assert.equal(json(put).idleTokenTimeoutSeconds, 1800);
  }
  const body = JSON.stringify({ enableIdleTokenTimeout: false, idleTokenTimeoutSeconds: 900 });
  const piped = await cli.run(['tokens', 'timeout', 'update', '-f', '-', ...as(clients.admin)], { input: body });
  assert.equal(piped.code, 0, piped.stderr);
  assert.deepEqual([json(piped).enableIdleTokenTimeout, json(piped).idleTokenTimeoutSeconds], [false, 900]);
  assert.equal(json(await cli.run(['tokens', 'timeout', 'get', ...as(clients.admin)])).enableIdleTokenTimeout, false);
});

test('tokens timeout update: a body the server refuses, a file that is not JSON or not there, no -f', async () => {
  const file = join(cli.home, 'bad-timeout.json');
  writeFileSync(file, JSON.stringify({ enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 10 }));
  const refused = await cli.run(['tokens', 'timeout', 'update', '-f', file, ...as(clients.admin)]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /^tokend: 400 (invalid\.value|constraint\.validation): .*\(correlation id [^)]+\)\n$/);
  writeFileSync(file, '{ not json');
  const notJson = await cli.run(['tokens', 'timeout', 'update', '-f', file, ...as(clients.admin)]);
  assert.equal(notJson.code, 1);
  assert.match(notJson.stderr, /^tokend: .*bad-timeout\.json is not JSON: .*\n$/);
  const absent = await cli.run(['tokens', 'timeout', 'update', '-f', join(cli.home, 'nope.json'), ...as(clients.admin)]);
  assert.equal(absent.code, 1);
  assert.match(absent.stderr, /^tokend: cannot read .*nope\.json: ENOENT.*\n$/);
  const noFile = await cli.run(['tokens', 'timeout', 'update', ...as(clients.admin)]);
  assert.equal(noFile.code, 1);
  assert.match(noFile.stderr, /^tokend: --file is required\n\nUsage: tokend tokens timeout update/);
});

test('a wrong secret: exit 1, one clear line on stderr, the secret printed nowhere', async () => {
  const secret = 'wrong-secret-do-not-print';
  const run = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--client-id', clients.admin.id, '--client-secret', secret]);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^tokend: 401 invalid_client: authentication failed \(correlation id [^)]+\) - check the client id and secret\n$/);
  assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret));
});

test('an unreachable server: exit 1, one line naming the address and what to check', async () => {
  const port = await closedPort();
  const run = await cli.run(['tokens', 'me', 'get', '--url', `http://127.0.0.1:${port}`, '--client-id', 'id', '--client-secret', 'unreachable-secret']);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(
    run.stderr,
    new RegExp(`^tokend: POST http://127\\.0\\.0\\.1:${port}/oauth/token failed: .*ECONNREFUSED.* - is the server running at that address\\?\\n$`),
  );
  assert.ok(!run.stderr.includes('unreachable-secret'));
  const withToken = await cli.run(['tokens', 'me', 'head', '--url', `http://127.0.0.1:${port}`, '--access-token', 'x']);
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
  const gcFlags = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--clientid', clients.plain.id, '--clientsecret', clients.plain.secret]);
  assert.equal(json<{ OAuthClient: { id: string } }>(gcFlags).OAuthClient.id, clients.plain.id);
  const gcToken = await cli.run(['tokens', 'me', 'get', '--url', t.url, '--accesstoken', token]);
  assert.equal(json<{ OAuthClient: { id: string } }>(gcToken).OAuthClient.id, clients.plain.id);
  // Flags outrank the environment: the flag's client, not the variable's.
  const flagsWin = await cli.run(['tokens', 'me', 'get', '--client-id', clients.plain.id, '--client-secret', clients.plain.secret], { env });
  assert.equal(json<{ OAuthClient: { id: string } }>(flagsWin).OAuthClient.id, clients.plain.id);
  // A region resolves to https://api.<region>: proven by the error naming that host, not by a call out.
  const region = await cli.run(['tokens', 'me', 'get', '--region', 'not a region', '--client-id', 'a', '--client-secret', 'b']);
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
