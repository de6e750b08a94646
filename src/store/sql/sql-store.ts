/**
 * Everything the SQL backends share: each Store method written once over the shared SQL and
 * mappers, on top of a thin {@link SqlDriver} (lucia v3 `adapter-sqlite/src/base.ts`). A driver
 * only runs statements; SQLite's answers synchronously (no promise, no extra tick on the
 * hot path), PostgreSQL's through a pool.
 *
 * Atomicity without interactive transactions: a multi-statement write is a {@link SqlDriver.batch}
 * (one transaction, statements fixed up front, so better-sqlite3 runs it synchronously), and a
 * conditional write is one statement whose WHERE clause is the condition.
 */
import type { AuthorizationCode, Client, ClientState, Group, IdleTokenTimeout, Organization, Role, SignInDevice, SignInFailures, SignInSession, TokenRecord, User, UserState } from '../../core/models.js';
import type { SeedEntityKind, SeedPlan } from '../../core/seed/plan.js';
import type { Store, UserAccessEnded } from '../store.js';
import { clientParams, codeParams, type Row, sessionParams, toClient, toCode, toDevice, toSession, toSignInFailures, toGroup, toOrganization, toRole, toToken, toUser, tokenParams, userParams } from './mappers.js';
import { Counted } from './counted-batch.js';
import { deleteGroupBatch, deleteRoleBatch, saveGroupBatch, saveRoleBatch } from './directory-writes.js';
import { SQL } from './statements.js';

type Awaitable<T> = T | Promise<T>;

/** One statement and its parameters, for {@link SqlDriver.batch}. */
export type Statement = readonly [sql: string, params: unknown[]];

/**
 * What an acknowledged write must survive (README, "Durability").
 * - `'power-loss'`, the default: on disk before the call returns (SQLite `synchronous = FULL`,
 *   which syncs the WAL at the commit). Revocations and admin writes: a logout, a revoke or a
 *   disable that was answered must not come back to life after a power cut or an OS crash.
 * - `'process-crash'`: handed to the operating system is enough (SQLite `synchronous = NORMAL`
 *   in WAL mode, synced at the next checkpoint or durable commit). Token inserts, last use,
 *   sign-in bookkeeping: what a power cut loses of these is a token the client asks for again,
 *   an idle clock a little behind, a sign-in to repeat.
 * A durable commit also makes every earlier commit durable (the WAL is one file, synced whole).
 */
export type Survives = 'power-loss' | 'process-crash';

export interface SqlDriver {
  /** The first row, or undefined. */
  get(sql: string, params: unknown[]): Awaitable<Row | undefined>;
  all(sql: string, params: unknown[]): Awaitable<Row[]>;
  /** Runs a write; returns how many rows it changed. */
  run(sql: string, params: unknown[], survives?: Survives): Awaitable<number>;
  /**
   * Runs the statements in order in one transaction: all of them or none. Returns how many rows
   * each statement changed, in order (an admin action reports what it ended).
   */
  batch(statements: readonly Statement[], survives?: Survives): Awaitable<number[]>;
}

