/** The ids and secrets of test/fixtures/roles-seed.json (the roles API's writes), named for tests. */
import { fileURLToPath } from 'node:url';

export const ROLES_SEED = fileURLToPath(new URL('../../../test/fixtures/roles-seed.json', import.meta.url));

export const ROLODEX = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';

const roleId = (n: string) => `bbbbbbbb-0000-4000-8000-00000000a00${n}`;
export const roleIds = {
  /** authorization:role:*, authorization:grant:*, oauth:client:view. */
  admin: roleId('1'),
  /** authorization:role:edit, authorization:role:view. */
  editor: roleId('2'),
  /** oauth:client:view: Vera, walt and Xena. */
  viewer: roleId('3'),
  /** *:*:*: Sam. */
  everything: roleId('4'),
  nothing: roleId('5'),
  /** Elsewhere's "Client viewer". */
  elsewhere: 'cccccccc-0000-4000-8000-00000000a001',
};

const userId = (n: string) => `bbbbbbbb-0000-4000-8000-00000000c00${n}`;
export const userIds = { ada: userId('1'), eddie: userId('2'), vera: userId('3'), sam: userId('4'), walt: userId('5'), xena: userId('6'), nina: userId('7') };
export const elsa = 'cccccccc-0000-4000-8000-00000000c001';
export const vera = { id: userIds.vera, email: 'vera@rolodex.test', password: 'vera-password' };

export const roleClients = {
  /** CLIENT-CREDENTIALS, Role admin. */
  admin: { id: 'bbbbbbbb-0000-4000-8000-00000000d001', secret: 'role-admin-service-secret' },
  /** CLIENT-CREDENTIALS, Role editor. */
  editor: { id: 'bbbbbbbb-0000-4000-8000-00000000d002', secret: 'role-editor-service-secret' },
  /** CLIENT-CREDENTIALS, Client viewer. */
  viewer: { id: 'bbbbbbbb-0000-4000-8000-00000000d003', secret: 'viewer-service-secret' },
  /** PASSWORD, scopes oauth and authorization. */
  app: { id: 'bbbbbbbb-0000-4000-8000-00000000d004', secret: 'rolodex-app-secret' },
  /** CLIENT-CREDENTIALS, Nothing. */
  bare: { id: 'bbbbbbbb-0000-4000-8000-00000000d005', secret: 'rolodex-bare-service-secret' },
};
