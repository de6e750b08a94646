/**
 * Scopes and permissions without HTTP (src/core/scopes.ts, known-scopes.ts, permissions.ts,
 * permission-policies.ts): what a user token of a client may carry, what a principal may do with
 * its scopes and with the permissions of its roles, and the typed refusals, exactly.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Principal } from '../../src/core/principal.js';
import { isKnownScope, KNOWN_SCOPES } from '../../src/core/known-scopes.js';
import type { TokenRecord } from '../../src/core/models.js';
import { permissionPolicies } from '../../src/core/permission-policies.js';
import { OPERATIONS } from '../../src/core/operations/table.js';
import { scopesAdmit } from '../../src/core/operations/operation.js';
import { permissionMatches, permissionsOf, permissionsScopesReach, satisfies } from '../../src/core/permissions.js';
import { ALWAYS_GRANTED_SCOPE, grantedScopes } from '../../src/core/scopes.js';
import { type Core, oauthErrorOf, openCore, storedToken } from '../helpers/core-services.js';
import { clientOf, T0, world, type World } from '../store/fixtures.js';
import { authenticate } from '../helpers/authenticate.js';

let core: Core;
let w: World;
let foreignRoleId: string;
before(async () => {
  core = await openCore('tokend-scopes-permissions-');
  core.clock.set(T0);
  w = world();
  w.role.permissions = ['oauth:client:view', 'directory:*:edit'];
  const other = world();
  foreignRoleId = other.role.id;
  other.role.permissions = ['*'];
  // A role of another organization named by this one's user and client grants nothing here.
  w.user.roleIds.push(foreignRoleId);
  w.client.roleDivisions.push({ roleId: foreignRoleId, divisionId: w.organization.homeDivisionId });
  await core.store.applySeed(other.plan);
  await core.store.applySeed(w.plan);
});
after(() => core.close());

const principalOf = async (overrides: Partial<TokenRecord> = {}): Promise<Principal> =>
  authenticate(core.services.authenticator, await storedToken(core.store, w, overrides));
test("grantedScopes: the client's scopes and user-basic-info; a request narrows them; a scope not allowed is invalid_scope", () => {
  const client = clientOf('org', { authorizedGrantType: 'CODE', scope: ['oauth', 'user-basic-info', 'authorization:readonly'] });
  assert.deepEqual(grantedScopes(client, undefined), ['oauth', 'user-basic-info', 'authorization:readonly']);
  assert.deepEqual(grantedScopes(client, '   '), ['oauth', 'user-basic-info', 'authorization:readonly']);
  assert.deepEqual(grantedScopes(clientOf('org'), undefined), [ALWAYS_GRANTED_SCOPE], 'always granted, even to a client of no scope');
  assert.deepEqual(grantedScopes(client, ' authorization:readonly  oauth oauth'), ['authorization:readonly', 'oauth', 'user-basic-info']);
  assert.deepEqual(grantedScopes(clientOf('org'), 'user-basic-info'), ['user-basic-info']);
  assert.throws(
    () => grantedScopes(client, 'oauth authorization organization'),
    oauthErrorOf(400, 'invalid_scope', 'scope not allowed for this client: authorization organization'),
  );
});

test("scopesAdmit: a token carrying one of the operation's scopes; :readonly only where the table lists it (reads)", () => {
  const scopes = ['oauth', 'authorization:readonly'];
  assert.equal(scopesAdmit(OPERATIONS.deleteToken, scopes), true);
  assert.equal(scopesAdmit(OPERATIONS.getTokensMe, []), true, 'user-basic-info admits every user token');
  assert.equal(scopesAdmit(OPERATIONS.getAuthorizationRoles, scopes), true, 'read only');
  assert.equal(scopesAdmit(OPERATIONS.putTokensTimeout, scopes), false, 'a write needs the scope itself');
  assert.equal(scopesAdmit(OPERATIONS.getOrganizationsMe, scopes), false);
  assert.equal(scopesAdmit(OPERATIONS.deleteOauthClient, ['oauth:readonly']), false);
});

test('permissionsScopesReach: what the operations a scope list admits require; nothing for user-basic-info alone', () => {
  assert.deepEqual(permissionsScopesReach(['oauth']), [
    'oauth:client:add',
    'oauth:client:delete',
    'oauth:client:edit',
    'oauth:client:view',
    'oauth:token:delete',
  ]);
  assert.deepEqual(permissionsScopesReach(['oauth:readonly']), ['oauth:client:view']);
  assert.deepEqual(permissionsScopesReach(['authorization']), [
    'authorization:grant:add',
    'authorization:grant:view',
    'authorization:role:view',
    'directory:organization:admin',
  ]);
  assert.deepEqual(permissionsScopesReach(['users:readonly']), ['directory:user:view']);
  assert.deepEqual(permissionsScopesReach(['user-basic-info']), []);
});

test("Permissions.grantable: a user token's permissions narrowed by its scopes; a client-credentials token's as they are", async () => {
  const { permissions } = core.services;
  assert.deepEqual(await permissions.grantable(await principalOf({ scopes: ['oauth', 'authorization'] })), ['oauth:client:view']);
  assert.deepEqual(await permissions.grantable(await principalOf({ scopes: ['authorization:readonly'] })), []);
  assert.deepEqual(await permissions.grantable(await principalOf({ userId: null, grantType: 'client_credentials', scopes: [] })), [
    'oauth:client:view',
    'directory:*:edit',
  ]);
});

test('known scopes: each family with its read-only variant, user-basic-info without one', () => {
  assert.deepEqual(
    KNOWN_SCOPES.map((scope) => scope.id),
    [
      'user-basic-info',
      'organization',
      'organization:readonly',
      'users',
      'users:readonly',
      'groups',
      'groups:readonly',
      'authorization',
      'authorization:readonly',
      'identity-providers',
      'identity-providers:readonly',
      'oauth',
      'oauth:readonly',
    ],
  );
  for (const scope of KNOWN_SCOPES) assert.ok(scope.description.length > 0, scope.id);
  assert.equal(isKnownScope('oauth:readonly'), true);
  for (const unknown of ['user-basic-info:readonly', 'user', 'OAuth', '']) assert.equal(isKnownScope(unknown), false, unknown);
});

test('permissionMatches: equal, or * in a part, or * alone; never across a different number of parts', () => {
  const cases: Array<[string, string, boolean]> = [
    ['oauth:token:delete', 'oauth:token:delete', true],
    ['oauth:*:*', 'oauth:token:delete', true],
    ['oauth:token:*', 'oauth:token:delete', true],
    ['*:*:delete', 'oauth:token:delete', true],
    ['*', 'oauth:token:delete', true],
    ['oauth:token:view', 'oauth:token:delete', false],
    ['oauth:*', 'oauth:token:delete', false],
    ['oauth', 'oauth:token:delete', false],
    ['authorization:*:*', 'oauth:token:delete', false],
    ['oauth:token:delete', 'oauth:*:*', false],
  ];
  for (const [granted, wanted, matches] of cases) assert.equal(permissionMatches(granted, wanted), matches, `${granted} ~ ${wanted}`);
});

test("permissionsOf: a user's roles, a client-credentials client's roleDivisions, of the principal's organization only", async () => {
  assert.deepEqual(await permissionsOf(core.store, await principalOf()), ['oauth:client:view', 'directory:*:edit']);
  assert.deepEqual(await permissionsOf(core.store, await principalOf({ userId: null, grantType: 'client_credentials' })), [
    'oauth:client:view',
    'directory:*:edit',
  ]);
});

test('satisfies: ANY needs one of the wanted, ALL every one; wildcards grant', async () => {
  const granted = await permissionsOf(core.store, await principalOf());
  assert.equal(satisfies(granted, { any: ['oauth:token:delete', 'oauth:client:view'] }), true);
  assert.equal(satisfies(granted, { any: ['directory:user:edit'] }), true);
  assert.equal(satisfies(granted, { any: ['oauth:token:delete', 'directory:organization:admin'] }), false);
  assert.equal(satisfies(granted, { all: ['oauth:client:view', 'directory:user:edit'] }), true);
  assert.equal(satisfies(granted, { all: ['oauth:client:view', 'oauth:token:delete'] }), false);
});

test('permission policies: two-part permissions keep an empty action; * alone is every part', () => {
  assert.deepEqual(permissionPolicies(['oauth:client', 'oauth:client:view', 'directory:*:edit', '*']), [
    { domain: 'oauth', entityName: 'client', actionSet: ['', 'view'] },
    { domain: 'directory', entityName: '*', actionSet: ['edit'] },
    { domain: '*', entityName: '*', actionSet: ['*'] },
  ]);
});
