/**
 * The floors of the house (STYLE.md, "The shape"): core knows no HTTP, store, command line or
 * server; nothing outside the command line imports it; and the command line's commands act
 * through core (core/services.ts, `createCore`), so only the files that open, serve or back up
 * a store may import src/store. Read from the sources, so a new import that breaks a rule fails here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Each file (relative to src) with the src-relative modules it imports, statically or dynamically. */
function importsOf(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:from\s+|import\()\s*'(\.[^']+)'/g)].map((m) => m[1] as string);
    found.set(
      relative(SRC, file),
      specifiers.map((s) => relative(SRC, resolve(join(file, '..'), s))),
    );
  }
  return found;
}

const floor = (path: string) => path.split('/')[0] as string;

test('core imports nothing from http, store, cli or server', () => {
  const wrong = [...importsOf()].flatMap(([file, imports]) =>
    floor(file) === 'core' ? imports.filter((i) => ['http', 'store', 'cli', 'server'].includes(floor(i))).map((i) => `${file} -> ${i}`) : [],
  );
  assert.deepEqual(wrong, []);
});

test('nothing outside src/cli imports src/cli', () => {
  const wrong = [...importsOf()].flatMap(([file, imports]) =>
    floor(file) === 'cli' ? [] : imports.filter((i) => floor(i) === 'cli').map((i) => `${file} -> ${i}`),
  );
  assert.deepEqual(wrong, []);
});

test('the command line reaches the store only where it opens, serves or backs one up', () => {
  const opensStores = ['cli/admin-store.ts', 'cli/serve.ts', 'cli/startup-checks.ts', 'cli/commands/server.ts', 'cli/commands/backup.ts'];
  const importing = [...importsOf()]
    .filter(([file, imports]) => floor(file) === 'cli' && imports.some((i) => floor(i) === 'store'))
    .map(([file]) => file)
    .sort();
  assert.deepEqual(importing, opensStores.sort());
});
