/**
 * Who reads a group and who changes its members (ours: the SDK reference asks no permission for
 * either). The group's `visibility` says who sees it, as Genesys describes it: `public` everyone
 * of the organization, `members` its members and owners, `owners` its owners. An administrator
 * of groups (`directory:group:edit`, the permission that changes them) sees every group, as must
 * whoever may change one. Members are changed by an administrator or by one of the group's
 * owners: membership picks a person's idle token timeout (the organization's group bundles), so
 * nobody chooses their own by joining a group. A group not seen is answered as unknown (404).
 */
import type { GroupRecord } from '../models.js';
import type { Permissions } from '../permissions.js';
import type { Principal } from '../principal.js';

export const GROUP_ADMIN_PERMISSION = 'directory:group:edit';

/** The caller as the groups API judges it. */
export interface GroupViewer {
  /** The person behind the token; null for a client-credentials token. */
  userId: string | null;
  /** The groups that person belongs to. */
  groupIds: readonly string[];
  /** Holds {@link GROUP_ADMIN_PERMISSION}. */
  administers: boolean;
}

export async function groupViewerOf(permissions: Permissions, principal: Principal): Promise<GroupViewer> {
  return {
    userId: principal.user?.id ?? null,
    groupIds: principal.user?.groupIds ?? [],
    administers: await permissions.grants(principal, { any: [GROUP_ADMIN_PERMISSION] }),
  };
}

const owns = (group: GroupRecord, viewer: GroupViewer) => viewer.userId !== null && (group.details.ownerIds ?? []).includes(viewer.userId);

export function maySee(group: GroupRecord, viewer: GroupViewer): boolean {
  if (group.visibility === 'public' || viewer.administers || owns(group, viewer)) return true;
  return group.visibility === 'members' && viewer.groupIds.includes(group.id);
}

export function mayChangeMembers(group: GroupRecord, viewer: GroupViewer): boolean {
  return viewer.administers || owns(group, viewer);
}
