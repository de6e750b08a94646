/**
 * `node bench/sqlite-inserts.mjs [N]`: what a token insert costs on a SQLite store already
 * holding N tokens (default 1,000,000; the prepared store of `npm run bench`), read through
 * SQLite's page cache or through a memory map, as tokend commits them: 28 rows per transaction
 * (the median group commit seen under the issuance workload), WAL, synchronous=NORMAL, no
 * checkpoint during the run. Before inserting, every row is read once in random order, as the
 * benchmark's first pass does, so that the caches hold what a warm server's do.
 *
 * Prints CPU microseconds per insert and WAL frames per insert for each configuration, twice,
 * alternating. This is the measurement behind the memory map in src/store/sqlite/sqlite-store.ts.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE } from './paths.mjs';
import { preparedStore } from './prepare.mjs';
import { measureInserts } from './sqlite-insert-cost.mjs';

const n = Number(process.argv[2] ?? 1_000_000);
const INSERTS = 30_000;
const PER_COMMIT = 28;
const configurations = [
  { name: 'page cache 128 MiB', pragmas: ['cache_size = -131072'] },
  { name: 'memory map, page cache 16 MiB', pragmas: ['mmap_size = 2147418112', 'cache_size = -16384'] },
];

const { database } = await preparedStore(n, { kind: 'sqlite' }, (message) => process.stderr.write(`${message}\n`), 'inserts');

function measure({ pragmas }) {
  const file = join(CACHE, 'run', 'inserts-copy.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  copyFileSync(database, file);
  const { insertUs, frames } = measureInserts(file, { pragmas, inserts: INSERTS, perCommit: PER_COMMIT });
  return { cpuUs: insertUs, frames };
}

for (let round = 1; round <= 2; round++) {
  for (const configuration of configurations) {
    const { cpuUs, frames } = measure(configuration);
    console.log(`${configuration.name}, round ${round}: ${cpuUs.toFixed(1)} us CPU per insert, ${frames.toFixed(2)} WAL frames per insert`);
  }
}
