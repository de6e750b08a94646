import { postgresBackend } from '../helpers/backend-store.js';
import { adminStoreSuite } from './admin-suite.js';
import { consentStoreSuite } from './consent-suite.js';
import { directoryStoreSuite } from './directory-suite.js';
import { issuanceStoreSuite } from './issuance-suite.js';
import { listingStoreSuite } from './listing-suite.js';
import { signInStoreSuite } from './sign-in-suite.js';
import { storeSuite } from './suite.js';

await storeSuite(postgresBackend);
await signInStoreSuite(postgresBackend);
await adminStoreSuite(postgresBackend);
await directoryStoreSuite(postgresBackend);
await listingStoreSuite(postgresBackend);
await consentStoreSuite(postgresBackend);
await issuanceStoreSuite(postgresBackend);
