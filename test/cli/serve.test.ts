/**
 * `tokend serve` and `tokend seed` as a person runs them: a real process, a real SQLite file.
 * The demo seed, whose credentials are published, goes only to an empty store on a loopback
 * address with the default SQLite file, or where asked (issue 13, item 11).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createDatabase, postgresUnavailable } from '../helpers/postgres.js';
import { childEnv, type ServeOptions, startServe } from '../helpers/serve-process.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokend-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** `tokend serve` from this build, resolved once listening and once `waitFor` shows in its output. */
function start(env: Record<string, string>, waitFor?: RegExp, options: ServeOptions = {}) {
  return startServe(MAIN, env, { ...options, ...(waitFor === undefined ? {} : { waitFor }) });
}

test('asked (TOKEND_DEMO=1), serve applies the demo seed to an empty store, warns loudly, prints a working client, and drains on SIGTERM; the warning repeats at each start while a published secret works', async () => {
  const database = join(dir, 'demo.db');
  const { child, address, output } = await start({ TOKEND_DATABASE: database, TOKEND_DEMO: '1' }, /curl -s -H/);
  assert.match(output(), DEMO_WARNING);
  assert.match(
    output(),
    /"level":40,.*"msg":"the demo seed is applied: its published credentials are active; do not expose this server"/,
    'and says so in the log',
  );
  assert.match(output(), new RegExp(`tokend is serving on ${address} with the demo seed`));
  assert.doesNotMatch(output(), /a secret of \d+ characters/, 'the demo seed has its banner, not a warning per client');
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
  assert.match(output(), /"msg":"SIGTERM: draining in-flight requests \(send SIGINT or SIGTERM again to stop at once\)"/);
  assert.match(output(), /"msg":"drained: every in-flight request was answered, the store is closed; stopped"/);

  // A restart while the published secrets still work warns again, though nothing was seeded now.
  const again = await start({ TOKEND_DATABASE: database }, /Bearer \$TOKEN/);
  assert.match(again.output(), DEMO_WARNING, 'the published demo secret still works: the warning repeats');
  assert.match(again.output(), /"level":40,.*"msg":"the demo seed is applied: its published credentials are active; do not expose this server"/);
  assert.doesNotMatch(again.output(), /empty store/, 'a store that has data is not called empty');
  const stillValid = await fetch(`${again.address}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${access_token}` } });
  assert.equal(stillValid.status, 200, 'the token survives the restart');
  await stop(again.child);

  // Once both published secrets are rotated, a restart is a plain restart: no warning, no secret.
  for (const client of ['Demo service', 'Demo password app']) {
    const rotated = spawnSync(process.execPath, [MAIN, 'clients', 'rotate-secret', client, '--yes'], {
      env: childEnv({ TOKEND_DATABASE: database }),
      encoding: 'utf8',
    });
    assert.equal(rotated.status, 0, rotated.stderr);
  }
  const third = await start({ TOKEND_DATABASE: database }, /Bearer \$TOKEN/);
  assert.doesNotMatch(third.output(), /DEMO CREDENTIALS|demo seed|empty store/, 'no published secret works any more');
  // A restart says where it serves, which store it opened, and how to get a token; no secret.
  assert.ok(
    third
      .output()
      .includes(
        [
          `tokend is serving on ${third.address}`,
          `  store: SQLite file ${database}`,
          '',
          'Get a token with one of its client-credentials clients (`tokend clients list` shows them):',
          `  TOKEN=$(curl -s -u 'CLIENT_ID:CLIENT_SECRET' -d grant_type=client_credentials ${third.address}/oauth/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')`,
          `  curl -s -H "Authorization: Bearer $TOKEN" ${third.address}/api/v2/tokens/me`,
        ].join('\n'),
      ),
    third.output(),
  );
  assert.ok(!third.output().includes(secret), 'no secret is printed on a restart');
  await stop(third.child);
});

