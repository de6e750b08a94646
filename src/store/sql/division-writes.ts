/**
 * The SQL of divisions and of grants in them (migrations 14 and 15; core/admin/divisions.ts and
 * grants.ts decide). Two races are closed here, not in core:
 * - A division's delete and a grant in it: each batch first moves the division's version, which
 *   takes its row's lock (PostgreSQL) or runs alone (SQLite), and its next statements, each with
 *   a fresh snapshot, then see what the other committed: the delete finds the grant and deletes
 *   nothing, or the grant finds no division and is not made.
 * - Two changes of one person's grants: each claims the person at the version it read (the
 *   `write_token` stamp of user-writes.ts); only the claimant's statements act, the other is stale.
 */
import { randomUUID } from 'node:crypto';
import { normalForm } from '../../core/normal-form.js';
import type { Division } from '../../core/models.js';
import type { GrantSet } from '../../core/ports/admin-port.js';
import type { Statement } from './sql-driver.js';

const STAMPED = 'EXISTS (SELECT 1 FROM users WHERE id = ? AND write_token = ?)';
/** What a division holds: grants, or clients' role divisions (people and groups are all in the home division, which is never deleted). */
const UNUSED = `NOT EXISTS (SELECT 1 FROM user_grants g JOIN users u ON u.id = g.user_id WHERE g.division_id = ? AND u.organization_id = ?)
    AND NOT EXISTS (SELECT 1 FROM client_roles r JOIN clients c ON c.id = r.client_id WHERE r.division_id = ? AND c.organization_id = ?)`;

export const DIVISION_SQL = {
  listDivisions: 'SELECT * FROM divisions WHERE organization_id = ? ORDER BY name_key, id',
  findDivision: 'SELECT * FROM divisions WHERE organization_id = ? AND id = ?',
  insertDivision: `INSERT INTO divisions (id, organization_id, name, name_key, description, home, version, date_created_ms)
    VALUES (?, ?, ?, ?, ?, 0, 1, ?)`,
  // A seeded organization's home division: written once, then an admin's changes hold.
  insertHomeDivision: `INSERT INTO divisions (id, organization_id, name, name_key, description, home, version, date_created_ms)
    VALUES (?, ?, 'Home', 'home', NULL, 1, 1, ?) ON CONFLICT (organization_id, id) DO NOTHING`,
  // A seeded division: written where neither its id nor its name is taken (ON CONFLICT without a target covers both keys).
  insertSeedDivision: `INSERT INTO divisions (id, organization_id, name, name_key, description, home, version, date_created_ms)
    VALUES (?, ?, ?, ?, ?, 0, 1, ?) ON CONFLICT DO NOTHING`,
  updateDivision: 'UPDATE divisions SET name = ?, name_key = ?, description = ?, version = version + 1 WHERE organization_id = ? AND id = ?',
  lockDivision: 'UPDATE divisions SET version = version + 1 WHERE organization_id = ? AND id = ?',
  deleteUnusedDivision: `DELETE FROM divisions WHERE organization_id = ? AND id = ? AND home = 0 AND ${UNUSED}`,
  grantsIn: `SELECT count(*) AS n FROM user_grants g JOIN users u ON u.id = g.user_id WHERE g.division_id = ? AND u.organization_id = ?`,
  clientRolesIn: `SELECT count(*) AS n FROM client_roles r JOIN clients c ON c.id = r.client_id WHERE r.division_id = ? AND c.organization_id = ?`,
  findUserGrants: 'SELECT role_id, division_id, granted_at_ms FROM user_grants WHERE user_id = ? ORDER BY division_id, role_id',
  claimUser: 'UPDATE users SET version = version + 1, date_modified_ms = ?, write_token = ? WHERE id = ? AND version = ?',
  deleteStampedRoles: `DELETE FROM user_roles WHERE user_id = ? AND ${STAMPED}`,
  deleteStampedGrants: `DELETE FROM user_grants WHERE user_id = ? AND ${STAMPED}`,
  insertStampedRole: `INSERT INTO user_roles (user_id, role_id) SELECT CAST(? AS TEXT), CAST(? AS TEXT) WHERE ${STAMPED}`,
  insertStampedGrant: `INSERT INTO user_grants (user_id, role_id, division_id, granted_at_ms)
    SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT)
    WHERE ${STAMPED} AND EXISTS (SELECT 1 FROM divisions WHERE organization_id = ? AND id = ?)`,
  deleteRoleOfGrants: 'DELETE FROM user_grants WHERE role_id = ?',
} as const;

export function insertDivisionStatement(d: Division): Statement {
  return [DIVISION_SQL.insertDivision, [d.id, d.organizationId, d.name, normalForm(d.name), d.description, d.dateCreated]];
}

export function seedDivisionStatement(d: Division): Statement {
  return [DIVISION_SQL.insertSeedDivision, [d.id, d.organizationId, d.name, normalForm(d.name), d.description, d.dateCreated]];
}

export function updateDivisionStatement(d: Division): Statement {
  return [DIVISION_SQL.updateDivision, [d.name, normalForm(d.name), d.description, d.organizationId, d.id]];
}

/** Locks the division, then deletes it only when unused and not the home one; the last count says whether it went. */
export function deleteDivisionBatch(organizationId: string, id: string): Statement[] {
  return [
    [DIVISION_SQL.lockDivision, [organizationId, id]],
    [DIVISION_SQL.deleteUnusedDivision, [organizationId, id, id, organizationId, id, organizationId]],
  ];
}

/**
 * Replaces a person's grants at `expectedVersion`: claims them (the first count says whether it
 * did), locks each division granted in, then writes the home roles and the other grants, each
 * only for this claim and (a grant) only while its division exists.
 */
export function setGrantsBatch(userId: string, organizationId: string, grants: GrantSet, expectedVersion: number, at: number): Statement[] {
  const token = randomUUID();
  const divisions = [...new Set(grants.elsewhere.map((g) => g.divisionId))].sort();
  return [
    [DIVISION_SQL.claimUser, [at, token, userId, expectedVersion]],
    ...divisions.map((id): Statement => [DIVISION_SQL.lockDivision, [organizationId, id]]),
    [DIVISION_SQL.deleteStampedRoles, [userId, userId, token]],
    [DIVISION_SQL.deleteStampedGrants, [userId, userId, token]],
    ...grants.homeRoleIds.map((roleId): Statement => [DIVISION_SQL.insertStampedRole, [userId, roleId, userId, token]]),
    ...grants.elsewhere.map(
      (g): Statement => [DIVISION_SQL.insertStampedGrant, [userId, g.roleId, g.divisionId, g.grantedAt, userId, token, organizationId, g.divisionId]],
    ),
  ];
}
