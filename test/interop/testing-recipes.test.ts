/**
 * The three recipes of docs/testing-your-app.md, as an app would write them with the official
 * Genesys JavaScript SDK, each proved against a tokend started with test controls on: an app's
 * refresh on expiry, its idle-timeout handling, its 429 back-off. The recipe code below is the
 * page's, word for word where it can be.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { TestControls } from '../../src/sdk/index.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, sdkClientFor } from '../helpers/genesys-sdk.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
let port: number;
let controls: TestControls;
before(async () => {
  t = await startTestApp({ clock: systemClock as never, testControls: true });
  port = await listenForSdk(t);
  controls = new TestControls({ baseUrl: `http://127.0.0.1:${port}` });
});
after(() => t.close());

type ApiClient = ReturnType<typeof sdkClientFor>;

// Recipe 1: a service logs in again when its token has expired, and repeats the call once.
async function withFreshToken<T>(client: ApiClient, clientId: string, secret: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if ((error as { status?: number; code?: string }).code !== 'bad.credentials') throw error;
    await client.loginClientCredentialsGrant(clientId, secret);
    return call();
  }
}

test('recipe 1: refresh on expiry (advance past the token lifetime, the app logs in again)', async () => {
  const client = sdkClientFor(port);
  let logins = 0;
  const login = client.loginClientCredentialsGrant.bind(client);
  client.loginClientCredentialsGrant = (id: string, secret: string) => {
    logins++;
    return login(id, secret);
  };
  await client.loginClientCredentialsGrant(clients.plain.id, clients.plain.secret);
  const tokens = new platformClient.TokensApi(client);
  await controls.advance(601); // the plain client's tokens live 600 s
  try {
    const me = await withFreshToken(client, clients.plain.id, clients.plain.secret, () => tokens.getTokensMe());
    assert.equal(me.OAuthClient?.id, clients.plain.id);
    assert.equal(logins, 2, 'logged in again once');
  } finally {
    await controls.reset();
  }
});

// Recipe 2: a person's app signs them out when the organization's idle timeout ended their token.
class Session {
  signedOut = false;
  constructor(readonly tokens: InstanceType<typeof platformClient.TokensApi>) {}
  async me() {
    try {
      return await this.tokens.getTokensMe();
    } catch (error) {
      if ((error as { code?: string }).code !== 'bad.credentials') throw error;
      this.signedOut = true; // show the sign-in page again
      return null;
    }
  }
}

test('recipe 2: idle-timeout handling (advance 240 s: still signed in; advance 301 s: signed out)', async () => {
  const admin = sdkClientFor(port);
  await admin.loginClientCredentialsGrant(clients.admin.id, clients.admin.secret);
  await new platformClient.TokensApi(admin).putTokensTimeout({ body: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 } });
  try {
    const person = sdkClientFor(port);
    person.setAccessToken(await t.token(clients.passwordApp, users.bob));
    const session = new Session(new platformClient.TokensApi(person));
    assert.ok(await session.me());
    await controls.advance(240);
    assert.ok(await session.me());
    assert.equal(session.signedOut, false);
    await controls.advance(301);
    assert.equal(await session.me(), null);
    assert.equal(session.signedOut, true);
  } finally {
    await controls.reset();
    await new platformClient.TokensApi(admin).putTokensTimeout({ body: { enableIdleTokenTimeout: false } });
  }
});

// Recipe 3: back off on 429 for as long as Retry-After says (extended responses carry the headers).
async function withBackOff<T>(call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const { status, headers } = error as { status?: number; headers?: Record<string, string> };
      if (status !== 429 || attempt >= attempts) throw error;
      await sleep(Number(headers?.['retry-after'] ?? 1) * 1000);
    }
  }
}

test('recipe 3: 429 back-off (two 429s with Retry-After: 1, then the answer, at least 2 s later)', async () => {
  const client = sdkClientFor(port);
  client.setReturnExtendedResponses(true);
  await client.loginClientCredentialsGrant(clients.plain.id, clients.plain.secret);
  const tokens = new platformClient.TokensApi(client);
  await controls.fault({ match: { path: '/api/v2/tokens/me' }, respond: { status: 429, retryAfterSeconds: 1 }, times: 2 });
  let calls = 0;
  const started = performance.now();
  const answer = (await withBackOff(() => {
    calls++;
    return tokens.getTokensMe();
  })) as unknown as { status: number };
  assert.equal(answer.status, 200);
  assert.equal(calls, 3);
  assert.ok(performance.now() - started >= 2000, 'waited what Retry-After said, twice');
});
