/**
 * The admin writes of roles and groups (src/core/admin/roles.ts, groups.ts), as statement
 * batches: each runs in one transaction, so a role is never left half-deleted with grants that
 * point at nothing, nor a group with half of its new members.
 */
import type { Group, Role } from '../../core/models.js';
import type { Statement } from './sql-driver.js';
import { SQL } from './statements.js';

export const DIRECTORY_SQL = {
  deleteRoleOfUsers: 'DELETE FROM user_roles WHERE role_id = ?',
  deleteRoleOfClients: 'DELETE FROM client_roles WHERE role_id = ?',
  deleteRole: 'DELETE FROM roles WHERE id = ?',
  deleteGroupMembers: 'DELETE FROM group_members WHERE group_id = ?',
  deleteGroup: 'DELETE FROM directory_groups WHERE id = ?',
} as const;

/** Creates the role or replaces its name and permissions. */
export function saveRoleBatch(role: Role): Statement[] {
  return [[SQL.upsertRole, [role.id, role.organizationId, role.name, JSON.stringify(role.permissions)]]];
}

/** Takes the role from every user and client that holds it, then deletes it; the last count says whether it existed. */
export function deleteRoleBatch(id: string): Statement[] {
  return [
    [DIRECTORY_SQL.deleteRoleOfUsers, [id]],
    [DIRECTORY_SQL.deleteRoleOfClients, [id]],
    [DIRECTORY_SQL.deleteRole, [id]],
  ];
}

/** Creates the group or renames it; with `memberIds`, they replace its members. */
export function saveGroupBatch(group: Group, memberIds: readonly string[] | null): Statement[] {
  const batch: Statement[] = [[SQL.upsertGroup, [group.id, group.organizationId, group.name]]];
  if (memberIds === null) return batch;
  batch.push([DIRECTORY_SQL.deleteGroupMembers, [group.id]]);
  for (const userId of memberIds) batch.push([SQL.insertUserGroup, [group.id, userId]]);
  return batch;
}

/** Removes every member, then the group; the last count says whether it existed. */
export function deleteGroupBatch(id: string): Statement[] {
  return [
    [DIRECTORY_SQL.deleteGroupMembers, [id]],
    [DIRECTORY_SQL.deleteGroup, [id]],
  ];
}
