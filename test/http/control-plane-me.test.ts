/**
 * GET /api/v2/organizations/me and GET /api/v2/users/me (issue 14): the models, the expands,
 * and every refusal with its exact status, code and headers.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, type TestApp } from '../helpers/app.js';
import { HOOLI, INITECH, people, services, startReadApi } from '../helpers/readapi-fixture.js';

let t: TestApp;
let homeDivisionId: string;
before(async () => ({ t, homeDivisionId } = await startReadApi()));
after(() => t.close());

const get = (url: string, token?: string) => t.inject({ method: 'GET', url, headers: token === undefined ? {} : bearer(token) });

const initech = {
  id: INITECH,
  name: 'Initech',
  defaultLanguage: 'en-us',
  defaultCountryCode: 'US',
  thirdPartyOrgName: 'Initech',
  thirdPartyURI: '',
  domain: '',
  supportURI: '',
  // Fixed: the fields of Genesys services tokend does not run (docs/api.md, "Organization").
  features: {
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
  },
  version: 1,
  state: 'active',
  productPlatform: 'PureCloud',
  voicemailEnabled: false,
  defaultSiteId: '',
  selfUri: `/api/v2/organizations/${INITECH}`,
};

test('organizations/me: the token organization, for a client-credentials token and a user token alike', async () => {
  const response = await get('/api/v2/organizations/me', await t.token(services.bare));
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), initech);
  assert.equal(response.headers['cache-control'], 'no-cache, no-store, must-revalidate');
  assert.equal(response.headers['inin-ratelimit-count'], '1');
  assert.ok(response.headers['inin-correlation-id']);
  for (const app of [services.fullApp, services.readonlyApp]) {
    const asUser = await get('/api/v2/organizations/me', await t.token(app, people.ned));
    assert.equal(asUser.statusCode, 200, app.id);
    assert.deepEqual(asUser.json(), initech);
  }
  const hooli = await get('/api/v2/organizations/me', await t.token(services.hooli));
  assert.equal(hooli.json().id, HOOLI, "another organization's token sees its own");
  assert.equal(hooli.json().name, 'Hooli');
});

test('organizations/me: a user token of an app without scope organization is 403 app.not.authorized.for.scope', async () => {
  const response = await get('/api/v2/organizations/me', await t.token(services.basicApp, people.rita));
  assertErrorBody(response, errorBodies.scopeNotAuthorized('organization'));
});

test('users/me: the signed-in person, in the home division', async () => {
  const response = await get('/api/v2/users/me', await t.token(services.basicApp, people.rita));
  assert.equal(response.statusCode, 200);
  assert.deepEqual(response.json(), {
    id: people.rita.id,
    name: 'Rita Roles',
    division: { id: homeDivisionId, name: 'Home', selfUri: `/api/v2/authorization/divisions/${homeDivisionId}` },
    email: people.rita.email,
    state: 'active',
    username: people.rita.email,
    version: 1,
    selfUri: `/api/v2/users/${people.rita.id}`,
  });
});

test('users/me?expand=organization,token adds the organization and the TokenInfo of the calling token', async () => {
  const token = await t.token(services.readonlyApp, people.ned);
  const tokenInfo = (await get('/api/v2/tokens/me', token)).json();
  for (const query of [
    'expand=organization,token',
    'expand=organization&expand=token',
    'expand=token,%20organization&expand=presence',
    'expand=ORGANIZATION&expand=Token',
  ]) {
    const response = await get(`/api/v2/users/me?${query}`, token);
    assert.equal(response.statusCode, 200, query);
    const body = response.json();
    assert.equal(body.id, people.ned.id);
    assert.deepEqual(body.organization, initech, query);
    assert.deepEqual(body.token, tokenInfo, query);
    assert.deepEqual(body.token.authorizedScope.sort(), ['authorization:readonly', 'oauth:readonly', 'organization:readonly', 'user-basic-info']);
  }
  const one = (await get('/api/v2/users/me?expand=token', token)).json();
  assert.equal(one.organization, undefined, 'only what was asked');
  assert.deepEqual(one.token, tokenInfo);
});

test('users/me: every other expand the SDK lists is answered, the identity plane for real, the rest as for a person who never used a Genesys app', async () => {
  const token = await t.token(services.basicApp, people.ned);
  const plain = (await get('/api/v2/users/me', token)).json();
  const response = await get(
    '/api/v2/users/me?expand=presence,routingStatus,lasttokenissued&expand=authorization.unusedRoles&expand=station,skills,conversationSummary,date,orgproducts&expand=',
    token,
  );
  assert.equal(response.statusCode, 200);
  const body = response.json();
  const { presence, routingStatus, lastTokenIssued, authorization, station, skills, conversationSummary, date, orgProducts, ...rest } = body;
  assert.deepEqual(rest, plain, 'only the fields asked are added');
  assert.deepEqual(presence, { source: 'PURECLOUD', primary: true, presenceDefinition: { systemPresence: 'Offline' } });
  assert.deepEqual(routingStatus, { userId: people.ned.id, status: 'OFF_QUEUE' });
  assert.deepEqual(lastTokenIssued, { dateIssued: new Date(t.clock.now()).toISOString() }, 'the token just issued');
  assert.deepEqual(authorization.unusedRoles, []);
  assert.ok(Array.isArray(authorization.roles) && Array.isArray(authorization.permissions));
  assert.deepEqual(station, {});
  assert.deepEqual(skills, []);
  assert.deepEqual(conversationSummary.call, { contactCenter: { active: 0, acw: 0 }, enterprise: { active: 0, acw: 0 } });
  assert.deepEqual(date, { currentDate: new Date(t.clock.now()).toISOString() });
  assert.deepEqual(orgProducts, []);
});

test('users/me: a value another operation lists but getUsersMe does not, or none lists, is 400 naming it (no longer accepted and ignored)', async () => {
  const token = await t.token(services.basicApp, people.ned);
  for (const value of ['externalcontacts', 'members', 'token2']) {
    assertErrorBody(await get(`/api/v2/users/me?expand=presence,${value}`, token), {
      status: 400,
      code: 'invalid.query.param.value',
      message: `Invalid value for parameter expand: "${value}" is not an expand of getUsersMe.`,
      details: [{ errorCode: 'invalid.query.param.value', fieldName: 'expand' }],
    });
  }
});

test('users/me: an unknown expand is 400 invalid.query.param.value naming expand, and does not restart the idle clock', async () => {
  await t.app.tokend.store.setIdleTokenTimeout(INITECH, {
    enableIdleTokenTimeout: true,
    idleTokenTimeoutSeconds: 300,
    inactivityTimeoutUnit: 'Minutes',
    inactivityTimeoutGroupsEnabled: false,
    inactivityTimeoutGroupBundles: [],
  });
  t.app.tokend.authenticator.invalidate();
  try {
    const token = await t.token(services.basicApp, people.rita);
    t.clock.advance(200_000);
    const response = await get('/api/v2/users/me?expand=organization,presense', token);
    assertErrorBody(response, {
      status: 400,
      code: 'invalid.query.param.value',
      message: 'Invalid value for parameter expand: "presense" is not an expand of getUsersMe.',
      details: [{ errorCode: 'invalid.query.param.value', fieldName: 'expand' }],
    });
    t.clock.advance(150_000);
    assertErrorBody(await get('/api/v2/users/me', token), errorBodies.badCredentials);
  } finally {
    await t.app.tokend.store.setIdleTokenTimeout(INITECH, {
      enableIdleTokenTimeout: false,
      idleTokenTimeoutSeconds: 900,
      inactivityTimeoutUnit: 'Minutes',
      inactivityTimeoutGroupsEnabled: false,
      inactivityTimeoutGroupBundles: [],
    });
    t.app.tokend.authenticator.invalidate();
  }
});

test('users/me with a client-credentials token: 400 bad.request with Genesys message', async () => {
  for (const query of ['', '?expand=token', '?expand=bogus']) {
    const response = await get(`/api/v2/users/me${query}`, await t.token(services.roles));
    assertErrorBody(response, {
      status: 400,
      code: 'bad.request',
      message: 'This request requires a user context. Client credentials cannot be used for requests to this resource.',
    });
  }
});

test('both: no token is 401 authentication.required, a bad token 401 bad.credentials, with WWW-Authenticate', async () => {
  for (const url of ['/api/v2/organizations/me', '/api/v2/users/me']) {
    const none = await get(url);
    assertErrorBody(none, errorBodies.authenticationRequired);
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="tokend"');
    const bad = await get(url, 'not-a-token');
    assertErrorBody(bad, errorBodies.badCredentials);
    assert.equal(bad.headers['www-authenticate'], 'Bearer realm="tokend", error="invalid_token"');
  }
});

test('both: a revoked token is refused at once', async () => {
  const token = await t.token(services.fullApp, people.rita);
  assert.equal((await get('/api/v2/users/me', token)).statusCode, 200);
  assert.equal((await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
  assertErrorBody(await get('/api/v2/users/me', token), errorBodies.badCredentials);
  assertErrorBody(await get('/api/v2/organizations/me', token), errorBodies.badCredentials);
});
