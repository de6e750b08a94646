/**
 * What a user token may hand on is its person's permissions narrowed by its scopes (CONTRACT.md,
 * "Control plane"): the permissions required by the operations its scopes admit, read from the
 * table of operations. A token limited to `oauth` can neither change the idle timeout nor make
 * a client that can; a client-credentials token hands on what its roles hold.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';

const SEED = fileURLToPath(new URL('../../../test/fixtures/scoped-grants-seed.json', import.meta.url));
const ROLES = {
  everything: '66666666-0000-4000-8000-00000000a001',
  clientKeeper: '66666666-0000-4000-8000-00000000a002',
  timeoutKeeper: '66666666-0000-4000-8000-00000000a003',
};
const alice = { email: 'alice@umbrella.test', password: 'alice-password' };
const oauthApp = { id: '66666666-0000-4000-8000-00000000d001', secret: 'umbrella-oauth-app-secret' };
const adminApp = { id: '66666666-0000-4000-8000-00000000d002', secret: 'umbrella-admin-app-secret' };
const rootService = { id: '66666666-0000-4000-8000-00000000d003', secret: 'umbrella-root-service-secret' };

let t: TestApp;
let division: string;
before(async () => {
  t = await startTestApp({ seedFile: SEED });
  const home = await t.inject({ method: 'GET', url: '/api/v2/authorization/divisions/home', headers: bearer(await t.token(rootService)) });
  division = home.json().id;
});
after(() => t.close());

function createClient(token: string, roleId: string) {
  return t.inject({
    method: 'POST',
    url: '/api/v2/oauth/clients',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    payload: { name: `made with ${roleId}`, authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [{ roleId, divisionId: division }] },
  });
}

const missing = (permissions: string, role: { id: string; name: string }) => ({
  status: 403,
  code: 'missing.permissions',
  message: `Unable to perform the requested action. You are missing the following permission(s): ${permissions}`,
  messageWithParams: 'Unable to perform the requested action. You are missing the following permission(s): {permissions}',
  messageParams: { permissions },
  details: [{ errorCode: 'missing.permissions', fieldName: 'roleDivisions', entityId: role.id, entityName: role.name }],
});

test('a person holding * through an app scoped oauth: no idle timeout change, and no client that could make one', async () => {
  const token = await t.token(oauthApp, alice);
  const timeout = await t.inject({
    method: 'PUT',
    url: '/api/v2/tokens/timeout',
    headers: { ...bearer(token), 'content-type': 'application/json' },
    payload: { enableIdleTokenTimeout: false },
  });
  assertErrorBody(timeout, errorBodies.scopeNotAuthorized('authorization'));
  const listed = async () => (await t.inject({ method: 'GET', url: '/api/v2/oauth/clients', headers: bearer(token) })).json().total as number;
  const before = await listed();
  assertErrorBody(await createClient(token, ROLES.timeoutKeeper), missing('directory:organization:admin', { id: ROLES.timeoutKeeper, name: 'Timeout keeper' }));
  assertErrorBody(
    await createClient(token, ROLES.everything),
    missing('*', { id: ROLES.everything, name: 'Everything' }),
    'a wildcard role is beyond any scope',
  );
  assert.equal(await listed(), before, 'nothing made');
  const keeper = await createClient(token, ROLES.clientKeeper);
  assert.equal(keeper.statusCode, 200, 'permissions its scope reaches and its person holds');
});

test('the same person through an app scoped oauth and authorization may hand on the idle-timeout permission', async () => {
  const token = await t.token(adminApp, alice);
  assert.equal((await createClient(token, ROLES.timeoutKeeper)).statusCode, 200);
  assertErrorBody(await createClient(token, ROLES.everything), missing('*', { id: ROLES.everything, name: 'Everything' }));
});

test('a client-credentials token is governed by its roles alone: it hands on what it holds, wildcards included', async () => {
  const token = await t.token(rootService);
  assert.equal((await createClient(token, ROLES.everything)).statusCode, 200);
});
