/**
 * The directory port over SQL (core/ports/directory-port.ts): organizations, clients, users,
 * roles and groups as core reads them. The first layer of `SqlStore` (sql-store.ts), which
 * holds the driver every layer writes through.
 */
import type { Client, GroupRecord, OrgAuthSettings, Organization, Role, User } from '../../core/models.js';
import type { DirectoryPort } from '../../core/ports/directory-port.js';
import { GROUP_SQL, inList } from './group-writes.js';
import { type Row, toClient, toGroup, toOrganization, toRole, toUser } from './mappers.js';
import type { SqlDriver } from './sql-driver.js';
import { SQL } from './statements.js';
import { normalForm } from '../../core/normal-form.js';

export abstract class SqlDirectoryStore implements DirectoryPort {
  protected readonly driver: SqlDriver;

  constructor(driver: SqlDriver) {
    this.driver = driver;
  }

  async findOrganization(id: string): Promise<Organization | null> {
    const row = await this.driver.get(SQL.findOrganization, [id]);
    return row ? toOrganization(row) : null;
  }
  async findOrganizationByName(name: string): Promise<Organization | null> {
    const row = await this.driver.get(SQL.findOrganizationByName, [normalForm(name)]);
    return row ? toOrganization(row) : null;
  }

  async #client(row: Row | undefined): Promise<Client | null> {
    return row ? toClient(row, await this.driver.all(SQL.findClientRoles, [row.id])) : null;
  }
  /**
   * The client and its roles read side by side, whether or not the client exists: an unknown id
   * takes what a known one takes, so no answer's delay tells which ids exist (CONTRACT.md).
   */
  async findClient(id: string): Promise<Client | null> {
    const [row, roles] = await Promise.all([this.driver.get(SQL.findClient, [id]), this.driver.all(SQL.findClientRoles, [id])]);
    return row ? toClient(row, roles) : null;
  }
  async listClients(organizationId?: string): Promise<Client[]> {
    const rows = await (organizationId === undefined ? this.driver.all(SQL.listClients, []) : this.driver.all(SQL.listClientsOfOrganization, [organizationId]));
    return Promise.all(rows.map(async (row) => (await this.#client(row)) as Client));
  }

  async #user(row: Row | undefined): Promise<User | null> {
    if (!row) return null;
    const [roles, groups] = await Promise.all([this.driver.all(SQL.findUserRoles, [row.id]), this.driver.all(SQL.findUserGroups, [row.id])]);
    return toUser(
      row,
      roles.map((r) => String(r.role_id)),
      groups.map((r) => String(r.group_id)),
    );
  }
  async findUser(id: string): Promise<User | null> {
    return this.#user(await this.driver.get(SQL.findUser, [id]));
  }
  async findUserByEmail(organizationId: string, email: string): Promise<User | null> {
    return this.#user(await this.driver.get(SQL.findUserByEmail, [organizationId, normalForm(email)]));
  }

  async findRoles(ids: readonly string[]): Promise<Role[]> {
    const rows = await Promise.all(ids.map((id) => this.driver.get(SQL.findRole, [id])));
    return rows.flatMap((row) => (row ? [toRole(row)] : []));
  }

  async listRoles(organizationId: string): Promise<Role[]> {
    return (await this.driver.all(SQL.listRoles, [organizationId])).map(toRole);
  }

  async listGroups(organizationId: string): Promise<GroupRecord[]> {
    return (await this.driver.all(SQL.listGroups, [organizationId])).map(toGroup);
  }
  async findGroup(id: string): Promise<GroupRecord | null> {
    const row = await this.driver.get(GROUP_SQL.findGroup, [id]);
    return row ? toGroup(row) : null;
  }
  async countGroupMembers(groupIds: readonly string[]): Promise<Map<string, number>> {
    if (groupIds.length === 0) return new Map();
    const ids = inList(groupIds);
    const rows = await this.driver.all(`SELECT group_id, count(*) AS n FROM group_members WHERE group_id IN ${ids.marks} GROUP BY group_id`, ids.params);
    return new Map(rows.map((row) => [String(row.group_id), Number(row.n)]));
  }
  async listGroupMemberIds(groupId: string): Promise<string[]> {
    return (await this.driver.all(GROUP_SQL.listGroupMemberIds, [groupId])).map((row) => String(row.user_id));
  }
  async listGroupMembersPage(groupId: string, offset: number, limit: number, descending: boolean): Promise<User[]> {
    const rows = await this.driver.all(descending ? GROUP_SQL.membersPageDescending : GROUP_SQL.membersPage, [groupId, limit, offset]);
    return this.#usersOf(rows);
  }
  async existingUserIds(organizationId: string, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const list = inList(ids);
    const rows = await this.driver.all(`SELECT id FROM users WHERE organization_id = ? AND id IN ${list.marks}`, [organizationId, ...list.params]);
    return rows.map((row) => String(row.id));
  }
  /** Users of these rows with their roles and groups, read for all of them at once (two queries, not two per user). */
  async #usersOf(rows: Row[]): Promise<User[]> {
    if (rows.length === 0) return [];
    const ids = inList(rows.map((row) => String(row.id)));
    const [roles, groups] = await Promise.all([
      this.driver.all(`SELECT user_id, role_id FROM user_roles WHERE user_id IN ${ids.marks} ORDER BY role_id`, ids.params),
      this.driver.all(`SELECT user_id, group_id FROM group_members WHERE user_id IN ${ids.marks} ORDER BY group_id`, ids.params),
    ]);
    const linked = (links: Row[], column: string, userId: string) => links.filter((l) => String(l.user_id) === userId).map((l) => String(l[column]));
    return rows.map((row) => toUser(row, linked(roles, 'role_id', String(row.id)), linked(groups, 'group_id', String(row.id))));
  }
  async findAuthSettings(organizationId: string): Promise<OrgAuthSettings | null> {
    const row = await this.driver.get(SQL.findAuthSettings, [organizationId]);
    return row ? (JSON.parse(String(row.settings)) as OrgAuthSettings) : null;
  }

  async listOrganizations(): Promise<Organization[]> {
    return (await this.driver.all(SQL.listOrganizations, [])).map(toOrganization);
  }

  async listUsers(organizationId?: string): Promise<User[]> {
    const rows = await (organizationId === undefined ? this.driver.all(SQL.listUsers, []) : this.driver.all(SQL.listUsersOfOrganization, [organizationId]));
    return Promise.all(rows.map(async (row) => (await this.#user(row)) as User));
  }
}
