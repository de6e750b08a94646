/**
 * The Terraform provider's reads of its auth resources, replayed against a listening tokend as
 * its public source makes them through the Go SDK (MyPureCloud/terraform-provider-genesyscloud,
 * platformclientv2 of MyPureCloud/platform-client-sdk-go). Each call must answer 2xx with every
 * field the provider dereferences: a nil pointer there is a provider panic, a missing one a
 * perpetual diff. SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres.
 *
 * The Go SDK sends every int and bool parameter, false included, and leaves out empty strings
 * and nil lists (`authorizationapi.go`, e.g. `GetAuthorizationRoles`: `queryParams["pageSize"]`
 * always, `if str != ""` for strings, `for _, value := range expand` for lists); `apiclient.go`,
 * `CallAPI`, writes them `url.QueryEscape`d in the map's order, which varies (one is replayed).
 * The provider runs with an admin client (here one holding `*`).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk } from '../helpers/genesys-sdk.js';
import { INITECH, initechRoles, people, READAPI_SEED_FILE, services } from '../helpers/readapi-fixture.js';
import { GO_SDK_HEADERS, isArray, isString, type Json, type ToolWire, toolWire } from '../helpers/replay-wire.js';

let t: TestApp;
let origin: string;
let go: ToolWire;
let token: string;
before(async () => {
  t = await startTestApp({ clock: systemClock as never, seedFile: READAPI_SEED_FILE });
  origin = `http://127.0.0.1:${await listenForSdk(t)}`;
  go = toolWire(origin, GO_SDK_HEADERS);
  // `provider.go`, `InitClientConfig`: the Go SDK's AuthorizeClientCredentials.
  token = await go.clientCredentials(services.terraform);
});
after(() => t.close());

/** `util.GetHomeDivisionID` (genesyscloud/util/util_divisions.go): `GetAuthorizationDivisionsHome()`, `*homeDiv.Id`. */
async function homeDivisionId(): Promise<string> {
  const home = await go.ok('/api/v2/authorization/divisions/home', token);
  isString(home.id, '*homeDiv.Id');
  return home.id;
}

/** The paging loops of the exporters' get-all functions: `for pageNum := 2; pageNum <= *listing.PageCount; pageNum++`. */
async function everyPage(path: (pageNumber: number) => string): Promise<Json[]> {
  const first = await go.ok(path(1), token);
  assert.equal(typeof first.pageCount, 'number', `${path(1)}: *PageCount`);
  isArray(first.entities, `${path(1)}: *Entities`);
  const entities = [...first.entities];
  for (let pageNumber = 2; pageNumber <= (first.pageCount as number); pageNumber++) {
    const page = await go.ok(path(pageNumber), token);
    isArray(page.entities, `${path(pageNumber)}: *Entities`);
    entities.push(...page.entities);
  }
  return entities;
}

test('genesyscloud_auth_division_home: dataSourceAuthDivisionHomeRead, GET /authorization/divisions/home', async () => {
  // genesyscloud/data_source_genesyscloud_auth_division_home.go: `d.SetId(*division.Id)`,
  // `d.Set("name", *division.Name)`, Description only when not nil.
  const division = await go.ok('/api/v2/authorization/divisions/home', token);
  isString(division.id, '*division.Id');
  isString(division.name, '*division.Name');
  if (division.description !== undefined) isString(division.description, '*division.Description');
  assert.equal(division.id, (await t.app.tokend.store.findOrganization(INITECH))?.homeDivisionId);
});

test('genesyscloud_auth_role export: getAllAuthRoleFn, GET /authorization/roles?pageNumber=1&pageSize=100&userCount=false', async () => {
  // genesyscloud/auth_role/genesyscloud_auth_role_proxy.go, getAllAuthRoleFn:
  // GetAuthorizationRoles(100, pageNum, "", nil, "", "", "", nil, nil, false, nil); then
  // getAllAuthAuthRoles (resource_genesyscloud_auth_role.go): `*role.Id`, `*role.Name`.
  const roles = await everyPage((n) => `/api/v2/authorization/roles?pageNumber=${n}&pageSize=100&userCount=false`);
  for (const role of roles) {
    isString(role.id, '*role.Id');
    isString(role.name, '*role.Name');
  }
  assert.deepEqual(roles.map((role) => role.id).sort(), Object.values(initechRoles).sort());
});

