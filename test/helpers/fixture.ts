/** The ids and secrets of test/fixtures/seed.json, named for tests. */
import { fileURLToPath } from 'node:url';

export const SEED_FILE = fileURLToPath(new URL('../../../test/fixtures/seed.json', import.meta.url));

export const ACME = '11111111-1111-4111-8111-111111111111';
export const GLOBEX = '22222222-2222-4222-8222-222222222222';

export const groups = {
  nightShift: '11111111-0000-4000-8000-00000000b001',
  supervisors: '11111111-0000-4000-8000-00000000b002',
};

export const users = {
  alice: { id: '11111111-0000-4000-8000-00000000c001', email: 'alice@acme.test', password: 'alice-password' },
  bob: { id: '11111111-0000-4000-8000-00000000c002', email: 'bob@acme.test', password: 'bob-password' },
  carol: { id: '11111111-0000-4000-8000-00000000c003', email: 'carol@acme.test', password: 'carol-password' },
  dave: { id: '11111111-0000-4000-8000-00000000c004', email: 'dave@acme.test', password: 'dave-password' },
  gina: { id: '22222222-0000-4000-8000-00000000c001', email: 'gina@globex.test', password: 'gina-password' },
};

export const clients = {
  admin: { id: '11111111-0000-4000-8000-00000000d001', secret: 'admin-service-secret' },
  plain: { id: '11111111-0000-4000-8000-00000000d002', secret: 'plain-service-secret' },
  disabled: { id: '11111111-0000-4000-8000-00000000d003', secret: 'disabled-service-secret' },
  passwordApp: { id: '11111111-0000-4000-8000-00000000d004', secret: 'password-app-secret' },
  readonlyApp: { id: '11111111-0000-4000-8000-00000000d005', secret: 'readonly-app-secret' },
  wildcard: { id: '11111111-0000-4000-8000-00000000d006', secret: 'wildcard-service-secret' },
  inactive: { id: '11111111-0000-4000-8000-00000000d007', secret: 'inactive-service-secret' },
  globex: { id: '22222222-0000-4000-8000-00000000d001', secret: 'globex-service-secret' },
  /** A confidential CODE client (Basic); its loopback URI matches on any port. */
  codeApp: {
    id: '11111111-0000-4000-8000-00000000d008',
    secret: 'code-app-secret',
    redirectUri: 'https://app.acme.test/callback',
    loopbackUri: 'http://127.0.0.1/callback',
  },
  /** A public CODE client: no secret, PKCE required. */
  pkceApp: {
    id: '11111111-0000-4000-8000-00000000d009',
    redirectUri: 'https://spa.acme.test/',
    loopbackUri: 'http://127.0.0.1/pkce',
    signedOutUri: 'http://127.0.0.1/signed-out',
  },
  /** A TOKEN (implicit) client. */
  implicitApp: {
    id: '11111111-0000-4000-8000-00000000d00a',
    redirectUri: 'http://127.0.0.1/implicit',
    customSchemeUri: 'com.acme.app:/callback',
    signedOutUri: 'http://127.0.0.1/signed-out',
  },
  globexPassword: { id: '22222222-0000-4000-8000-00000000d002', secret: 'globex-password-secret' },
};