export abstract class SqlStore implements Store {
  protected readonly driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.driver = driver;
  }

  abstract migrate(): Promise<void>;
  abstract ping(): Promise<void>;
  abstract probeWrite(): Promise<void>;
  abstract close(): Promise<void>;
  abstract changeVersion(): number;

  async findOrganization(id: string): Promise<Organization | null> {
    const row = await this.driver.get(SQL.findOrganization, [id]);
    return row ? toOrganization(row) : null;
  }
  async findOrganizationByName(name: string): Promise<Organization | null> {
    const row = await this.driver.get(SQL.findOrganizationByName, [name]);
    return row ? toOrganization(row) : null;
  }

  async #client(row: Row | undefined): Promise<Client | null> {
    return row ? toClient(row, await this.driver.all(SQL.findClientRoles, [row.id])) : null;
  }
  async findClient(id: string): Promise<Client | null> {
    return this.#client(await this.driver.get(SQL.findClient, [id]));
  }
  async listClients(organizationId?: string): Promise<Client[]> {
    const rows = await (organizationId === undefined ? this.driver.all(SQL.listClients, []) : this.driver.all(SQL.listClientsOfOrganization, [organizationId]));
    return Promise.all(rows.map(async (row) => (await this.#client(row)) as Client));
  }

  async #user(row: Row | undefined): Promise<User | null> {
    if (!row) return null;
    const [roles, groups] = await Promise.all([this.driver.all(SQL.findUserRoles, [row.id]), this.driver.all(SQL.findUserGroups, [row.id])]);
    return toUser(row, roles.map((r) => String(r.role_id)), groups.map((r) => String(r.group_id)));
  }
  async findUser(id: string): Promise<User | null> {
    return this.#user(await this.driver.get(SQL.findUser, [id]));
  }
  async findUserByEmail(organizationId: string, email: string): Promise<User | null> {
    return this.#user(await this.driver.get(SQL.findUserByEmail, [organizationId, email]));
  }

  async findRoles(ids: readonly string[]): Promise<Role[]> {
    const rows = await Promise.all(ids.map((id) => this.driver.get(SQL.findRole, [id])));
    return rows.flatMap((row) => (row ? [toRole(row)] : []));
  }

  async listRoles(organizationId: string): Promise<Role[]> {
    return (await this.driver.all(SQL.listRoles, [organizationId])).map(toRole);
  }

  async listGroups(organizationId: string): Promise<Group[]> {
    return (await this.driver.all(SQL.listGroups, [organizationId])).map(toGroup);
  }

  async listOrganizations(): Promise<Organization[]> {
    return (await this.driver.all(SQL.listOrganizations, [])).map(toOrganization);
  }

  async listUsers(organizationId?: string): Promise<User[]> {
    const rows = await (organizationId === undefined ? this.driver.all(SQL.listUsers, []) : this.driver.all(SQL.listUsersOfOrganization, [organizationId]));
    return Promise.all(rows.map(async (row) => (await this.#user(row)) as User));
  }

  async setIdleTokenTimeout(organizationId: string, timeout: IdleTokenTimeout): Promise<boolean> {
    return (await this.driver.run(SQL.setIdleTokenTimeout, [JSON.stringify(timeout), organizationId])) > 0;
  }

  async applySeed(plan: SeedPlan): Promise<UserAccessEnded> {
    const batch: Statement[] = [];
    for (const { organization: o, roles, groups, users, clients } of plan.organizations) {
      batch.push([SQL.upsertOrganization, [o.id, o.name, o.homeDivisionId, JSON.stringify(o.idleTokenTimeout)]]);
      for (const r of roles) batch.push([SQL.upsertRole, [r.id, r.organizationId, r.name, JSON.stringify(r.permissions)]]);
      for (const g of groups) batch.push([SQL.upsertGroup, [g.id, g.organizationId, g.name]]);
      for (const u of users) {
        batch.push([SQL.upsertUser, userParams(u)], [SQL.deleteUserRoles, [u.id]], [SQL.deleteUserGroups, [u.id]]);
        for (const roleId of u.roleIds) batch.push([SQL.insertUserRole, [u.id, roleId]]);
        for (const groupId of u.groupIds) batch.push([SQL.insertUserGroup, [groupId, u.id]]);
      }
      for (const c of clients) {
        // A client the seed writes is no longer deleted (seed/apply.ts leaves out a deleted one it did not change).
        batch.push([SQL.forgetDeletedClient, [c.id]], [SQL.upsertClient, clientParams(c)], [SQL.deleteClientRoles, [c.id]]);
        for (const rd of c.roleDivisions) batch.push([SQL.insertClientRole, [c.id, rd.roleId, rd.divisionId]]);
      }
    }
    const at = plan.at ?? 0;
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

  async saveRole(role: Role): Promise<void> {
    await this.driver.batch(saveRoleBatch(role));
  }
  async deleteRole(id: string): Promise<boolean> {
    return ((await this.driver.batch(deleteRoleBatch(id))).at(-1) ?? 0) > 0;
  }
  async saveGroup(group: Group, memberIds: readonly string[] | null): Promise<void> {
    await this.driver.batch(saveGroupBatch(group, memberIds));
  }
  async deleteGroup(id: string): Promise<boolean> {
    return ((await this.driver.batch(deleteGroupBatch(id))).at(-1) ?? 0) > 0;
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
  async listClientsPage(organizationId: string, offset: number, limit: number): Promise<Client[]> {
    const rows = await this.driver.all(SQL.listClientsPage, [organizationId, limit, offset]);
    return Promise.all(rows.map(async (row) => (await this.#client(row)) as Client));
  }
  async countClients(organizationId: string): Promise<number> {
    return Number((await this.driver.get(SQL.countClients, [organizationId]))?.n ?? 0);
  }
  async updateClient(c: Client): Promise<{ revokedTokens: number } | null> {
    const batch: Statement[] = [
      [SQL.updateClient, [c.name, c.description ?? null, c.authorizedGrantType, JSON.stringify(c.scope), JSON.stringify(c.registeredRedirectUri),
        c.accessTokenValiditySeconds, c.state, c.dateModified, c.modifiedBy, c.dateToDelete, c.id]],
      [SQL.deleteClientRoles, [c.id]],
      ...c.roleDivisions.map((rd): Statement => [SQL.insertClientRoleIfClient, [rd.roleId, rd.divisionId, c.id]]),
    ];
    const counted = new Counted(batch);
    if (c.state !== 'active') endClientAccess(counted, c.id, c.dateModified);
    const changed = await this.driver.batch(batch);
    return changed[0] === 0 ? null : { revokedTokens: counted.total(changed).revokedTokens };
  }
  async deleteClient(id: string, at: number): Promise<{ revokedTokens: number } | null> {
    const batch: Statement[] = [[SQL.tombstoneClient, [at, id]]];
    const counted = endClientAccess(new Counted(batch), id, at);
    batch.push([SQL.deleteClientRoles, [id]], [SQL.deleteClient, [id]]);
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

  async insertToken(token: TokenRecord): Promise<void> {
    await this.driver.run(SQL.insertToken, tokenParams(token), 'process-crash');
  }
  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const row = await this.driver.get(SQL.findTokenByHash, [hash]);
    return row ? toToken(row) : null;
  }
  async touchTokens(touches: ReadonlyArray<{ hash: string; lastUsedAt: number }>): Promise<void> {
    if (touches.length === 0) return;
    // Sorted by hash so that two nodes flushing overlapping batches lock rows in one order (no deadlock).
    const sorted = [...touches].sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    await this.driver.batch(
      sorted.map(({ hash, lastUsedAt }): Statement => [SQL.touchToken, [lastUsedAt, hash, lastUsedAt]]),
      'process-crash',
    );
  }
  async revokeToken(hash: string, at: number): Promise<boolean> {
    return (await this.driver.run(SQL.revokeToken, [at, hash])) > 0;
  }
  async revokeUserTokens(userId: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeUserTokens, [at, userId]);
  }
  async revokeFamily(familyId: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeFamily, [at, familyId]);
  }
  async deleteExpired(before: number): Promise<number> {
    return this.driver.run(SQL.deleteExpired, [before], 'process-crash');
  }

  // Browser sign-in. Each race is one batch: a claim, then writes conditional on that claim;
  // reading the claim back afterwards tells this caller whether it won.

  async listUserTokens(userId: string, now: number): Promise<TokenRecord[]> {
    return (await this.driver.all(SQL.listUserTokens, [userId, now])).map(toToken);
  }
  async rotateRefreshToken(hash: string, now: number, replacements: readonly TokenRecord[]): Promise<boolean> {
    const successor = replacements[0]?.hash;
    if (successor === undefined) throw new Error('rotateRefreshToken needs the new tokens');
    const claimed = [hash, successor];
    await this.driver.batch([
      [SQL.claimRotation, [successor, now, hash, now]],
      [SQL.revokeRotated, [now, hash, ...claimed]],
      ...replacements.map((token): Statement => [SQL.insertTokenIfRotated, [...tokenParams(token), ...claimed]]),
    ], 'process-crash');
    return (await this.driver.get(SQL.findRotation, [hash]))?.successor_hash === successor;
  }

  async insertCode(code: AuthorizationCode): Promise<void> {
    await this.driver.run(SQL.insertCode, codeParams(code), 'process-crash');
  }
  async findCode(hash: string): Promise<AuthorizationCode | null> {
    const row = await this.driver.get(SQL.findCodeByHash, [hash]);
    return row ? toCode(row) : null;
  }
  async consumeCode(hash: string, now: number, familyId: string | null, tokens: readonly TokenRecord[]): Promise<boolean> {
    if (familyId === null || tokens.length === 0) return (await this.driver.run(SQL.consumeCode, [now, null, hash], 'process-crash')) === 1;
    const claimed = [hash, familyId];
    await this.driver.batch([
      [SQL.consumeCode, [now, familyId, hash]],
      ...tokens.map((token): Statement => [SQL.insertTokenIfCodeRedeemed, [...tokenParams(token), ...claimed]]),
      [SQL.linkCodeSession, claimed],
    ], 'process-crash');
    // Family ids are fresh UUIDs: the code carries ours only if our claim won.
    return (await this.driver.get(SQL.findCodeByHash, [hash]))?.family_id === familyId;
  }
  async revokeCodeTokens(codeHash: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeCodeTokens, [at, codeHash]);
  }

  async insertSession(session: SignInSession): Promise<void> {
    await this.driver.run(SQL.insertSession, sessionParams(session), 'process-crash');
  }
  async findSession(hash: string): Promise<SignInSession | null> {
    const row = await this.driver.get(SQL.findSessionByHash, [hash]);
    return row ? toSession(row) : null;
  }
  async linkSessionFamily(sessionHash: string, familyId: string): Promise<void> {
    await this.driver.run(SQL.linkSessionFamily, [sessionHash, familyId], 'process-crash');
  }
  async endSession(hash: string, at: number): Promise<string[]> {
    await this.driver.batch([
      [SQL.revokeSession, [at, hash]],
      [SQL.revokeSessionTokens, [at, hash]],
    ]);
    return (await this.driver.all(SQL.listSessionFamilies, [hash])).map((row) => String(row.family_id));
  }
  async endUserSessions(userId: string, at: number): Promise<number> {
    return this.driver.run(SQL.revokeUserSessions, [at, userId]);
  }

  async reserveAttempt(key: string, now: number, windowMs: number, limit: number): Promise<SignInFailures | null> {
    const windowOver = now - windowMs;
    const row = await this.driver.get(SQL.reserveAttempt, [key, now, windowOver, windowOver, windowOver, limit]);
    return row ? toSignInFailures(row) : null;
  }
  async releaseAttempt(key: string, windowStartedAt: number): Promise<void> {
    await this.driver.run(SQL.releaseAttempt, [key, windowStartedAt], 'process-crash');
  }
  async insertDevice(device: SignInDevice): Promise<void> {
    await this.driver.run(SQL.insertDevice, [device.hash, device.userId, device.createdAt, device.expiresAt], 'process-crash');
  }
  async findDevice(hash: string): Promise<SignInDevice | null> {
    const row = await this.driver.get(SQL.findDeviceByHash, [hash]);
    return row ? toDevice(row) : null;
  }
  async findSignInFailures(key: string): Promise<SignInFailures | null> {
    const row = await this.driver.get(SQL.findSignInFailures, [key]);
    return row ? toSignInFailures(row) : null;
  }
  async clearSignInFailures(key: string): Promise<void> {
    await this.driver.run(SQL.clearSignInFailures, [key], 'process-crash');
  }
  async deleteExpiredSignIns(before: number): Promise<void> {
    await this.driver.batch([
      [SQL.deleteExpiredCodes, [before]],
      [SQL.deleteOldRotations, [before]],
      [SQL.deleteExpiredSessionFamilies, [before]],
      [SQL.deleteExpiredSessions, [before]],
      [SQL.deleteOldSignInFailures, [before]],
      [SQL.deleteExpiredDevices, [before]],
    ], 'process-crash');
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
