/** The ids and secrets of test/fixtures/users-seed.json (the users API), named for tests. */
import { fileURLToPath } from 'node:url';

export const USERS_SEED = fileURLToPath(new URL('../../../test/fixtures/users-seed.json', import.meta.url));

export const PENDANT = '99999999-9999-4999-8999-999999999999';
export const VANDAL = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const LATEX = '99999999-0000-4000-8000-00000000b001';

export const roles = {
  /** directory:user:*, authorization:grant:*. */
  peopleAdmin: { id: '99999999-0000-4000-8000-00000000a001', name: 'People admin' },
  /** oauth:token:delete: a role the people admin does not hold. */
  tokenAdmin: { id: '99999999-0000-4000-8000-00000000a002', name: 'Token admin' },
  viewer: { id: '99999999-0000-4000-8000-00000000a003', name: 'Viewer' },
  nothing: { id: '99999999-0000-4000-8000-00000000a004', name: 'Nothing' },
  vandal: { id: 'aaaaaaaa-0000-4000-8000-00000000a001', name: 'People admin' },
};

const person = (n: string, name: string, email: string, password: string) => ({ id: `99999999-0000-4000-8000-00000000c00${n}`, name, email, password });

export const people = {
  paula: person('1', 'Paula People', 'paula@pendant.test', 'paula-password'),
  /** Viewer; in Latex. */
  vic: person('2', 'Vic Viewer', 'vic@pendant.test', 'vic-password'),
  tom: person('3', 'Tom Tokens', 'tom@pendant.test', 'tom-password'),
  nora: person('4', 'nora Nobody', 'nora@pendant.test', 'nora-password'),
  /** Inactive. */
  ivy: person('5', 'Ivy Inactive', 'ivy@pendant.test', 'ivy-password'),
};
export const art = { id: 'aaaaaaaa-0000-4000-8000-00000000c001', name: 'Art Vandal', email: 'art@vandal.test', password: 'art-password' };

export const userClients = {
  /** CLIENT-CREDENTIALS, People admin. */
  admin: { id: '99999999-0000-4000-8000-00000000d001', secret: 'people-admin-service-secret' },
  /** CLIENT-CREDENTIALS, no permission. */
  bare: { id: '99999999-0000-4000-8000-00000000d002', secret: 'pendant-bare-service-secret' },
  /** PASSWORD, scopes users and authorization. */
  app: { id: '99999999-0000-4000-8000-00000000d003', secret: 'people-app-secret' },
  /** PASSWORD, scope users:readonly. */
  readonlyApp: { id: '99999999-0000-4000-8000-00000000d004', secret: 'readonly-people-app-secret' },
  /** CLIENT-CREDENTIALS, People admin and Token admin. */
  everything: { id: '99999999-0000-4000-8000-00000000d005', secret: 'everything-service-secret' },
  /** Vandal's CLIENT-CREDENTIALS People admin. */
  vandal: { id: 'aaaaaaaa-0000-4000-8000-00000000d001', secret: 'vandal-admin-secret' },
};
