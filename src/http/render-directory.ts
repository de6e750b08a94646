/**
 * Domain to wire for the control plane's reads: an organization, its home division, a person,
 * a role, as the official SDK's models spell them. Where Genesys has a field and tokend has
 * no such notion, the value is fixed (docs/api.md, "The control plane: reads").
 */
import type { GroupRecord, Organization, Role, User, UserRecord } from '../core/models.js';
import { labelledPolicies } from '../core/admin/role-policies.js';
import { organizationFields } from '../core/admin/organization.js';

/** The version of a record written before versions were kept; a Genesys client only echoes it back. */
const FIXED_VERSION = 1;
/** Genesys names every organization's home division "Home". */
export const HOME_DIVISION_NAME = 'Home';

/** The SDK's Organization: what tokend keeps, and the fields it fixes (core/admin/organization.ts). */
export function renderOrganization(organization: Organization) {
  return { ...organizationFields(organization), selfUri: `/api/v2/organizations/${organization.id}` };
}

const divisionUri = (id: string) => `/api/v2/authorization/divisions/${id}`;

/** The `Division` reference a user carries: the organization's home division. */
export function renderDivisionRef(organization: Organization) {
  return { id: organization.homeDivisionId, name: HOME_DIVISION_NAME, selfUri: divisionUri(organization.homeDivisionId) };
}

/**
 * A person as the SDK's `User` without its expands: the one rendering of a user that the users
 * API, the listings (a group's members) and `/users/me` share, so that what is shown of a person
 * grows in one place. A user of tokend belongs to one organization and its home division; the
 * fields it keeps only to answer back (department, title, ...) are shown as given.
 */
export function renderUser(user: User | UserRecord, organization: Organization) {
  const record = 'version' in user ? user : null;
  const details = record?.details ?? {};
  return {
    id: user.id,
    name: user.name,
    division: renderDivisionRef(organization),
    email: user.email,
    ...(details.department === undefined ? {} : { department: details.department }),
    ...(details.title === undefined ? {} : { title: details.title }),
    ...(details.preferredName === undefined ? {} : { preferredName: details.preferredName }),
    ...(details.addresses === undefined ? {} : { addresses: details.addresses }),
    state: user.state,
    // Genesys signs people in by email: their username is their email.
    username: user.email,
    version: record?.version ?? FIXED_VERSION,
    selfUri: `/api/v2/users/${user.id}`,
  };
}

/** `UserMe` without its expands. */
export const renderUserMe = renderUser;

/** What a role's reader asked for besides the role: how many people hold it, and its unused permissions. */
export interface RoleExtras {
  userCount?: number;
  unusedPermissions?: readonly string[];
}

export function renderRole(role: Role, asked: RoleExtras = {}) {
  return {
    id: role.id,
    name: role.name,
    ...(role.details?.description === undefined ? {} : { description: role.details.description }),
    ...(role.details?.defaultRoleId === undefined ? {} : { defaultRoleId: role.details.defaultRoleId }),
    permissions: role.permissions,
    permissionPolicies: labelledPolicies(role.permissions, role.details?.policyLabels),
    ...(asked.userCount === undefined ? {} : { userCount: asked.userCount }),
    ...(asked.unusedPermissions === undefined ? {} : { unusedPermissions: asked.unusedPermissions }),
    // Genesys marks the roles it ships as default; every role of tokend is the organization's own.
    default: false,
    selfUri: `/api/v2/authorization/roles/${role.id}`,
  };
}

/**
 * A group as the SDK's `Group`. `owners` are references (id and selfUri); `rolesEnabled` and
 * `callsEnabled` are true and `includeOwners` false where never set (Genesys's defaults; tokend
 * grants no role through a group and places no call).
 */
export function renderGroup(group: GroupRecord, memberCount: number) {
  const { details } = group;
  return {
    id: group.id,
    name: group.name,
    ...(group.description === null ? {} : { description: group.description }),
    ...(group.dateModified === null ? {} : { dateModified: new Date(group.dateModified).toISOString() }),
    memberCount,
    state: group.state,
    version: group.version,
    type: group.type,
    ...(details.images === undefined ? {} : { images: details.images }),
    ...(details.addresses === undefined ? {} : { addresses: details.addresses }),
    rulesVisible: group.rulesVisible,
    visibility: group.visibility,
    rolesEnabled: details.rolesEnabled ?? true,
    includeOwners: details.includeOwners ?? false,
    callsEnabled: details.callsEnabled ?? true,
    ...(details.email === undefined ? {} : { email: details.email }),
    owners: (details.ownerIds ?? []).map((id) => ({ id, selfUri: `/api/v2/users/${id}` })),
    selfUri: `/api/v2/groups/${group.id}`,
  };
}
