import { sqliteBackend } from '../helpers/backend-store.js';
import { adminStoreSuite } from './admin-suite.js';
import { consentStoreSuite } from './consent-suite.js';
import { directoryStoreSuite } from './directory-suite.js';
import { issuanceStoreSuite } from './issuance-suite.js';
import { listingStoreSuite } from './listing-suite.js';
import { signInStoreSuite } from './sign-in-suite.js';
import { storeSuite } from './suite.js';

await storeSuite(sqliteBackend);
await signInStoreSuite(sqliteBackend);
await adminStoreSuite(sqliteBackend);
await directoryStoreSuite(sqliteBackend);
await listingStoreSuite(sqliteBackend);
await consentStoreSuite(sqliteBackend);
await issuanceStoreSuite(sqliteBackend);