test('genesyscloud_auth_role: readAuthRole, GET /authorization/roles/{roleId}?userCount=false', async () => {
  // getAuthRoleByIdFn: GetAuthorizationRole(id, false, nil). readAuthRole: `*role.Name`;
  // Description and DefaultRoleId nillable; Permissions and PermissionPolicies when not nil,
  // flattenRolePermissionPolicies (resource_genesyscloud_auth_role_utils.go) reading each
  // policy's Domain, EntityName, ActionSet when not nil.
  for (const roleId of [initechRoles.everything, initechRoles.clientKeeper, initechRoles.nothing]) {
    const role = await go.ok(`/api/v2/authorization/roles/${roleId}?userCount=false`, token);
    isString(role.name, '*role.Name');
    for (const field of ['description', 'defaultRoleId'] as const) if (role[field] !== undefined) isString(role[field], `role.${field}`);
    isArray(role.permissions, 'role.Permissions');
    assert.ok(role.permissions.every((permission) => typeof permission === 'string'));
    isArray(role.permissionPolicies, 'role.PermissionPolicies');
    for (const policy of role.permissionPolicies) {
      isString(policy.domain, '*sdkPolicy.Domain');
      isString(policy.entityName, '*sdkPolicy.EntityName');
      isArray(policy.actionSet, '*sdkPolicy.ActionSet');
    }
  }
});

test("genesyscloud_auth_role create's check: validatePermissionPolicy, GET /authorization/permissions?pageNumber=1&pageSize=100&query=oauth&queryType=domain", async () => {
  // getAllowedPermissionsFn: GetAuthorizationPermissions(100, pageNum, "domain", domain);
  // `*permissions.PageCount`, `*permission.PermissionMap`, then `*entityPermission.Action`.
  const permissions = await everyPage((n) => `/api/v2/authorization/permissions?pageNumber=${n}&pageSize=100&query=oauth&queryType=domain`);
  assert.ok(permissions.length > 0, 'an empty map is "domain oauth not found"');
  for (const permission of permissions) {
    const map = permission.permissionMap as Record<string, Json[]> | undefined;
    assert.ok(map !== undefined && typeof map === 'object', '*permission.PermissionMap');
    for (const entityPermissions of Object.values(map))
      for (const entityPermission of entityPermissions) isString(entityPermission.action, '*entityPermission.Action');
  }
  const clientActions = permissions.flatMap((permission) => (permission.permissionMap as Record<string, Json[]>).client ?? []).map((p) => p.action);
  assert.ok(clientActions.includes('view'), `oauth client view: ${JSON.stringify(clientActions)}`);
});

test('genesyscloud_auth_division export: getAllAuthDivisionFn, GET /authorization/divisions?objectCount=false&pageNumber=1&pageSize=100', async () => {
  // genesyscloud/auth_division/genesyscloud_auth_division_proxy.go, getAllAuthDivisionFn:
  // GetAuthorizationDivisions(100, pageNum, "", nil, "", "", false, nil, name) with name "";
  // getAllAuthDivisions: `*division.Id`, `*division.Name`.
  const divisions = await everyPage((n) => `/api/v2/authorization/divisions?objectCount=false&pageNumber=${n}&pageSize=100`);
  for (const division of divisions) {
    isString(division.id, '*division.Id');
    isString(division.name, '*division.Name');
  }
  const homeId = await homeDivisionId();
  assert.ok(
    divisions.some((division) => division.id === homeId),
    'the home division is exported',
  );
});

test('genesyscloud_auth_division: readAuthDivision, GET /authorization/divisions/{divisionId}?objectCount=false', async () => {
  // resource_genesyscloud_auth_division.go, readAuthDivision: getAuthDivisionById(id, false, true)
  // is GetAuthorizationDivision(id, false) on a cache miss; `*division.Name`, Description and
  // HomeDivision nillable. A home division in Terraform is `home = true` (createAuthDivision
  // takes its id from util.GetHomeDivisionID and reads it back).
  const divisionId = await homeDivisionId();
  const division = await go.ok(`/api/v2/authorization/divisions/${divisionId}?objectCount=false`, token);
  isString(division.name, '*division.Name');
  if (division.description !== undefined) isString(division.description, 'division.Description');
  assert.equal(division.homeDivision, true, 'd.Set("home", division.HomeDivision)');
  assert.equal(division.id, divisionId);
});

test('genesyscloud_user_roles: readUserRoles, GET /authorization/subjects/{userId}?includeDuplicates=true', async () => {
  // genesyscloud/user_roles/genesyscloud_user_roles_proxy.go, getAssignedGrants:
  // GetAuthorizationSubject(userId, true); grants kept where `*grant.SubjectId == userId`;
  // flattenSubjectRoles (resource_genesyscloud_user_roles_utils.go): `*grant.Role.Id`,
  // `*grant.Division.Id`, and util.GetHomeDivisionID.
  const divisionId = await homeDivisionId();
  const subject = await go.ok(`/api/v2/authorization/subjects/${people.rita.id}?includeDuplicates=true`, token);
  isArray(subject.grants, 'subject.Grants');
  const own = subject.grants.filter((grant) => grant.subjectId === people.rita.id);
  const pairs = own.map((grant) => {
    const role = grant.role as Json | undefined;
    const division = grant.division as Json | undefined;
    isString(role?.id, '*grant.Role.Id');
    isString(division?.id, '*grant.Division.Id');
    return [role.id, division.id];
  });
  assert.deepEqual(pairs, [[initechRoles.roleViewer, divisionId]], 'Rita holds Role viewer in the home division');
});

