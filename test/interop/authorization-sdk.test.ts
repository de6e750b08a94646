/**
 * The AuthorizationApi operations of issue 24 through the official Genesys JavaScript SDK,
 * unchanged, against a listening tokend: SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres.
 * What each answers, exactly, and the refusals an SDK caller sees (scope, permission).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, type SdkError, sdkClientFor } from '../helpers/genesys-sdk.js';
import { people, READAPI_SEED_FILE, services } from '../helpers/readapi-fixture.js';

let t: TestApp;
let port: number;
before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never, seedFile: READAPI_SEED_FILE });
  port = await listenForSdk(t);
});
after(() => t.close());

async function asService(client: { id: string; secret: string }) {
  const sdk = sdkClientFor(port);
  await sdk.loginClientCredentialsGrant(client.id, client.secret);
  return new platformClient.AuthorizationApi(sdk);
}

async function asPerson(app: { id: string; secret: string }, person: { email: string; password: string }) {
  const sdk = sdkClientFor(port);
  sdk.setAccessToken(await t.token(app, person));
  return new platformClient.AuthorizationApi(sdk);
}

function refusedWith(status: number, code: string, message?: RegExp) {
  return (error: SdkError) => {
    assert.equal(error.status, status, JSON.stringify(error));
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return true;
  };
}

const PRODUCTS = { entities: [{ id: 'collaborateFree' }], pageSize: 1, pageNumber: 1, total: 1, pageCount: 1 };

test('getAuthorizationProducts: the fixed list, every product in one page, for any token of any organization; no permission needed', async () => {
  // The bare service's only role has no permission: the SDK reference requires none.
  assert.deepEqual(await (await asService(services.bare)).getAuthorizationProducts(), PRODUCTS);
  assert.deepEqual(await (await asService(services.hooli)).getAuthorizationProducts(), PRODUCTS);
  assert.deepEqual(await (await asPerson(services.readonlyApp, people.ned)).getAuthorizationProducts(), PRODUCTS);
  assert.deepEqual(await (await asPerson(services.fullApp, people.ned)).getAuthorizationProducts(), PRODUCTS);
});

test('getAuthorizationProducts ignores paging parameters (the SDK method takes none)', async () => {
  const token = await t.token(services.bare);
  for (const query of ['pageSize=0', 'pageSize=1000&pageNumber=9', 'pageNumber=-1', 'pageSize=abc']) {
    const response = await t.inject({ method: 'GET', url: `/api/v2/authorization/products?${query}`, headers: bearer(token) });
    assert.equal(response.statusCode, 200, query);
    assert.deepEqual(response.json(), PRODUCTS, query);
  }
});

test('getAuthorizationProducts refuses a user token without an authorization scope', async () => {
  const basic = await asPerson(services.basicApp, people.ned);
  await assert.rejects(basic.getAuthorizationProducts(), refusedWith(403, 'app.not.authorized.for.scope', /authorization$/));
});
