/** From the users API's requests to what the admin core takes: the caller as grantor, a body as a change. */
import type { Grantor } from '../core/admin/role-grants.js';
import type { UserChange } from '../core/admin/user-admin.js';
import type { UserDetails, UserState } from '../core/models.js';
import type { Permissions } from '../core/permissions.js';
import type { Principal } from '../core/principal.js';
import type { CreateUser, UpdateUser } from './user-schemas.js';

/** What the caller may hand on and whom it may change: its permissions, narrowed by a user token's scopes (permissions.ts). */
export async function grantorOf(permissions: Permissions, principal: Principal): Promise<Grantor> {
  return { permissions: await permissions.grantable(principal) };
}

/** The kept fields a body names (the others keep their value on a PATCH). */
export function detailsOf(body: CreateUser | UpdateUser): UserDetails {
  const { department, title, preferredName, addresses } = body;
  const named = { department, title, preferredName, addresses };
  return Object.fromEntries(Object.entries(named).filter(([, value]) => value !== undefined)) as UserDetails;
}

/** An `UpdateUser` as a change; the fields of domains tokend does not run are not kept. */
export function userChangeOf(body: UpdateUser): UserChange {
  return {
    ...(body.name === undefined ? {} : { name: body.name }),
    ...(body.email === undefined ? {} : { email: body.email }),
    ...(body.state === undefined ? {} : { state: body.state as UserState }),
    details: detailsOf(body),
  };
}
