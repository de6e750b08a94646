/**
 * The groups part of the one admin core (issue 14): creating a group, renaming it, replacing its
 * members, deleting it. Groups decide one thing in tokend: which idle token timeout applies to a
 * member (the organization's `inactivityTimeoutGroupBundles`), so a membership change drops the
 * members' cached principals ({@link DirectoryChanges}) and their next request is timed by the
 * new bundle.
 *
 * A group that the organization's idle timeout names is not deleted: the bundle would then point
 * at nothing and its members would silently fall back to the default timeout. The admin changes
 * the timeout first (PUT /api/v2/tokens/timeout).
 */
import { randomUUID } from 'node:crypto';
import { ApiError, errors } from '../errors.js';
import type { Group, Organization } from '../models.js';
import type { AdminPort } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { DirectoryChanges } from './directory-changes.js';
import { nameProblem } from './directory-rules.js';

export interface GroupDraft {
  name: string;
  /** User ids of the organization; left out on a change, the members stay. */
  memberIds?: readonly string[];
}

const invalid = (field: string, message: string) => new ApiError(400, 'invalid.value', message, { details: [{ fieldName: field }] });

export class GroupAdmin {
  readonly #store: AdminPort & DirectoryPort;
  readonly #changes: DirectoryChanges | null;

  constructor(store: AdminPort & DirectoryPort, changes: DirectoryChanges | null = null) {
    this.#store = store;
    this.#changes = changes;
  }

  /** The organization's group with this id or name (the exact name first, then any case), or a 404. */
  async find(organization: Organization, reference: string): Promise<Group> {
    const groups = await this.#store.listGroups(organization.id);
    const lower = reference.toLowerCase();
    const group = groups.find((g) => g.id.toLowerCase() === lower || g.name === reference) ?? groups.find((g) => g.name.toLowerCase() === lower);
    if (!group) throw errors.notFound(`no group with the id or name "${reference}" in organization ${organization.name}`, reference);
    return group;
  }

  /** The ids of the group's members, sorted. */
  async members(organization: Organization, groupId: string): Promise<string[]> {
    return (await this.#store.listUsers(organization.id))
      .filter((u) => u.groupIds.includes(groupId))
      .map((u) => u.id)
      .sort();
  }

  async create(organization: Organization, draft: GroupDraft): Promise<{ group: Group; memberIds: string[] }> {
    const group: Group = { id: randomUUID(), organizationId: organization.id, name: draft.name };
    await this.#checkName(organization, group);
    const memberIds = await this.#checkMembers(organization, draft.memberIds ?? []);
    await this.#store.saveGroup(group, memberIds);
    if (memberIds.length > 0) this.#changes?.groupChanged(group.id, memberIds);
    return { group, memberIds };
  }

  /** Renames the group and, where `change.memberIds` is given, replaces its members. */
  async update(
    organization: Organization,
    reference: string,
    change: Partial<GroupDraft>,
  ): Promise<{ group: Group; memberIds: string[]; added: string[]; removed: string[] }> {
    const existing = await this.find(organization, reference);
    const group: Group = { ...existing, name: change.name ?? existing.name };
    await this.#checkName(organization, group);
    const before = await this.members(organization, group.id);
    const memberIds = change.memberIds === undefined ? before : await this.#checkMembers(organization, change.memberIds);
    await this.#store.saveGroup(group, change.memberIds === undefined ? null : memberIds);
    const added = memberIds.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !memberIds.includes(id));
    if (added.length + removed.length > 0) this.#changes?.groupChanged(group.id, [...added, ...removed]);
    return { group, memberIds, added, removed };
  }

  /** Deletes the group and its memberships; refused while the idle timeout names it. */
  async delete(organization: Organization, reference: string): Promise<{ group: Group; memberIds: string[] }> {
    const group = await this.find(organization, reference);
    const bundles = organization.idleTokenTimeout.inactivityTimeoutGroupBundles;
    if (bundles.some((bundle) => bundle.groups.includes(group.id))) {
      throw new ApiError(
        400,
        'constraint.validation',
        `the group ${group.name} is named by the idle token timeout of ${organization.name} (inactivityTimeoutGroupBundles): change the timeout first`,
        {
          details: [{ fieldName: 'inactivityTimeoutGroupBundles', entityId: group.id, entityName: group.name }],
        },
      );
    }
    const memberIds = await this.members(organization, group.id);
    if (!(await this.#store.deleteGroup(group.id))) throw errors.notFound(`no group with the id ${group.id}`, group.id);
    this.#changes?.groupChanged(group.id, memberIds);
    return { group, memberIds };
  }

  async #checkName(organization: Organization, group: Group): Promise<void> {
    const problem = nameProblem(group.name);
    if (problem) throw invalid('name', `the group name ${problem}`);
    const clash = (await this.#store.listGroups(organization.id)).find((g) => g.id !== group.id && g.name.toLowerCase() === group.name.toLowerCase());
    if (clash) {
      throw new ApiError(400, 'constraint.validation', `a group named ${clash.name} already exists in ${organization.name}`, {
        details: [{ fieldName: 'name', entityId: clash.id }],
      });
    }
  }

  /** Members must be users of the organization: another one's user id is refused as unknown. */
  async #checkMembers(organization: Organization, memberIds: readonly string[]): Promise<string[]> {
    const unique = [...new Set(memberIds)].sort();
    const users = new Set((await this.#store.listUsers(organization.id)).map((u) => u.id));
    const missing = unique.filter((id) => !users.has(id));
    if (missing.length > 0) throw invalid('members', `no user ${missing.join(', ')} in organization ${organization.name}`);
    return unique;
  }
}
