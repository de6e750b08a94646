/**
 * The roles part of the one admin core: creating a role, changing its name or
 * permissions, deleting it, with the rules of directory-rules.ts. The command line calls it; the
 * seed checks its files with the same rules.
 *
 * A role's permissions are read on each request from its holders' role ids, so a change takes
 * effect on their next request once caches drop ({@link DirectoryChanges}). Deleting a role in
 * use takes it from every user and client-credentials client that holds it, in the same
 * transaction (store.ts `deleteRole`): their tokens stay valid, with what their other roles
 * allow. Refusing the delete instead would leave an admin no way to retire a role but to edit
 * every holder first; Genesys likewise lets a role with members be deleted.
 *
 * With a grantor (the API; the command line has none), a caller creates only a role whose every
 * permission it holds, and changes, deletes or gives and takes away only a role it holds (as it
 * grants clients and people only roles it holds, role-grants.ts): `authorization:role:edit` is no
 * way to add `*:*:*` to a role, its own or another's.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, errors } from '../errors.js';
import { heldRoleIds, type Organization, type Role, type RoleDetails } from '../models.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { DirectoryChanges, Holders } from './directory-changes.js';
import { nameProblem, permissionsProblem } from './directory-rules.js';
import { checkHoldsPermissions, checkHoldsRolesOf, type Grantor } from './role-grants.js';

export interface RoleDraft {
  name: string;
  permissions: readonly string[];
  /** The kept fields; absent: none (create), unchanged (update). */
  details?: RoleDetails;
}

export const roleNotFound = (id: string) => errors.notFound(`no role with the id ${id}`, id);

const invalid = (field: string, message: string) =>
  new ApiError(400, 'invalid.value', message, { details: [{ errorCode: 'invalid.value', fieldName: field }] });

function nameTaken(organization: Organization, name: string, roleId: string | null): ApiError {
  return new ApiError(400, 'constraint.validation', `a role named ${name} already exists in ${organization.name}`, {
    details: [{ errorCode: 'constraint.validation', fieldName: 'name', ...(roleId === null ? {} : { entityId: roleId }) }],
  });
}

export class RoleAdmin {
  readonly #store: AdminPort & DirectoryPort;
  readonly #changes: DirectoryChanges | null;

  constructor(store: AdminPort & DirectoryPort, changes: DirectoryChanges | null = null) {
    this.#store = store;
    this.#changes = changes;
  }

  /** Every role of the organization (the API's listing filters, orders and pages them). */
  list(organizationId: string): Promise<Role[]> {
    return this.#store.listRoles(organizationId);
  }

  /** The organization's role with this id (the API names roles by id only); another organization's role is as unknown as none (404). */
  async get(organizationId: string, roleId: string): Promise<Role> {
    const [role] = await this.#store.findRoles([roleId]);
    if (!role || role.organizationId !== organizationId) throw roleNotFound(roleId);
    return role;
  }

  /**
   * How many people of the organization hold each role (the SDK's `userCount`; a role no one
   * holds is absent). A deleted person holds nothing: Genesys counts the users it still lists.
   */
  async userCounts(organizationId: string): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (const user of await this.#store.listOrganizationUsers(organizationId)) {
      if (user.state === 'deleted') continue;
      for (const roleId of new Set(user.roleIds)) counts.set(roleId, (counts.get(roleId) ?? 0) + 1);
    }
    return counts;
  }

  /** The organization's role with this id or name (the exact name first, then any case), or a 404. */
  async find(organization: Organization, reference: string): Promise<Role> {
    const roles = await this.#store.listRoles(organization.id);
    const lower = reference.toLowerCase();
    const role = roles.find((r) => r.id.toLowerCase() === lower || r.name === reference) ?? roles.find((r) => r.name.toLowerCase() === lower);
    if (!role) throw errors.notFound(`no role with the id or name "${reference}" in organization ${organization.name}`, reference);
    return role;
  }

  async create(organization: Organization, draft: RoleDraft, grantor: Grantor | null = null): Promise<Role> {
    const role: Role = {
      id: randomUUID(),
      organizationId: organization.id,
      name: draft.name,
      permissions: [...draft.permissions],
      ...(draft.details === undefined ? {} : { details: draft.details }),
    };
    await this.#check(organization, role);
    if (grantor) checkHoldsPermissions(grantor, role.permissions, 'permissions');
    await this.#save(organization, role, false);
    return role;
  }

  /**
   * Replaces what `change` names; its holders get the new permissions from their next request.
   * The API names the role it read (by id); the command line an id or a name.
   */
  async update(organization: Organization, reference: string | Role, change: Partial<RoleDraft>, grantor: Grantor | null = null): Promise<Role> {
    const existing = typeof reference === 'string' ? await this.find(organization, reference) : reference;
    const role: Role = {
      ...existing,
      name: change.name ?? existing.name,
      permissions: [...(change.permissions ?? existing.permissions)],
      ...(change.details === undefined ? {} : { details: change.details }),
    };
    await this.#check(organization, role);
    if (grantor) {
      checkHoldsRolesOf(grantor, [existing], 'roleId');
      checkHoldsRolesOf(grantor, [role], 'permissions');
    }
    const holders = await this.holders(organization, role.id);
    await this.#save(organization, role, true);
    this.#changes?.roleChanged(role.id, holders);
    return role;
  }

  /** Deletes the role and takes it from its holders; returns the role and who held it. */
  async delete(organization: Organization, reference: string | Role, grantor: Grantor | null = null): Promise<{ role: Role; holders: Holders }> {
    const role = typeof reference === 'string' ? await this.find(organization, reference) : reference;
    if (grantor) checkHoldsRolesOf(grantor, [role], 'roleId');
    const holders = await this.holders(organization, role.id);
    if (!(await this.#store.deleteRole(role.id))) throw errors.notFound(`no role with the id ${role.id}`, role.id);
    this.#changes?.roleChanged(role.id, holders);
    return { role, holders };
  }

  /** The users and clients of the organization that hold the role. */
  async holders(organization: Organization, roleId: string): Promise<Holders> {
    const [users, clients] = await Promise.all([this.#store.listUsers(organization.id), this.#store.listClients(organization.id)]);
    return {
      userIds: users.filter((u) => heldRoleIds(u).includes(roleId)).map((u) => u.id),
      clientIds: clients.filter((c) => c.roleDivisions.some((rd) => rd.roleId === roleId)).map((c) => c.id),
    };
  }

  /** Writes the role; a name another write took meanwhile is refused as #check refuses it, a role deleted meanwhile is 404. */
  async #save(organization: Organization, role: Role, existing: boolean): Promise<void> {
    const written = await this.#store.saveRole(role, existing);
    if (written === 'written') return;
    if (written === 'missing') throw roleNotFound(role.id);
    await this.#check(organization, role);
    throw nameTaken(organization, role.name, null);
  }

  /** The rules, and a name no other role of the organization has (names are how seeds and flags refer to roles). */
  async #check(organization: Organization, role: Role): Promise<void> {
    const nameIssue = nameProblem(role.name);
    if (nameIssue) throw invalid('name', `the role name ${nameIssue}`);
    const bad = permissionsProblem(role.permissions);
    if (bad) throw invalid(`permissions[${bad.index}]`, bad.problem);
    const clash = (await this.#store.listRoles(organization.id)).find((r) => r.id !== role.id && r.name.toLowerCase() === role.name.toLowerCase());
    if (clash) throw nameTaken(organization, clash.name, clash.id);
  }
}
