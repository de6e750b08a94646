/** Where things are: the repository root, the build output, the cache. */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CACHE = join(ROOT, 'bench', '.cache');
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');

/** The URL of a compiled tokend module, e.g. dist('core/secrets.js'). */
export function dist(path) {
  return new URL(`../dist/src/${path}`, import.meta.url).href;
}
