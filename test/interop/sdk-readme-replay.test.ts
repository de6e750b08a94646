/**
 * The first calls of the Go and .NET SDK READMEs, replayed against a listening tokend as those
 * SDKs send them (the JS and Python READMEs are first-calls-replay.test.ts). Each must answer
 * 2xx with the fields the example dereferences. SQLite, or PostgreSQL under
 * TOKEND_TEST_DATABASE=postgres; the fixture is test/fixtures/seed.json (its code app).
 *
 * - Go (MyPureCloud/platform-client-sdk-go, `build/README.md`, "Client Credentials" then
 *   "Making Requests"): `config.AuthorizeClientCredentials(id, secret)`, then
 *   `usersAPI.GetUser(userID, make([]string, 0), "")` (GET /api/v2/users/{userId}: an empty
 *   expand list and an empty string are left out of the query) and `*user.Name`.
 * - .NET (MyPureCloud/platform-client-sdk-dotnet, `build/README.md`): "Client Credentials Grant"
 *   is `ApiClient.PostToken(id, secret)` (`build/src/PureCloudPlatform.Client.V2/Extensions/
 *   AuthExtensions.cs`, `PostTokenWithHttpInfo`: POST /oauth/token, `Accept: application/json`,
 *   Basic of "id:secret", form `grant_type=client_credentials`), then "Using multiple
 *   ApiClients": `apiInstance.GetUser(userId, null, null, null, null)` (no query). "Authorization
 *   Code Grant" is `PostToken(id, secret, redirectUri, code)` (form `grant_type=authorization_code`,
 *   `code`, `redirect_uri`), then "Invoking the API": `usersApi.GetMe()` (today's `GetUsersMe`,
 *   GET /api/v2/users/me) printing `me.DisplayName`, a field the SDK's UserMe does not have (the
 *   README's example does not compile as written); its `Name` is what it means.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { basic, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';
import { listenForSdk } from '../helpers/genesys-sdk.js';
import { GO_SDK_HEADERS, isString, type Json, toolWire } from '../helpers/replay-wire.js';

let t: TestApp;
let origin: string;
before(async () => {
  t = await startTestApp();
  origin = `http://127.0.0.1:${await listenForSdk(t)}`;
});
after(() => t.close());

const ALICE_NAME = 'Alice Admin';

/** AuthExtensions.PostTokenWithHttpInfo: the form it posts, with the client's Basic; the AuthTokenInfo. */
async function dotnetPostToken(client: { id: string; secret: string }, form: Record<string, string>): Promise<Json> {
  const response = await fetch(`${origin}/oauth/token`, {
    method: 'POST',
    headers: { accept: 'application/json', authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const info = (await response.json()) as Json;
  assert.equal(response.status, 200, JSON.stringify(info));
  isString(info.access_token, 'AuthTokenInfo.AccessToken');
  assert.equal(typeof info.expires_in, 'number', 'AuthTokenInfo.ExpiresIn');
  return info;
}

/** A GET as the .NET SDK's ApiClient sends it (RestSharp, `Accept: application/json`). */
async function dotnetGet(path: string, token: string): Promise<Json> {
  const response = await fetch(`${origin}${path}`, { headers: { accept: 'application/json', authorization: `Bearer ${token}` } });
  const body = (await response.json()) as Json;
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(body).slice(0, 400)}`);
  return body;
}

test("the Go SDK README: AuthorizeClientCredentials, then GetUser(userID, [], '') and *user.Name", async () => {
  const go = toolWire(origin, GO_SDK_HEADERS);
  const token = await go.clientCredentials(clients.admin);
  const user = await go.ok(`/api/v2/users/${users.alice.id}`, token);
  isString(user.name, '*user.Name');
  assert.deepEqual([user.id, user.name], [users.alice.id, ALICE_NAME]);
});

test('the .NET SDK README, client credentials: PostToken(id, secret), then GetUser(userId, null, null, null, null)', async () => {
  const info = await dotnetPostToken(clients.admin, { grant_type: 'client_credentials' });
  const user = await dotnetGet(`/api/v2/users/${users.alice.id}`, info.access_token as string);
  assert.deepEqual([user.id, user.name, user.email], [users.alice.id, ALICE_NAME, users.alice.email]);
});

test('the .NET SDK README, authorization code: PostToken(id, secret, redirectUri, code), then GetUsersMe()', async () => {
  const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
  const info = await dotnetPostToken(clients.codeApp, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri });
  // PostToken keeps RefreshToken for the SDK's transparent refresh (ShouldRefreshAccessToken).
  isString(info.refresh_token, 'AuthTokenInfo.RefreshToken');
  const me = await dotnetGet('/api/v2/users/me', info.access_token as string);
  isString(me.name, 'me.Name');
  assert.deepEqual([me.id, me.name], [users.alice.id, ALICE_NAME]);
});
