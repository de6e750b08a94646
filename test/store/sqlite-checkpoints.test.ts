/**
 * SQLite checkpoints on a worker thread (src/store/sqlite/checkpointer.ts), on a real file: the
 * worker copies the WAL back while the server's connection only commits, its checkpoints do not
 * look like another process's changes (which would empty the token cache), and closing leaves
 * a complete database file.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { tokenOf, world } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tokend-checkpoints-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Folds the WAL into the database file (the schema, before a test writes). */
function fold(file: string): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * The database file alone, without its WAL, opened as a copy: what checkpoints have copied
 * back so far (reading it never checkpoints the original).
 */
function checkpointedCopy(file: string, name: string): SqliteStore {
  const copy = join(dir, name);
  copyFileSync(file, copy);
  return new SqliteStore(copy);
}

test('the worker copies the WAL back; the server connection neither checkpoints nor sees a change', async () => {
  const file = join(dir, 'server.db');
  const store = new SqliteStore(file, { backgroundCheckpoints: true });
  await store.migrate();
  const w = world();
  await store.applySeed(w.plan);
  fold(file);
  const version = store.changeVersion();
  // Few pages: below even SQLite's default threshold (1000), so only the worker copies them back.
  const tokens = Array.from({ length: 300 }, () => tokenOf(w));
  await Promise.all(tokens.map((token) => store.insertToken(token)));
  assert.ok(statSync(`${file}-wal`).size > 0);

  let found = false;
  for (let waited = 0; waited < 5_000 && !found; waited += 100) {
    await sleep(100);
    const copy = checkpointedCopy(file, `server-copy-${waited}.db`);
    found = (await copy.findTokenByHash(tokens[299]!.hash)) !== null;
    await copy.close();
  }
  assert.ok(found, 'copied back into the database file by the worker');
  assert.equal(store.changeVersion(), version, 'checkpoints are not changes: the token cache is kept');
  assert.deepEqual(await store.findTokenByHash(tokens[0]!.hash), tokens[0]);

  await store.close();
  assert.equal(existsSync(`${file}-wal`), false, 'closed cleanly: the last connection folded the WAL in');
  const reopened = new SqliteStore(file);
  assert.deepEqual(await reopened.findTokenByHash(tokens[150]!.hash), tokens[150]);
  await reopened.close();
});

test('without the worker (a CLI command), the same writes stay in the WAL until SQLite checkpoints', async () => {
  const file = join(dir, 'cli.db');
  const store = new SqliteStore(file);
  await store.migrate();
  const w = world();
  await store.applySeed(w.plan);
  fold(file);
  const tokens = Array.from({ length: 300 }, () => tokenOf(w));
  await Promise.all(tokens.map((token) => store.insertToken(token)));
  await sleep(500);
  const copy = checkpointedCopy(file, 'cli-copy.db');
  assert.equal(await copy.findTokenByHash(tokens[299]!.hash), null, 'not yet in the database file');
  await copy.close();
  await store.close();
});
