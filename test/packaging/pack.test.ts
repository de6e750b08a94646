/**
 * What `npm pack` ships is what a person who installs tokend gets: the server, the command
 * line and the SDK, compiled, with the files they read at run time (the demo seed, package.json
 * for `--version`, the SQLite checkpoint worker), the licence, and nothing else. The tarball is
 * unpacked into an empty folder as node_modules/tokend and run from there, so a file left out of
 * `files`, or a runtime import of a devDependency, fails here rather than for the first person
 * who installs it; and it is installed with npm into another empty folder, where `npx tokend`
 * and `tokend/sdk` must work and the SDK's types must resolve.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { childEnv, startServe } from '../helpers/serve-process.js';
import { npmInstall, pack, ROOT, typeCheck, writeConsumerPackage } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'tokend-pack-'));
const installed = join(dir, 'node_modules', 'tokend');
const MAIN = join(installed, 'dist', 'src', 'cli', 'main.js');
/** The folder the tarball is installed into with npm, as a user would: apart, so that nothing linked above resolves there. */
const consumer = mkdtempSync(join(tmpdir(), 'tokend-consumer-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(consumer, { recursive: true, force: true });
});

/** The demo seed's client-credentials client, as README.md publishes it. */
const demoClient = { id: '3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c01', secret: 'demo-service-secret-change-me' };

/**
 * Files tokend reads at run time besides the modules it imports; each must be in the tarball. (A
 * missing checkpoint worker would not stop the server: SQLite checkpoints inline instead.)
 */
const READ_AT_RUN_TIME = ['package.json', 'seed/demo.json', 'dist/src/store/sqlite/checkpoint-worker.js'];

const rootPackage = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; scripts: Record<string, string> };

let packed: string[] = [];
let tarball = '';

