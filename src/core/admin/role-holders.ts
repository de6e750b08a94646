/**
 * The people who hold a role, as the roles API reads and changes them (getAuthorizationRoleUsers,
 * putAuthorizationRoleUsersAdd and ...Remove).
 *
 * Giving or taking a role is a change of each person's roles, so it takes the rules of
 * `PUT /users/{id}/roles` (user-admin.ts setRoles): with a grantor, the caller must hold the role
 * and every role of each person named, and a person named must be one of the organization's (a
 * deleted one, or another organization's, is unknown: 400 naming them, nothing changed). Every
 * person changes in one transaction, their version moves, and their tokens are judged anew from
 * their next request on every node (this node's caches drop them here; others hear the store).
 */
import { ApiError } from '../errors.js';
import type { Clock } from '../clock.js';
import type { Organization, Role, UserRecord } from '../models.js';
import { normalForm } from '../normal-form.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { DirectoryChanges } from './directory-changes.js';
import { checkHoldsRolesOf, type Grantor } from './role-grants.js';
import { roleNotFound } from './roles.js';

export type HoldersChange = 'add' | 'remove';

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class RoleHolders {
  readonly #store: AdminPort & DirectoryPort;
  readonly #clock: Clock;
  readonly #changes: DirectoryChanges | null;

  constructor(store: AdminPort & DirectoryPort, clock: Clock, changes: DirectoryChanges | null = null) {
    this.#store = store;
    this.#clock = clock;
    this.#changes = changes;
  }

  /** The organization's people (not deleted) who hold the role, in the users listing's order: name in normal form, then id. */
  async people(organization: Organization, role: Role): Promise<UserRecord[]> {
    const users = await this.#store.listOrganizationUsers(organization.id);
    return users
      .filter((user) => user.state !== 'deleted' && user.roleIds.includes(role.id))
      .map((user) => ({ user, key: normalForm(user.name) }))
      .sort((a, b) => byCodePoint(a.key, b.key) || byCodePoint(a.user.id, b.user.id))
      .map(({ user }) => user);
  }

  /** Gives the role to (`add`) or takes it from (`remove`) the people `userIds`; returns their ids, each once, in the order given. */
  async change(organization: Organization, role: Role, userIds: readonly string[], change: HoldersChange, grantor: Grantor | null): Promise<string[]> {
    const ids = [...new Set(userIds)];
    const people = new Map((await this.#store.listOrganizationUsers(organization.id)).filter((u) => u.state !== 'deleted').map((u) => [u.id, u]));
    const unknown = ids.filter((id) => !people.has(id));
    if (unknown.length > 0) {
      throw new ApiError(400, 'invalid.value', `no user ${unknown.join(', ')} in organization ${organization.name}`, {
        details: unknown.map((id) => ({ errorCode: 'invalid.value', fieldName: `body[${userIds.indexOf(id)}]`, entityId: id })),
      });
    }
    const named = ids.map((id) => people.get(id) as UserRecord);
    if (grantor) {
      checkHoldsRolesOf(grantor, [role], 'roleId');
      const theirs = await this.#store.findRoles([...new Set(named.flatMap((user) => user.roleIds))]);
      checkHoldsRolesOf(grantor, theirs, 'roles');
    }
    const changing = named.filter((user) => user.roleIds.includes(role.id) === (change === 'remove')).map((user) => user.id);
    if (changing.length > 0) {
      const written = await this.#store.changeRoleHolders(
        role.id,
        change === 'add' ? { add: changing, remove: [] } : { add: [], remove: changing },
        this.#clock.now(),
      );
      if (!written) throw roleNotFound(role.id);
      this.#changes?.roleChanged(role.id, { userIds: changing, clientIds: [] });
    }
    return ids;
  }
}
