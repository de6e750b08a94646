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
import { copyFileSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CACHE, dist } from './paths.mjs';
import { preparedStore } from './prepare.mjs';

// tokend's own statement and token code, so that what is measured is what the server runs.
const { SQL } = await import(dist('store/sql/statements.js'));
const { hashToken, newToken } = await import(dist('core/secrets.js'));

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
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  for (const pragma of pragmas) db.pragma(pragma);
  const find = db.prepare('SELECT * FROM tokens WHERE hash = ?');
  const hashes = db.prepare('SELECT hash FROM tokens').pluck().all();
  for (let i = hashes.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [hashes[i], hashes[j]] = [hashes[j], hashes[i]];
  }
  for (const h of hashes) find.get(h);

  const template = find.get(hashes[0]);
  const insert = db.prepare(SQL.insertToken);
  const commit = db.transaction((rows) => {
    for (const row of rows) insert.run(row);
  });
  const now = Date.now();
  const rows = Array.from({ length: INSERTS }, () => [
    hashToken(newToken()),
    'access',
    template.organization_id,
    template.client_id,
    null,
    template.scopes,
    'client_credentials',
    now,
    now + 86_400_000,
    now,
    null,
    null,
    null,
  ]);
  const walSize = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  const walBefore = walSize();
  const cpu = process.cpuUsage();
  for (let start = 0; start < INSERTS; start += PER_COMMIT) commit(rows.slice(start, start + PER_COMMIT));
  const used = process.cpuUsage(cpu);
  const pageSize = db.pragma('page_size', { simple: true });
  const frames = (walSize() - walBefore) / (pageSize + 24);
  db.close();
  return { cpuUs: (used.user + used.system) / INSERTS, frames: frames / INSERTS };
}

for (let round = 1; round <= 2; round++) {
  for (const configuration of configurations) {
    const { cpuUs, frames } = measure(configuration);
    console.log(`${configuration.name}, round ${round}: ${cpuUs.toFixed(1)} us CPU per insert, ${frames.toFixed(2)} WAL frames per insert`);
  }
}