const DEMO_WARNING = /!{78}\n!! DEMO CREDENTIALS ARE ACTIVE\. .*\n!! client secret and user passwords are published with tokend, so anyone who can reach\n/;
const EMPTY_NOTICE = /with an empty store: no client can get a token yet\.\nSeed it with `tokend seed FILE`/;
const demoClient = { id: '3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c01', secret: 'demo-service-secret-change-me' };

/** The status of a client-credentials request with the demo client's published id and secret. */
async function demoTokenStatus(address: string): Promise<number> {
  const response = await fetch(`${address}/oauth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${demoClient.id}:${demoClient.secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  return response.status;
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

test('the quick start (127.0.0.1 and the default ./data/tokend.db, no flag) still gets the demo seed, under the warning', async () => {
  const cwd = mkdtempSync(join(dir, 'quick-start-'));
  const { child, address, output } = await start({}, /curl -s -H/, { cwd });
  assert.match(address, /^http:\/\/127\.0\.0\.1:/);
  assert.match(output(), DEMO_WARNING);
  assert.equal(await demoTokenStatus(address), 200);
  assert.ok(existsSync(join(cwd, 'data', 'tokend.db')));
  await stop(child);
});

test('an empty store elsewhere stays empty and the start-up line says how to seed it', async () => {
  const cases: Array<{ what: string; env: Record<string, string>; cwd?: string }> = [
    { what: 'loopback, another SQLite file', env: { TOKEND_DATABASE: join(dir, 'other.db') } },
    { what: 'the default SQLite file on every address', env: { HOST: '0.0.0.0' }, cwd: mkdtempSync(join(dir, 'exposed-')) },
    { what: 'the quick start declined with TOKEND_DEMO=0', env: { TOKEND_DEMO: '0' }, cwd: mkdtempSync(join(dir, 'declined-')) },
  ];
  const pgReason = await postgresUnavailable();
  const database = pgReason === null ? await createDatabase() : null;
  if (database) cases.push({ what: 'PostgreSQL on loopback', env: { TOKEND_DATABASE: database.url } });
  try {
    for (const { what, env, cwd } of cases) {
      const { child, address, output } = await start(env, /with an empty store/, cwd === undefined ? {} : { cwd });
      try {
        assert.match(output(), EMPTY_NOTICE, what);
        assert.doesNotMatch(output(), /DEMO CREDENTIALS|demo client secret/, what);
        assert.equal(await demoTokenStatus(address), 401, `${what}: the published demo client does not exist`);
      } finally {
        await stop(child);
      }
    }
  } finally {
    await database?.drop();
  }
});

test('--demo applies it wherever tokend listens; a wrong TOKEND_DEMO stops start-up naming it', async () => {
  const { child, address, output } = await start({ TOKEND_DATABASE: join(dir, 'flag.db'), HOST: '0.0.0.0' }, /curl -s -H/, { args: ['--demo'] });
  assert.match(output(), DEMO_WARNING);
  assert.equal(await demoTokenStatus(address), 200);
  await stop(child);
  const wrong = spawnSync(process.execPath, [MAIN, 'serve'], {
    env: childEnv({ TOKEND_DEMO: 'yes', TOKEND_DATABASE: join(dir, 'wrong.db') }),
    encoding: 'utf8',
  });
  assert.equal(wrong.status, 1);
  assert.equal(wrong.stderr, 'tokend: TOKEND_DEMO=yes is not valid: expected 1 or true (apply the demo seed to an empty store), or 0 or false (never)\n');
});

test('a seed client secret shorter than 32 characters gets a start-up warning naming the client', async () => {
  const seedFile = join(dir, 'short-secrets.json');
  const weak = { id: '0b7e4a52-3c1d-4f6e-9a8b-7c6d5e4f3a21', name: 'Weak "night" job', secret: 'only-20-characters!!' };
  writeFileSync(
    seedFile,
    JSON.stringify({
      organizations: [
        {
          name: 'Short',
          clients: [
            { ...weak, authorizedGrantType: 'CLIENT-CREDENTIALS' },
            { name: 'Strong service', secret: 'x'.repeat(32), authorizedGrantType: 'CLIENT-CREDENTIALS' },
            { name: 'Browser app', authorizedGrantType: 'CODE', registeredRedirectUri: ['https://app.example/cb'] },
          ],
        },
      ],
    }),
  );
  const { child, output } = await start({ TOKEND_DATABASE: join(dir, 'short.db'), TOKEND_SEED: seedFile }, /tokend is serving on/);
  await stop(child);
  const warnings = output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((line) => line.level === 40 && line.msg.includes('secret'));
  assert.deepEqual(
    warnings.map((line) => line.msg),
    [
      `the seed gives client ${weak.id} ("Weak \\"night\\" job") a secret of 20 characters: use 32 or more random ones (tokend's own are 256-bit), since the throttles slow online guessing but cannot make a short secret strong`,
    ],
  );
  assert.ok(!output().includes(weak.secret), 'the secret itself is never printed');
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
  const [applied, audit, end] = good.stderr.split('\n');
  assert.deepEqual([applied, end], [`Applied ${goodFile}: ended 0 sign-in sessions, revoked 0 tokens.`, '']);
  // A seed changes the store: its audit line (test/cli/audit.test.ts has the shape).
  assert.deepEqual(JSON.parse(audit as string).audit, {
    action: 'tokend seed',
    actor: { kind: 'operator', name: userInfo().username },
    target: { file: goodFile },
    result: 'succeeded',
    status: 0,
  });
});

