/**
 * `node bench/revoke-client.mjs [N] [CLIENTS]`: what disabling a client costs on a SQLite store holding N
 * live tokens (default 1,000,000), through tokend's own store (dist/): the tokens table has no
 * index by client on purpose (each index is paid by every issuance), so the revocation scans.
 * The tokens are spread over CLIENTS clients (default 100). Two cases, each on a fresh copy of
 * the file, twice: the first client (holding 1/CLIENTS of the tokens), and a client holding none
 * (the scan alone). Prints wall milliseconds per call, which is also how long the revocation
 * holds SQLite's write lock (issuance waits up to busy_timeout, 5 s, then answers 503).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { dist } from './paths.mjs';
import { clientCredentialsRow } from './prepare.mjs';

const { SqliteStore } = await import(dist('store/sqlite/sqlite-store.js'));
const { SQL } = await import(dist('store/sql/statements.js'));

const n = Number(process.argv[2] ?? 1_000_000);
const CLIENTS = Number(process.argv[3] ?? 100);
const dir = mkdtempSync(join(tmpdir(), 'tokend-revoke-client-'));
const file = join(dir, 'tokens.db');

try {
  const store = new SqliteStore(file);
  await store.migrate();
  await store.close();
  const clients = Array.from({ length: CLIENTS }, () => randomUUID());
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(SQL.insertToken);
  const now = Date.now();
  const started = performance.now();
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      insert.run(clientCredentialsRow(randomBytes(32).toString('base64url'), 'org', clients[i % CLIENTS], now, now + 86_400_000));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  process.stdout.write(`${n} tokens over ${CLIENTS} clients written in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

  for (const [name, clientId, expected] of [
    [`client with 1/${CLIENTS} of the tokens`, clients[0], Math.ceil(n / CLIENTS)],
    ['client with no token', randomUUID(), 0],
  ]) {
    for (let round = 1; round <= 2; round++) {
      const copy = join(dir, 'copy.db');
      for (const suffix of ['', '-wal', '-shm']) rmSync(copy + suffix, { force: true });
      copyFileSync(file, copy);
      const opened = new SqliteStore(copy);
      const t0 = performance.now();
      const revoked = await opened.revokeClientTokens(clientId, Date.now());
      const ms = performance.now() - t0;
      await opened.close();
      if (revoked !== expected) throw new Error(`revoked ${revoked}, expected ${expected}`);
      process.stdout.write(`${name}: revoked ${revoked} in ${ms.toFixed(0)} ms (round ${round})\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
