/** The ids and secrets of test/fixtures/oauth-clients-seed.json (the OAuth clients API's tests), named for tests. */
import { fileURLToPath } from 'node:url';

export const CLIENTS_SEED = fileURLToPath(new URL('../../../test/fixtures/oauth-clients-seed.json', import.meta.url));
export const initrode = {
  org: '33333333-3333-4333-8333-333333333333',
  roles: {
    clientAdmin: '33333333-0000-4000-8000-00000000a001',
    tokenAdmin: '33333333-0000-4000-8000-00000000a002',
    everything: '33333333-0000-4000-8000-00000000a003',
  },
  clientAdmin: { id: '33333333-0000-4000-8000-00000000d001', secret: 'client-admin-secret' },
  viewer: { id: '33333333-0000-4000-8000-00000000d002', secret: 'viewer-service-secret' },
  oauthApp: { id: '33333333-0000-4000-8000-00000000d003', secret: 'oauth-app-secret' },
  readonlyApp: { id: '33333333-0000-4000-8000-00000000d004', secret: 'oauth-readonly-secret' },
  otherScopeApp: { id: '33333333-0000-4000-8000-00000000d005', secret: 'other-scope-secret' },
  seeded: { id: '33333333-0000-4000-8000-00000000d006', secret: 'seeded-service-secret' },
  /** Holds `*` (and Token admin): stronger than the client admin, whose edits it must be safe from. */
  root: { id: '33333333-0000-4000-8000-00000000d007', secret: 'root-service-secret' },
  /** Holds `*`, disabled by the seed. */
  dormantRoot: { id: '33333333-0000-4000-8000-00000000d008', secret: 'dormant-root-secret' },
  ivy: { id: '33333333-0000-4000-8000-00000000c001', email: 'ivy@initrode.test', password: 'ivy-password' },
};
export const othercorp = { roleId: '44444444-0000-4000-8000-00000000a001', client: { id: '44444444-0000-4000-8000-00000000d001', secret: 'othercorp-secret' } };
