/** `tokend profile ...`, precedence flags > environment > profile, and the per-profile token cache. */
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { clients } from '../helpers/fixture.js';
import { issuedTokens, json, type ListeningTokend, useListeningTokend } from './helpers.js';

let t: ListeningTokend;
const cli = useListeningTokend((started) => (t = started));

const configFile = () => join(cli.home, '.tokend', 'config.json');
const cacheFile = (profile: string) => join(cli.home, '.tokend', 'tokens', `${profile}.json`);
const mode = (path: string) => statSync(path).mode & 0o777;
const clientOf = (run: { stdout: string }) => (JSON.parse(run.stdout) as { OAuthClient: { id: string } }).OAuthClient.id;

test('profile add (secret from stdin) writes a 0600 file in a 0700 folder under HOME and never prints the secret', async () => {
  const run = await cli.run(['profile', 'add', 'admin', '--url', t.url, '--client-id', clients.admin.id, '--client-secret-stdin'], {
    input: `${clients.admin.secret}\n`,
  });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.deepEqual(json(run), { name: 'admin', current: true, url: t.url, clientId: clients.admin.id, hasClientSecret: true, file: configFile() });
  assert.equal(mode(configFile()), 0o600);
  assert.equal(mode(join(cli.home, '.tokend')), 0o700);
  assert.equal(JSON.parse(readFileSync(configFile(), 'utf8')).profiles.admin.clientSecret, clients.admin.secret, 'the trailing newline is not part of it');

  const second = await cli.run(['profile', 'add', 'plain', '--url', t.url, '--client-id', clients.plain.id, '--client-secret', clients.plain.secret]);
  assert.equal(second.code, 0, second.stderr);
  assert.equal(json(second).current, false, 'only the first profile becomes current by itself');
  assert.ok(!second.stdout.includes(clients.plain.secret));

  const list = await cli.run(['profile', 'list']);
  assert.equal(list.code, 0);
  assert.deepEqual(json(list), [
    { name: 'admin', current: true, url: t.url, clientId: clients.admin.id, hasClientSecret: true },
    { name: 'plain', current: false, url: t.url, clientId: clients.plain.id, hasClientSecret: true },
  ]);
  for (const secret of [clients.admin.secret, clients.plain.secret]) assert.ok(!list.stdout.includes(secret) && !list.stderr.includes(secret));
});

test('the current profile is used; profile use switches it; --profile picks another for one command', async () => {
  assert.equal(clientOf(await cli.run(['tokens', 'me', 'get'])), clients.admin.id);
  assert.equal(clientOf(await cli.run(['tokens', 'me', 'get', '--profile', 'plain'])), clients.plain.id);
  assert.equal(clientOf(await cli.run(['tokens', 'me', 'get', '-p', 'plain'])), clients.plain.id);
  const use = await cli.run(['profile', 'use', 'plain']);
  assert.deepEqual([use.code, json(use)], [0, { current: 'plain' }]);
  assert.equal(clientOf(await cli.run(['tokens', 'me', 'get'])), clients.plain.id);
  await cli.run(['profile', 'use', 'admin']);
});

test('flags outrank the environment, which outranks the profile', async () => {
  const env = { GENESYSCLOUD_OAUTHCLIENT_ID: clients.wildcard.id, GENESYSCLOUD_OAUTHCLIENT_SECRET: clients.wildcard.secret };
  assert.equal(clientOf(await cli.run(['tokens', 'me', 'get'], { env })), clients.wildcard.id, 'environment over profile');
  const flags = ['--client-id', clients.plain.id, '--client-secret', clients.plain.secret];
  assert.equal(clientOf(await cli.run(['tokens', 'me', 'get', ...flags], { env })), clients.plain.id, 'flags over environment');
  const token = await t.token(clients.globex);
  assert.equal(
    clientOf(await cli.run(['tokens', 'me', 'get'], { env: { GENESYSCLOUD_ACCESS_TOKEN: token } })),
    clients.globex.id,
    'a token in the environment over the profile credentials',
  );
  const wrongUrl = await cli.run(['tokens', 'me', 'get', '--url', 'http://127.0.0.1:9/nothing'], { env: { TOKEND_URL: t.url } });
  assert.equal(wrongUrl.code, 1, 'the --url flag wins over TOKEND_URL');
  assert.match(wrongUrl.stderr, /127\.0\.0\.1:9\/nothing/);
});

test('the token is cached per profile (0600): a second command makes no token request', async () => {
  await cli.run(['profile', 'add', 'cached', '--url', t.url, '--client-id', clients.readonlyApp.id, '--client-secret', clients.readonlyApp.secret]);
  await cli.run(['profile', 'add', 'cc', '--url', t.url, '--client-id', clients.wildcard.id, '--client-secret', clients.wildcard.secret]);
  const before = await issuedTokens(t.database, clients.wildcard.id);
  const first = await cli.run(['tokens', 'me', 'get', '--profile', 'cc']);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(await issuedTokens(t.database, clients.wildcard.id), before + 1);
  assert.equal(mode(cacheFile('cc')), 0o600);
  const cached = JSON.parse(readFileSync(cacheFile('cc'), 'utf8'));
  assert.equal(cached.clientId, clients.wildcard.id);
  assert.ok(cached.tokenExpiryTime > Date.now() + 3_600_000, 'the expiry the server gave (a day)');
  assert.ok(!JSON.stringify(cached).includes(clients.wildcard.secret), 'the cache holds no secret');

  for (const command of [
    ['tokens', 'me', 'get'],
    ['tokens', 'me', 'head'],
    ['tokens', 'timeout', 'get'],
  ]) {
    const again = await cli.run([...command, '--profile', 'cc']);
    assert.equal(again.code, 0, again.stderr);
  }
  assert.equal(await issuedTokens(t.database, clients.wildcard.id), before + 1, 'no new token for the later commands');
  assert.equal(JSON.parse(readFileSync(cacheFile('cc'), 'utf8')).accessToken, cached.accessToken);

  // Another client given by flag does not use (or overwrite with its own) the profile's token wrongly.
  const other = await cli.run(['tokens', 'me', 'get', '--profile', 'cc', '--client-id', clients.plain.id, '--client-secret', clients.plain.secret]);
  assert.equal(clientOf(other), clients.plain.id);
});

