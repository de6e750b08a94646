/**
 * The users part of the one admin core (the API, the CLI and the seed share it): what creating a
 * user, disabling and enabling one, resetting a password and ending a user's access decide,
 * written once. The command line calls it, the seed shares its email rule, and an HTTP door
 * would render its errors as they are (each is an `ApiError` with its status, code and field).
 *
 * What a disable ends is the store's to do atomically (store.ts `setUserState`): the user's
 * sign-in sessions and every live token, in the same transaction as the state, so enabling the
 * user later brings none of them back. This process then drops its cached users and tokens (the
 * very next request with any of them fails); other processes see the store's change version
 * move (SQLite) or its notifications (PostgreSQL).
 */
import { randomUUID } from 'node:crypto';
import type { Authenticator } from '../authenticator.js';
import type { Clock } from '../clock.js';
import { ApiError, errors } from '../errors.js';
import type { Organization, Role, User, UserDetails, UserRecord, UserState } from '../models.js';
import { hashSecret } from '../secrets.js';
import type { AdminPort, UserAccessEnded } from '../ports/admin-port.js';
import type { DirectoryPort } from '../ports/directory-port.js';
import { checkPassword } from './password-policy.js';

export interface UserAdminDeps {
  store: AdminPort & DirectoryPort;
  clock: Clock;
  /** This process's caches, where it has some (a server); the command line has none. */
  authenticator?: Pick<Authenticator, 'userChanged'>;
}

/**
 * One `@`, something on each side, no whitespace: the password grant's username, not a mailbox
 * tokend writes to. No stricter, so that every seed file that loaded before still loads.
 */
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value);
}

const invalid = (field: string, message: string) => new ApiError(400, 'invalid.value', message, { details: [{ fieldName: field }] });

export interface NewUser {
  organizationId: string;
  name: string;
  email: string;
  /** Hashed here with scrypt; never stored or returned as it is. Left out (the API's CreateUser may): no password, no password sign-in until one is set. */
  password?: string;
  roleIds?: readonly string[];
  /** `active` unless given (the API's CreateUser may create an `inactive` person). */
  state?: Exclude<UserState, 'deleted'>;
  details?: UserDetails;
}

/** The user as created, with its roles (for the answer) and organization. */
export interface CreatedUser {
  user: UserRecord;
  organization: Organization;
  roles: Role[];
}

/**
 * Another person of the organization has this email (in core's normal form, deleted people
 * included: they keep theirs until restored). 409, as Genesys answers, so that a client such as
 * Terraform can find the deleted person and restore them.
 */
export const emailTaken = (email: string, organization: Organization, holder?: Pick<User, 'id' | 'name'>) =>
  new ApiError(409, 'general.conflict', `a user with the email ${email} already exists in ${organization.name}`, {
    details: [{ errorCode: 'general.conflict', fieldName: 'email', ...(holder ? { entityId: holder.id, entityName: holder.name } : {}) }],
  });

/** A name is not blank and at most 200 characters (as the seed's). */
export function checkUserName(name: string): void {
  if (name.trim() === '') throw invalid('name', 'the name must not be empty');
  if (name.length > 200) throw invalid('name', 'the name must be at most 200 characters');
}

/**
 * Creates a user. Refused, with nothing written: an empty name or password, an email that is
 * not one, an organization that does not exist, a role of another organization, an email
 * another user of the organization has (409: emails compare in core's normal form, as sign-in
 * does), or a password the organization's policy refuses (password-policy.ts).
 */
export async function createUser(deps: UserAdminDeps, input: NewUser): Promise<CreatedUser> {
  checkUserName(input.name);
  if (!isEmailAddress(input.email)) throw invalid('email', `${input.email} is not an email address`);
  if (input.password === '') throw invalid('password', 'the password must not be empty');
  const organization = await deps.store.findOrganization(input.organizationId);
  if (!organization) throw errors.notFound(`no organization with the id ${input.organizationId}`, input.organizationId);
  const roles = await rolesOf(deps.store, organization, input.roleIds ?? []);
  const holder = await deps.store.findUserByEmail(organization.id, input.email);
  if (holder) throw emailTaken(input.email, organization, holder);
  if (input.password !== undefined) await checkPassword(deps.store, organization.id, input.password);
  const now = deps.clock.now();
  const user: UserRecord = {
    id: randomUUID(),
    organizationId: organization.id,
    name: input.name,
    email: input.email,
    passwordHash: input.password === undefined ? null : await hashSecret(input.password),
    state: input.state ?? 'active',
    roleIds: roles.map((role) => role.id),
    groupIds: [],
    dateCreated: now,
    dateModified: now,
    version: 1,
    details: input.details ?? {},
  };
  await deps.store.insertUser(user);
  return { user, organization, roles };
}

/** Roles must be the organization's own: a role id of another one would grant its permissions here. */
export async function rolesOf(store: DirectoryPort, organization: Organization, roleIds: readonly string[]): Promise<Role[]> {
  const unique = [...new Set(roleIds)];
  const found = await store.findRoles(unique);
  const missing = unique.filter((id) => !found.some((role) => role.id === id && role.organizationId === organization.id));
  if (missing.length > 0) throw invalid('roles', `no role ${missing.join(', ')} in organization ${organization.name}`);
  return unique.map((id) => found.find((role) => role.id === id) as Role);
}

/** The user, or a 404 naming the id. */
export async function existingUser(store: DirectoryPort, userId: string): Promise<UserRecord> {
  const user = await store.findUser(userId);
  if (!user) throw errors.notFound(`no user with the id ${userId}`, userId);
  return user;
}

/**
 * Disables (`inactive`) or enables (`active`) a user. Disabling ends their sign-in sessions and
 * revokes every live token in the same transaction; enabling brings none back. Returns what was
 * ended (zeros when enabling or when already disabled).
 */
export async function setUserState(deps: UserAdminDeps, userId: string, state: UserState): Promise<UserAccessEnded> {
  const ended = await deps.store.setUserState(userId, state, deps.clock.now());
  if (!ended) throw errors.notFound(`no user with the id ${userId}`, userId);
  deps.authenticator?.userChanged(userId);
  return ended;
}

/**
 * An admin's password reset, with a password the user's organization's policy allows: the new
 * hash and, in the same transaction, the end of every sign-in session (each browser signs in
 * again, with the new password). Tokens stay valid: {@link endUserAccess} ends them.
 */
export async function resetPassword(deps: UserAdminDeps, userId: string, password: string): Promise<{ endedSessions: number }> {
  if (password === '') throw invalid('password', 'the password must not be empty');
  const user = await existingUser(deps.store, userId);
  await checkPassword(deps.store, user.organizationId, password);
  const passwordHash = await hashSecret(password);
  const reset = await deps.store.resetUserPassword(userId, passwordHash, deps.clock.now());
  if (!reset) throw errors.notFound(`no user with the id ${userId}`, userId);
  deps.authenticator?.userChanged(userId);
  return reset;
}

/** Revokes every live token of a user and ends their sign-in sessions, in one transaction; the user stays active. */
export async function endUserAccess(deps: UserAdminDeps, userId: string): Promise<UserAccessEnded> {
  await existingUser(deps.store, userId);
  const ended = await deps.store.endUserAccess(userId, deps.clock.now());
  deps.authenticator?.userChanged(userId);
  return ended;
}
