/**
 * The admin reads that span organizations, for the command line's listings and its `--org`
 * flag: every organization, and the clients, people, roles and groups of one organization or of
 * all. The API reads one organization at a time through the admin cores beside this one; the
 * command line reads through here, never the store itself, so both see the same core.
 */
import type { Client, GroupRecord, Organization, Role, User } from '../models.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';

export class DirectoryReads {
  readonly #store: AdminPort & DirectoryPort;

  constructor(store: AdminPort & DirectoryPort) {
    this.#store = store;
  }

  organizations(): Promise<Organization[]> {
    return this.#store.listOrganizations();
  }

  /** The organization with this id, else the one with this name (any case); null if none. */
  async organization(reference: string): Promise<Organization | null> {
    return (await this.#store.findOrganization(reference)) ?? (await this.#store.findOrganizationByName(reference));
  }

  /** The clients of one organization, or of every one. */
  clients(organizationId?: string): Promise<Client[]> {
    return this.#store.listClients(organizationId);
  }

  /** The people of one organization, or of every one. */
  users(organizationId?: string): Promise<User[]> {
    return this.#store.listUsers(organizationId);
  }

  roles(organizationId: string): Promise<Role[]> {
    return this.#store.listRoles(organizationId);
  }

  groups(organizationId: string): Promise<GroupRecord[]> {
    return this.#store.listGroups(organizationId);
  }
}
