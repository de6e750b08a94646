/** DELETE /api/v2/tokens/{userId}: scope, permission, organization boundary, revocation. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ACCESS_TOKEN_VALIDITY } from '../../src/core/models.js';
import { hashSecret } from '../../src/core/secrets.js';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients, users } from '../helpers/fixture.js';

let t: TestApp;
/** Password-grant apps of Acme whose only scope is the one named. */
const apps: Record<'oauth' | 'oauth:readonly' | 'users:readonly', { id: string; secret: string }> = {} as never;
before(async () => {
  t = await startTestApp();
  for (const scope of ['oauth', 'oauth:readonly', 'users:readonly'] as const) apps[scope] = await passwordApp(scope);
});
after(() => t.close());

async function passwordApp(scope: string): Promise<{ id: string; secret: string }> {
  const app = { id: randomUUID(), secret: `${scope}-app-secret` };
  await t.app.tokend.store.insertClient({
    id: app.id,
    organizationId: ACME,
    name: `App with ${scope}`,
    secretHash: await hashSecret(app.secret),
    authorizedGrantType: 'PASSWORD',
    scope: [scope],
    registeredRedirectUri: [],
    roleDivisions: [],
    accessTokenValiditySeconds: ACCESS_TOKEN_VALIDITY.default,
    state: 'active',
    dateCreated: t.clock.now(),
    dateModified: t.clock.now(),
    createdBy: null,
    modifiedBy: null,
    dateToDelete: null,
  });
  return app;
}

const status = async (token: string) => (await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode;
const deleteUser = (token: string, userId: string) => t.inject({ method: 'DELETE', url: `/api/v2/tokens/${userId}`, headers: bearer(token) });

test('204 and every token of the user fails on the next request', async () => {
  const bob1 = await t.token(clients.passwordApp, users.bob);
  const bob2 = await t.token(clients.readonlyApp, users.bob);
  const alice = await t.token(clients.passwordApp, users.alice);
  assert.equal(await status(bob1), 200);
  const response = await deleteUser(await t.token(clients.admin), users.bob.id);
  assert.equal(response.statusCode, 204);
  assert.equal(response.body, '');
  assert.ok(response.headers['inin-correlation-id']);
  assert.equal(await status(bob1), 401);
  assert.equal(await status(bob2), 401);
  assert.equal(await status(alice), 200, 'other users keep theirs');
  const again = await t.token(clients.passwordApp, users.bob);
  assert.equal(await status(again), 200, 'the user can sign in again');
});

test('a user may revoke their own tokens, including the calling one, through an app with scope oauth', async () => {
  // Signed in through an app of scope oauth: since issue 13 (item 9) the app's scope is enforced too.
  const alice = await t.token(apps.oauth, users.alice);
  assert.equal((await deleteUser(alice, users.alice.id)).statusCode, 204);
  assert.equal(await status(alice), 401);
});

test('without oauth:token:delete: 403 missing.any.permissions naming it, nothing revoked', async () => {
  const bob = await t.token(clients.passwordApp, users.bob);
  const response = await deleteUser(await t.token(clients.plain), users.bob.id);
  assertErrorBody(response, errorBodies.missingAnyPermissions('oauth:token:delete'));
  assert.equal(await status(bob), 200);
  const asBob = await deleteUser(await t.token(apps.oauth, users.bob), users.alice.id);
  assertErrorBody(asBob, errorBodies.missingAnyPermissions('oauth:token:delete'), 'a user without the permission through their roles');
});

test('a wildcard permission (oauth:*:*) grants it', async () => {
  assert.equal((await deleteUser(await t.token(clients.wildcard), users.carol.id)).statusCode, 204);
});

test('a user of another organization, or no such user: 404 not.found', async () => {
  const gina = await t.token(clients.globexPassword, users.gina);
  for (const userId of [users.gina.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    const response = await deleteUser(await t.token(clients.admin), userId);
    assertErrorBody(response, { status: 404, code: 'not.found', message: 'User not found.', entityId: userId }, userId);
  }
  assert.equal(await status(gina), 200);
});

test('a user token of an app without scope oauth: 403 app.not.authorized.for.scope, whatever the user may do', async () => {
  // Alice holds oauth:token:delete; the apps she signed in to were not given the oauth scope.
  for (const app of [apps['users:readonly'], apps['oauth:readonly'], clients.passwordApp, clients.readonlyApp]) {
    const bob = await t.token(clients.passwordApp, users.bob);
    const response = await deleteUser(await t.token(app, users.alice), users.bob.id);
    assertErrorBody(response, errorBodies.scopeNotAuthorized('oauth'), app.id);
    assert.equal(await status(bob), 200, 'nothing revoked');
  }
});

test('the same user through an app with scope oauth: 204; client-credentials tokens carry no scope and need none', async () => {
  const bob = await t.token(clients.passwordApp, users.bob);
  assert.equal((await deleteUser(await t.token(apps.oauth, users.alice), users.bob.id)).statusCode, 204);
  assert.equal(await status(bob), 401);
  const carol = await t.token(clients.passwordApp, users.carol);
  assert.equal((await deleteUser(await t.token(clients.admin), users.carol.id)).statusCode, 204, 'client credentials: roles alone');
  assert.equal(await status(carol), 401);
});
