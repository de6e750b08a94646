/**
 * The groups' SQL (src/core/admin/groups.ts decides; the admin port's doc comments state the
 * rules). A conditional write is one batch whose first statement claims the group (its version
 * as expected, no other group of that name) and stamps it with a token of its own; every other
 * statement of the batch acts only where the group carries that token. Under PostgreSQL's READ
 * COMMITTED, a writer that lost the race sees the winner's token, not its own, so its member
 * changes do nothing; on SQLite a batch runs alone.
 */
import { randomUUID } from 'node:crypto';
import type { GroupRecord } from '../../core/models.js';
import type { GroupMembersChange } from '../../core/ports/admin-port.js';
import type { Statement } from './sql-driver.js';

const GROUP_SET = 'name = ?, description = ?, group_type = ?, visibility = ?, rules_visible = ?, state = ?, details = ?';
// No other group of the organization has the name in any letter case (core checks Unicode case; this closes the race).
const NAME_FREE = `NOT EXISTS (SELECT 1 FROM directory_groups other
  WHERE other.organization_id = directory_groups.organization_id AND lower(other.name) = lower(?) AND other.id <> directory_groups.id)`;
const STAMPED = 'EXISTS (SELECT 1 FROM directory_groups WHERE id = ? AND write_token = ?)';

export const GROUP_SQL = {
  findGroup: 'SELECT * FROM directory_groups WHERE id = ?',
  findGroupVersion: 'SELECT version FROM directory_groups WHERE id = ?',
  listGroupMemberIds: 'SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id',
  membersPage: `SELECT u.* FROM users u JOIN group_members m ON m.user_id = u.id WHERE m.group_id = ?
    ORDER BY lower(u.name), u.id LIMIT ? OFFSET ?`,
  membersPageDescending: `SELECT u.* FROM users u JOIN group_members m ON m.user_id = u.id WHERE m.group_id = ?
    ORDER BY lower(u.name) DESC, u.id DESC LIMIT ? OFFSET ?`,
  insertGroup: `INSERT INTO directory_groups (id, organization_id, name, description, group_type, visibility, rules_visible, state,
      version, date_modified_ms, details, write_token)
    SELECT CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS INTEGER),
      CAST(? AS TEXT), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT)
    WHERE NOT EXISTS (SELECT 1 FROM directory_groups WHERE organization_id = ? AND lower(name) = lower(?))
    ON CONFLICT DO NOTHING`,
  updateGroup: `UPDATE directory_groups SET ${GROUP_SET}, version = version + 1, date_modified_ms = ?, write_token = ?
    WHERE id = ? AND ${NAME_FREE}`,
  updateGroupAtVersion: `UPDATE directory_groups SET ${GROUP_SET}, version = version + 1, date_modified_ms = ?, write_token = ?
    WHERE id = ? AND ${NAME_FREE} AND version = ?`,
  claimGroup: 'UPDATE directory_groups SET version = version + 1, date_modified_ms = ?, write_token = ? WHERE id = ?',
  claimGroupAtVersion: 'UPDATE directory_groups SET version = version + 1, date_modified_ms = ?, write_token = ? WHERE id = ? AND version = ?',
  // Only a user of the group's own organization, and only for the batch that stamped the group.
  addMember: `INSERT INTO group_members (group_id, user_id)
    SELECT g.id, u.id FROM directory_groups g JOIN users u ON u.organization_id = g.organization_id
    WHERE g.id = ? AND g.write_token = ? AND u.id = ?
    ON CONFLICT (group_id, user_id) DO NOTHING`,
  removeMember: `DELETE FROM group_members WHERE group_id = ? AND user_id = ? AND ${STAMPED}`,
  removeAllMembers: `DELETE FROM group_members WHERE group_id = ? AND ${STAMPED}`,
  deleteGroupMembers: 'DELETE FROM group_members WHERE group_id = ?',
  deleteGroup: 'DELETE FROM directory_groups WHERE id = ?',
  /**
   * What a seed writes of a group: its name. A new group takes the column defaults; a rename moves
   * the version and the date, as an admin's would.
   */
  upsertSeedGroup: `INSERT INTO directory_groups (id, organization_id, name, date_modified_ms) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name,
      version = CASE WHEN directory_groups.name = excluded.name THEN directory_groups.version ELSE directory_groups.version + 1 END,
      date_modified_ms = CASE WHEN directory_groups.name = excluded.name THEN directory_groups.date_modified_ms ELSE excluded.date_modified_ms END`,
} as const;

