import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { adminStoreSuite } from './admin-suite.js';
import { directoryStoreSuite } from './directory-suite.js';
import { listingStoreSuite } from './listing-suite.js';
import { signInStoreSuite } from './sign-in-suite.js';
import { type Backend, storeSuite } from './suite.js';

const backend: Backend = {
  name: 'SQLite',
  unavailable: async () => null,
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'tokend-store-'));
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

await storeSuite(backend);
await signInStoreSuite(backend);
await adminStoreSuite(backend);
await directoryStoreSuite(backend);
await listingStoreSuite(backend);
