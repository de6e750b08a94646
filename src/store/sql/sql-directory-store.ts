/**
 * The directory port over SQL (core/ports/directory-port.ts): organizations, clients, users,
 * roles and groups as core reads them. The first layer of `SqlStore` (sql-store.ts), which
 * holds the driver every layer writes through.
 */
import type { Client, Division, GroupRecord, OrgAuthSettings, Organization, Role, User, UserRecord } from '../../core/models.js';
import type { DirectoryPort, SignInTrace, UserPageQuery } from '../../core/ports/directory-port.js';
import { perUser, USER_SQL, userPageStatements } from './user-writes.js';
import { GROUP_SQL, inList } from './group-writes.js';
import { DIVISION_SQL } from './division-writes.js';
import { type Row, toClient, toDivision, toGroup, toOrganization, toRole, toUser } from './mappers.js';
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

  async #user(row: Row | undefined): Promise<UserRecord | null> {
    if (!row) return null;
    const [roles, groups, grants] = await Promise.all([
      this.driver.all(SQL.findUserRoles, [row.id]),
      this.driver.all(SQL.findUserGroups, [row.id]),
      this.driver.all(DIVISION_SQL.findUserGrants, [row.id]),
    ]);
    return toUser(
      row,
      roles.map((r) => String(r.role_id)),
      groups.map((r) => String(r.group_id)),
      grants,
    );
  }
  async findUser(id: string): Promise<UserRecord | null> {
    return this.#user(await this.driver.get(SQL.findUser, [id]));
  }
  async findUserByEmail(organizationId: string, email: string): Promise<UserRecord | null> {
    return this.#user(await this.driver.get(SQL.findUserByEmail, [organizationId, normalForm(email)]));
  }
  async listUsersPage(query: UserPageQuery): Promise<{ users: UserRecord[]; total: number }> {
    const { page, count } = userPageStatements(query);
    const [rows, counted] = await Promise.all([this.driver.all(...page), this.driver.get(...count)]);
    return { users: await this.#usersOf(rows), total: Number(counted?.n ?? 0) };
  }
  async listOrganizationUsers(organizationId: string): Promise<UserRecord[]> {
    // Three queries for the whole organization, not two per person.
    const [rows, roles, groups] = await Promise.all([
      this.driver.all(USER_SQL.listUserRows, [organizationId]),
      this.driver.all('SELECT r.user_id, r.role_id FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.organization_id = ? ORDER BY r.role_id', [
        organizationId,
      ]),
      this.driver.all('SELECT m.user_id, m.group_id FROM group_members m JOIN users u ON u.id = m.user_id WHERE u.organization_id = ? ORDER BY m.group_id', [
        organizationId,
      ]),
    ]);
    const byUser = (links: Row[], column: string) => {
      const map = new Map<string, string[]>();
      for (const link of links) {
        const id = String(link.user_id);
        map.set(id, [...(map.get(id) ?? []), String(link[column])]);
      }
      return map;
    };
    const roleIds = byUser(roles, 'role_id');
    const groupIds = byUser(groups, 'group_id');
    return rows.map((row) => toUser(row, roleIds.get(String(row.id)) ?? [], groupIds.get(String(row.id)) ?? []));
  }
  async signInTraces(userIds: readonly string[]): Promise<Map<string, SignInTrace>> {
    const traces = new Map<string, SignInTrace>(userIds.map((id) => [id, { lastLogin: null, lastTokenIssued: null }]));
    if (userIds.length === 0) return traces;
    const [tokens, passwords, browsers] = await Promise.all([
      this.driver.all(...perUser(USER_SQL.lastTokensIssued, userIds)),
      this.driver.all(...perUser(USER_SQL.lastPasswordSignIns, userIds)),
      this.driver.all(...perUser(USER_SQL.lastBrowserSignIns, userIds)),
    ]);
    for (const row of tokens) {
      const trace = traces.get(String(row.user_id));
      if (trace && row.at !== null) trace.lastTokenIssued = Number(row.at);
    }
    for (const row of [...passwords, ...browsers]) {
      const trace = traces.get(String(row.user_id));
      if (trace && row.at !== null) trace.lastLogin = Math.max(trace.lastLogin ?? 0, Number(row.at));
    }
    return traces;
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
  async listGroupMembersPage(groupId: string, offset: number, limit: number, descending: boolean): Promise<UserRecord[]> {
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
  async #usersOf(rows: Row[]): Promise<UserRecord[]> {
    if (rows.length === 0) return [];
    const ids = inList(rows.map((row) => String(row.id)));
    const [roles, groups] = await Promise.all([
      this.driver.all(`SELECT user_id, role_id FROM user_roles WHERE user_id IN ${ids.marks} ORDER BY role_id`, ids.params),
      this.driver.all(`SELECT user_id, group_id FROM group_members WHERE user_id IN ${ids.marks} ORDER BY group_id`, ids.params),
    ]);
    const linked = (links: Row[], column: string, userId: string) => links.filter((l) => String(l.user_id) === userId).map((l) => String(l[column]));
    return rows.map((row) => toUser(row, linked(roles, 'role_id', String(row.id)), linked(groups, 'group_id', String(row.id))));
  }
  async listDivisions(organizationId: string): Promise<Division[]> {
    return (await this.driver.all(DIVISION_SQL.listDivisions, [organizationId])).map(toDivision);
  }
  async findDivision(organizationId: string, id: string): Promise<Division | null> {
    const row = await this.driver.get(DIVISION_SQL.findDivision, [organizationId, id]);
    return row ? toDivision(row) : null;
  }
  async divisionUse(organizationId: string, id: string): Promise<{ grants: number; clientRoles: number }> {
    const [grants, clientRoles] = await Promise.all([
      this.driver.get(DIVISION_SQL.grantsIn, [id, organizationId]),
      this.driver.get(DIVISION_SQL.clientRolesIn, [id, organizationId]),
    ]);
    return { grants: Number(grants?.n ?? 0), clientRoles: Number(clientRoles?.n ?? 0) };
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
