import { PgStore } from '../../src/store/postgres/pg-store.js';
import { createDatabase, postgresUnavailable } from '../helpers/postgres.js';
import { adminStoreSuite } from './admin-suite.js';
import { directoryStoreSuite } from './directory-suite.js';
import { listingStoreSuite } from './listing-suite.js';
import { signInStoreSuite } from './sign-in-suite.js';
import { type Backend, storeSuite } from './suite.js';

const backend: Backend = {
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

await storeSuite(backend);
await signInStoreSuite(backend);
await adminStoreSuite(backend);
await directoryStoreSuite(backend);
await listingStoreSuite(backend);
