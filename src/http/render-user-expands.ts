/**
 * The fields the `expand` values add to a `User` or `UserMe` (core/user-expand.ts lists which
 * operation accepts which). The identity plane is tokend's own data: roles and permissions,
 * groups, the last sign-in and token, the organization. Values of domains tokend does not run are
 * what Genesys shows for a person who never used a Genesys client app: presence Offline, routing
 * status OFF_QUEUE, no conversation, not out of office, no station, empty lists; values such a
 * person has none of (team, work plan bid ranks, language preference, welcome email) are left
 * out. docs/api.md, "Expands", lists each.
 */
import type { GroupRecord, Organization, Role, UserRecord } from '../core/models.js';
import { permissionPolicies } from '../core/permission-policies.js';
import type { SignInTrace } from '../core/ports/directory-port.js';
import type { UserExpand } from '../core/user-expand.js';
import { renderRole } from './render-directory.js';

/** What rendering the expands of some people needs, read once for all of them (user-views.ts). */
export interface ExpandData {
  organization: Organization;
  roles: ReadonlyMap<string, Role>;
  /** The groups the caller may see, by id. */
  groups: ReadonlyMap<string, GroupRecord>;
  traces: ReadonlyMap<string, SignInTrace>;
}

const iso = (ms: number) => new Date(ms).toISOString();
const NO_MEDIA = { contactCenter: { active: 0, acw: 0 }, enterprise: { active: 0, acw: 0 } };
const OFFLINE = { source: 'PURECLOUD', primary: true, presenceDefinition: { systemPresence: 'Offline' } };

/** `UserAuthorization` of a person: their roles, the permissions those grant, and the same as policies. */
export function renderUserAuthorization(roles: readonly Role[], withUnused = false) {
  const permissions = [...new Set(roles.flatMap((role) => role.permissions))].sort();
  return {
    roles: roles.map((role) => ({ id: role.id, name: role.name })),
    // Genesys lists roles granted but never used; tokend does not track use: none.
    ...(withUnused ? { unusedRoles: [] } : {}),
    permissions,
    permissionPolicies: permissionPolicies(permissions),
  };
}

/** The fields `expands` add to `user`'s `User`. */
export function renderUserExpands(user: UserRecord, expands: ReadonlySet<UserExpand>, data: ExpandData): Record<string, unknown> {
  const has = (value: UserExpand) => expands.has(value);
  const roles = () => user.roleIds.flatMap((id) => data.roles.get(id) ?? []);
  const trace = data.traces.get(user.id);
  const fields: Record<string, unknown> = {};
  if (has('routingStatus')) fields.routingStatus = { userId: user.id, status: 'OFF_QUEUE' };
  if (has('presence')) fields.presence = OFFLINE;
  if (has('integrationPresence')) fields.integrationPresence = OFFLINE;
  if (has('conversationSummary')) {
    fields.conversationSummary = {
      userId: user.id,
      ...Object.fromEntries(['call', 'callback', 'email', 'message', 'chat', 'socialExpression', 'video'].map((media) => [media, NO_MEDIA])),
    };
  }
  if (has('outOfOffice')) fields.outOfOffice = { user: { id: user.id, selfUri: `/api/v2/users/${user.id}` }, active: false, indefinite: false };
  if (has('geolocation')) fields.geolocation = {};
  if (has('station')) fields.station = {};
  if (has('authorization') || has('authorization.unusedRoles')) fields.authorization = renderUserAuthorization(roles(), has('authorization.unusedRoles'));
  for (const list of ['profileSkills', 'certifications', 'locations', 'skills', 'languages'] as const) if (has(list)) fields[list] = [];
  if (has('groups')) {
    fields.groups = user.groupIds.flatMap((id) => {
      const group = data.groups.get(id);
      return group ? [{ id: group.id, name: group.name, selfUri: `/api/v2/groups/${group.id}` }] : [];
    });
  }
  if (has('employerInfo')) fields.employerInfo = {};
  if (has('biography')) fields.biography = {};
  if (has('lasttokenissued')) fields.lastTokenIssued = trace?.lastTokenIssued ? { dateIssued: iso(trace.lastTokenIssued) } : {};
  if (has('dateLastLogin') && trace?.lastLogin) fields.dateLastLogin = iso(trace.lastLogin);
  return fields;
}

/** The fields only `UserMe` has: the signed-in person's organization around them. */
export function renderUserMeExpands(user: UserRecord, expands: ReadonlySet<UserExpand>, data: ExpandData, now: number): Record<string, unknown> {
  const has = (value: UserExpand) => expands.has(value);
  const fields: Record<string, unknown> = {};
  if (has('date')) fields.date = { currentDate: iso(now) };
  if (has('geolocationsettings')) fields.geolocationSettings = { enabled: false };
  for (const [value, field] of [
    ['presencedefinitions', 'presenceDefinitions'],
    ['divisionedpresencedefinitions', 'divisionedPresenceDefinitions'],
    ['locationdefinitions', 'locationDefinitions'],
    ['orgproducts', 'orgProducts'],
    ['favorites', 'favorites'],
    ['superiors', 'superiors'],
    ['directreports', 'directReports'],
    ['routingskills', 'routingSkills'],
    ['trustors', 'trustors'],
  ] as const) {
    if (has(value)) fields[field] = [];
  }
  if (has('orgauthorization')) fields.orgAuthorization = user.roleIds.flatMap((id) => data.roles.get(id) ?? []).map((role) => renderRole(role));
  if (has('adjacents')) fields.adjacents = { superiors: [], siblings: [], directReports: [] };
  if (has('fieldconfigs')) fields.fieldConfigs = {};
  return fields;
}
