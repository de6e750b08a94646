/**
 * Writing the directory: the admin core (admin/), the seed (seed/apply.ts) and the idle
 * timeout. Each method is one transaction; what ends access ends it in that same transaction.
 * Implemented by `src/store`; read through the directory port (directory-port.ts).
 */
import type {
  Client,
  ClientState,
  Division,
  DivisionGrant,
  GroupRecord,
  IdleTokenTimeout,
  OrgAuthSettings,
  Role,
  User,
  UserRecord,
  UserState,
} from '../models.js';
import type { SeedEntityKind, SeedPlan } from '../seed/plan.js';

/** What disabling a user, or ending their access, ended: the admin command reports it. */
export interface UserAccessEnded {
  endedSessions: number;
  revokedTokens: number;
}

/** What a conditional user write did: `written`, or why it wrote nothing. */
export type UserWrite = 'written' | 'stale' | 'email-taken' | 'missing';

/** What a conditional group write did: `written`, or why it wrote nothing. */
export type GroupWrite = 'written' | 'stale' | 'name-taken' | 'missing';

/** What a conditional division write did: `written`, or why it wrote nothing. */
export type DivisionWrite = 'written' | 'name-taken' | 'missing';

/** What a division's delete did: `in-use` when it holds a grant or a client's role, or is the home one. */
export type DivisionDelete = 'deleted' | 'in-use' | 'missing';

/** Every grant of a person: roles in the home division (user_roles), and grants in the others. */
export interface GrantSet {
  homeRoleIds: readonly string[];
  elsewhere: readonly DivisionGrant[];
}

export interface GroupMembersChange {
  add: readonly string[];
  remove: readonly string[];
}

/** What a role write did. */
export type RoleWrite = 'written' | 'name-taken' | 'missing';

export interface AdminPort {
  /** Replaces an organization's idle token timeout; returns false when there is no such organization. */
  setIdleTokenTimeout(organizationId: string, timeout: IdleTokenTimeout): Promise<boolean>;
  /**
   * Upserts everything a seed file names, remembers the fields it applied, and ends the access
   * of the users and clients it disables, all in one transaction; a client whose redirect URIs
   * or scopes it changes loses the Allows given to it (consent-port.ts). Returns what it ended.
   */
  applySeed(plan: SeedPlan): Promise<UserAccessEnded>;
  /** The fields a seed last applied to an entity: field name to value (seed plan.ts, AppliedField). */
  findSeedApplied(kind: SeedEntityKind, id: string): Promise<Map<string, string | null>>;

  /**
   * Creates a role or replaces its name and permissions (src/core/admin/roles.ts decides); with
   * `existing`, only replaces one that is still there. `name-taken`: another role of the
   * organization has the name; `missing`: the role was deleted meanwhile.
   */
  saveRole(role: Role, existing?: boolean): Promise<RoleWrite>;
  /**
   * Deletes a role, in one transaction: takes it from every user and client that holds it, then
   * removes it. False when there is no such role.
   */
  deleteRole(id: string): Promise<boolean>;
  /** Gives the role to the people `add` and takes it from the people `remove`, moving each one's version, in one transaction. */
  changeRoleHolders(roleId: string, change: { add: readonly string[]; remove: readonly string[] }, at: number): Promise<boolean>;
  /**
   * Creates a group with its members (users of its organization; an id that is not one is left
   * out), in one transaction. False, with nothing written, when the organization has a group of
   * that name in any letter case.
   */
  insertGroup(group: GroupRecord, memberIds: readonly string[]): Promise<boolean>;
  /**
   * Replaces a group's fields (not its id, organization or version) and, with `memberIds`, its
   * members, in one transaction, and moves its version by one. Conditional: only while its
   * version is `expectedVersion` (null: whatever it is) and no other group of the organization
   * has the new name in any letter case; of racing writers naming the same version, one wins.
   */
  updateGroup(group: GroupRecord, memberIds: readonly string[] | null, expectedVersion: number | null): Promise<GroupWrite>;
  /**
   * Adds and removes members (users of the group's organization only) and moves the group's
   * version by one, in one transaction, on the same condition as {@link updateGroup}.
   */
  changeGroupMembers(groupId: string, change: GroupMembersChange, expectedVersion: number | null, at: number): Promise<GroupWrite>;
  /** Deletes a group and its memberships, in one transaction. False when there is no such group. */
  deleteGroup(id: string): Promise<boolean>;
  /** Replaces an organization's authentication settings; false when there is no such organization. */
  saveAuthSettings(organizationId: string, settings: OrgAuthSettings): Promise<boolean>;

