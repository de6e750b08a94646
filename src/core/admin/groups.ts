/**
 * The groups part of the one admin core: what the groups API, `tokend groups` and the seed
 * decide about groups, written once. Groups decide one thing in tokend: which idle token timeout
 * applies to a member (the organization's `inactivityTimeoutGroupBundles`), so a membership
 * change drops the members' cached principals ({@link DirectoryChanges}) and their next request
 * is timed by the new bundle; other nodes hear it from the store.
 *
 * Rules:
 * - Names are unique in the organization in any letter case (directory-rules.ts says what a name is).
 * - Every write moves the group's version; a write that names a version (the API's PUT and
 *   member POST) is refused with 409 `general.conflict` when the group is at another, and
 *   nothing changes.
 * - Members and owners are users of the group's organization; another organization's user is
 *   refused exactly as an unknown one.
 * - A group that the organization's idle timeout names is not deleted (409): the bundle would
 *   point at nothing and its members would silently fall back to the default timeout. The admin
 *   changes the timeout first (PUT /api/v2/tokens/timeout).
 * - ours (group-access.ts): `visibility` limits who reads a group, and only an administrator of
 *   groups or the group's owner changes its members, though the SDK reference asks no permission
 *   for member changes: membership sets idle timeouts, which no one should choose for themselves.
 */
import { randomUUID } from 'node:crypto';
import { systemClock, type Clock } from '../clock.js';
import { ApiError, errors } from '../errors.js';
import type { GroupDetails, GroupRecord, GroupState, GroupType, GroupVisibility, Organization, User } from '../models.js';
import type { AdminPort, GroupWrite } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import type { SortOrder } from '../sort-order.js';
import type { DirectoryChanges } from './directory-changes.js';
import { nameProblem } from './directory-rules.js';
import { type GroupViewer, mayChangeMembers, maySee } from './group-access.js';

export interface GroupDraft {
  name: string;
  description?: string | null;
  type?: GroupType;
  visibility?: GroupVisibility;
  rulesVisible?: boolean;
  state?: GroupState;
  /** Replaces the kept fields it names (images, addresses, owners, ...). */
  details?: GroupDetails;
  /** User ids of the organization; left out on a change, the members stay. */
  memberIds?: readonly string[];
}

const invalid = (field: string, message: string) =>
  new ApiError(400, 'invalid.value', message, { details: [{ errorCode: 'invalid.value', fieldName: field }] });

export const groupConflict = (group: Pick<GroupRecord, 'id' | 'name'>, message: string, fieldName = 'version') =>
  new ApiError(409, 'general.conflict', message, { details: [{ errorCode: 'general.conflict', fieldName, entityId: group.id, entityName: group.name }] });

export const groupNotFound = (id: string) => errors.notFound(`no group with the id ${id}`, id);

/** Names in the order people read them, letter case aside (one collator: building one per comparison is most of a sort). */
const byName = new Intl.Collator('en', { sensitivity: 'base' });

export class GroupAdmin {
  readonly #store: AdminPort & DirectoryPort;
  readonly #changes: DirectoryChanges | null;
  readonly #clock: Clock;

  constructor(store: AdminPort & DirectoryPort, changes: DirectoryChanges | null = null, clock: Clock = systemClock) {
    this.#store = store;
    this.#changes = changes;
    this.#clock = clock;
  }

  /** Every group of the organization, by name (the API filters, orders and pages them). */
  list(organizationId: string): Promise<GroupRecord[]> {
    return this.#store.listGroups(organizationId);
  }

