/**
 * A person's authorizations through the official Genesys SDK's `OAuthApi`, unchanged
 * (`getOauthAuthorizations`, `getOauthAuthorization`; CONTRACT.md, "Consent"): the Allows the
 * person gave on the consent page, their own only; and "Remove access" on the account page,
 * which deletes the authorization and ends every token and refresh family of that app for that
 * person. SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, CODE_APP_AUTH, hiddenField, tokenRequest } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';
import { listenForSdk, type SdkError, sdkClientFor } from '../helpers/genesys-sdk.js';

let t: TestApp;
let port: number;
before(async () => {
  t = await startTestApp();
  port = await listenForSdk(t);
});
after(() => t.close());

function oauthApi(token: string) {
  const client = sdkClientFor(port);
  client.setAccessToken(token);
  return new platformClient.OAuthApi(client);
}

async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('the call succeeded');
}

/** Signs `browser` in and lets the code app in: its access and refresh tokens. */
async function codeAppTokens(browser: Browser, user: { email: string; password: string }) {
  const code = await browser.code(clients.codeApp, clients.codeApp.redirectUri, user);
  const issued = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, CODE_APP_AUTH);
  assert.equal(issued.statusCode, 200, issued.body);
  return issued.json() as { access_token: string; refresh_token: string };
}

const status = async (token: string) => (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode;

test('getOauthAuthorizations and getOauthAuthorization answer the Allows of the calling person', async () => {
  const bob = new Browser(t);
  const { access_token: bobToken } = await codeAppTokens(bob, users.bob);
  const api = oauthApi(bobToken);

  const listing = await api.getOauthAuthorizations();
  assert.deepEqual(Object.keys(listing).sort(), ['entities', 'selfUri', 'total']);
  assert.equal(listing.total, 1);
  assert.equal(listing.selfUri, '/api/v2/oauth/authorizations');
  const allowedAt = new Date(t.clock.now()).toISOString();
  const expected = {
    client: { id: clients.codeApp.id, name: 'Code app' },
    scope: ['authorization', 'user-basic-info'],
    roles: [],
    resourceOwner: { id: users.bob.id, selfUri: `/api/v2/users/${users.bob.id}` },
    dateCreated: allowedAt,
    dateModified: allowedAt,
    createdBy: { id: users.bob.id, selfUri: `/api/v2/users/${users.bob.id}` },
    modifiedBy: { id: users.bob.id, selfUri: `/api/v2/users/${users.bob.id}` },
    pending: false,
    state: 'Approved',
    selfUri: `/api/v2/oauth/authorizations/${clients.codeApp.id}`,
  };
  assert.deepEqual(listing.entities, [expected]);
  assert.deepEqual(await api.getOauthAuthorization(clients.codeApp.id), expected);

  // Another person's Allows are not Bob's to see, and an app he never allowed is not found.
  await codeAppTokens(new Browser(t), users.carol);
  const carolToken = await t.token(clients.passwordApp, users.carol);
  assert.equal((await oauthApi(carolToken).getOauthAuthorizations()).total, 1, "Carol's own");
  for (const id of [clients.implicitApp.id, 'not-a-client']) {
    const error = await sdkError(api.getOauthAuthorization(id));
    assert.deepEqual([error.status, error.code], [404, 'not.found'], id);
  }
  const service = await t.token(clients.admin);
  const refused = await sdkError(oauthApi(service).getOauthAuthorizations());
  assert.deepEqual([refused.status, refused.code], [400, 'bad.request'], 'a client-credentials token has no person');
});

test('Remove access on the account page deletes the Allow and ends every token and refresh family of that app for that person, and nothing else', async () => {
  const browser = new Browser(t);
  const first = await codeAppTokens(browser, users.alice);
  const second = await codeAppTokens(browser, users.alice);
  const implicit = new URLSearchParams(
    (
      await browser.authorize({ client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri, response_type: 'token' }, users.alice)
    ).hash.slice(1),
  ).get('access_token') as string;
  const others = await codeAppTokens(new Browser(t), users.carol);
  const aliceApi = oauthApi(await t.token(clients.passwordApp, users.alice));
  assert.equal((await aliceApi.getOauthAuthorizations()).total, 2);

  const page = await browser.get('/account');
  assert.match(page.body, /<h2 id="apps-title">Apps you allowed<\/h2>/);
  // Each app with its scopes in words.
  assert.match(
    page.body,
    /<p class="title">Code app<\/p>\n<p class="meta">Allowed <time [^>]*>[^<]*<\/time> to:<\/p>\n<ul class="links"><li>Manage authorization[^<]*<\/li><li>Read the signed-in person&#39;s identity[^<]*<\/li><\/ul>/,
  );
  assert.match(page.body, /<button type="submit" class="danger small">Remove access<span class="visually-hidden"> of Code app<\/span><\/button>/);
  const csrf = hiddenField(page.body, 'csrf') as string;

  const forged = await browser.post('/account/remove-access', { client: clients.codeApp.id, csrf: 'forged' });
  assert.equal(forged.statusCode, 403);
  assert.equal(await status(first.access_token), 200, 'a forged form ends nothing');
  const notAllowed = await browser.post('/account/remove-access', { client: clients.pkceApp.id, csrf });
  assert.equal(notAllowed.statusCode, 404);
  assert.match(notAllowed.body, /That app is not one you allowed./);

  const removed = await browser.post('/account/remove-access', { client: clients.codeApp.id, csrf });
  assert.equal(removed.statusCode, 303);
  assert.equal(removed.headers.location, '/account?done=removed#notice');
  assert.deepEqual([await status(first.access_token), await status(second.access_token)], [401, 401], 'every access token of the app');
  for (const refresh of [first.refresh_token, second.refresh_token]) {
    const refreshed = await tokenRequest(
      t,
      { grant_type: 'refresh_token', refresh_token: refresh },
      { authorization: basic(clients.codeApp.id, clients.codeApp.secret) },
    );
    assert.equal(refreshed.statusCode, 400, 'every refresh family of the app');
  }
  assert.equal(await status(implicit), 200, "another app's token lives on");
  assert.equal(await status(others.access_token), 200, "another person's token of the same app lives on");
  const error = await sdkError(aliceApi.getOauthAuthorization(clients.codeApp.id));
  assert.equal(error.status, 404);
  assert.deepEqual(
    (await aliceApi.getOauthAuthorizations()).entities?.map((a) => a.client?.id),
    [clients.implicitApp.id],
  );
  // The app asks again next time.
  const asked = await browser.get(
    `/oauth/authorize?${new URLSearchParams({ client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code' })}`,
  );
  assert.equal(asked.statusCode, 200);
  assert.match(asked.body, /action="\/consent"/);
});
