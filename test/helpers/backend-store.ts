/**
 * The backends a store test runs on, and their lifecycle: a fresh SQLite file, or a PostgreSQL
 * database of its own; each migrated when opened, closed and removed (the file) or dropped (the
 * database) at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createDatabase, postgresUnavailable } from './postgres.js';

export interface BackendDatabase {
  /** A migrated store on a database of its own. */
  store: Store;
  /** Another store on the same database, as a second node would have. */
  another(): Promise<Store>;
  /** Closes `store` and removes the database. */
  dispose(): Promise<void>;
}

export interface Backend {
  name: string;
  /** Why this backend cannot run here, or null. */
  unavailable(): Promise<string | null>;
  open(prefix?: string): Promise<BackendDatabase>;
}

export const sqliteBackend: Backend = {
  name: 'SQLite',
  unavailable: async () => null,
  async open(prefix = 'tokend-store-') {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    const path = join(dir, 'tokend.db');
    const store = new SqliteStore(path);
    await store.migrate();
    return {
      store,
      another: async () => new SqliteStore(path),
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

export const postgresBackend: Backend = {
  name: 'PostgreSQL',
  unavailable: postgresUnavailable,
  async open() {
    const database = await createDatabase();
    const store = new PgStore(database.url);
    await store.migrate();
    return {
      store,
      async another() {
        const other = new PgStore(database.url);
        await other.migrate();
        return other;
      },
      async dispose() {
        await store.close();
        await database.drop();
      },
    };
  },
};

/** The backend the whole suite runs on: PostgreSQL with TOKEND_TEST_DATABASE=postgres, else SQLite. */
export function testBackend(): Backend {
  return process.env.TOKEND_TEST_DATABASE === 'postgres' ? postgresBackend : sqliteBackend;
}

/** The two stores of one database that a test reaches it through, as two nodes would. */
export interface BackendNodes {
  store: Store;
  second: Store;
}

/**
 * Opens a database on `backend` before the tests of the enclosing `describe` (or file), with a
 * second node, and hands both to `opened`; closes both and removes the database after them.
 */
export function useBackend(backend: Backend, opened: (nodes: BackendNodes) => void): void {
  let db: BackendDatabase | undefined;
  let second: Store | undefined;
  before(async () => {
    db = await backend.open();
    second = await db.another();
    opened({ store: db.store, second });
  });
  after(async () => {
    await second?.close();
    await db?.dispose();
  });
}

/** A migrated store on the suite's backend (see {@link testBackend}), for tests of one node. */
export async function openBackendStore(prefix: string): Promise<{ store: Store; close(): Promise<void> }> {
  const db = await testBackend().open(prefix);
  return { store: db.store, close: () => db.dispose() };
}
