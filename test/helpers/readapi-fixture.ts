/** The ids and secrets of test/fixtures/readapi-seed.json (the control plane's read endpoints), named for tests. */
import { fileURLToPath } from 'node:url';
import { startTestApp, type TestApp } from './app.js';

export const READAPI_SEED_FILE = fileURLToPath(new URL('../../../test/fixtures/readapi-seed.json', import.meta.url));

export const INITECH = '44444444-4444-4444-8444-444444444444';
export const HOOLI = '55555555-5555-4555-8555-555555555555';

/** By name order, as getAuthorizationRoles lists them. */
export const initechRoles = {
  authorizationWildcard: '44444444-0000-4000-8000-00000000a005',
  clientKeeper: '44444444-0000-4000-8000-00000000a004',
  everything: '44444444-0000-4000-8000-00000000a003',
  nothing: '44444444-0000-4000-8000-00000000a002',
  roleViewer: '44444444-0000-4000-8000-00000000a001',
};

export const people = {
  rita: { id: '44444444-0000-4000-8000-00000000c001', name: 'Rita Roles', email: 'rita@initech.test', password: 'rita-password' },
  ned: { id: '44444444-0000-4000-8000-00000000c002', name: 'Ned Nothing', email: 'ned@initech.test', password: 'ned-password' },
};

export const services = {
  /** CLIENT-CREDENTIALS, role "Role viewer" (authorization:role:view). */
  roles: { id: '44444444-0000-4000-8000-00000000d001', secret: 'role-service-secret' },
  /** CLIENT-CREDENTIALS, a role with no permission. */
  bare: { id: '44444444-0000-4000-8000-00000000d002', secret: 'bare-service-secret' },
  /** PASSWORD, scopes organization, authorization, oauth. */
  fullApp: { id: '44444444-0000-4000-8000-00000000d003', secret: 'full-app-secret' },
  /** PASSWORD, the :readonly variant of each. */
  readonlyApp: { id: '44444444-0000-4000-8000-00000000d004', secret: 'readonly-app-secret' },
  /** PASSWORD, no scope but user-basic-info. */
  basicApp: { id: '44444444-0000-4000-8000-00000000d005', secret: 'basic-app-secret' },
  /** CLIENT-CREDENTIALS, role "Everything" (*): the admin client Terraform and gc are run with. */
  terraform: { id: '44444444-0000-4000-8000-00000000d006', secret: 'terraform-service-secret' },
  /** Hooli's CLIENT-CREDENTIALS service, with authorization:role:view in Hooli. */
  hooli: { id: '55555555-0000-4000-8000-00000000d001', secret: 'hooli-service-secret' },
};

/** A test app seeded with this file, and Initech's home division (its id is made at seeding). */
export async function startReadApi(): Promise<{ t: TestApp; homeDivisionId: string }> {
  const t = await startTestApp({ seedFile: READAPI_SEED_FILE });
  const initech = await t.app.tokend.store.findOrganization(INITECH);
  if (!initech) throw new Error('the read API seed has no Initech');
  return { t, homeDivisionId: initech.homeDivisionId };
}
