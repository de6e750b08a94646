/**
 * The directory port over SQL (core/ports/directory-port.ts): organizations, clients, users,
 * roles and groups as core reads them. The first layer of `SqlStore` (sql-store.ts), which
 * holds the driver every layer writes through.
 */
import type { Client, Group, Organization, Role, User } from '../../core/models.js';
import type { DirectoryPort } from '../../core/ports/directory-port.js';
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
  async listClientsPage(organizationId: string, offset: number, limit: number): Promise<Client[]> {
    const rows = await this.driver.all(SQL.listClientsPage, [organizationId, limit, offset]);
    return Promise.all(rows.map(async (row) => (await this.#client(row)) as Client));
  }
  async countClients(organizationId: string): Promise<number> {
    return Number((await this.driver.get(SQL.countClients, [organizationId]))?.n ?? 0);
  }
}
