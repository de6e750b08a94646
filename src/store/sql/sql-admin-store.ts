/**
 * The admin port over SQL (core/ports/admin-port.ts): the seed and the admin writes, each one
 * batch (one transaction), ending what a disable or a delete ends in that same batch. A disable
 * or a delete writes the client's or user's row before it revokes: on PostgreSQL that write
 * waits for an issuance holding the row (pg-issuance.ts), whose tokens the revocation then sees.
 */
import type { Client, ClientState, Division, GroupRecord, IdleTokenTimeout, OrgAuthSettings, Role, User, UserRecord, UserState } from '../../core/models.js';
import type {
  AdminPort,
  DivisionDelete,
  DivisionWrite,
  GrantSet,
  GroupMembersChange,
  GroupWrite,
  RoleWrite,
  UserAccessEnded,
  UserWrite,
} from '../../core/ports/admin-port.js';
import {
  DIVISION_SQL,
  deleteDivisionBatch,
  insertDivisionStatement,
  seedDivisionStatement,
  setGrantsBatch,
  updateDivisionStatement,
} from './division-writes.js';
import { setUserRolesBatch, updateUserBatch, USER_SQL } from './user-writes.js';
import type { SeedEntityKind, SeedPlan } from '../../core/seed/plan.js';
import { Counted } from './counted-batch.js';
import { changeRoleHoldersBatch, deleteRoleBatch, isForeignKeyViolation, saveRoleBatch, updateRoleBatch } from './directory-writes.js';
import { changeMembersBatch, deleteGroupBatch, GROUP_SQL, insertGroupBatch, isUniqueViolation, updateGroupBatch } from './group-writes.js';
import { clientParams, userParams } from './mappers.js';
import type { Statement } from './sql-driver.js';
import { SqlDirectoryStore } from './sql-directory-store.js';
import { SQL } from './statements.js';
import { normalForm } from '../../core/normal-form.js';
import { CONSENT_SQL, voidChangedAuthorizations } from './consent-statements.js';

export abstract class SqlAdminStore extends SqlDirectoryStore implements AdminPort {
  async setIdleTokenTimeout(organizationId: string, timeout: IdleTokenTimeout): Promise<boolean> {
    return (await this.driver.run(SQL.setIdleTokenTimeout, [JSON.stringify(timeout), organizationId])) > 0;
  }

  async applySeed(plan: SeedPlan): Promise<UserAccessEnded> {
    const batch: Statement[] = [];
    const at = plan.at ?? 0;
    for (const { organization: o, roles, groups, divisions, users, clients } of plan.organizations) {
      batch.push([SQL.upsertOrganization, [o.id, o.name, normalForm(o.name), o.homeDivisionId, JSON.stringify(o.idleTokenTimeout)]]);
      batch.push([DIVISION_SQL.insertHomeDivision, [o.homeDivisionId, o.id, at]]);
      for (const d of divisions ?? []) batch.push(seedDivisionStatement(d));
      for (const r of roles) batch.push([SQL.upsertRole, [r.id, r.organizationId, r.name, JSON.stringify(r.permissions)]]);
      for (const g of groups) batch.push([GROUP_SQL.upsertSeedGroup, [g.id, g.organizationId, g.name, at]]);
      for (const u of users) {
        batch.push([SQL.upsertUser, userParams(u)], [SQL.deleteUserRoles, [u.id]], [SQL.deleteUserGroups, [u.id]]);
        for (const roleId of u.roleIds) batch.push([SQL.insertUserRole, [u.id, roleId]]);
        for (const groupId of u.groupIds) batch.push([SQL.insertUserGroup, [groupId, u.id]]);
      }
      for (const c of clients) {
        // A client the seed writes is no longer deleted (seed/apply.ts leaves out a deleted one it did not change).
        batch.push([SQL.forgetDeletedClient, [c.id]], voidChangedAuthorizations(c), [SQL.upsertClient, clientParams(c)], [SQL.deleteClientRoles, [c.id]]);
        for (const rd of c.roleDivisions) batch.push([SQL.insertClientRole, [c.id, rd.roleId, rd.divisionId]]);
      }
    }
    for (const f of plan.applied ?? []) batch.push([SQL.rememberSeedApplied, [f.kind, f.id, f.field, f.value, at]]);
    const counted = new Counted(batch);
    for (const userId of plan.disables?.users ?? []) endUserAccess(counted, userId, at);
    for (const clientId of plan.disables?.clients ?? []) endClientAccess(counted, clientId, at);
    return counted.total(await this.driver.batch(batch));
  }
  async findSeedApplied(kind: SeedEntityKind, id: string): Promise<Map<string, string | null>> {
    const rows = await this.driver.all(SQL.findSeedApplied, [kind, id]);
    return new Map(rows.map((row) => [String(row.field), row.value === null || row.value === undefined ? null : String(row.value)]));
  }

