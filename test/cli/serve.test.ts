/** `tokend serve` and `tokend seed` as a person runs them: a real process, a real SQLite file. */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokend-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The test runner marks its children (NODE_TEST_CONTEXT); tokend is not one of them. */
function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_TEST_CONTEXT;
  return env;
}

function start(env: Record<string, string>, waitFor = /Server listening at/): Promise<{ child: ChildProcess; address: string; output: () => string }> {
  const child = spawn(process.execPath, [MAIN, 'serve'], { env: childEnv({ PORT: '0', TOKEND_LOG_LEVEL: 'info', ...env }), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not listening: ${output}`));
    }, 60_000);
    child.stdout?.on('data', () => {
      // pino's "Server listening at" line; the demo banner, when there is one, comes with it.
      const match = /Server listening at (http:\/\/[\d.:]+)/.exec(output);
      if (match?.[1] && waitFor.test(output)) {
        clearTimeout(timer);
        resolve({ child, address: match[1], output: () => output });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${output}`)));
  });
}

test('on an empty store serve applies the demo seed, prints a working client, and drains on SIGTERM', async () => {
  const database = join(dir, 'demo.db');
  const { child, address, output } = await start({ TOKEND_DATABASE: database }, /curl -s -H/);
  assert.match(output(), new RegExp(`tokend is serving on ${address} with the demo seed`));
  assert.match(output(), /curl -s -H "Authorization: Bearer \$TOKEN"/);
  const id = /demo client id:\s+(\S+)/.exec(output())?.[1];
  const secret = /demo client secret:\s+(\S+)/.exec(output())?.[1];
  assert.ok(id && secret);
  const tokenResponse = await fetch(`${address}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  assert.equal(tokenResponse.status, 200);
  const { access_token } = (await tokenResponse.json()) as { access_token: string };
  const me = await fetch(`${address}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${access_token}` } });
  assert.equal(me.status, 200);
  assert.equal(((await me.json()) as { OAuthClient: { id: string } }).OAuthClient.id, id);
  assert.equal((await fetch(`${address}/health/ready`)).status, 200);

  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const inFlight = fetch(`${address}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${access_token}` } });
  child.kill('SIGTERM');
  assert.equal((await inFlight).status, 200, 'an in-flight request is answered');
  assert.equal(await exited, 0);

  const again = await start({ TOKEND_DATABASE: database });
  assert.doesNotMatch(again.output(), /demo seed/, 'a store that has data is not seeded again');
  const stillValid = await fetch(`${again.address}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${access_token}` } });
  assert.equal(stillValid.status, 200, 'the token survives the restart');
  const done = new Promise((resolve) => again.child.on('exit', resolve));
  again.child.kill('SIGTERM');
  await done;
});

test('tokend seed refuses a bad file naming the field and exits 1; a good one exits 0', () => {
  const database = join(dir, 'seed.db');
  const badFile = join(dir, 'bad.json');
  writeFileSync(badFile, JSON.stringify({ organizations: [{ name: 'X', clients: [{ name: 'c', secret: 's', authorizedGrantType: 'NOPE' }] }] }));
  const bad = spawnSync(process.execPath, [MAIN, 'seed', badFile], { env: childEnv({ TOKEND_DATABASE: database }), encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /^tokend: seed refused, nothing was changed: organizations\[0\]\.clients\[0\]\.authorizedGrantType: /);
  const goodFile = join(dir, 'good.json');
  writeFileSync(goodFile, JSON.stringify({ organizations: [{ name: 'X', clients: [{ name: 'c', secret: 's', authorizedGrantType: 'PASSWORD' }] }] }));
  const good = spawnSync(process.execPath, [MAIN, 'seed', goodFile], { env: childEnv({ TOKEND_DATABASE: database }), encoding: 'utf8' });
  assert.equal(good.status, 0, good.stderr);
  assert.deepEqual(JSON.parse(good.stdout), { applied: goodFile, organizations: 1, users: 0, clients: 1, endedSessions: 0, revokedTokens: 0, kept: [] });
  assert.equal(good.stderr, `Applied ${goodFile}: ended 0 sign-in sessions, revoked 0 tokens.\n`);
});

test('a wrong setting stops serve at start-up with a message naming it', () => {
  const result = spawnSync(process.execPath, [MAIN, 'serve'], { env: childEnv({ PORT: 'eighty' }), encoding: 'utf8' });
  assert.equal(result.status, 1);
  assert.equal(result.stderr, 'tokend: PORT=eighty is not valid: expected a whole number from 0 to 65535\n');
});
