/** src/store/sqlite/wal-sync.ts: durable writes are answered after an fsync of the WAL run off the event loop, shared by the commits that come while one runs. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../src/core/errors.js';
import { WalSync } from '../../src/store/sqlite/wal-sync.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

let dir: string;
let path: string;
let db: Database.Database;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tokend-wal-sync-'));
  path = join(dir, 'wal.db');
  db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (n INTEGER)');
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('one sync at a time: commits while one runs share the next one', async () => {
  const sync = new WalSync(path);
  db.prepare('INSERT INTO t VALUES (1)').run();
  const first = sync.afterCommit();
  const waiting = [sync.afterCommit(), sync.afterCommit(), sync.afterCommit()];
  // The three came while the first ran: they wait for one more sync, begun after it.
  assert.equal(sync.started, 1);
  assert.equal(waiting[0], waiting[2]);
  await Promise.all([first, ...waiting]);
  assert.equal(sync.started, 2);
  // Nothing under way: the next commit begins a sync of its own at once.
  const alone = sync.afterCommit();
  assert.equal(sync.started, 3);
  await alone;
  await sync.close();
});

test('a WAL that cannot be opened fails the sync; the next one tries again', async () => {
  const sync = new WalSync(join(dir, 'absent.db'));
  await assert.rejects(sync.afterCommit(), { code: 'ENOENT' });
  await assert.rejects(sync.afterCommit(), { code: 'ENOENT' });
  assert.equal(sync.started, 2);
  await sync.close();
});

test('the store answers a durable write as a StoreUnavailableError (a 503) when its WAL cannot be synced', async () => {
  const storePath = join(dir, 'store.db');
  const store = new SqliteStore(storePath);
  await store.migrate();
  // The WAL is another file than SQLite's own once it is removed: the store's sync cannot open it.
  rmSync(`${storePath}-wal`);
  await assert.rejects(store.revokeToken('no such token', 1), StoreUnavailableError);
  await store.close();
});