  async saveRole(role: Role, existing = false): Promise<RoleWrite> {
    try {
      const [changed = 0] = await this.driver.batch(existing ? updateRoleBatch(role) : saveRoleBatch(role));
      return changed > 0 ? 'written' : 'missing';
    } catch (error) {
      // The one unique key these writes can break: the name, taken by a write that raced this one.
      if (isUniqueViolation(error)) return 'name-taken';
      throw error;
    }
  }
  async deleteRole(id: string): Promise<boolean> {
    return ((await this.driver.batch(deleteRoleBatch(id))).at(-1) ?? 0) > 0;
  }
  async changeRoleHolders(roleId: string, change: { add: readonly string[]; remove: readonly string[] }, at: number): Promise<boolean> {
    try {
      await this.driver.batch(changeRoleHoldersBatch(roleId, change, at));
      return true;
    } catch (error) {
      // The role was deleted by a write that raced this one: nothing of this batch was written.
      if (isForeignKeyViolation(error)) return false;
      throw error;
    }
  }
  async insertGroup(group: GroupRecord, memberIds: readonly string[]): Promise<boolean> {
    return ((await this.driver.batch(insertGroupBatch(group, memberIds)))[0] ?? 0) > 0;
  }
  async updateGroup(group: GroupRecord, memberIds: readonly string[] | null, expectedVersion: number | null): Promise<GroupWrite> {
    let changed: number[];
    try {
      changed = await this.driver.batch(updateGroupBatch(group, memberIds, expectedVersion));
    } catch (error) {
      if (isUniqueViolation(error)) return 'name-taken';
      throw error;
    }
    return (changed[0] ?? 0) > 0 ? 'written' : this.#whyNotWritten(group.id, expectedVersion, 'name-taken');
  }
  async changeGroupMembers(groupId: string, change: GroupMembersChange, expectedVersion: number | null, at: number): Promise<GroupWrite> {
    const changed = await this.driver.batch(changeMembersBatch(groupId, change, expectedVersion, at));
    return (changed[0] ?? 0) > 0 ? 'written' : this.#whyNotWritten(groupId, expectedVersion, 'missing');
  }
  /** A claim that changed no row: the group is gone, or at another version, or (else) `otherwise`. */
  async #whyNotWritten(groupId: string, expectedVersion: number | null, otherwise: GroupWrite): Promise<GroupWrite> {
    const row = await this.driver.get(GROUP_SQL.findGroupVersion, [groupId]);
    if (!row) return 'missing';
    return expectedVersion !== null && Number(row.version) !== expectedVersion ? 'stale' : otherwise;
  }
  async deleteGroup(id: string): Promise<boolean> {
    return ((await this.driver.batch(deleteGroupBatch(id))).at(-1) ?? 0) > 0;
  }
  async saveAuthSettings(organizationId: string, settings: OrgAuthSettings): Promise<boolean> {
    return (await this.driver.run(SQL.saveAuthSettings, [JSON.stringify(settings), organizationId])) > 0;
  }

  async insertClient(client: Client): Promise<void> {
    await this.driver.batch([
      [SQL.insertClient, clientParams(client)],
      ...client.roleDivisions.map((rd): Statement => [SQL.insertClientRole, [client.id, rd.roleId, rd.divisionId]]),
    ]);
  }
  async setClientState(id: string, state: ClientState, at: number): Promise<{ revokedTokens: number } | null> {
    const batch: Statement[] = [[SQL.setClientState, [state, at, id]]];
    const counted = new Counted(batch);
    if (state !== 'active') endClientAccess(counted, id, at);
    const changed = await this.driver.batch(batch);
    return changed[0] === 0 ? null : { revokedTokens: counted.total(changed).revokedTokens };
  }
  async revokeClientTokens(clientId: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeClientTokens, [at, clientId]);
  }
  async setClientSecretHash(id: string, secretHash: string, at: number, by: string | null = null): Promise<boolean> {
    return (await this.driver.run(SQL.setClientSecretHash, [secretHash, at, by, id])) > 0;
  }
  async updateClient(c: Client): Promise<{ revokedTokens: number } | null> {
    const batch: Statement[] = [
      [
        SQL.updateClient,
        [
          c.name,
          c.description ?? null,
          c.authorizedGrantType,
          JSON.stringify(c.scope),
          JSON.stringify(c.registeredRedirectUri),
          c.accessTokenValiditySeconds,
          c.state,
          c.dateModified,
          c.modifiedBy,
          c.dateToDelete,
          c.preAuthorized === true ? 1 : 0,
          c.id,
        ],
      ],
      voidChangedAuthorizations(c),
      [SQL.deleteClientRoles, [c.id]],
      ...c.roleDivisions.map((rd): Statement => [SQL.insertClientRoleIfClient, [rd.roleId, rd.divisionId, c.id]]),
    ];
    const counted = new Counted(batch);
    if (c.state !== 'active') endClientAccess(counted, c.id, c.dateModified);
    const changed = await this.driver.batch(batch);
    return changed[0] === 0 ? null : { revokedTokens: counted.total(changed).revokedTokens };
  }
  async deleteClient(id: string, at: number): Promise<{ revokedTokens: number } | null> {
    const batch: Statement[] = [
      [SQL.touchClient, [at, id]],
      [SQL.tombstoneClient, [at, id]],
    ];
    const counted = endClientAccess(new Counted(batch), id, at);
    batch.push([SQL.deleteClientRoles, [id]], [CONSENT_SQL.deleteClientAuthorizations, [id]], [SQL.deleteClient, [id]]);
    const changed = await this.driver.batch(batch);
    return changed[0] === 0 ? null : { revokedTokens: counted.total(changed).revokedTokens };
  }
  async isClientDeleted(id: string): Promise<boolean> {
    return (await this.driver.get(SQL.findDeletedClient, [id])) !== undefined;
  }
  async insertUser(user: User): Promise<void> {
    await this.driver.batch([
      [SQL.insertUser, userParams(user)],
      ...user.roleIds.map((roleId): Statement => [SQL.insertUserRole, [user.id, roleId]]),
      ...user.groupIds.map((groupId): Statement => [SQL.insertUserGroup, [groupId, user.id]]),
    ]);
  }
  async setUserState(id: string, state: UserState, at: number): Promise<UserAccessEnded | null> {
    const batch: Statement[] = [[SQL.setUserState, [state, at, id]]];
    const counted = new Counted(batch);
    if (state !== 'active') endUserAccess(counted, id, at);
    const changed = await this.driver.batch(batch);
    return changed[0] === 0 ? null : counted.total(changed);
  }
  async updateUser(user: UserRecord, expectedVersion: number, at: number): Promise<{ outcome: UserWrite; ended: UserAccessEnded }> {
    const { batch, endsAccess } = updateUserBatch(user, expectedVersion, at);
    let changed: number[];
    try {
      changed = await this.driver.batch(batch);
    } catch (error) {
      // The unique email key (migration 9): another person of the organization took the email first.
      if (isUniqueViolation(error)) return { outcome: 'email-taken', ended: { endedSessions: 0, revokedTokens: 0 } };
      throw error;
    }
    const ended = { endedSessions: endsAccess ? (changed[1] ?? 0) : 0, revokedTokens: endsAccess ? (changed[2] ?? 0) : 0 };
    if ((changed[0] ?? 0) > 0) return { outcome: 'written', ended };
    const row = await this.driver.get(USER_SQL.findUserVersion, [user.id]);
    return { outcome: row ? 'stale' : 'missing', ended };
  }
  async setUserRoles(userId: string, roleIds: readonly string[], at: number): Promise<boolean> {
    return ((await this.driver.batch(setUserRolesBatch(userId, roleIds, at)))[0] ?? 0) > 0;
  }
  async setUserGrants(userId: string, organizationId: string, grants: GrantSet, expectedVersion: number, at: number): Promise<'written' | 'stale' | 'missing'> {
    const changed = await this.driver.batch(setGrantsBatch(userId, organizationId, grants, expectedVersion, at));
    if ((changed[0] ?? 0) > 0) return 'written';
    return (await this.driver.get(USER_SQL.findUserVersion, [userId])) ? 'stale' : 'missing';
  }
  async insertDivision(division: Division): Promise<boolean> {
    try {
      await this.driver.batch([insertDivisionStatement(division)]);
      return true;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
  async updateDivision(division: Division): Promise<DivisionWrite> {
    try {
      return ((await this.driver.batch([updateDivisionStatement(division)]))[0] ?? 0) > 0 ? 'written' : 'missing';
    } catch (error) {
      if (isUniqueViolation(error)) return 'name-taken';
      throw error;
    }
  }
  async deleteDivision(organizationId: string, id: string): Promise<DivisionDelete> {
    const [locked, deleted] = await this.driver.batch(deleteDivisionBatch(organizationId, id));
    if ((locked ?? 0) === 0) return 'missing';
    return (deleted ?? 0) > 0 ? 'deleted' : 'in-use';
  }
  async setUserPasswordHash(id: string, passwordHash: string, at: number): Promise<boolean> {
    return (await this.driver.run(SQL.setUserPasswordHash, [passwordHash, at, id])) > 0;
  }
  async resetUserPassword(id: string, passwordHash: string, at: number): Promise<{ endedSessions: number } | null> {
    const batch: Statement[] = [[SQL.setUserPasswordHash, [passwordHash, at, id]]];
    const counted = new Counted(batch).sessions([SQL.revokeUserSessions, [at, id]]);
    const changed = await this.driver.batch(batch);
    return changed[0] === 0 ? null : { endedSessions: counted.total(changed).endedSessions };
  }
  async endUserAccess(userId: string, at: number): Promise<UserAccessEnded> {
    const batch: Statement[] = [];
    const counted = endUserAccess(new Counted(batch), userId, at);
    return counted.total(await this.driver.batch(batch));
  }
  async endAllAccess(at: number): Promise<UserAccessEnded> {
    const batch: Statement[] = [];
    const counted = new Counted(batch)
      .sessions([SQL.revokeAllSessions, [at]])
      .tokens([SQL.revokeAllTokens, [at]])
      .uncounted([SQL.burnAllCodes, [at]]);
    return counted.total(await this.driver.batch(batch));
  }
}

/** Ends a user's access: their sign-in sessions and their tokens. */
function endUserAccess(counted: Counted, userId: string, at: number): Counted {
  return counted.sessions([SQL.revokeUserSessions, [at, userId]]).tokens([SQL.revokeUserTokens, [at, userId]]);
}

/** Ends a disabled client's access: its tokens (refresh families included) and its pending codes. */
function endClientAccess(counted: Counted, clientId: string, at: number): Counted {
  return counted.tokens([SQL.revokeClientTokens, [at, clientId]]).uncounted([SQL.burnClientCodes, [at, clientId]]);
}
