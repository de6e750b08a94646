/**
 * The official Genesys JavaScript SDK, unchanged, against a real tokend listening on a port:
 * `setGateway` points login and API calls at tokend (CONTRACT.md, "One server, two hosts in one").
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, sdkClientFor, type SdkError } from '../helpers/genesys-sdk.js';
import { ACME, clients, users } from '../helpers/fixture.js';

let t: TestApp;
let port: number;
before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never });
  port = await listenForSdk(t);
});
after(() => t.close());

const sdkClient = () => sdkClientFor(port);

test('loginClientCredentialsGrant and every TokensApi method, ending with deleteTokensMe', async () => {
  const client = sdkClient();
  const auth = await client.loginClientCredentialsGrant(clients.admin.id, clients.admin.secret);
  assert.equal(typeof auth.accessToken, 'string');
  const api = new platformClient.TokensApi(client);

  const me = await api.getTokensMe();
  assert.deepEqual(me.organization, { id: ACME, name: 'Acme' });
  assert.equal(me.OAuthClient?.id, clients.admin.id);
  assert.equal(me.OAuthClient?.authorizedGrantType, 'CLIENT-CREDENTIALS');

  assert.equal(await api.headTokensMe(), undefined);

  const timeout = await api.getTokensTimeout();
  assert.equal(timeout.enableIdleTokenTimeout, false);
  const updated = await api.putTokensTimeout({ body: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 3600 } });
  assert.equal(updated.enableIdleTokenTimeout, true);
  assert.equal(updated.idleTokenTimeoutSeconds, 3600);
  const withIdle = await api.getTokensMe({ preserveIdleTTL: true });
  assert.ok(withIdle.dateTokenIdles, 'dateTokenIdles appears once a timeout applies');
  await api.putTokensTimeout({ body: { enableIdleTokenTimeout: false } });

  const bob = await t.token(clients.passwordApp, users.bob);
  await api.deleteToken(users.bob.id);
  const bobAfter = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: { authorization: `Bearer ${bob}` } });
  assert.equal(bobAfter.statusCode, 401);

  await api.deleteTokensMe();
  await assert.rejects(api.getTokensMe(), (error: SdkError) => {
    assert.equal(error.status, 401);
    assert.equal(error.code, 'bad.credentials');
    assert.equal(error.message, 'Invalid login credentials.');
    return true;
  });
});

test('the SDK sees tokend errors as Genesys ErrorBody objects', async () => {
  const client = sdkClient();
  await client.loginClientCredentialsGrant(clients.plain.id, clients.plain.secret);
  const api = new platformClient.TokensApi(client);
  await assert.rejects(api.deleteToken(users.bob.id), (error: SdkError) => {
    assert.equal(error.status, 403);
    assert.equal(error.code, 'missing.any.permissions');
    return true;
  });
  await assert.rejects(api.putTokensTimeout({ body: { idleTokenTimeoutSeconds: 10 } }), (error: SdkError) => {
    assert.equal(error.status, 403);
    return true;
  });
});

test('a wrong secret fails the SDK login with invalid_client', async () => {
  const client = sdkClient();
  await assert.rejects(client.loginClientCredentialsGrant(clients.admin.id, 'wrong'), (error: { response?: { status: number; data: { error: string } } }) => {
    assert.equal(error.response?.status, 401);
    assert.equal(error.response?.data.error, 'invalid_client');
    return true;
  });
});
