/**
 * The organization, the OAuth scopes and OAuth client usage through the official Genesys SDK,
 * unchanged (`OrganizationApi`: getOrganizationsMe, putOrganizationsMe; `OAuthApi`: getOauthScope,
 * postOauthClientUsageQuery, getOauthClientUsageQueryResult, getOauthClientUsageSummary), against
 * a listening tokend: SQLite, or PostgreSQL under TOKEND_TEST_DATABASE=postgres. The SDK's
 * getTokensMe goes through the fast lane, which counts its requests too.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { systemClock } from '../../src/core/clock.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients } from '../helpers/fixture.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';

let t: TestApp;
let port: number;
before(async () => {
  // A real clock: the SDK computes expiry from the wall clock.
  t = await startTestApp({ clock: systemClock as never });
  port = await listenForSdk(t);
});
after(() => t.close());

async function sdkAs(client: { id: string; secret: string }) {
  const sdk = sdkClientFor(port);
  await sdk.loginClientCredentialsGrant(client.id, client.secret);
  return { organization: new platformClient.OrganizationApi(sdk), oauth: new platformClient.OAuthApi(sdk), tokens: new platformClient.TokensApi(sdk) };
}

test('OrganizationApi: getOrganizationsMe answers every Organization field; putOrganizationsMe changes it at the version read, and refuses a stale one', async () => {
  const { organization } = await sdkAs(clients.admin);
  const acme = await organization.getOrganizationsMe();
  assert.deepEqual(
    [acme.id, acme.name, acme.thirdPartyOrgName, acme.version, acme.state, acme.productPlatform, acme.voicemailEnabled, acme.defaultSiteId],
    [ACME, 'Acme', 'Acme', 1, 'active', 'PureCloud', false, ''],
  );
  assert.deepEqual(
    [acme.defaultLanguage, acme.defaultCountryCode, acme.domain, acme.thirdPartyURI, acme.supportURI, acme.selfUri],
    ['en-us', 'US', '', '', '', `/api/v2/organizations/${ACME}`],
  );
  assert.equal(acme.features?.directory, true);
  assert.equal(acme.features?.contactCenter, false);

  const changed = await organization.putOrganizationsMe({ body: { ...acme, name: 'Acme SDK', defaultCountryCode: 'CA' } });
  assert.deepEqual(changed, { ...acme, name: 'Acme SDK', thirdPartyOrgName: 'Acme SDK', defaultCountryCode: 'CA', version: 2 });
  assert.deepEqual(await organization.getOrganizationsMe(), changed);
  await assert.rejects(
    organization.putOrganizationsMe({ body: { ...acme, name: 'Acme Stale' } }),
    refusedWith(409, 'general.conflict', /no longer at version 1/),
  );
  await assert.rejects(
    organization.putOrganizationsMe({ body: { ...changed, name: 'Globex' } }),
    refusedWith(409, 'general.conflict', /another organization is named/),
  );
  const { organization: plain } = await sdkAs(clients.plain);
  await assert.rejects(plain.putOrganizationsMe({ body: changed }), refusedWith(403, 'missing.any.permissions', /directory:organization:admin/));
  assert.deepEqual(await organization.getOrganizationsMe(), changed);
  assert.equal((await organization.putOrganizationsMe({ body: { ...changed, name: 'Acme', defaultCountryCode: 'US' } })).version, 3);
});

test('OAuthApi: getOauthScope for each scope of the catalogue; an unknown scope is 404', async () => {
  const { oauth } = await sdkAs(clients.wildcard);
  const listing = await oauth.getOauthScopes();
  for (const scope of listing.entities ?? []) assert.deepEqual(await oauth.getOauthScope(scope.id as string), scope);
  assert.deepEqual(await oauth.getOauthScope('identity-providers:readonly'), {
    id: 'identity-providers:readonly',
    description: 'View identity providers',
    selfUri: '/api/v2/oauth/scopes/identity-providers%3Areadonly',
  });
  await assert.rejects(oauth.getOauthScope('routing'), refusedWith(404, 'not.found', /no OAuth scope routing/));
});

test("OAuthApi usage: the client's requests (the fast lane's among them) appear after a flush, by query and by summary", async () => {
  const { oauth, tokens } = await sdkAs(clients.wildcard);
  const answeredBefore = t.app.fastLane?.answered ?? 0;
  for (let i = 0; i < 3; i++) await tokens.getTokensMe();
  // A token issued here is cached as it is stored, so the fast lane answers its requests (a reload after a change would go to Fastify's route).
  assert.ok((t.app.fastLane?.answered ?? 0) - answeredBefore >= 2, 'the fast lane answered them');
  await t.app.tokend.clientUsage.flush();

  const day = new Date().toISOString().slice(0, 10);
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
  const execution = await oauth.postOauthClientUsageQuery(clients.wildcard.id, {
    interval: `${day}T00:00:00Z/${next}`,
    metrics: ['Requests'],
    groupBy: ['TemplateUri', 'HttpMethod'],
  });
  assert.ok(execution.executionId);
  assert.equal(execution.resultsUri, `/api/v2/oauth/clients/${clients.wildcard.id}/usage/query/results/${execution.executionId}`);
  const result = await oauth.getOauthClientUsageQueryResult(execution.executionId as string, clients.wildcard.id);
  assert.equal(result.queryStatus, 'Complete');
  const tokensMe = result.results?.find((row) => row.templateUri === '/api/v2/tokens/me' && row.httpMethod === 'GET');
  assert.deepEqual(tokensMe, {
    clientId: clients.wildcard.id,
    clientName: 'Wildcard service',
    templateUri: '/api/v2/tokens/me',
    httpMethod: 'GET',
    requests: 3,
  });

  const summary = await oauth.getOauthClientUsageSummary(clients.wildcard.id, { days: '7' });
  const summed = await oauth.getOauthClientUsageQueryResult(summary.executionId as string, clients.wildcard.id);
  const today = summed.results?.find((row) => row.date === `${day}T00:00:00.000Z`);
  assert.ok((today?.requests ?? 0) >= 3, JSON.stringify(summed));
  // Every status class, with the 404 of the unknown scope above.
  assert.equal(
    (today?.status200 ?? 0) + (today?.status400 ?? 0) + (today?.status300 ?? 0) + (today?.status429 ?? 0) + (today?.status500 ?? 0),
    today?.requests,
  );
  assert.ok((today?.status400 ?? 0) >= 1);

  await assert.rejects(oauth.postOauthClientUsageQuery(clients.wildcard.id, { interval: 'yesterday' }), refusedWith(400, 'invalid.value', /interval/));
  await assert.rejects(oauth.getOauthClientUsageQueryResult('unknown', clients.wildcard.id), refusedWith(404, 'not.found'));
  await assert.rejects(oauth.getOauthClientUsageSummary(clients.globex.id), refusedWith(404, 'not.found'));
  const { oauth: plain } = await sdkAs(clients.plain);
  await assert.rejects(
    plain.postOauthClientUsageQuery(clients.wildcard.id, { interval: `${day}T00:00:00Z/${next}` }),
    refusedWith(403, 'missing.any.permissions', /oauth:client:view, usage:client:view/),
  );
});