/** The lengths an `IN (...)` list is padded to: few distinct statement texts, each prepared once (pg-driver.ts). */
const IN_LIST_SIZES = [1, 10, 100, 500];

/**
 * `IN (?, ?, NULL)` for `values`: padded with NULLs (which match nothing) to the next of a few
 * lengths, so that lists of any length up to a page share four statement texts.
 */
export function inList(values: readonly string[]): { marks: string; params: string[] } {
  const size = IN_LIST_SIZES.find((n) => n >= values.length) ?? Math.ceil(values.length / 500) * 500;
  const marks = Array.from({ length: size }, (_, i) => (i < values.length ? '?' : 'NULL')).join(', ');
  return { marks: `(${marks})`, params: [...values] };
}

function fieldParams(group: GroupRecord): unknown[] {
  return [group.name, group.description, group.type, group.visibility, group.rulesVisible ? 1 : 0, group.state, JSON.stringify(group.details)];
}

/** Creates the group, stamped, then its members; the first count says whether it was created. */
export function insertGroupBatch(group: GroupRecord, memberIds: readonly string[]): Statement[] {
  const token = randomUUID();
  const batch: Statement[] = [
    [
      GROUP_SQL.insertGroup,
      [
        group.id,
        group.organizationId,
        group.name,
        group.description,
        group.type,
        group.visibility,
        group.rulesVisible ? 1 : 0,
        group.state,
        group.version,
        group.dateModified,
        JSON.stringify(group.details),
        token,
        group.organizationId,
        group.name,
      ],
    ],
  ];
  for (const userId of memberIds) batch.push([GROUP_SQL.addMember, [group.id, token, userId]]);
  return batch;
}

/** Replaces the fields (and, given, the members) where the first statement claims the group. */
export function updateGroupBatch(group: GroupRecord, memberIds: readonly string[] | null, expectedVersion: number | null): Statement[] {
  const token = randomUUID();
  const claim: unknown[] = [...fieldParams(group), group.dateModified, token, group.id, group.name];
  const batch: Statement[] = [expectedVersion === null ? [GROUP_SQL.updateGroup, claim] : [GROUP_SQL.updateGroupAtVersion, [...claim, expectedVersion]]];
  if (memberIds === null) return batch;
  batch.push([GROUP_SQL.removeAllMembers, [group.id, group.id, token]]);
  for (const userId of memberIds) batch.push([GROUP_SQL.addMember, [group.id, token, userId]]);
  return batch;
}

/** Adds and removes members where the first statement claims the group. */
export function changeMembersBatch(groupId: string, change: GroupMembersChange, expectedVersion: number | null, at: number): Statement[] {
  const token = randomUUID();
  const batch: Statement[] = [
    expectedVersion === null ? [GROUP_SQL.claimGroup, [at, token, groupId]] : [GROUP_SQL.claimGroupAtVersion, [at, token, groupId, expectedVersion]],
  ];
  for (const userId of change.remove) batch.push([GROUP_SQL.removeMember, [groupId, userId, groupId, token]]);
  for (const userId of change.add) batch.push([GROUP_SQL.addMember, [groupId, token, userId]]);
  return batch;
}

/**
 * A unique index refused the write: two renames to the same name racing on PostgreSQL both pass
 * the NOT EXISTS of their snapshot, and the later one meets the unique index (23505). SQLite runs
 * one batch at a time, so its code is here only for completeness.
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** Removes every member, then the group; the last count says whether it existed. */
export function deleteGroupBatch(id: string): Statement[] {
  return [
    [GROUP_SQL.deleteGroupMembers, [id]],
    [GROUP_SQL.deleteGroup, [id]],
  ];
}
