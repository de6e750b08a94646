/** DELETE /api/v2/tokens/{userId}: permission, organization boundary, revocation. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

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

test('a user may revoke their own tokens, including the calling one', async () => {
  const alice = await t.token(clients.passwordApp, users.alice);
  assert.equal((await deleteUser(alice, users.alice.id)).statusCode, 204);
  assert.equal(await status(alice), 401);
});

test('without oauth:token:delete: 403 missing.any.permissions naming it, nothing revoked', async () => {
  const bob = await t.token(clients.passwordApp, users.bob);
  const response = await deleteUser(await t.token(clients.plain), users.bob.id);
  assert.equal(response.statusCode, 403);
  const body = response.json();
  assert.equal(body.code, 'missing.any.permissions');
  assert.equal(body.status, 403);
  assert.equal(body.message, 'Unable to perform the requested action. You must have at least one of the following permissions assigned: oauth:token:delete');
  assert.equal(body.messageWithParams, 'Unable to perform the requested action. You must have at least one of the following permissions assigned: {permissions}');
  assert.deepEqual(body.messageParams, { permissions: 'oauth:token:delete' });
  assert.equal(body.contextId, response.headers['inin-correlation-id']);
  assert.equal(await status(bob), 200);
  const asBob = await deleteUser(bob, users.alice.id);
  assert.equal(asBob.statusCode, 403, 'a user without the permission through their roles');
});

test('a wildcard permission (oauth:*:*) grants it', async () => {
  assert.equal((await deleteUser(await t.token(clients.wildcard), users.carol.id)).statusCode, 204);
});

test('a user of another organization, or no such user: 404 not.found', async () => {
  const gina = await t.token(clients.globexPassword, users.gina);
  for (const userId of [users.gina.id, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
    const response = await deleteUser(await t.token(clients.admin), userId);
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'not.found');
  }
  assert.equal(await status(gina), 200);
});
