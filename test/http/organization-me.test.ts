/**
 * `GET`/`PUT /api/v2/organizations/me` and `GET /api/v2/oauth/scopes/{scopeId}` over raw HTTP
 * (CONTRACT.md, "The directory and authorization planes"): every Organization field, the fixed
 * ones as docs/api.md lists them; a PUT at a stale version, with a taken name, or with a fixed
 * field changed is refused and changes nothing; a rename reaches sign-in by name at once.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { applySeedText } from '../../src/core/seed/apply.js';
import { assertErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients, SEED_FILE, users } from '../helpers/fixture.js';

let t: TestApp;
let admin: string;
before(async () => {
  t = await startTestApp();
  admin = await t.token(clients.admin);
});
after(() => t.close());

function send(token: string, method: 'GET' | 'PUT', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return t.inject({
    method,
    url,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}
const read = async () => (await send(admin, 'GET', '/api/v2/organizations/me')).json();

const FEATURES = {
  realtimeCIC: false,
  purecloud: true,
  hipaa: false,
  ucEnabled: false,
  pci: false,
  purecloudVoice: false,
  xmppFederation: false,
  chat: false,
  informalPhotos: false,
  directory: true,
  contactCenter: false,
  unifiedCommunications: false,
  custserv: false,
};
const acme = {
  id: ACME,
  name: 'Acme',
  defaultLanguage: 'en-us',
  defaultCountryCode: 'US',
  thirdPartyOrgName: 'Acme',
  thirdPartyURI: '',
  domain: '',
  supportURI: '',
  features: FEATURES,
  version: 1,
  state: 'active',
  productPlatform: 'PureCloud',
  voicemailEnabled: false,
  defaultSiteId: '',
  selfUri: `/api/v2/organizations/${ACME}`,
};
const invalidValue = (fieldName: string, message: string) => ({
  status: 400,
  code: 'invalid.value',
  message,
  details: [{ errorCode: 'invalid.value', fieldName }],
});

test('organizations/me answers every field of the SDK Organization; PUT checks version, name and fixed fields, and changes nothing when it refuses', async () => {
  assert.deepEqual(await read(), acme);

  // Refusals, each leaving the organization as it was.
  assertErrorBody(await send(admin, 'PUT', '/api/v2/organizations/me', { ...acme, version: 7, name: 'Acme Seven' }), {
    status: 409,
    code: 'general.conflict',
    message: 'the organization is no longer at version 7: read it again and retry',
    details: [{ errorCode: 'general.conflict', fieldName: 'version', entityId: ACME, entityName: 'Acme' }],
  });
  assertErrorBody(await send(admin, 'PUT', '/api/v2/organizations/me', { ...acme, name: 'GLOBEX' }), {
    status: 409,
    code: 'general.conflict',
    message: 'another organization is named "GLOBEX" (names are compared in any letter case): choose another name',
    details: [{ errorCode: 'general.conflict', fieldName: 'name', entityId: ACME, entityName: 'Acme' }],
  });
  assertErrorBody(
    await send(admin, 'PUT', '/api/v2/organizations/me', { ...acme, voicemailEnabled: true }),
    invalidValue('voicemailEnabled', 'voicemailEnabled: fixed at false in tokend (docs/api.md, "Organization")'),
  );
  assertErrorBody(
    await send(admin, 'PUT', '/api/v2/organizations/me', { version: 1, features: { contactCenter: true } }),
    invalidValue('features.contactCenter', 'features.contactCenter: fixed at false in tokend (docs/api.md, "Organization")'),
  );
  assertErrorBody(
    await send(admin, 'PUT', '/api/v2/organizations/me', { version: 1, thirdPartyOrgName: 'Other' }),
    invalidValue('thirdPartyOrgName', 'thirdPartyOrgName: in tokend it is the organization name; change name instead'),
  );
  assertErrorBody(
    await send(admin, 'PUT', '/api/v2/organizations/me', { version: 1, name: '   ' }),
    invalidValue('name', 'the organization name must not be empty'),
  );
  assertErrorBody(await send(admin, 'PUT', '/api/v2/organizations/me', { name: 'No version' }), invalidValue('version', 'version is required'));
  assertErrorBody(await send(await t.token(clients.plain), 'PUT', '/api/v2/organizations/me', acme), {
    status: 403,
    code: 'missing.any.permissions',
    message: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: directory:organization:admin',
    messageWithParams: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: {permissions}',
    messageParams: { permissions: 'directory:organization:admin' },
  });
  // Alice holds the permission, but her app's token was given no `organization` scope.
  assertErrorBody(await send(await t.token(clients.passwordApp, users.alice), 'PUT', '/api/v2/organizations/me', acme), {
    status: 403,
    code: 'app.not.authorized.for.scope',
    message: 'App not authorized to use scope organization',
    messageWithParams: 'App not authorized to use scope {scope}',
    messageParams: { scope: 'organization' },
  });
  assert.deepEqual(await read(), acme);

  // What a GET-modify-PUT sends: the body read, with the changes (its thirdPartyOrgName still the old name).
  const put = await send(admin, 'PUT', '/api/v2/organizations/me', { ...acme, name: 'Acme Corp', defaultLanguage: 'fr', supportURI: 'https://help.acme.test' });
  assert.equal(put.statusCode, 200, put.body);
  const changed = { ...acme, name: 'Acme Corp', thirdPartyOrgName: 'Acme Corp', defaultLanguage: 'fr', supportURI: 'https://help.acme.test', version: 2 };
  assert.deepEqual(put.json(), changed);
  assert.deepEqual(await read(), changed);
  // Fields left out keep their value.
  const domain = await send(admin, 'PUT', '/api/v2/organizations/me', { version: 2, domain: 'acme.test' });
  assert.deepEqual(domain.json(), { ...changed, domain: 'acme.test', version: 3 });
  // The version just used is stale now: nothing changes.
  assert.equal((await send(admin, 'PUT', '/api/v2/organizations/me', { version: 2, name: 'Acme Late' })).statusCode, 409);
  assert.equal((await read()).name, 'Acme Corp');
  // People sign in with the new name from now on; the old one names no organization.
  const { store } = t.app.tokend;
  assert.equal((await store.findOrganizationByName('ACME CORP'))?.id, ACME);
  assert.equal(await store.findOrganizationByName('acme'), null);
  // The cached token of the same organization reads its new name (users/me?expand=organization).
  const alice = await t.token(clients.passwordApp, users.alice);
  const me = await send(alice, 'GET', '/api/v2/users/me?expand=organization');
  assert.equal(me.json().organization.name, 'Acme Corp');
  assert.equal(me.json().organization.version, 3);

  // Applying the seed again (a restart with it) keeps an admin's rename.
  await applySeedText(store, t.clock, readFileSync(SEED_FILE, 'utf8'));
  assert.deepEqual([(await read()).name, (await read()).version], ['Acme Corp', 3]);

  const back = await send(admin, 'PUT', '/api/v2/organizations/me', { version: 3, name: 'Acme', defaultLanguage: 'en-us', supportURI: '', domain: '' });
  assert.deepEqual(back.json(), { ...acme, version: 4 });
});

test('oauth/scopes/{scopeId}: each scope of the catalogue, with its description; an unknown one is 404', async () => {
  const listing = (await send(admin, 'GET', '/api/v2/oauth/scopes')).json();
  for (const scope of listing.entities) {
    const one = await send(admin, 'GET', `/api/v2/oauth/scopes/${encodeURIComponent(scope.id)}`);
    assert.equal(one.statusCode, 200, one.body);
    assert.deepEqual(one.json(), scope);
  }
  assert.deepEqual((await send(admin, 'GET', '/api/v2/oauth/scopes/users:readonly')).json(), {
    id: 'users:readonly',
    description: 'View users and their details',
    selfUri: '/api/v2/oauth/scopes/users%3Areadonly',
  });
  const ids = listing.entities.map((scope: { id: string }) => scope.id);
  for (const family of ['users', 'groups', 'authorization', 'organization', 'oauth', 'identity-providers']) {
    assert.ok(ids.includes(family) && ids.includes(`${family}:readonly`), family);
  }
  assertErrorBody(await send(admin, 'GET', '/api/v2/oauth/scopes/conversations'), {
    status: 404,
    code: 'not.found',
    message: 'no OAuth scope conversations',
    entityId: 'conversations',
  });
});
