import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { test } from 'node:test';

// The compiled SDK must run unchanged in a browser: nothing from Node, no dependencies.
const root = new URL('../../src/sdk/', import.meta.url);

async function compiledFiles(dir: URL): Promise<URL[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      if (entry.isDirectory()) return compiledFiles(new URL(`${entry.name}/`, dir));
      return Promise.resolve(entry.name.endsWith('.js') ? [new URL(entry.name, dir)] : []);
    }),
  );
  return nested.flat();
}

/** The code of a compiled file without its comments, whose TSDoc examples may import anything. */
async function code(file: URL): Promise<string> {
  return (await readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

test('the compiled SDK imports only its own relative modules', async () => {
  const files = await compiledFiles(root);
  assert.ok(files.length > 10);
  for (const file of files) {
    const source = await code(file);
    for (const match of source.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]/g)) {
      const specifier = match[1] ?? match[2] ?? '';
      assert.match(specifier, /^\.\.?\//, `${file.pathname} imports ${specifier}`);
    }
  }
});

test('the compiled SDK uses no Node-only globals', async () => {
  for (const file of await compiledFiles(root)) {
    const source = await code(file);
    for (const global of ['require(', 'process.', 'Buffer.', '__dirname', 'node:']) {
      assert.ok(!source.includes(global), `${file.pathname} uses ${global}`);
    }
  }
});
