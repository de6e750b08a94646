/**
 * The OAuth clients API through the official Genesys SDK's `OAuthApi`, unchanged, against a
 * listening tokend (SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres): every method,
 * a created client logging in through the SDK at once with the secret it was given, and a
 * deleted seeded client that a restart with the same seed does not bring back.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, sdkClientFor } from '../helpers/genesys-sdk.js';
import { CLIENTS_SEED, initrode } from '../helpers/clients-fixture.js';

interface SdkError {
  status: number;
  code: string;
}

let t: TestApp;
let port: number;
async function listen(dir?: string): Promise<void> {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never, seedFile: CLIENTS_SEED, ...(dir ? { dir } : {}) });
  port = await listenForSdk(t);
}
let firstDir: string;
before(async () => {
  await listen();
  firstDir = t.dir;
});
after(async () => {
  await t.close();
  rmSync(firstDir, { recursive: true, force: true });
});

async function sdkAs(id: string, secret: string) {
  const client = sdkClientFor(port);
  await client.loginClientCredentialsGrant(id, secret);
  return new platformClient.OAuthApi(client);
}

test('OAuthApi: postOauthClients, getOauthClient, getOauthClients, putOauthClient, postOauthClientSecret, deleteOauthClient', async () => {
  const api = await sdkAs(initrode.clientAdmin.id, initrode.clientAdmin.secret);
  const seeded = await api.getOauthClient(initrode.seeded.id);
  const division = seeded.roleDivisions?.[0]?.divisionId as string;
  assert.equal(seeded.name, 'Seeded service');
  assert.equal(seeded.secret, undefined);

  const created = await api.postOauthClients({
    name: 'SDK service',
    authorizedGrantType: 'CLIENT-CREDENTIALS',
    roleDivisions: [{ roleId: initrode.roles.clientAdmin, divisionId: division }],
    accessTokenValiditySeconds: 600,
  });
  assert.ok(created.id && created.secret);
  assert.equal(created.state, 'active');
  assert.equal(created.selfUri, `/api/v2/oauth/clients/${created.id}`);

  // The new client signs in through the SDK at once, and can itself read the clients.
  const asCreated = await sdkAs(created.id, created.secret);
  const listing = await asCreated.getOauthClients();
  assert.ok(listing.entities?.some((c) => c.id === created.id));
  assert.ok(listing.entities?.every((c) => c.secret === undefined));
  assert.equal(listing.pageNumber, 1);
  assert.equal(listing.total, listing.entities?.length);

  const updated = await api.putOauthClient(created.id, {
    name: 'SDK service renamed',
    authorizedGrantType: 'CLIENT-CREDENTIALS',
    roleDivisions: created.roleDivisions ?? [],
    description: 'by the SDK',
  });
  assert.equal(updated.name, 'SDK service renamed');
  assert.equal(updated.description, 'by the SDK');
  assert.equal(updated.accessTokenValiditySeconds, 86400, 'PUT replaces: a lifetime left out is the default');

  const regenerated = await api.postOauthClientSecret(created.id);
  assert.ok(regenerated.secret && regenerated.secret !== created.secret);
  await assert.rejects(sdkAs(created.id, created.secret), (error: { response?: { status: number } }) => error.response?.status === 401);
  await sdkAs(created.id, regenerated.secret);

  await api.deleteOauthClient(created.id);
  await assert.rejects(api.getOauthClient(created.id), (error: SdkError) => error.status === 404 && error.code === 'not.found');
});

test('getOauthClients takes no paging parameters: every client is in its one page, client 26 and beyond included', async () => {
  const api = await sdkAs(initrode.clientAdmin.id, initrode.clientAdmin.secret);
  const before = (await api.getOauthClients()).total ?? 0;
  const made: string[] = [];
  // More than Genesys's default page of 25.
  for (let i = before; i < 30; i++) {
    const created = await api.postOauthClients({ name: `Paging ${String(i).padStart(2, '0')}`, authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: [] });
    made.push(created.id as string);
  }
  const listing = await api.getOauthClients();
  assert.equal(listing.total, Math.max(before, 30));
  assert.deepEqual(
    [listing.entities?.length, listing.pageSize, listing.pageNumber, listing.pageCount, listing.nextUri],
    [listing.total, listing.total, 1, 1, undefined],
  );
  const listed = new Set(listing.entities?.map((client) => client.id));
  assert.ok(
    made.every((id) => listed.has(id)),
    'every client made is listed',
  );
  for (const id of made) await api.deleteOauthClient(id);
});

test('the SDK sees refusals as ErrorBody: missing permission, roles not held, bad body', async () => {
  const viewer = await sdkAs(initrode.viewer.id, initrode.viewer.secret);
  await assert.rejects(
    viewer.postOauthClients({ name: 'X', authorizedGrantType: 'PASSWORD' }),
    (error: SdkError) => error.status === 403 && error.code === 'missing.any.permissions',
  );
  const api = await sdkAs(initrode.clientAdmin.id, initrode.clientAdmin.secret);
  await assert.rejects(
    api.postOauthClients({ name: 'X', authorizedGrantType: 'CLIENT-CREDENTIALS', roleIds: [initrode.roles.everything] }),
    (error: SdkError) => error.status === 403 && error.code === 'missing.permissions',
  );
  await assert.rejects(
    api.postOauthClients({ name: 'X', authorizedGrantType: 'CODE' }),
    (error: SdkError) => error.status === 400 && error.code === 'invalid.value',
  );
});

test('the SDK sees a stronger client out of reach: regenerate, PUT (state included) and DELETE are 403 missing.permissions, and change nothing', async () => {
  const api = await sdkAs(initrode.clientAdmin.id, initrode.clientAdmin.secret);
  const lacksEverything = (error: SdkError & { messageParams?: Record<string, string> }) =>
    error.status === 403 && error.code === 'missing.permissions' && error.messageParams?.permissions === '*';
  const dormant = await api.getOauthClient(initrode.dormantRoot.id);
  const request = { name: 'Awake', authorizedGrantType: 'CLIENT-CREDENTIALS', roleDivisions: dormant.roleDivisions ?? [] } as const;
  await assert.rejects(api.postOauthClientSecret(initrode.root.id), lacksEverything);
  await assert.rejects(api.putOauthClient(initrode.root.id, { ...request, name: 'Taken' }), lacksEverything);
  await assert.rejects(api.deleteOauthClient(initrode.root.id), lacksEverything);
  await assert.rejects(api.putOauthClient(initrode.dormantRoot.id, { ...request, state: 'active' }), lacksEverything);
  await assert.rejects(api.postOauthClientSecret(initrode.dormantRoot.id), lacksEverything);
  assert.deepEqual(await api.getOauthClient(initrode.dormantRoot.id), dormant, 'still disabled, named and dated as before');
  const root = await sdkAs(initrode.root.id, initrode.root.secret);
  assert.equal((await root.getOauthClient(initrode.root.id)).name, 'Root service', 'its secret still works, its name is unchanged');
});

test('a deleted seeded client stays deleted when the server restarts with the same seed', async () => {
  const api = await sdkAs(initrode.clientAdmin.id, initrode.clientAdmin.secret);
  await api.deleteOauthClient(initrode.seeded.id);
  const dir = t.dir;
  await t.app.close();
  await listen(dir);
  const again = await sdkAs(initrode.clientAdmin.id, initrode.clientAdmin.secret);
  await assert.rejects(again.getOauthClient(initrode.seeded.id), (error: SdkError) => error.status === 404);
  const response = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${initrode.seeded.id}:${initrode.seeded.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  assert.equal(response.status, 401);
});
