/**
 * The users part of the one admin core, as the users API and `tokend users` take it: reading
 * people (a page, one, a search), and each change of a person written once (users.ts keeps the
 * create, disable, password and access functions the command line has always used).
 *
 * Rules:
 * - Another organization's person is unknown here (404), as is a deleted one unless asked for.
 * - ours (CONTRACT.md, "Control plane"): a caller with a grantor (the API) changes, deletes,
 *   disables, re-roles or sets the password of only a person whose every role it holds (403
 *   `missing.permissions` naming what it lacks), and gives only roles it holds; the command line
 *   (no grantor) may touch anyone.
 * - A PATCH names the version it read: a stale one is 409 `general.conflict` and nothing changes
 *   (the store checks it again in the write itself).
 * - Deleting a person, or a PATCH to a state but `active`, ends every token and sign-in session
 *   of theirs in the same transaction (store.ts `setUserState`); this node's caches drop them at
 *   once, other nodes hear it from the store. A deleted person keeps their row and email, so an
 *   admin may restore them (PATCH state active), as Genesys allows.
 */
import type { Authenticator } from '../authenticator.js';
import type { Clock } from '../clock.js';
import { ApiError, errors, SignInRefusedError, SlowHashBusyError } from '../errors.js';
import { heldRoleIds, type Organization, type Role, type UserDetails, type UserRecord, type UserState } from '../models.js';
import type { AdminPort, UserAccessEnded } from '../ports/admin-port.js';
import type { DirectoryPort, SignInTrace, UserPageQuery } from '../ports/directory-port.js';
import type { CredentialChecker } from '../sign-in/credentials.js';
import { checkPassword } from './password-policy.js';
import { checkHoldsRolesOf, type Grantor } from './role-grants.js';
import { checkUserName, emailTaken, isEmailAddress, resetPassword, rolesOf } from './users.js';

/** What a PATCH changes: what it names replaces, what it leaves out stays. */
export interface UserChange {
  name?: string;
  email?: string;
  state?: UserState;
  details?: UserDetails;
}

export const userNotFound = (id: string) => errors.notFound(`no user with the id ${id}`, id);

const invalid = (field: string, message: string) =>
  new ApiError(400, 'invalid.value', message, { details: [{ errorCode: 'invalid.value', fieldName: field }] });

export class UserAdmin {
  readonly #store: AdminPort & DirectoryPort;
  readonly #clock: Clock;
  readonly #authenticator: Pick<Authenticator, 'userChanged'> | null;

  /** The sign-in check (throttled, through the slow-hash queue) that judges an old password. */
  readonly #credentials: Pick<CredentialChecker, 'verify'> | null;

  constructor(
    store: AdminPort & DirectoryPort,
    clock: Clock,
    authenticator: Pick<Authenticator, 'userChanged'> | null = null,
    credentials: Pick<CredentialChecker, 'verify'> | null = null,
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#authenticator = authenticator;
    this.#credentials = credentials;
  }