  /** The organization's groups `viewer` may see (among `ids` when given), in no order. */
  async visibleTo(organizationId: string, viewer: GroupViewer, ids: readonly string[] | null = null): Promise<GroupRecord[]> {
    const wanted = ids === null ? null : new Set(ids);
    return (await this.#store.listGroups(organizationId)).filter((group) => (wanted === null || wanted.has(group.id)) && maySee(group, viewer));
  }

  /** {@link visibleTo}, by name in `order`. */
  async listFor(organizationId: string, viewer: GroupViewer, ids: readonly string[] | null, order: SortOrder): Promise<GroupRecord[]> {
    const sign = order === 'ascending' ? 1 : -1;
    return (await this.visibleTo(organizationId, viewer, ids)).sort(
      (a, b) => sign * (byName.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    );
  }

  /** The organization's group with this id if `viewer` may see it, else a 404 (as an unknown one). */
  async getFor(organization: Organization, groupId: string, viewer: GroupViewer): Promise<GroupRecord> {
    const group = await this.get(organization, groupId);
    if (!maySee(group, viewer)) throw groupNotFound(groupId);
    return group;
  }

  /** The organization's group with this id, or a 404 (another organization's is unknown here). */
  async get(organization: Organization, groupId: string): Promise<GroupRecord> {
    const group = await this.#store.findGroup(groupId);
    if (!group || group.organizationId !== organization.id) throw groupNotFound(groupId);
    return group;
  }

  /** The organization's group with this id or name (the exact name first, then any case), or a 404: the command line's way. */
  async find(organization: Organization, reference: string): Promise<GroupRecord> {
    const groups = await this.#store.listGroups(organization.id);
    const lower = reference.toLowerCase();
    const group = groups.find((g) => g.id.toLowerCase() === lower || g.name === reference) ?? groups.find((g) => g.name.toLowerCase() === lower);
    if (!group) throw errors.notFound(`no group with the id or name "${reference}" in organization ${organization.name}`, reference);
    return group;
  }

  /** The ids of the group's members, sorted. */
  members(groupId: string): Promise<string[]> {
    return this.#store.listGroupMemberIds(groupId);
  }

  memberCounts(groupIds: readonly string[]): Promise<Map<string, number>> {
    return this.#store.countGroupMembers(groupIds);
  }

  /** One page of the members, by name, and how many there are. */
  async membersPage(groupId: string, offset: number, limit: number, descending: boolean): Promise<{ users: User[]; total: number }> {
    const [users, counts] = await Promise.all([this.#store.listGroupMembersPage(groupId, offset, limit, descending), this.#store.countGroupMembers([groupId])]);
    return { users, total: counts.get(groupId) ?? 0 };
  }

  async create(organization: Organization, draft: GroupDraft): Promise<{ group: GroupRecord; memberIds: string[] }> {
    const group: GroupRecord = {
      id: randomUUID(),
      organizationId: organization.id,
      name: draft.name,
      description: draft.description ?? null,
      type: draft.type ?? 'official',
      visibility: draft.visibility ?? 'public',
      rulesVisible: draft.rulesVisible ?? true,
      state: draft.state ?? 'active',
      version: 1,
      dateModified: this.#clock.now(),
      details: draft.details ?? {},
    };
    await this.#checkName(organization, group);
    await this.#checkUsers(organization, group.details.ownerIds ?? [], 'ownerIds');
    const memberIds = await this.#checkUsers(organization, draft.memberIds ?? [], 'memberIds');
    if (!(await this.#store.insertGroup(group, memberIds))) throw nameTaken(organization, group);
    if (memberIds.length > 0) this.#changes?.groupChanged(group.id, memberIds);
    return { group, memberIds };
  }

  /**
   * Changes what `change` names (the rest stays) and, where `change.memberIds` is given, replaces
   * the members; only at `expectedVersion` when one is given.
   */
  async update(
    organization: Organization,
    reference: string,
    change: Partial<GroupDraft>,
    expectedVersion: number | null = null,
  ): Promise<{ group: GroupRecord; memberIds: string[]; added: string[]; removed: string[] }> {
    const existing = await this.find(organization, reference);
    const { memberIds: newMembers, details, ...fields } = change;
    const group: GroupRecord = {
      ...existing,
      ...definedOnly(fields),
      details: { ...existing.details, ...details },
      dateModified: this.#clock.now(),
    };
    if (expectedVersion !== null && expectedVersion !== existing.version) throw staleVersion(existing, expectedVersion);
    await this.#checkName(organization, group);
    await this.#checkUsers(organization, details?.ownerIds ?? [], 'ownerIds');
    const before = await this.members(group.id);
    const memberIds = newMembers === undefined ? before : await this.#checkUsers(organization, newMembers, 'memberIds');
    this.#written(organization, group, expectedVersion, await this.#store.updateGroup(group, newMembers === undefined ? null : memberIds, expectedVersion));
    const added = memberIds.filter((id) => !before.includes(id));
    const removed = before.filter((id) => !memberIds.includes(id));
    if (added.length + removed.length > 0) this.#changes?.groupChanged(group.id, [...added, ...removed]);
    return { group: await this.get(organization, group.id), memberIds, added, removed };
  }

  /**
   * Adds members (at `expectedVersion` when given), for an actor who may change them (null: the
   * command line, which may). Members already in stay; the version moves.
   */
  async addMembers(
    organization: Organization,
    groupId: string,
    userIds: readonly string[],
    expectedVersion: number | null,
    actor: GroupViewer | null,
  ): Promise<GroupRecord> {
    const group = await this.#changeableBy(organization, groupId, actor);
    if (expectedVersion !== null && expectedVersion !== group.version) throw staleVersion(group, expectedVersion);
    const ids = await this.#checkUsers(organization, userIds, 'memberIds');
    const before = new Set(await this.members(groupId));
    const written = await this.#store.changeGroupMembers(groupId, { add: ids, remove: [] }, expectedVersion, this.#clock.now());
    this.#written(organization, group, expectedVersion, written);
    const added = ids.filter((id) => !before.has(id));
    if (added.length > 0) this.#changes?.groupChanged(groupId, added);
    return this.get(organization, groupId);
  }

  /** Removes members (ids that are not members are ignored); the version moves. */
  async removeMembers(organization: Organization, groupId: string, userIds: readonly string[], actor: GroupViewer | null): Promise<GroupRecord> {
    const group = await this.#changeableBy(organization, groupId, actor);
    const before = new Set(await this.members(groupId));
    const removed = [...new Set(userIds)].filter((id) => before.has(id));
    this.#written(organization, group, null, await this.#store.changeGroupMembers(groupId, { add: [], remove: removed }, null, this.#clock.now()));
    if (removed.length > 0) this.#changes?.groupChanged(groupId, removed);
    return this.get(organization, groupId);
  }

  /** Deletes the group and its memberships; refused (409) while the idle timeout names it. */
  async delete(organization: Organization, reference: string): Promise<{ group: GroupRecord; memberIds: string[] }> {
    const group = await this.find(organization, reference);
    const bundles = organization.idleTokenTimeout.inactivityTimeoutGroupBundles;
    if (bundles.some((bundle) => bundle.groups.includes(group.id))) {
      throw groupConflict(
        group,
        `the group ${group.name} is named by the idle token timeout of ${organization.name} (inactivityTimeoutGroupBundles): change the timeout first`,
        'inactivityTimeoutGroupBundles',
      );
    }
    const memberIds = await this.members(group.id);
    if (!(await this.#store.deleteGroup(group.id))) throw groupNotFound(group.id);
    this.#changes?.groupChanged(group.id, memberIds);
    return { group, memberIds };
  }

  async #changeableBy(organization: Organization, groupId: string, actor: GroupViewer | null): Promise<GroupRecord> {
    const group = await this.get(organization, groupId);
    if (actor === null) return group;
    if (!maySee(group, actor)) throw groupNotFound(groupId);
    if (!mayChangeMembers(group, actor)) {
      throw errors.missingPermissions(['directory:group:edit'], {
        details: [{ errorCode: 'missing.permissions', fieldName: 'memberIds', entityId: group.id, entityName: group.name }],
      });
    }
    return group;
  }

  /** A store write's outcome as the caller sees it: nothing, or the refusal that wrote nothing. */
  #written(organization: Organization, group: GroupRecord, expectedVersion: number | null, outcome: GroupWrite): void {
    if (outcome === 'written') return;
    if (outcome === 'missing') throw groupNotFound(group.id);
    if (outcome === 'name-taken') throw nameTaken(organization, group);
    throw staleVersion(group, expectedVersion ?? group.version);
  }

  async #checkName(organization: Organization, group: GroupRecord): Promise<void> {
    const problem = nameProblem(group.name);
    if (problem) throw invalid('name', `the group name ${problem}`);
    const clash = (await this.#store.listGroups(organization.id)).find((g) => g.id !== group.id && g.name.toLowerCase() === group.name.toLowerCase());
    if (clash) throw nameTaken(organization, clash);
  }

  /** Users of the organization, or 400 naming the ones that are not (an unknown id and another organization's alike). */
  async #checkUsers(organization: Organization, ids: readonly string[], field: string): Promise<string[]> {
    const unique = [...new Set(ids)].sort();
    const found = new Set(await this.#store.existingUserIds(organization.id, unique));
    const missing = unique.filter((id) => !found.has(id));
    if (missing.length > 0) throw invalid(field, `no user ${missing.join(', ')} in organization ${organization.name}`);
    return unique;
  }
}

function nameTaken(organization: Organization, clash: Pick<GroupRecord, 'id' | 'name'>): ApiError {
  return new ApiError(400, 'constraint.validation', `a group named ${clash.name} already exists in ${organization.name}`, {
    details: [{ errorCode: 'constraint.validation', fieldName: 'name', entityId: clash.id }],
  });
}

function staleVersion(group: GroupRecord, expectedVersion: number): ApiError {
  return groupConflict(group, `the group ${group.name} is no longer at version ${expectedVersion}: read it again and retry`);
}

/** The fields of `change` that it gives (undefined means "keep"). */
function definedOnly<T extends object>(change: T): Partial<T> {
  return Object.fromEntries(Object.entries(change).filter(([, value]) => value !== undefined)) as Partial<T>;
}