test('a second SIGTERM or SIGINT during the drain stops at once and says so; one signal says when the drain is done', async () => {
  const database = join(dir, 'signals.db');
  for (const [first, second, code] of [
    ['SIGTERM', 'SIGINT', 130],
    ['SIGINT', 'SIGTERM', 143],
  ] as const) {
    const { child, address, output } = await start({ TOKEND_DATABASE: database });
    // A request whose body is still on its way holds the drain open.
    const { port } = new URL(address);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.on('error', () => {});
    socket.write('POST /oauth/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ngrant_type=');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill(first);
    await until(() => output().includes(`"msg":"${first}: draining in-flight requests (send SIGINT or SIGTERM again to stop at once)"`), 5000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(child.exitCode, null, 'the drain waits for the request');
    child.kill(second);
    assert.equal(await exited, code, `128 + the number of ${second}`);
    assert.match(output(), new RegExp(`"msg":"${second} during the drain: stopping at once, in-flight requests are cut"`));
    assert.doesNotMatch(output(), /drained/);
    socket.destroy();
  }
  const { child, output } = await start({ TOKEND_DATABASE: database });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.kill('SIGINT');
  assert.equal(await exited, 0);
  assert.match(
    output(),
    /"msg":"SIGINT: draining in-flight requests .*\n.*"msg":"drained: every in-flight request was answered, the store is closed; stopped"/,
  );
});

async function until(check: () => boolean, ms: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) assert.fail('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test('a wrong setting stops serve at start-up with a message naming it', () => {
  const result = spawnSync(process.execPath, [MAIN, 'serve'], { env: childEnv({ PORT: 'eighty' }), encoding: 'utf8' });
  assert.equal(result.status, 1);
  assert.equal(result.stderr, 'tokend: PORT=eighty is not valid: expected a whole number from 0 to 65535\n');
});

test('with TOKEND_TEST_CONTROLS=1 the banner has a line saying the test controls are on, and they answer loopback callers', async () => {
  const { child, address, output } = await start({ TOKEND_DATABASE: join(dir, 'test-controls.db'), TOKEND_TEST_CONTROLS: '1' }, /test controls: on/);
  try {
    assert.ok(
      output().includes(
        `  test controls: on (TOKEND_TEST_CONTROLS=1), at ${address}/api/v2/tokend/test/ for loopback callers only, not through a proxy; never in production\n`,
      ),
      output(),
    );
    const clock = await fetch(`${address}/api/v2/tokend/test/clock`);
    assert.equal(clock.status, 200);
    assert.equal(((await clock.json()) as { offsetSeconds: number }).offsetSeconds, 0);
    assert.deepEqual(await (await fetch(`${address}/health/ready`)).json(), { status: 'ready', testControls: true });
  } finally {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
});
