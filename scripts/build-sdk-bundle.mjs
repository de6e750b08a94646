#!/usr/bin/env node
// Bundles the compiled SDK (dist/src/sdk/index.js, from `tsc`) into one ES module for
// browsers: dist/sdk.browser.js, with a source map. Run after the build:
//   npx tsc -p tsconfig.json && node scripts/build-sdk-bundle.mjs
// Needs the devDependency esbuild. The bundle targets platform "browser", so any Node
// built-in that slipped into src/sdk fails the build here instead of in a page.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Builds the bundle and returns its path.
 * @param {{ minify?: boolean, outfile?: string }} [options]
 */
export async function buildSdkBundle(options = {}) {
  const { build } = await import('esbuild');
  const outfile = options.outfile ?? `${root}dist/sdk.browser.js`;
  await build({
    absWorkingDir: root,
    entryPoints: ['dist/src/sdk/index.js'],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    sourcemap: true,
    minify: options.minify ?? false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outfile = await buildSdkBundle({ minify: process.argv.includes('--minify') });
  console.log(`wrote ${outfile}`);
}
