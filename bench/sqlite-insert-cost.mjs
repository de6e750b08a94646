/**
 * What a token insert costs in a SQLite file, measured as tokend writes tokens (its own statement
 * and token code, from dist/): shared by bench/sqlite-inserts.mjs (page cache against memory map)
 * and bench/sqlite-without-rowid.mjs (the token table as it is against WITHOUT ROWID).
 */
import { existsSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { dist } from './paths.mjs';
import { clientCredentialsRow } from './prepare.mjs';

const { SQL } = await import(dist('store/sql/statements.js'));
const { hashToken, newToken } = await import(dist('core/secrets.js'));

/**
 * Opens `file` as tokend writes it (WAL, synchronous=NORMAL; no checkpoint during the run) with
 * `pragmas` besides, then: first `lookups` tokens (default every one)
 * read by hash in random order, as the benchmark's first pass does, so that the caches hold what
 * a warm server's do; then `inserts` new tokens, `perCommit` per transaction. Returns CPU µs
 * per insert and per lookup, and WAL frames per insert.
 */
export function measureInserts(file, { pragmas, inserts, perCommit, lookups = Number.POSITIVE_INFINITY }) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  for (const pragma of pragmas) db.pragma(pragma);
  const find = db.prepare(SQL.findTokenByHash);
  const hashes = db.prepare('SELECT hash FROM tokens').pluck().all();
  for (let i = hashes.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [hashes[i], hashes[j]] = [hashes[j], hashes[i]];
  }
  const read = hashes.slice(0, lookups);
  let cpu = process.cpuUsage();
  for (const hash of read) find.get(hash);
  const readCpu = process.cpuUsage(cpu);

  const template = find.get(hashes[0]);
  const insert = db.prepare(SQL.insertToken);
  const commit = db.transaction((rows) => {
    for (const row of rows) insert.run(row);
  });
  const now = Date.now();
  const rows = Array.from({ length: inserts }, () =>
    clientCredentialsRow(hashToken(newToken()), template.organization_id, template.client_id, now, now + 86_400_000, template.scopes),
  );
  const walSize = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  const walBefore = walSize();
  cpu = process.cpuUsage();
  for (let start = 0; start < inserts; start += perCommit) commit(rows.slice(start, start + perCommit));
  const used = process.cpuUsage(cpu);
  const frames = (walSize() - walBefore) / (db.pragma('page_size', { simple: true }) + 24);
  db.close();
  const us = (usage, count) => (usage.user + usage.system) / count;
  return { insertUs: us(used, inserts), lookupUs: us(readCpu, read.length), frames: frames / inserts };
}