test('a cached token the server refuses is replaced by a new login (the SDK renews once after a 401)', async () => {
  const cached = JSON.parse(readFileSync(cacheFile('cc'), 'utf8'));
  const revoked = await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: { authorization: `Bearer ${cached.accessToken}` } });
  assert.equal(revoked.statusCode, 200);
  const before = await issuedTokens(t.database, clients.wildcard.id);
  const run = await cli.run(['tokens', 'me', 'get', '--profile', 'cc']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(await issuedTokens(t.database, clients.wildcard.id), before + 1);
  const renewed = JSON.parse(readFileSync(cacheFile('cc'), 'utf8'));
  assert.notEqual(renewed.accessToken, cached.accessToken);
});

test('an expired cached token is not sent; tokens me delete forgets the cache', async () => {
  const cached = JSON.parse(readFileSync(cacheFile('cc'), 'utf8'));
  writeFileSync(cacheFile('cc'), JSON.stringify({ ...cached, tokenExpiryTime: Date.now() - 1000 }));
  const before = await issuedTokens(t.database, clients.wildcard.id);
  assert.equal((await cli.run(['tokens', 'me', 'head', '--profile', 'cc'])).code, 0);
  assert.equal(await issuedTokens(t.database, clients.wildcard.id), before + 1);
  const fresh = JSON.parse(readFileSync(cacheFile('cc'), 'utf8'));
  assert.ok(fresh.tokenExpiryTime > Date.now());
  const deleted = await cli.run(['tokens', 'me', 'delete', '--profile', 'cc']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.throws(() => statSync(cacheFile('cc')), /ENOENT/);
  const status = await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: { authorization: `Bearer ${fresh.accessToken}` } });
  assert.equal(status.statusCode, 401);
});

test('a wrong secret in a profile: exit 1, one line, no secret shown, no cache left', async () => {
  await cli.run(['profile', 'add', 'broken', '--url', t.url, '--client-id', clients.admin.id, '--client-secret', 'broken-profile-secret']);
  const run = await cli.run(['tokens', 'me', 'get', '--profile', 'broken']);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, /^tokend: 401 invalid_client: .* - check the client id and secret\n$/);
  assert.ok(!run.stderr.includes('broken-profile-secret'));
  assert.throws(() => statSync(cacheFile('broken')), /ENOENT/);
});

test('profile mistakes: an unknown profile, a bad name, no server, a secret without a client id', async () => {
  const unknown = await cli.run(['tokens', 'me', 'get', '--profile', 'nope']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /^tokend: no profile named "nope" \(profiles: admin, plain, .*\): add it with tokend profile add nope\n$/);
  const use = await cli.run(['profile', 'use', 'nope']);
  assert.equal(use.code, 1);
  assert.match(use.stderr, /^tokend: no profile named "nope"/);
  const badName = await cli.run(['profile', 'add', '../evil', '--url', t.url]);
  assert.equal(badName.code, 1);
  assert.match(badName.stderr, /^tokend: profile name "\.\.\/evil" is not valid/);
  const noServer = await cli.run(['profile', 'add', 'x', '--client-id', 'a', '--client-secret-stdin'], { input: 'b' });
  assert.equal(noServer.code, 1);
  assert.match(noServer.stderr, /^tokend: give --url or --region \(one of them\)\n\nUsage: tokend profile add <name>/);
  const badUrl = await cli.run(['profile', 'add', 'x', '--url', 'localhost:8080']);
  assert.equal(badUrl.code, 1);
  assert.equal(badUrl.stderr, 'tokend: --url localhost:8080 has no http:// or https:// - did you mean http://localhost:8080?\n');
  const noSecret = await cli.run(['profile', 'add', 'x', '--url', t.url, '--client-id', 'a']);
  assert.equal(noSecret.code, 1);
  assert.match(noSecret.stderr, /^tokend: no client secret: pipe it with --client-secret-stdin, or run in a terminal to be asked\n/);
});

test('profile remove deletes the profile and its cache; a damaged config file is named', async () => {
  const removed = await cli.run(['profile', 'remove', 'broken']);
  assert.deepEqual([removed.code, json(removed)], [0, { removed: 'broken', current: 'admin' }]);
  assert.ok(!json<Array<{ name: string }>>(await cli.run(['profile', 'list'])).some((p) => p.name === 'broken'));
  writeFileSync(configFile(), '{ oops');
  const damaged = await cli.run(['profile', 'list']);
  assert.equal(damaged.code, 1);
  assert.match(damaged.stderr, new RegExp(`^tokend: ${configFile().replaceAll('.', '\\.')} is not valid JSON .*: fix it or remove it\\n$`));
});
