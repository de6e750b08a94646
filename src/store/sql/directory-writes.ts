/**
 * The admin writes of roles (src/core/admin/roles.ts), as statement batches: each runs in one
 * transaction, so a role is never left half-deleted with grants that point at nothing. Groups'
 * are in group-writes.ts.
 */
import type { Role } from '../../core/models.js';
import type { Statement } from './sql-driver.js';
import { DIVISION_SQL } from './division-writes.js';
import { SQL } from './statements.js';

export const DIRECTORY_SQL = {
  deleteRoleOfUsers: 'DELETE FROM user_roles WHERE role_id = ?',
  deleteRoleOfClients: 'DELETE FROM client_roles WHERE role_id = ?',
  deleteRole: 'DELETE FROM roles WHERE id = ?',
} as const;

/** Creates the role or replaces its name and permissions. */
export function saveRoleBatch(role: Role): Statement[] {
  return [[SQL.upsertRole, [role.id, role.organizationId, role.name, JSON.stringify(role.permissions)]]];
}

/** Takes the role from every user (in any division) and client that holds it, then deletes it; the last count says whether it existed. */
export function deleteRoleBatch(id: string): Statement[] {
  return [
    [DIRECTORY_SQL.deleteRoleOfUsers, [id]],
    [DIVISION_SQL.deleteRoleOfGrants, [id]],
    [DIRECTORY_SQL.deleteRoleOfClients, [id]],
    [DIRECTORY_SQL.deleteRole, [id]],
  ];
}
