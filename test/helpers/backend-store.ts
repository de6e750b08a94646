/**
 * A migrated store on the backend the suite runs on: a fresh SQLite file, or with
 * TOKEND_TEST_DATABASE=postgres a PostgreSQL database of its own, dropped on close.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createDatabase } from './postgres.js';

export async function openBackendStore(prefix: string): Promise<{ store: Store; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const pg = process.env.TOKEND_TEST_DATABASE === 'postgres' ? await createDatabase() : null;
  const store: Store = pg ? new PgStore(pg.url) : new SqliteStore(join(dir, 'seed.db'));
  await store.migrate();
  return {
    store,
    async close() {
      await store.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