  /** The deps the functions of users.ts take. */
  get deps() {
    return { store: this.#store, clock: this.#clock, ...(this.#authenticator ? { authenticator: this.#authenticator } : {}) };
  }

  page(query: UserPageQuery): Promise<{ users: UserRecord[]; total: number }> {
    return this.#store.listUsersPage(query);
  }

  /** Every person of the organization (a search filters them). */
  everyone(organizationId: string): Promise<UserRecord[]> {
    return this.#store.listOrganizationUsers(organizationId);
  }

  /** The organization's person: not deleted (`active`, the default), deleted (`deleted`), or either (`any`); else 404. */
  async get(organization: Organization, userId: string, state: 'active' | 'deleted' | 'any' = 'active'): Promise<UserRecord> {
    const user = await this.#store.findUser(userId);
    if (!user || user.organizationId !== organization.id) throw userNotFound(userId);
    if (state !== 'any' && (user.state === 'deleted') !== (state === 'deleted')) throw userNotFound(userId);
    return user;
  }

  /**
   * A person by id or email (the command line's way): an id anywhere, an email in `organization`
   * when given, else in the one organization that has it (two organizations: name one).
   */
  async find(reference: string, organization: Organization | null): Promise<UserRecord> {
    const byId = await this.#store.findUser(reference);
    if (byId && (organization === null || byId.organizationId === organization.id)) return byId;
    const where = organization ? [organization] : await this.#store.listOrganizations();
    const found = (await Promise.all(where.map((o) => this.#store.findUserByEmail(o.id, reference)))).filter((u): u is UserRecord => u !== null);
    if (found.length > 1) {
      const names = new Map(where.map((o) => [o.id, o.name]));
      const ids = found
        .map((u) => `${u.id} (${names.get(u.organizationId) ?? u.organizationId})`)
        .sort()
        .join(', ');
      throw invalid(
        'user',
        `${found.length} organizations have a user with the email ${reference}: give one of their ids, or the organization (--org): ${ids}`,
      );
    }
    const [user] = found;
    if (!user) throw errors.notFound(`no user with the id or email ${reference}${organization ? ` in organization ${organization.name}` : ''}`, reference);
    return user;
  }

  rolesOf(user: UserRecord): Promise<Role[]> {
    return this.#store.findRoles(user.roleIds);
  }

  /** These roles, where they exist (for rendering many people's at once). */
  roles(ids: readonly string[]): Promise<Role[]> {
    return this.#store.findRoles([...new Set(ids)]);
  }

  signInTraces(userIds: readonly string[]): Promise<Map<string, SignInTrace>> {
    return this.#store.signInTraces(userIds);
  }

  /** Refuses (403) a grantor that lacks a role the person holds in any division; null (the command line) may. */
  async checkMayChange(user: UserRecord, grantor: Grantor | null): Promise<void> {
    if (grantor) checkHoldsRolesOf(grantor, await this.#store.findRoles(heldRoleIds(user)), 'roles');
  }

  /** A PATCH at `expectedVersion` (null: the command line, at whatever version it read). */
  async update(
    organization: Organization,
    userId: string,
    change: UserChange,
    expectedVersion: number | null,
    grantor: Grantor | null,
  ): Promise<{ user: UserRecord; ended: UserAccessEnded }> {
    const existing = await this.get(organization, userId, 'any');
    await this.checkMayChange(existing, grantor);
    const version = expectedVersion ?? existing.version;
    if (version !== existing.version) throw staleVersion(existing, version);
    if (change.name !== undefined) checkUserName(change.name);
    if (change.email !== undefined) {
      if (!isEmailAddress(change.email)) throw invalid('email', `${change.email} is not an email address`);
      const holder = await this.#store.findUserByEmail(organization.id, change.email);
      if (holder && holder.id !== existing.id) throw emailTaken(change.email, organization, holder);
    }
    const now = this.#clock.now();
    const user: UserRecord = {
      ...existing,
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.email === undefined ? {} : { email: change.email }),
      ...(change.state === undefined ? {} : { state: change.state }),
      details: { ...existing.details, ...change.details },
      dateModified: now,
      version: existing.version + 1,
    };
    const { outcome, ended } = await this.#store.updateUser(user, version, now);
    if (outcome === 'missing') throw userNotFound(userId);
    if (outcome === 'stale') throw staleVersion(existing, version);
    if (outcome === 'email-taken') throw emailTaken(user.email, organization);
    this.#authenticator?.userChanged(userId);
    return { user: await this.get(organization, userId, 'any'), ended };
  }

  /** Deletes the person (state `deleted`), ending every token and sign-in session of theirs at once. */
  async delete(organization: Organization, userId: string, grantor: Grantor | null): Promise<{ user: UserRecord; ended: UserAccessEnded }> {
    const user = await this.get(organization, userId);
    await this.checkMayChange(user, grantor);
    const ended = await this.#store.setUserState(userId, 'deleted', this.#clock.now());
    if (!ended) throw userNotFound(userId);
    this.#authenticator?.userChanged(userId);
    return { user, ended };
  }

  /**
   * Replaces the person's roles with the organization's roles `roleIds`: the grantor must hold
   * every role the person has now and every role given. Cached tokens of the person are judged
   * anew from their next request (their permissions changed).
   */
  async setRoles(
    organization: Organization,
    userId: string,
    roleIds: readonly string[],
    grantor: Grantor | null,
  ): Promise<{ user: UserRecord; roles: Role[] }> {
    const user = await this.get(organization, userId);
    const roles = await rolesOf(this.#store, organization, roleIds);
    await this.checkMayChange(user, grantor);
    if (grantor) checkHoldsRolesOf(grantor, roles, 'roles');
    if (
      !(await this.#store.setUserRoles(
        userId,
        roles.map((role) => role.id),
        this.#clock.now(),
      ))
    )
      throw userNotFound(userId);
    this.#authenticator?.userChanged(userId);
    return { user: await this.get(organization, userId), roles };
  }

  /** An admin sets the person's password (the policy judges it; their sign-in sessions end). */
  async setPassword(organization: Organization, userId: string, password: string, grantor: Grantor | null): Promise<{ endedSessions: number }> {
    const user = await this.get(organization, userId);
    await this.checkMayChange(user, grantor);
    return resetPassword(this.deps, userId, password);
  }

  /**
   * A person changes their own password: the old one must be theirs (400 naming `oldPassword`
   * otherwise, changing nothing), the new one pass the policy. Their sign-in sessions end.
   */
  async changeOwnPassword(user: UserRecord, oldPassword: string, newPassword: string, address?: string): Promise<{ endedSessions: number }> {
    const current = await this.#store.findUser(user.id);
    if (!current || current.state !== 'active') throw userNotFound(user.id);
    await this.#checkOldPassword(current, oldPassword, address);
    if (newPassword === '') throw invalid('newPassword', 'the password must not be empty');
    await checkPassword(this.#store, current.organizationId, newPassword).catch((error: unknown) => {
      // The policy names `password`; this request names it `newPassword`.
      if (error instanceof ApiError) for (const detail of error.options.details ?? []) detail.fieldName = 'newPassword';
      throw error;
    });
    return resetPassword(this.deps, user.id, newPassword);
  }

  /**
   * The old password is checked as a sign-in is (sign-in/credentials.ts): counted under the
   * account and the caller's address, through the bounded slow-hash queue, so that a token of
   * the person is no way to guess their password faster than the sign-in page allows.
   */
  async #checkOldPassword(user: UserRecord, oldPassword: string, address: string | undefined): Promise<void> {
    if (this.#credentials === null) throw new Error('UserAdmin: changing your own password needs the sign-in check');
    try {
      await this.#credentials.verify({ organizationId: user.organizationId, email: user.email, address }, oldPassword);
    } catch (error) {
      if (error instanceof SignInRefusedError) {
        if (error.retryAfterSeconds === null) throw invalid('oldPassword', 'the old password is not the password of this user');
        throw retryLater(`too many wrong old passwords; retry in ${error.retryAfterSeconds} seconds`, error.retryAfterSeconds);
      }
      if (error instanceof SlowHashBusyError)
        throw retryLater(`too many passwords are being checked; retry in ${error.retryAfterSeconds} seconds`, error.retryAfterSeconds);
      throw error;
    }
  }
}

/** How long a refused check says to wait, as a Retry-After. */
function retryLater(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(429, 'too.many.requests.retry.after', message, { headers: { 'Retry-After': String(retryAfterSeconds) } });
}

function staleVersion(user: UserRecord, expectedVersion: number): ApiError {
  return new ApiError(409, 'general.conflict', `the user ${user.name} is no longer at version ${expectedVersion}: read it again and retry`, {
    details: [{ errorCode: 'general.conflict', fieldName: 'version', entityId: user.id, entityName: user.name }],
  });
}
