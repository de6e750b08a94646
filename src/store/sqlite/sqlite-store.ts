/**
 * The embedded backend: one SQLite file through better-sqlite3. Calls are synchronous and
 * fast, so the async interface is a thin wrapper. WAL mode lets the CLI write while a server
 * reads; `PRAGMA data_version` tells the server when another connection committed.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Client, ClientState, Group, IdleTokenTimeout, Organization, Role, TokenRecord, User, UserState } from '../../core/models.js';
import type { SeedPlan } from '../../core/seed/plan.js';
import { clientParams, type Row, toClient, toGroup, toOrganization, toRole, toToken, toUser, tokenParams, userParams } from '../sql/mappers.js';
import { MIGRATIONS } from '../sql/migrations.js';
import { SQL } from '../sql/statements.js';
import type { Store } from '../store.js';

type Statement = Database.Statement<unknown[], Row>;

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Statement>();
  readonly #dataVersion: Database.Statement<[], number>;

  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('foreign_keys = ON');
    this.#dataVersion = this.#db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  #stmt(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare<unknown[], Row>(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
  #get(sql: string, ...params: unknown[]): Row | undefined {
    return this.#stmt(sql).get(...params);
  }
  #all(sql: string, ...params: unknown[]): Row[] {
    return this.#stmt(sql).all(...params);
  }
  #run(sql: string, ...params: unknown[]): number {
    return this.#stmt(sql).run(...params).changes;
  }

  async migrate(): Promise<void> {
    this.#db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)');
    // IMMEDIATE takes the write lock first, so two processes starting at once cannot both migrate.
    this.#db.transaction(() => {
      const applied = new Set(this.#db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        this.#db.exec(migration.sql);
        this.#db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)').run(migration.version, migration.name, Date.now());
      }
    }).immediate();
  }

  async ping(): Promise<void> {
    this.#db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  changeVersion(): number {
    return this.#dataVersion.get() as number;
  }

  async findOrganization(id: string): Promise<Organization | null> {
    const row = this.#get(SQL.findOrganization, id);
    return row ? toOrganization(row) : null;
  }

  #client(row: Row | undefined): Client | null {
    return row ? toClient(row, this.#all(SQL.findClientRoles, row.id)) : null;
  }
  async findClient(id: string): Promise<Client | null> {
    return this.#client(this.#get(SQL.findClient, id));
  }
  async listClients(organizationId?: string): Promise<Client[]> {
    const rows = organizationId === undefined ? this.#all(SQL.listClients) : this.#all(SQL.listClientsOfOrganization, organizationId);
    return rows.map((row) => this.#client(row) as Client);
  }

  #user(row: Row | undefined): User | null {
    if (!row) return null;
    const roleIds = this.#all(SQL.findUserRoles, row.id).map((r) => String(r.role_id));
    const groupIds = this.#all(SQL.findUserGroups, row.id).map((r) => String(r.group_id));
    return toUser(row, roleIds, groupIds);
  }
  async findUser(id: string): Promise<User | null> {
    return this.#user(this.#get(SQL.findUser, id));
  }
  async findUserByEmail(organizationId: string, email: string): Promise<User | null> {
    return this.#user(this.#get(SQL.findUserByEmail, organizationId, email));
  }

  async findRoles(ids: readonly string[]): Promise<Role[]> {
    return ids.flatMap((id) => {
      const row = this.#get(SQL.findRole, id);
      return row ? [toRole(row)] : [];
    });
  }

  async listGroups(organizationId: string): Promise<Group[]> {
    return this.#all(SQL.listGroups, organizationId).map(toGroup);
  }

  async setIdleTokenTimeout(organizationId: string, timeout: IdleTokenTimeout): Promise<boolean> {
    return this.#run(SQL.setIdleTokenTimeout, JSON.stringify(timeout), organizationId) > 0;
  }

  async applySeed(plan: SeedPlan): Promise<void> {
    this.#db.transaction(() => {
      for (const { organization: o, roles, groups, users, clients } of plan.organizations) {
        this.#run(SQL.upsertOrganization, o.id, o.name, o.homeDivisionId, JSON.stringify(o.idleTokenTimeout));
        for (const r of roles) this.#run(SQL.upsertRole, r.id, r.organizationId, r.name, JSON.stringify(r.permissions));
        for (const g of groups) this.#run(SQL.upsertGroup, g.id, g.organizationId, g.name);
        for (const u of users) {
          this.#run(SQL.upsertUser, ...userParams(u));
          this.#run(SQL.deleteUserRoles, u.id);
          for (const roleId of u.roleIds) this.#run(SQL.insertUserRole, u.id, roleId);
          this.#run(SQL.deleteUserGroups, u.id);
          for (const groupId of u.groupIds) this.#run(SQL.insertUserGroup, groupId, u.id);
        }
        for (const c of clients) {
          this.#run(SQL.upsertClient, ...clientParams(c));
          this.#run(SQL.deleteClientRoles, c.id);
          for (const rd of c.roleDivisions) this.#run(SQL.insertClientRole, c.id, rd.roleId, rd.divisionId);
        }
      }
    }).immediate();
  }

  async insertClient(client: Client): Promise<void> {
    this.#db.transaction(() => {
      this.#run(SQL.insertClient, ...clientParams(client));
      for (const rd of client.roleDivisions) this.#run(SQL.insertClientRole, client.id, rd.roleId, rd.divisionId);
    }).immediate();
  }
  async setClientState(id: string, state: ClientState, at: number): Promise<boolean> {
    return this.#run(SQL.setClientState, state, at, id) > 0;
  }
  async setClientSecretHash(id: string, secretHash: string, at: number): Promise<boolean> {
    return this.#run(SQL.setClientSecretHash, secretHash, at, id) > 0;
  }
  async insertUser(user: User): Promise<void> {
    this.#db.transaction(() => {
      this.#run(SQL.insertUser, ...userParams(user));
      for (const roleId of user.roleIds) this.#run(SQL.insertUserRole, user.id, roleId);
      for (const groupId of user.groupIds) this.#run(SQL.insertUserGroup, groupId, user.id);
    }).immediate();
  }
  async setUserState(id: string, state: UserState, at: number): Promise<boolean> {
    return this.#run(SQL.setUserState, state, at, id) > 0;
  }
  async setUserPasswordHash(id: string, passwordHash: string, at: number): Promise<boolean> {
    return this.#run(SQL.setUserPasswordHash, passwordHash, at, id) > 0;
  }

  async insertToken(token: TokenRecord): Promise<void> {
    this.#run(SQL.insertToken, ...tokenParams(token));
  }
  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const row = this.#get(SQL.findTokenByHash, hash);
    return row ? toToken(row) : null;
  }
  async touchTokens(touches: ReadonlyArray<{ hash: string; lastUsedAt: number }>): Promise<void> {
    if (touches.length === 0) return;
    this.#db.transaction(() => {
      for (const { hash, lastUsedAt } of touches) this.#run(SQL.touchToken, lastUsedAt, hash, lastUsedAt);
    })();
  }
  async revokeToken(hash: string, at: number): Promise<boolean> {
    return this.#run(SQL.revokeToken, at, hash) > 0;
  }
  async revokeUserTokens(userId: string, at: number): Promise<number> {
    return this.#run(SQL.revokeUserTokens, at, userId);
  }
  async revokeFamily(familyId: string, at: number): Promise<number> {
    return this.#run(SQL.revokeFamily, at, familyId);
  }
  async deleteExpired(before: number): Promise<number> {
    return this.#run(SQL.deleteExpired, before);
  }
}
