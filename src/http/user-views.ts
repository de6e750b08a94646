/**
 * People as the users API answers them: each `User` with the expands asked, what those need read
 * once for the whole page (roles, the groups the caller may see, sign-in traces). Showing
 * another person's roles and permissions (`expand=authorization`) needs `authorization:grant:view`
 * (CONTRACT.md): 403 `missing.permissions` otherwise, whatever else was asked.
 */
import { groupViewerOf, maySee } from '../core/admin/group-access.js';
import type { GroupAdmin } from '../core/admin/groups.js';
import type { UserAdmin } from '../core/admin/user-admin.js';
import { errors } from '../core/errors.js';
import type { GroupRecord, Role, UserRecord } from '../core/models.js';
import type { Permissions } from '../core/permissions.js';
import type { SignInTrace } from '../core/ports/directory-port.js';
import type { Principal } from '../core/principal.js';
import type { UserExpand } from '../core/user-expand.js';
import { renderUser } from './render-directory.js';
import { type ExpandData, renderUserExpands } from './render-user-expands.js';

export interface UserViewServices {
  users: UserAdmin;
  groups: GroupAdmin;
  permissions: Permissions;
}

export const GRANT_VIEW_PERMISSION = 'authorization:grant:view';

/** What the expands of `people` need, read once; refuses `authorization` of another person without the permission. */
export async function expandData(
  services: UserViewServices,
  principal: Principal,
  people: readonly UserRecord[],
  expands: ReadonlySet<UserExpand>,
): Promise<ExpandData> {
  const { organization } = principal;
  const wantsRoles = expands.has('authorization') || expands.has('authorization.unusedRoles') || expands.has('orgauthorization');
  if ((expands.has('authorization') || expands.has('authorization.unusedRoles')) && people.some((person) => person.id !== principal.user?.id)) {
    if (!(await services.permissions.grants(principal, { any: [GRANT_VIEW_PERMISSION] }))) {
      throw errors.missingPermissions([GRANT_VIEW_PERMISSION], { details: [{ errorCode: 'missing.permissions', fieldName: 'expand' }] });
    }
  }
  const wantsTraces = expands.has('lasttokenissued') || expands.has('dateLastLogin');
  const [roles, groups, traces] = await Promise.all([
    wantsRoles ? services.users.roles(people.flatMap((person) => person.roleIds)) : ([] as Role[]),
    expands.has('groups') ? visibleGroups(services, principal) : ([] as GroupRecord[]),
    wantsTraces ? services.users.signInTraces(people.map((person) => person.id)) : new Map<string, SignInTrace>(),
  ]);
  return {
    organization,
    roles: new Map(roles.filter((role) => role.organizationId === organization.id).map((role) => [role.id, role])),
    groups: new Map(groups.map((group) => [group.id, group])),
    traces,
  };
}

async function visibleGroups(services: UserViewServices, principal: Principal): Promise<GroupRecord[]> {
  const viewer = await groupViewerOf(services.permissions, principal);
  return (await services.groups.list(principal.organization.id)).filter((group) => maySee(group, viewer));
}

/** The people as `User`s with their expands. */
export async function renderUsers(services: UserViewServices, principal: Principal, people: readonly UserRecord[], expands: ReadonlySet<UserExpand>) {
  const data = expands.size === 0 ? null : await expandData(services, principal, people, expands);
  return people.map((person) => ({
    ...renderUser(person, principal.organization),
    ...(data === null ? {} : renderUserExpands(person, expands, data)),
  }));
}
