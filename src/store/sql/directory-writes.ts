/**
 * The admin writes of roles (src/core/admin/roles.ts), as statement batches: each runs in one
 * transaction, so a role is never left half-deleted with grants that point at nothing. Groups'
 * are in group-writes.ts.
 */
import type { Role } from '../../core/models.js';
import type { Statement } from './sql-driver.js';
import { DIVISION_SQL } from './division-writes.js';
import { USER_SQL } from './user-writes.js';

export const DIRECTORY_SQL = {
  deleteRoleOfUsers: 'DELETE FROM user_roles WHERE role_id = ?',
  deleteRoleOfClients: 'DELETE FROM client_roles WHERE role_id = ?',
  deleteRole: 'DELETE FROM roles WHERE id = ?',
  // A seed's upsert (statements.ts upsertRole) leaves the kept fields alone; the admin core's writes them too.
  saveRole: `INSERT INTO roles (id, organization_id, name, permissions, details) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, permissions = excluded.permissions, details = excluded.details`,
  updateRole: 'UPDATE roles SET name = ?, permissions = ?, details = ? WHERE id = ?',
  deleteUserRole: 'DELETE FROM user_roles WHERE user_id = ? AND role_id = ?',
  insertUserRoleIfMissing: `INSERT INTO user_roles (user_id, role_id) SELECT id, CAST(? AS TEXT) FROM users WHERE id = ?
    ON CONFLICT (user_id, role_id) DO NOTHING`,
} as const;

/** Creates the role or replaces its name, permissions and kept fields. */
export function saveRoleBatch(role: Role): Statement[] {
  return [[DIRECTORY_SQL.saveRole, [role.id, role.organizationId, role.name, JSON.stringify(role.permissions), JSON.stringify(role.details ?? {})]]];
}

/** Gives the role to `add` and takes it from `remove`, moving each person's version, in one transaction. */
export function changeRoleHoldersBatch(roleId: string, change: { add: readonly string[]; remove: readonly string[] }, at: number): Statement[] {
  return [
    ...change.add.flatMap((userId): Statement[] => [
      [USER_SQL.touchUserVersion, [at, userId]],
      [DIRECTORY_SQL.insertUserRoleIfMissing, [roleId, userId]],
    ]),
    ...change.remove.flatMap((userId): Statement[] => [
      [USER_SQL.touchUserVersion, [at, userId]],
      [DIRECTORY_SQL.deleteUserRole, [userId, roleId]],
    ]),
  ];
}

/** Replaces an existing role's name, permissions and kept fields; its count is 0 when the role is gone (never made again). */
export function updateRoleBatch(role: Role): Statement[] {
  return [[DIRECTORY_SQL.updateRole, [role.name, JSON.stringify(role.permissions), JSON.stringify(role.details ?? {}), role.id]]];
}

/** A write that named a row that a racing write removed (SQLite with foreign keys on, PostgreSQL). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
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
