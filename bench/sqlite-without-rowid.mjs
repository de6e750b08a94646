/**
 * `node bench/sqlite-without-rowid.mjs [N]`: whether a token table keyed by its hash `WITHOUT
 * ROWID` (one B-tree where tokend's table has two: the rows, and the hash's index) makes an
 * insert cheaper on a store of N tokens (default 1,000,000, the prepared store of
 * `npm run bench`). Both stores are copies of the prepared one, the second rebuilt that way with
 * the same indexes; each is opened as tokend opens it (WAL, synchronous=NORMAL, its memory map)
 * and gets INSERTS tokens, PER_COMMIT per transaction (default 1: issuance in the mixed workload
 * commits alone), after 200,000 lookups by hash in random order. Two rounds, alternating; prints
 * CPU µs and WAL frames per insert and CPU µs per lookup. The finding is in docs/performance.md
 * ("Issuance commits alone in the mix").
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CACHE } from './paths.mjs';
import { preparedStore } from './prepare.mjs';
import { measureInserts } from './sqlite-insert-cost.mjs';

const n = Number(process.argv[2] ?? 1_000_000);
const INSERTS = Number(process.env.INSERTS ?? 20_000);
const PER_COMMIT = Number(process.env.PER_COMMIT ?? 1);
const LOOKUPS = 200_000;

const { database } = await preparedStore(n, { kind: 'sqlite' }, (message) => process.stderr.write(`${message}\n`), 'without-rowid');

/** A copy of the prepared store, its token table rebuilt WITHOUT ROWID when `withoutRowid`. */
function copy(name, withoutRowid) {
  const file = join(CACHE, 'run', `${name}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  copyFileSync(database, file);
  if (!withoutRowid) return file;
  const db = new Database(file);
  const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'tokens'").pluck().get();
  const indexes = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'tokens' AND sql IS NOT NULL").pluck().all();
  db.transaction(() => {
    db.exec(`${table.replace('CREATE TABLE tokens', 'CREATE TABLE tokens_keyed').trimEnd()} WITHOUT ROWID`);
    db.exec('INSERT INTO tokens_keyed SELECT * FROM tokens ORDER BY hash');
    db.exec('DROP TABLE tokens');
    db.exec('ALTER TABLE tokens_keyed RENAME TO tokens');
    for (const index of indexes) db.exec(index);
  })();
  db.exec('VACUUM');
  db.close();
  return file;
}

function measure(file) {
  // The memory map and page cache tokend sets (src/store/sqlite/sqlite-store.ts).
  const pragmas = ['mmap_size = 2147418112', 'cache_size = -16384'];
  const { insertUs, lookupUs, frames } = measureInserts(file, { pragmas, inserts: INSERTS, perCommit: PER_COMMIT, lookups: LOOKUPS });
  return `${insertUs.toFixed(1)} µs CPU and ${frames.toFixed(2)} WAL frames per insert, ${lookupUs.toFixed(1)} µs CPU per lookup`;
}

const stores = { 'as tokend keeps it': copy('rowid', false), 'WITHOUT ROWID': copy('without-rowid', true) };
for (let round = 1; round <= 2; round++) {
  for (const [name, file] of Object.entries(stores)) console.log(`${name}, round ${round}: ${measure(file)}`);
}
