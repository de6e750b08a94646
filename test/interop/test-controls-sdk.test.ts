/**
 * The test controls through the official Genesys JavaScript SDK (CONTRACT.md, "A clock and faults
 * for tests"), against a listening tokend started with test controls on: the fast lane serves
 * GET /tokens/me here, so a fault set on it proves the lane hands on while one is set. The clock
 * and faults are moved with tokend's own SDK helper, `TestControls`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { TestControls } from '../../src/sdk/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
let port: number;
let controls: TestControls;
before(async () => {
  // A real clock, as an app under test has.
  t = await startTestApp({ clock: systemClock as never, testControls: true });
  port = await listenForSdk(t);
  controls = new TestControls({ baseUrl: `http://127.0.0.1:${port}` });
});
after(() => t.close());

/** A CLIENT-CREDENTIALS client whose tokens live 300 s, made through the SDK's OAuthApi. */
async function shortLivedClient(): Promise<{ id: string; secret: string }> {
  const admin = sdkClientFor(port);
  await admin.loginClientCredentialsGrant(clients.wildcard.id, clients.wildcard.secret);
  const created = await new platformClient.OAuthApi(admin).postOauthClients({
    name: `Short-lived ${Math.random()}`,
    authorizedGrantType: 'CLIENT-CREDENTIALS',
    roleDivisions: [],
    accessTokenValiditySeconds: 300,
  });
  return { id: created.id as string, secret: created.secret as string };
}

test('a 300-second token is accepted after advance(299) and refused after advance(301)', async () => {
  const short = await shortLivedClient();
  const client = sdkClientFor(port);
  const auth = await client.loginClientCredentialsGrant(short.id, short.secret);
  assert.equal(Math.round((auth.tokenExpiryTime - Date.now()) / 1000), 300);
  const api = new platformClient.TokensApi(client);
  await controls.advance(299);
  assert.equal((await api.getTokensMe()).OAuthClient?.id, short.id);
  await controls.reset();
  await controls.advance(301);
  await assert.rejects(api.getTokensMe(), refusedWith(401, 'bad.credentials'));
  await controls.reset();
  await assert.rejects(api.getTokensMe(), refusedWith(401, 'bad.credentials'), 'the end is recorded');
});

test('an idle timeout of 300 s ends a user token after advance(301), not after advance(240), and it stays ended after reset()', async () => {
  const admin = sdkClientFor(port);
  await admin.loginClientCredentialsGrant(clients.admin.id, clients.admin.secret);
  const timeouts = new platformClient.TokensApi(admin);
  await timeouts.putTokensTimeout({ body: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 } });
  try {
    const person = sdkClientFor(port);
    person.setAccessToken(await t.token(clients.passwordApp, users.bob));
    const api = new platformClient.TokensApi(person);
    assert.ok((await api.getTokensMe()).dateTokenIdles);
    await controls.advance(240);
    assert.ok((await api.getTokensMe()).dateTokenIdles, 'not idle after 240 s');
    await controls.advance(301);
    await assert.rejects(api.getTokensMe(), refusedWith(401, 'bad.credentials'));
    await controls.reset();
    await assert.rejects(api.getTokensMe(), refusedWith(401, 'bad.credentials'), 'stays ended after reset');
  } finally {
    await controls.reset();
    await new platformClient.TokensApi(admin).putTokensTimeout({ body: { enableIdleTokenTimeout: false } });
  }
});

interface Extended {
  status: number;
  headers: Record<string, string>;
  body: { code: string; status: number; message: string };
}

test('a fault of two 429s gives exactly two 429s with Retry-After and a fault.injected ErrorBody, then 200 (through the fast lane)', async () => {
  const client = sdkClientFor(port);
  client.setReturnExtendedResponses(true);
  await client.loginClientCredentialsGrant(clients.plain.id, clients.plain.secret);
  const api = new platformClient.TokensApi(client);
  // Warm: the token is cached, so the fast lane would answer it.
  assert.equal(((await api.getTokensMe()) as unknown as Extended).status, 200);
  const answered = t.app.fastLane?.answered ?? 0;
  await controls.fault({ match: { path: '/api/v2/tokens/me' }, respond: { status: 429, retryAfterSeconds: 2 }, times: 2 });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(api.getTokensMe(), (error: Extended) => {
      assert.equal(error.status, 429);
      assert.equal(error.headers['retry-after'], '2');
      assert.equal(error.headers['inin-ratelimit-allowed'], '300');
      assert.equal(error.body.code, 'fault.injected');
      assert.equal(error.body.status, 429);
      return true;
    });
  }
  assert.equal(((await api.getTokensMe()) as unknown as Extended).status, 200);
  assert.deepEqual(await controls.faults(), []);
  assert.equal(t.app.fastLane?.answered, answered + 1, 'the lane answered only once no fault was set');
});

test('a client-id fault hits only that client', async () => {
  const plain = sdkClientFor(port);
  await plain.loginClientCredentialsGrant(clients.plain.id, clients.plain.secret);
  const admin = sdkClientFor(port);
  await admin.loginClientCredentialsGrant(clients.admin.id, clients.admin.secret);
  await controls.fault({ match: { clientId: clients.plain.id }, respond: { status: 500 }, times: 3 });
  try {
    assert.equal((await new platformClient.TokensApi(admin).getTokensMe()).OAuthClient?.id, clients.admin.id);
    await assert.rejects(new platformClient.TokensApi(plain).getTokensMe(), refusedWith(500, 'fault.injected'));
    // At the login endpoint too: the SDK's login gets the OAuth error shape.
    await assert.rejects(
      sdkClientFor(port).loginClientCredentialsGrant(clients.plain.id, clients.plain.secret),
      (error: { response?: { status: number; data: { error: string } } }) => {
        assert.equal(error.response?.status, 500);
        assert.equal(error.response?.data.error, 'server_error');
        return true;
      },
    );
    await sdkClientFor(port).loginClientCredentialsGrant(clients.admin.id, clients.admin.secret);
  } finally {
    await controls.clearFaults();
  }
});

test('a delay of 500 ms delays the real answer by at least 500 ms', async () => {
  const client = sdkClientFor(port);
  await client.loginClientCredentialsGrant(clients.plain.id, clients.plain.secret);
  const api = new platformClient.TokensApi(client);
  await controls.fault({ match: { method: 'GET', path: '/api/v2/tokens/me' }, respond: { delayMs: 500 } });
  const started = performance.now();
  const me = await api.getTokensMe();
  assert.ok(performance.now() - started >= 500, `took ${performance.now() - started} ms`);
  assert.equal(me.OAuthClient?.id, clients.plain.id);
});

test('TestControls: clock(), and refusals as ApiError', async () => {
  const clock = await controls.clock();
  assert.equal(clock.offsetSeconds, 0);
  assert.ok(Math.abs(Date.parse(clock.now) - Date.now()) < 5000);
  await assert.rejects(controls.advance(0), (error: { status: number; code: string }) => error.status === 400 && error.code === 'invalid.value');
  const refused = new TestControls({ baseUrl: `http://127.0.0.1:${port}`, token: 'not-the-token-0123456789' });
  // No token is configured: a bearer sent from loopback is still fine (loopback rule), so only a proxy header refuses here.
  assert.equal((await refused.clock()).offsetSeconds, 0);
  const proxied = new TestControls({
    baseUrl: `http://127.0.0.1:${port}`,
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-forwarded-for': '203.0.113.9' } }),
  });
  await assert.rejects(proxied.clock(), (error: { status: number; code: string }) => error.status === 404 && error.code === 'not.found');
});
