/**
 * The SDK alone, as the tokend-sdk package (the packages/sdk workspace): someone who only calls
 * the API installs it without the server, so nothing native to compile (better-sqlite3), no
 * Fastify, no PostgreSQL client. It is packed here with its own prepack build, installed with
 * npm into an empty folder, and used there against a real tokend.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { childEnv, startServe } from '../helpers/serve-process.js';
import { npmInstall, type Packed, pack, ROOT, typeCheck, writeConsumerPackage } from './helpers.js';

const WORKSPACE = join(ROOT, 'packages', 'sdk');
const dir = mkdtempSync(join(tmpdir(), 'tokend-sdk-pack-'));
const consumer = mkdtempSync(join(tmpdir(), 'tokend-sdk-consumer-'));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(consumer, { recursive: true, force: true });
});

interface PackageJson {
  name: string;
  version: string;
  scripts: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
const readPackage = (folder: string) => JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as PackageJson;

let packed: Packed;
let installOutput = '';

before(() => {
  // Scripts run: the tarball is built by the workspace's own prepack, as `npm pack` there would.
  packed = pack(WORKSPACE, dir, { ignoreScripts: false });
  writeConsumerPackage(consumer);
  const install = npmInstall(consumer, [packed.tarball], { ignoreScripts: false });
  installOutput = install.stdout + install.stderr;
});

test("the workspace is tokend-sdk, at tokend's version, listed in the root package.json, built by its prepack", () => {
  const sdk = readPackage(WORKSPACE);
  const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson & { workspaces: string[] };
  assert.equal(sdk.name, 'tokend-sdk');
  assert.equal(sdk.version, root.version);
  assert.deepEqual(root.workspaces, ['packages/sdk']);
  assert.equal(sdk.scripts.prepack, 'npm run build');
  assert.equal(sdk.scripts.build, 'tsc -p ../../tsconfig.sdk.json');
});

test('the tarball holds the compiled SDK, its types, package.json, the README and the licence, and nothing else', () => {
  const unexpected = packed.files.filter((file) => !/^dist\/.+\.(js|d\.ts)$/.test(file) && !['package.json', 'README.md', 'LICENSE'].includes(file));
  assert.deepEqual(unexpected, []);
  for (const entry of ['dist/index.js', 'dist/index.d.ts', 'dist/errors/api-error.js']) assert.ok(packed.files.includes(entry), `${entry} is shipped`);
  assert.equal(readFileSync(join(consumer, 'node_modules', 'tokend-sdk', 'LICENSE'), 'utf8'), readFileSync(join(ROOT, 'LICENSE'), 'utf8'));
});

test('installed alone, it brings no dependency: no better-sqlite3, no Fastify, no pg, no install script, no engine warning', () => {
  const installed = readPackage(join(consumer, 'node_modules', 'tokend-sdk'));
  assert.equal(installed.dependencies, undefined);
  assert.equal(installed.optionalDependencies, undefined);
  assert.equal(installed.peerDependencies, undefined);
  const modules = readdirSync(join(consumer, 'node_modules')).filter((name) => name !== '.package-lock.json');
  assert.deepEqual(modules, ['tokend-sdk']);
  for (const name of ['better-sqlite3', 'fastify', 'pg']) assert.equal(existsSync(join(consumer, 'node_modules', name)), false, `${name} is not installed`);
  assert.doesNotMatch(installOutput, /EBADENGINE|install-scripts|gyp/);
});

test('a script in the empty folder imports tokend-sdk, logs in to a real tokend and reads its token', async () => {
  const { child, address } = await startServe(
    join(ROOT, 'dist', 'src', 'cli', 'main.js'),
    {
      HOST: '127.0.0.1',
      TOKEND_DATABASE: join(dir, 'served.db'),
      TOKEND_DEMO: '1',
    },
    { cwd: dir, waitFor: /curl -s -H/ },
  );
  try {
    const script = [
      "import { ApiClient, TokensApi } from 'tokend-sdk';",
      `const client = new ApiClient({ baseUrl: ${JSON.stringify(address)} });`,
      "await client.loginClientCredentialsGrant('3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c01', 'demo-service-secret-change-me');",
      'const me = await new TokensApi(client).getTokensMe();',
      'console.log(me.OAuthClient?.name);',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, env: childEnv({}), encoding: 'utf8' });
    assert.equal(run.stderr, '');
    assert.equal(run.status, 0);
    assert.equal(run.stdout, 'Demo service\n');
  } finally {
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  }
});

for (const resolution of ['node16', 'bundler', 'node10'] as const) {
  test(`tokend-sdk's types resolve from the installed tarball under moduleResolution ${resolution}`, () => {
    const checked = typeCheck(consumer, 'tokend-sdk', resolution);
    assert.equal(checked.stdout, '');
    assert.equal(checked.status, 0);
  });
}