  insertClient(client: Client): Promise<void>;
  /**
   * Sets a client's state; null when there is no such client. Any state but `active` also, in
   * the same transaction, revokes every live token of the client (access and refresh, so its
   * refresh families end) and burns its unredeemed codes: enabling it later brings none back.
   */
  setClientState(id: string, state: ClientState, at: number): Promise<{ revokedTokens: number } | null>;
  /** Replaces a client's secret hash; `by` (a user or client id) becomes its `modifiedBy` when given. */
  setClientSecretHash(id: string, secretHash: string, at: number, by?: string | null): Promise<boolean>;
  /**
   * Replaces what an admin may change of a client (name, description, grant type, scopes,
   * redirect URIs, roles, lifetime, state, pre-authorized flag, modification), never its secret;
   * null when there is no such client. A state but `active` also ends its access in the same
   * transaction, as {@link setClientState} does, and changed redirect URIs or scopes delete the
   * Allows given to it (consent-port.ts).
   */
  updateClient(client: Client): Promise<{ revokedTokens: number } | null>;
  /**
   * Deletes a client, in one transaction: revokes every live token of it (refresh families
   * included), burns its unredeemed codes, removes its row, roles and the Allows given to it,
   * and leaves a tombstone
   * ({@link isClientDeleted}) so that a seed that does not change it does not bring it back.
   * Null when there is no such client.
   */
  deleteClient(id: string, at: number): Promise<{ revokedTokens: number } | null>;
  /** Whether an admin deleted this client (and no seed has written it since). */
  isClientDeleted(id: string): Promise<boolean>;
  /**
   * Revokes every live token of a client; returns how many. Scans the tokens table: there is
   * deliberately no index by client (each index is paid by every issuance).
   */
  revokeClientTokens(clientId: string, at: number): Promise<number>;
  insertUser(user: User): Promise<void>;
  /**
   * Sets a user's state; null when there is no such user. Any state but `active` also, in the
   * same transaction, ends every live sign-in session of the user and revokes every live token:
   * enabling the user later brings none of them back.
   */
  setUserState(id: string, state: UserState, at: number): Promise<UserAccessEnded | null>;
  /**
   * Replaces what the users API changes of a person (name, email and its key, state, kept
   * fields) and moves their version by one, in one transaction, only while their version is
   * `expectedVersion` and no other person of the organization has the email in core's normal
   * form; of racing writers naming the same version, one wins. A state but `active` also ends
   * the person's sign-in sessions and live tokens in that transaction (as setUserState does),
   * and only for the writer that won.
   */
  updateUser(user: UserRecord, expectedVersion: number, at: number): Promise<{ outcome: UserWrite; ended: UserAccessEnded }>;
  /** Replaces a person's roles and moves their version, in one transaction; false when there is no such person. */
  setUserRoles(userId: string, roleIds: readonly string[], at: number): Promise<boolean>;
  /**
   * Replaces every grant of a person (home roles and grants elsewhere) and moves their version,
   * in one transaction, only while their version is `expectedVersion`: of racing writers naming
   * the same version, one wins, the others are `stale`. A grant in a division that is gone by
   * then is not made (a division's delete and a grant in it never both succeed).
   */
  setUserGrants(userId: string, organizationId: string, grants: GrantSet, expectedVersion: number, at: number): Promise<'written' | 'stale' | 'missing'>;
  /** Creates a division (never a home one); false, with nothing written, when the organization has one of that name in core's normal form. */
  insertDivision(division: Division): Promise<boolean>;
  /** Replaces a division's name and description. */
  updateDivision(division: Division): Promise<DivisionWrite>;
  /**
   * Deletes a division, in one transaction, only when it is not the home one and holds no grant
   * and no client's role: else `in-use` and nothing changes.
   */
  deleteDivision(organizationId: string, id: string): Promise<DivisionDelete>;
  /** Replaces a password hash alone (sessions stay): for a rehash, not an admin's reset. */
  setUserPasswordHash(id: string, passwordHash: string, at: number): Promise<boolean>;
  /**
   * An admin's password reset: replaces the hash and, in the same transaction, ends every live
   * sign-in session of the user (their tokens stay). Null when there is no such user.
   */
  resetUserPassword(id: string, passwordHash: string, at: number): Promise<{ endedSessions: number } | null>;
  /** Ends every live sign-in session of a user and revokes every live token, in one transaction. */
  endUserAccess(userId: string, at: number): Promise<UserAccessEnded>;
  /**
   * Ends everyone's access in one transaction: every live token (refresh families included),
   * every sign-in session and every unredeemed authorization code. For a restored backup, which
   * brings back what was revoked after it was taken.
   */
  endAllAccess(at: number): Promise<UserAccessEnded>;
}