before(() => {
  const report = pack(ROOT, dir, { ignoreScripts: true });
  tarball = report.tarball;
  packed = report.files;
  mkdirSync(installed, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1'], { encoding: 'utf8' });
  assert.equal(untar.status, 0, untar.stderr);
  // The runtime dependencies are linked from this checkout's node_modules, not installed: the
  // server needs better-sqlite3's native module, which an install from the registry would build
  // from source (minutes on this machine) or download from GitHub, which CI cannot reach.
  // Only what package.json lists as a dependency is linked, so an import of anything else fails.
  const { dependencies } = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    const link = join(dir, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules', name), link, 'dir');
  }
  writeConsumerPackage(consumer);
  npmInstall(consumer, [tarball], { ignoreScripts: true });
});

test('npm pack builds first: prepack runs the build, which compiles the server, the command line and both SDK packages', () => {
  assert.equal(rootPackage.scripts.prepack, 'npm run build');
  assert.equal(rootPackage.scripts.build, 'tsc -p tsconfig.json && tsc -p tsconfig.sdk.json');
});

test('the tarball holds the server, the command line, the SDK and what they read, the licence, and no tests, benchmarks, attacks or sources', () => {
  const pkg = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
    exports: Record<string, string | Record<string, string>>;
  };
  const entries = [
    ...Object.values(pkg.bin),
    ...Object.values(pkg.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target))),
  ];
  for (const file of [...READ_AT_RUN_TIME, ...entries.map((entry) => entry.replace(/^\.\//, ''))]) {
    assert.ok(packed.includes(file), `${file} is shipped`);
  }
  const stray = packed.filter((file) => /^(test|bench|attack|scripts|src|docs|dist\/test)\//.test(file) || /\.(map|tsbuildinfo)$/.test(file));
  assert.deepEqual(stray, []);
  const unexpected = packed.filter(
    (file) => !/^dist\/src\/.+\.(js|d\.ts)$/.test(file) && !['package.json', 'README.md', 'LICENSE', 'seed/demo.json'].includes(file),
  );
  assert.deepEqual(unexpected, [], 'only compiled modules, their types, the demo seed, package.json, the README and the licence');
  const licence = readFileSync(join(installed, 'LICENSE'), 'utf8');
  assert.match(licence, /^MIT License\n\nCopyright \(c\) \d{4} tokend contributors\n/);
  assert.equal(licence, readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
});

test('installed into an empty folder, tokend seeds a store, serves the demo seed and answers GET /api/v2/tokens/me', async () => {
  const version = run(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout.trim(), (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string }).version);

  const seeded = run(['seed', join(installed, 'seed', 'demo.json')], { TOKEND_DATABASE: join(dir, 'seeded.db') });
  assert.equal(seeded.status, 0, seeded.stderr);

  const { child, address } = await serve({ TOKEND_DATABASE: join(dir, 'served.db'), TOKEND_DEMO: '1' });
  try {
    const tokenResponse = await fetch(`${address}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${demoClient.id}:${demoClient.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    assert.equal(tokenResponse.status, 200);
    const { access_token } = (await tokenResponse.json()) as { access_token: string };
    const me = await fetch(`${address}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${access_token}` } });
    assert.equal(me.status, 200);
    assert.equal(((await me.json()) as { OAuthClient: { id: string } }).OAuthClient.id, demoClient.id);
    // The sign-in pages' stylesheet is served from memory, with no file to ship.
    assert.equal((await fetch(`${address}/health/ready`)).status, 200);
    assert.equal((await fetch(`${address}/assets/tokend.css`)).status, 200);
  } finally {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});

test('the SDK is imported by its package name, through exports', () => {
  const probe = spawnSync(process.execPath, ['--input-type=module', '-e', "const sdk = await import('tokend/sdk'); console.log(typeof sdk.ApiClient);"], {
    cwd: dir,
    encoding: 'utf8',
  });
  assert.equal(probe.status, 0, probe.stderr);
  assert.equal(probe.stdout, 'function\n');
});

test('installed with npm into an empty folder, npx tokend answers --version and --help, and a script imports tokend/sdk', () => {
  assert.equal(readFileSync(join(consumer, 'node_modules', 'tokend', 'LICENSE'), 'utf8'), readFileSync(join(ROOT, 'LICENSE'), 'utf8'));

  const version = npx(['tokend', '--version']);
  assert.equal(version.stdout, `${rootPackage.version}\n`);
  const help = npx(['tokend', '--help']);
  // Only the usage line and the commands' presence: the help's layout is the command line's to choose.
  assert.match(help.stdout, /^Usage: tokend <command> \[options\]\n/);
  for (const command of ['serve', 'seed <file>', 'tokens me get']) assert.ok(help.stdout.includes(`\n  ${command}`), `--help lists ${command}`);

  // RFC 7636 appendix B: the S256 challenge of the specification's verifier.
  const script = [
    "import { ApiClient, computePKCECodeChallenge } from 'tokend/sdk';",
    "const client = new ApiClient({ baseUrl: 'http://localhost:8080' });",
    "console.log(typeof client.loginClientCredentialsGrant, await computePKCECodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'));",
  ].join('\n');
  const probe = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, env: childEnv({}), encoding: 'utf8' });
  assert.equal(probe.status, 0, probe.stderr);
  assert.equal(probe.stdout, 'function E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM\n');
});

for (const resolution of ['node16', 'bundler', 'node10'] as const) {
  test(`tokend/sdk's types resolve from the installed tarball under moduleResolution ${resolution}`, () => {
    const checked = typeCheck(consumer, 'tokend/sdk', resolution);
    assert.equal(checked.stdout, '');
    assert.equal(checked.status, 0);
  });
}

/** The installed package's bin through npx, as its README would have a user run it; fails the test on a non-zero exit. */
function npx(args: string[]) {
  const result = spawnSync('npx', ['--no', '--', ...args], { cwd: consumer, env: childEnv({}), encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result;
}

/**
 * The installed command line, run from the empty folder with only the environment the test
 * gives: the runner's marker (NODE_TEST_CONTEXT) and the caller's tokend settings stay out.
 */
function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [MAIN, ...args], { cwd: dir, env: childEnv(env), encoding: 'utf8' });
}

/** The packed `tokend serve`, resolved once it listens and has printed the demo banner (which ends with the curl example). */
function serve(env: Record<string, string>) {
  return startServe(MAIN, { HOST: '127.0.0.1', ...env }, { cwd: dir, waitFor: /curl -s -H/ });
}
