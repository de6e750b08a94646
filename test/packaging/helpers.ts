/**
 * What the packaging tests share: packing a package of this repository, installing a tarball
 * into an empty folder with npm as a user would, and type-checking a consumer's file there with
 * each TypeScript module resolution a consumer may have.
 */
import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../helpers/serve-process.js';

/** From dist/test/packaging/ up to the repository, whose dist/ the tests run from. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface Packed {
  tarball: string;
  files: string[];
}

/**
 * `npm pack` of the package in `cwd` into `destination`. With `ignoreScripts` the prepack build
 * is skipped: the suite has built already, and the root's build is the whole project's.
 */
export function pack(cwd: string, destination: string, { ignoreScripts }: { ignoreScripts: boolean }): Packed {
  const args = ['pack', '--json', '--pack-destination', destination, ...(ignoreScripts ? ['--ignore-scripts'] : [])];
  const result = npm(args, cwd);
  const [report] = JSON.parse(result.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  assert.ok(report);
  return { tarball: join(destination, report.filename), files: report.files.map((file) => file.path) };
}

/**
 * Installs tarballs into `dir` (an empty folder with a package.json) as a user would. Offline
 * first: what npm's cache holds (the packages `npm ci` fetched) is not asked of the registry again.
 * With `ignoreScripts`, no dependency's install script runs: better-sqlite3's would download a
 * prebuilt binary from GitHub or compile one, and CI reaches only the package registries.
 */
export function npmInstall(dir: string, tarballs: string[], { ignoreScripts }: { ignoreScripts: boolean }): SpawnSyncReturns<string> {
  const flags = ['--no-audit', '--no-fund', '--prefer-offline', ...(ignoreScripts ? ['--ignore-scripts'] : [])];
  return npm(['install', ...flags, ...tarballs], dir);
}

/** npm, with the test runner's marker and the caller's tokend settings left out; fails the test on a non-zero exit. */
export function npm(args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync('npm', args, { cwd, env: childEnv({}), encoding: 'utf8' });
  assert.equal(result.status, 0, `npm ${args.join(' ')}: ${result.stderr}`);
  return result;
}

/** A consumer's package.json: an ES module project, so that node16 resolution reads the SDK as the ES module it is. */
export function writeConsumerPackage(dir: string): void {
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, type: 'module' }, null, 2)}\n`);
}

/** How a consumer's tsconfig.json resolves modules, with the `module` each resolution goes with. */
export const resolutions = {
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'esnext', moduleResolution: 'bundler' },
  node10: { module: 'commonjs', moduleResolution: 'node10' },
} as const;

/**
 * `tsc --noEmit` in `dir` on a file that imports the SDK by `specifier` under one resolution.
 * The file uses the SDK's types, and one `@ts-expect-error` line proves they are the SDK's own:
 * a module that resolved to `any` would leave the directive unused, which tsc reports.
 */
export function typeCheck(dir: string, specifier: string, resolution: keyof typeof resolutions): SpawnSyncReturns<string> {
  const name = `uses-${specifier.replace(/\W/g, '-')}-${resolution}`;
  writeFileSync(
    join(dir, `${name}.ts`),
    [
      `import { ApiClient, type ApiClientOptions, isApiError, TokensApi } from '${specifier}';`,
      `const options: ApiClientOptions = { baseUrl: 'http://localhost:8080', retry: { maxAttempts: 2 } };`,
      'export const tokens = new TokensApi(new ApiClient(options));',
      'export const guard: (error: unknown) => boolean = isApiError;',
      '// @ts-expect-error a region is a string',
      'export const wrong = new ApiClient({ region: 42 });',
      '',
    ].join('\n'),
  );
  const compilerOptions = { ...resolutions[resolution], target: 'es2022', lib: ['es2022', 'dom'], types: [], strict: true, noEmit: true };
  writeFileSync(join(dir, `${name}.tsconfig.json`), JSON.stringify({ compilerOptions, files: [`${name}.ts`] }));
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return spawnSync(process.execPath, [tsc, '-p', `${name}.tsconfig.json`], { cwd: dir, env: childEnv({}), encoding: 'utf8' });
}