test('genesyscloud_oauth_client export: getAllOauthClientsFn, GET /oauth/clients', async () => {
  // genesyscloud/oauth_client/resource_genesyscloud_oauth_client_proxy.go, getAllOauthClientsFn:
  // GetOauthClients() (no parameter), `*firstPage.Entities`, `*firstPage.PageCount` (its loop
  // asks the same first page again, so every client must be on it); getAllOAuthClients:
  // `*client.Id`, `*client.Name`, State when not nil.
  const listing = await go.ok('/api/v2/oauth/clients', token);
  isArray(listing.entities, '*firstPage.Entities');
  assert.equal(listing.pageCount, 1, '*firstPage.PageCount: one page holds them all');
  assert.equal(listing.entities.length, listing.total);
  for (const client of listing.entities) {
    isString(client.id, '*client.Id');
    isString(client.name, '*client.Name');
    if (client.state !== undefined) isString(client.state, 'client.State');
  }
  assert.ok(listing.entities.some((client) => client.id === services.terraform.id));
});

test('genesyscloud_oauth_client: readOAuthClient, GET /oauth/clients/{clientId}', async () => {
  // resource_genesyscloud_oauth_client.go, readOAuthClient: getOAuthClientFn is
  // GetOauthClient(id); Name, Description, AccessTokenValiditySeconds, AuthorizedGrantType,
  // State nillable; RegisteredRedirectUri, Scope, RoleDivisions when not nil, and
  // flattenOAuthRoles (resource_genesyscloud_oauth_client_utils.go) each RoleId, DivisionId.
  const divisionId = await homeDivisionId();
  for (const { id } of [services.roles, services.fullApp]) {
    const client = await go.ok(`/api/v2/oauth/clients/${id}`, token);
    isString(client.name, 'client.Name');
    assert.equal(typeof client.accessTokenValiditySeconds, 'number', 'client.AccessTokenValiditySeconds');
    isString(client.authorizedGrantType, 'client.AuthorizedGrantType');
    isString(client.state, 'client.State');
    for (const field of ['registeredRedirectUri', 'scope'] as const) {
      if (client[field] !== undefined) isArray(client[field], `client.${field}`);
    }
    if (client.roleDivisions !== undefined) {
      isArray(client.roleDivisions, 'client.RoleDivisions');
      for (const pair of client.roleDivisions) assert.deepEqual([typeof pair.roleId, pair.divisionId], ['string', divisionId]);
    }
  }
  const service = await go.ok(`/api/v2/oauth/clients/${services.roles.id}`, token);
  assert.deepEqual(service.roleDivisions, [{ roleId: initechRoles.roleViewer, divisionId }]);
});

test("genesyscloud_oauth_client create's first read: updateTerraformUserWithRole, GET /tokens/me?preserveIdleTTL=false", async () => {
  // getParentOAuthClientTokenFn: GetTokensMe(false); updateTerraformUserWithRole dereferences
  // `*tokenInfo.OAuthClient.Organization.Id` (not "purecloud-builtin": a client-credentials run,
  // so it stops there).
  const info = await go.ok('/api/v2/tokens/me?preserveIdleTTL=false', token);
  const client = info.OAuthClient as Json | undefined;
  const organization = client?.organization as Json | undefined;
  isString(organization?.id, '*tokenInfo.OAuthClient.Organization.Id');
  assert.equal(organization.id, INITECH);
  assert.equal(client?.id, services.terraform.id);
});

test('genesyscloud_oauth_client export past 25 clients: GetOauthClients() holds every one on its one page', async () => {
  // getAllOauthClientsFn asks GetOauthClients() again (no page number) for pages 2..PageCount: a
  // client only a second page held would never be exported. Last: it adds clients.
  const listed = await go.ok('/api/v2/oauth/clients', token);
  for (let i = listed.total as number; i <= 26; i++) {
    const created = await fetch(`${origin}/api/v2/oauth/clients`, {
      method: 'POST',
      headers: { ...GO_SDK_HEADERS, authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: `Exported ${String(i).padStart(2, '0')}`, authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [] }),
    });
    assert.equal(created.status, 200, await created.text());
  }
  const listing = await go.ok('/api/v2/oauth/clients', token);
  isArray(listing.entities, '*firstPage.Entities');
  assert.equal(listing.total, 27);
  assert.deepEqual([listing.entities.length, listing.pageCount], [27, 1]);
});
