/**
 * Reading the directory: organizations, clients, users, roles and groups. Implemented by
 * `src/store`; written through the admin port (admin-port.ts).
 */
import type { Client, GroupRecord, OrgAuthSettings, Organization, Role, User } from '../models.js';

export interface DirectoryPort {
  findOrganization(id: string): Promise<Organization | null>;
  /** By name in core's normal form (normal-form.ts: any letter case, fullwidth or not), the sign-in page's organization field. */
  findOrganizationByName(name: string): Promise<Organization | null>;
  findClient(id: string): Promise<Client | null>;
  findUser(id: string): Promise<User | null>;
  /** By email in core's normal form (normal-form.ts); the store keeps that form in a column of its own, unique per organization, and never folds case itself. */
  findUserByEmail(organizationId: string, email: string): Promise<User | null>;
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
  /** The organization's authentication settings as last stored; null where none were (the defaults apply). */
  findAuthSettings(organizationId: string): Promise<OrgAuthSettings | null>;
  listClients(organizationId?: string): Promise<Client[]>;
  /** Every organization, by name: the admin command line's `orgs list`. */
  listOrganizations(): Promise<Organization[]>;
  /** Users (with their role and group ids), of one organization or all, by organization and email: `users list`. */
  listUsers(organizationId?: string): Promise<User[]>;
}
