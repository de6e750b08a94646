/**
 * Memory per cached token, measured on the heap after a forced garbage collection: core's
 * services over a prepared SQLite store (the server's own code, in this process), every token
 * validated and touched once as a first request does, then the heap's growth divided by the
 * tokens cached. Unlike the resident size bench/run.mjs reports, no garbage not yet collected
 * and no memory the allocator keeps counts. Usage (after `npm run build`):
 *   SIZE=1000000 node --expose-gc bench/cache-memory.mjs
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, dist } from './paths.mjs';
import { preparedStore } from './prepare.mjs';

if (typeof globalThis.gc !== 'function') throw new Error('run with node --expose-gc');
const size = Number(process.env.SIZE ?? 10000);
const { DEFAULTS } = await import(dist('config.js'));
const { systemClock } = await import(dist('core/clock.js'));
const { createCore } = await import(dist('core/services.js'));
const { openStore } = await import(dist('store/open-store.js'));

const { database, tokens } = await preparedStore(size, { kind: 'sqlite' }, (message) => process.stderr.write(`${message}\n`));
const copy = join(CACHE, `cache-memory-${size}.db`);
rmSync(copy, { force: true });
copyFileSync(database, copy);
const store = openStore(copy);
await store.migrate();
const { authenticator } = createCore(store, { clock: systemClock, tokenCacheSize: DEFAULTS.tokenCacheSize });

const heap = () => {
  globalThis.gc();
  globalThis.gc();
  return process.memoryUsage().heapUsed;
};
// One token first, so that what every cache holds once (directory entries, compiled code) is not counted per token.
authenticator.touch(await authenticator.validate(tokens[0]));
const before = heap();
for (const token of tokens) {
  const principal = await authenticator.validate(token);
  if (typeof principal === 'string') throw new Error(`a prepared token was refused: ${principal}`);
  authenticator.touch(principal);
}
const after = heap();
const cached = authenticator.cacheStats.tokens;
console.log(
  JSON.stringify({
    tokens: size,
    cached,
    heapBeforeMiB: +(before / 2 ** 20).toFixed(1),
    heapAfterMiB: +(after / 2 ** 20).toFixed(1),
    bytesPerCachedToken: Math.round((after - before) / (cached - 1)),
  }),
);
await store.close();
rmSync(copy, { force: true });
for (const suffix of ['-wal', '-shm']) rmSync(copy + suffix, { force: true });
