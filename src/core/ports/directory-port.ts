/**
 * Reading the directory: organizations, clients, users, roles and groups. Implemented by
 * `src/store`; written through the admin port (admin-port.ts).
 */
import type { Client, Division, GroupRecord, OrgAuthSettings, Organization, Role, User, UserRecord, UserState } from '../models.js';

/** One page of an organization's people (the users API's listing), by name in core's normal form, then id. */
export interface UserPageQuery {
  organizationId: string;
  /** Only people of this state, or of any. */
  state: UserState | 'any';
  /** Only these ids (at most a page of them), or every person. */
  ids: readonly string[] | null;
  descending: boolean;
  offset: number;
  limit: number;
}

/** When a person last signed in and last got a token, where the store still holds a trace of it (milliseconds; null: none kept). */
export interface SignInTrace {
  lastLogin: number | null;
  lastTokenIssued: number | null;
}

export interface DirectoryPort {
  findOrganization(id: string): Promise<Organization | null>;
  /** By name in core's normal form (normal-form.ts: any letter case, fullwidth or not), the sign-in page's organization field. */
  findOrganizationByName(name: string): Promise<Organization | null>;
  findClient(id: string): Promise<Client | null>;
  findUser(id: string): Promise<UserRecord | null>;
  /** By email in core's normal form (normal-form.ts); the store keeps that form in a column of its own, unique per organization, and never folds case itself. */
  findUserByEmail(organizationId: string, email: string): Promise<UserRecord | null>;
  /**
   * One page of an organization's people and how many match, read from an index in its order
   * (never sorted in memory: a page of 10,000 people answers in milliseconds).
   */
  listUsersPage(query: UserPageQuery): Promise<{ users: UserRecord[]; total: number }>;
  /** Every person of the organization with their role and group ids, in no order (the users search filters them in core). */
  listOrganizationUsers(organizationId: string): Promise<UserRecord[]>;
  /**
   * Each person's last sign-in (a browser session or a password grant) and last access token,
   * read from the sessions and tokens the store still holds (purged ones leave no trace).
   */
  signInTraces(userIds: readonly string[]): Promise<Map<string, SignInTrace>>;
  findRoles(ids: readonly string[]): Promise<Role[]>;
  /** An organization's roles by name, so the admin command line can resolve `--role` names. */
  listRoles(organizationId: string): Promise<Role[]>;
  /** An organization's groups, by name. */
  listGroups(organizationId: string): Promise<GroupRecord[]>;
  findGroup(id: string): Promise<GroupRecord | null>;
  /** How many members each of these groups has (a group with none is absent). */
  countGroupMembers(groupIds: readonly string[]): Promise<Map<string, number>>;
  /** The ids of a group's members, sorted. */
  listGroupMemberIds(groupId: string): Promise<string[]>;
  /** One page of a group's members, by name then id (or the reverse). */
  listGroupMembersPage(groupId: string, offset: number, limit: number, descending: boolean): Promise<User[]>;
  /** Which of `ids` are users of the organization. */
  existingUserIds(organizationId: string, ids: readonly string[]): Promise<string[]>;
  /** The organization's divisions, by name in core's normal form (the home one among them). */
  listDivisions(organizationId: string): Promise<Division[]>;
  findDivision(organizationId: string, id: string): Promise<Division | null>;
  /** What a division holds: grants of people, and clients' roles in it. */
  divisionUse(organizationId: string, id: string): Promise<{ grants: number; clientRoles: number }>;
  /** The organization's authentication settings as last stored; null where none were (the defaults apply). */
  findAuthSettings(organizationId: string): Promise<OrgAuthSettings | null>;
  listClients(organizationId?: string): Promise<Client[]>;
  /** Every organization, by name: the admin command line's `orgs list`. */
  listOrganizations(): Promise<Organization[]>;
  /** Users (with their role and group ids), of one organization or all, by organization and email: `users list`. */
  listUsers(organizationId?: string): Promise<User[]>;
}
