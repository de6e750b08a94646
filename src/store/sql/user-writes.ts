/**
 * The users API's SQL (src/core/admin/user-admin.ts decides; the ports' doc comments state the
 * rules). A listing pages by `name_key` from an index (migration 13), never sorting. A PATCH is
 * one batch whose first statement claims the person at the version the caller read and stamps
 * them with a token of its own; the batch's revocations act only where the person carries that
 * token, so a writer that lost the race (PostgreSQL's READ COMMITTED sees the winner's token)
 * ends nothing. On SQLite a batch runs alone.
 */
import { randomUUID } from 'node:crypto';
import { normalForm } from '../../core/normal-form.js';
import type { UserRecord } from '../../core/models.js';
import type { UserPageQuery } from '../../core/ports/directory-port.js';
import { inList } from './group-writes.js';
import type { Statement } from './sql-driver.js';

const STAMPED = 'EXISTS (SELECT 1 FROM users WHERE id = ? AND write_token = ?)';

export const USER_SQL = {
  updateUserAtVersion: `UPDATE users SET name = ?, name_key = ?, email = ?, email_key = ?, state = ?, details = ?, date_modified_ms = ?,
    version = version + 1, write_token = ? WHERE id = ? AND version = ?`,
  revokeStampedSessions: `UPDATE sign_in_sessions SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL AND ${STAMPED}`,
  revokeStampedTokens: `UPDATE tokens SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL AND ${STAMPED}`,
  findUserVersion: 'SELECT version FROM users WHERE id = ?',
  // Roles are replaced whatever the version (PUT /users/{id}/roles carries none); the person's version moves.
  touchUserVersion: 'UPDATE users SET version = version + 1, date_modified_ms = ? WHERE id = ?',
  insertUserRoleIfUser: 'INSERT INTO user_roles (user_id, role_id) SELECT id, CAST(? AS TEXT) FROM users WHERE id = ?',
  listUserRows: 'SELECT * FROM users WHERE organization_id = ?',
  lastTokensIssued: "SELECT user_id, max(issued_at_ms) AS at FROM tokens WHERE kind = 'access' AND user_id IN ",
  lastPasswordSignIns: "SELECT user_id, max(issued_at_ms) AS at FROM tokens WHERE grant_type = 'password' AND user_id IN ",
  lastBrowserSignIns: 'SELECT user_id, max(created_at_ms) AS at FROM sign_in_sessions WHERE user_id IN ',
} as const;

/**
 * One page of an organization's people by name key then id (or the reverse), and its count: both
 * read from `users_by_state_and_name` (a state) or `users_by_name` (any state). An id filter
 * narrows it to at most a page of ids.
 */
export function userPageStatements(query: UserPageQuery): { page: Statement; count: Statement } {
  const where: string[] = ['organization_id = ?'];
  const params: unknown[] = [query.organizationId];
  if (query.state !== 'any') {
    where.push('state = ?');
    params.push(query.state);
  }
  if (query.ids !== null) {
    const ids = inList(query.ids);
    where.push(`id IN ${ids.marks}`);
    params.push(...ids.params);
  }
  const order = query.descending ? 'name_key DESC, id DESC' : 'name_key, id';
  const filter = where.join(' AND ');
  return {
    page: [`SELECT * FROM users WHERE ${filter} ORDER BY ${order} LIMIT ? OFFSET ?`, [...params, query.limit, query.offset]],
    count: [`SELECT count(*) AS n FROM users WHERE ${filter}`, params],
  };
}

/**
 * Replaces what a PATCH changes, at `expectedVersion`; a state other than active ends the
 * person's sign-in sessions and tokens in the same batch (as a disable does), only for this
 * batch's claim. The first count says whether it was written; the last two what it ended.
 */
export function updateUserBatch(user: UserRecord, expectedVersion: number, at: number): { batch: Statement[]; endsAccess: boolean } {
  const token = randomUUID();
  const batch: Statement[] = [
    [
      USER_SQL.updateUserAtVersion,
      [user.name, normalForm(user.name), user.email, normalForm(user.email), user.state, JSON.stringify(user.details), at, token, user.id, expectedVersion],
    ],
  ];
  const endsAccess = user.state !== 'active';
  if (endsAccess) {
    batch.push([USER_SQL.revokeStampedSessions, [at, user.id, user.id, token]], [USER_SQL.revokeStampedTokens, [at, user.id, user.id, token]]);
  }
  return { batch, endsAccess };
}

/** Moves the version, then replaces the roles; the first count says whether the person exists. */
export function setUserRolesBatch(userId: string, roleIds: readonly string[], at: number): Statement[] {
  return [
    [USER_SQL.touchUserVersion, [at, userId]],
    ['DELETE FROM user_roles WHERE user_id = ?', [userId]],
    ...roleIds.map((roleId): Statement => [USER_SQL.insertUserRoleIfUser, [roleId, userId]]),
  ];
}

/** `<prefix> (?, ...) GROUP BY user_id` for these people. */
export function perUser(prefix: string, userIds: readonly string[]): Statement {
  const ids = inList(userIds);
  return [`${prefix}${ids.marks} GROUP BY user_id`, ids.params];
}
