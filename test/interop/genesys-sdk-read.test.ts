/**
 * The official Genesys JavaScript SDK, unchanged, reading the control plane of a listening
 * tokend (issue 14): OrganizationApi, UsersApi, AuthorizationApi and OAuthApi, with a
 * client-credentials login and with a user token handed to it, as an app would.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, sdkClientFor, type SdkError } from '../helpers/genesys-sdk.js';
import { INITECH, initechRoles, people, READAPI_SEED_FILE, services } from '../helpers/readapi-fixture.js';

let t: TestApp;
let port: number;
before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never, seedFile: READAPI_SEED_FILE });
  port = await listenForSdk(t);
});
after(() => t.close());

const sdkClient = () => sdkClientFor(port);

/** An SDK client holding a user token of `app`, signed in as `person` (the password grant). */
async function userClient(app: { id: string; secret: string }, person: { email: string; password: string }) {
  const client = sdkClient();
  client.setAccessToken(await t.token(app, person));
  return client;
}

function refusedWith(status: number, code: string) {
  return (error: SdkError) => {
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    return true;
  };
}

test('client credentials: getOrganizationsMe, getAuthorizationRoles paged, getAuthorizationDivisionsHome, getOauthScopes', async () => {
  const client = sdkClient();
  await client.loginClientCredentialsGrant(services.roles.id, services.roles.secret);

  const organization = await new platformClient.OrganizationApi(client).getOrganizationsMe();
  assert.equal(organization.id, INITECH);
  assert.equal(organization.name, 'Initech');
  assert.equal(organization.state, 'active');
  assert.equal(organization.version, 1);

  const authorization = new platformClient.AuthorizationApi(client);
  const all = await authorization.getAuthorizationRoles();
  assert.equal(all.total, 5);
  assert.equal(all.pageSize, 25);
  const viewer = all.entities?.find((role) => role.id === initechRoles.roleViewer);
  assert.deepEqual(viewer?.permissions, ['authorization:role:view']);
  assert.deepEqual(viewer?.permissionPolicies, [{ domain: 'authorization', entityName: 'role', actionSet: ['view'] }]);
  assert.equal(viewer?.default, false);

  const page = await authorization.getAuthorizationRoles({ pageSize: 2, pageNumber: 2, name: 'I' });
  assert.equal(page.pageNumber, 2);
  assert.equal(page.pageCount, 3);
  assert.equal(page.entities?.length, 2);
  assert.equal(page.nextUri, '/api/v2/authorization/roles?pageSize=2&pageNumber=3&name=I');
  const byIds = await authorization.getAuthorizationRoles({ id: [initechRoles.everything, initechRoles.nothing] });
  assert.deepEqual(
    byIds.entities?.map((role) => role.name),
    ['Everything', 'nothing at all'],
    'the SDK joins an array with commas',
  );

  const home = await authorization.getAuthorizationDivisionsHome();
  assert.equal(home.name, 'Home');
  assert.equal(home.homeDivision, true);
  const client_ = await t.app.tokend.store.findClient(services.roles.id);
  assert.equal(home.id, client_?.roleDivisions[0]?.divisionId, 'the division a client role grant names');

  const scopes = await new platformClient.OAuthApi(client).getOauthScopes();
  assert.equal(scopes.total, 13);
  assert.ok(scopes.entities?.some((scope) => scope.id === 'oauth:readonly'));

  await assert.rejects(new platformClient.UsersApi(client).getUsersMe(), (error: SdkError) => {
    assert.equal(error.status, 400);
    assert.equal(error.code, 'bad.request');
    assert.equal(error.message, 'This request requires a user context. Client credentials cannot be used for requests to this resource.');
    return true;
  });
});

test('a user token: getUsersMe with expand organization and token, and the read-only scopes', async () => {
  const client = await userClient(services.readonlyApp, people.rita);
  const users = new platformClient.UsersApi(client);
  const me = await users.getUsersMe({ expand: ['organization', 'token', 'presence'] });
  assert.equal(me.id, people.rita.id);
  assert.equal(me.name, people.rita.name);
  assert.equal(me.email, people.rita.email);
  assert.equal(me.username, people.rita.email);
  assert.equal(me.state, 'active');
  assert.equal(me.division?.name, 'Home');
  assert.equal(me.organization?.id, INITECH);
  assert.equal(me.token?.OAuthClient?.id, services.readonlyApp.id);
  assert.deepEqual(me.token?.organization, { id: INITECH, name: 'Initech' });
  const plain = await users.getUsersMe();
  assert.equal(plain.organization, undefined);
  assert.equal(plain.token, undefined);
  await assert.rejects(users.getUsersMe({ expand: ['organisation'] }), refusedWith(400, 'invalid.query.param.value'));

  assert.equal((await new platformClient.OrganizationApi(client).getOrganizationsMe()).id, INITECH);
  assert.equal((await new platformClient.AuthorizationApi(client).getAuthorizationRoles()).total, 5);
  assert.equal((await new platformClient.AuthorizationApi(client).getAuthorizationDivisionsHome()).homeDivision, true);
  assert.equal((await new platformClient.OAuthApi(client).getOauthScopes()).total, 13);
});

test('the refusals as the SDK reports them: scope, permission, no token', async () => {
  const basic = await userClient(services.basicApp, people.rita);
  assert.equal((await new platformClient.UsersApi(basic).getUsersMe()).id, people.rita.id, 'user-basic-info is always granted');
  await assert.rejects(new platformClient.OrganizationApi(basic).getOrganizationsMe(), refusedWith(403, 'app.not.authorized.for.scope'));
  await assert.rejects(new platformClient.AuthorizationApi(basic).getAuthorizationRoles(), refusedWith(403, 'app.not.authorized.for.scope'));
  await assert.rejects(new platformClient.AuthorizationApi(basic).getAuthorizationDivisionsHome(), refusedWith(403, 'app.not.authorized.for.scope'));
  await assert.rejects(new platformClient.OAuthApi(basic).getOauthScopes(), refusedWith(403, 'app.not.authorized.for.scope'));

  const ned = await userClient(services.fullApp, people.ned);
  await assert.rejects(new platformClient.AuthorizationApi(ned).getAuthorizationRoles(), refusedWith(403, 'missing.any.permissions'));
  await assert.rejects(new platformClient.AuthorizationApi(ned).getAuthorizationRoles({ pageSize: 1000 }), refusedWith(403, 'missing.any.permissions'));
  const rita = await userClient(services.fullApp, people.rita);
  await assert.rejects(new platformClient.AuthorizationApi(rita).getAuthorizationRoles({ pageSize: 1000 }), refusedWith(400, 'invalid.query.param.value'));

  const anonymous = sdkClient();
  await assert.rejects(new platformClient.OrganizationApi(anonymous).getOrganizationsMe(), refusedWith(401, 'authentication.required'));
});
