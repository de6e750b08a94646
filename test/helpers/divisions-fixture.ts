/** The ids and secrets of test/fixtures/divisions-seed.json (divisions and grants), named for tests. */
import { fileURLToPath } from 'node:url';

export const DIVISIONS_SEED = fileURLToPath(new URL('../../../test/fixtures/divisions-seed.json', import.meta.url));

export const DUNDER = 'dddddddd-dddd-4ddd-8ddd-dddddddddddd';
export const SABRE = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';

export const roles = {
  /** authorization:division:*, authorization:grant:*, directory:user:view. */
  divisionAdmin: { id: 'dddddddd-0000-4000-8000-00000000a001', name: 'Division admin' },
  /** authorization:grant:*, directory:user:view. */
  grantAdmin: { id: 'dddddddd-0000-4000-8000-00000000a002', name: 'Grant admin' },
  /** directory:user:view. */
  viewer: { id: 'dddddddd-0000-4000-8000-00000000a003', name: 'Viewer' },
  /** oauth:token:delete: held by neither admin. */
  tokenAdmin: { id: 'dddddddd-0000-4000-8000-00000000a004', name: 'Token admin' },
  nothing: { id: 'dddddddd-0000-4000-8000-00000000a005', name: 'Nothing' },
  sabreAdmin: { id: 'eeeeeeee-0000-4000-8000-00000000a001', name: 'Division admin' },
};

const person = (n: string, name: string, email: string, password: string) => ({ id: `dddddddd-0000-4000-8000-00000000c00${n}`, name, email, password });

export const people = {
  dana: person('1', 'Dana Divisions', 'dana@dunder.test', 'dana-password'),
  gus: person('2', 'Gus Grants', 'gus@dunder.test', 'gus-password'),
  tina: person('3', 'Tina Tokens', 'tina@dunder.test', 'tina-password'),
  nat: person('4', 'Nat Nobody', 'nat@dunder.test', 'nat-password'),
  vera: person('5', 'Vera Viewer', 'vera@dunder.test', 'vera-password'),
};
export const jo = { id: 'eeeeeeee-0000-4000-8000-00000000c001', email: 'jo@sabre.test', password: 'jo-password' };

export const divisionClients = {
  /** CLIENT-CREDENTIALS, Division admin. */
  admin: { id: 'dddddddd-0000-4000-8000-00000000d001', secret: 'division-admin-secret' },
  /** CLIENT-CREDENTIALS, Grant admin. */
  grants: { id: 'dddddddd-0000-4000-8000-00000000d002', secret: 'grant-admin-secret' },
  /** CLIENT-CREDENTIALS, no permission. */
  bare: { id: 'dddddddd-0000-4000-8000-00000000d003', secret: 'dunder-bare-secret' },
  /** PASSWORD, scopes users and authorization. */
  app: { id: 'dddddddd-0000-4000-8000-00000000d004', secret: 'dunder-app-secret' },
  /** Sabre's CLIENT-CREDENTIALS Division admin. */
  sabre: { id: 'eeeeeeee-0000-4000-8000-00000000d001', secret: 'sabre-admin-secret' },
};
