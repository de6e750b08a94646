/**
 * The identity providers API (IdentityProviderApi): the listing, the vendor paths and custom
 * providers, by raw HTTP and through the official SDK; sso:provider:* permissions; certificates
 * PEM or bare base64 DER, an unparsable or expired one 400 with nothing changed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, refusedWith, sdkClientFor } from '../helpers/genesys-sdk.js';
import { bareBase64, makeSigningKey, SAML_SEED_FILE, type SigningKey, samlClients } from '../helpers/saml.js';

let t: TestApp;
let port: number;
let key: SigningKey;
let admin: string;

before(async () => {
  t = await startTestApp({ seedFile: SAML_SEED_FILE, publicUrl: 'https://tokend.test' });
  key = makeSigningKey();
  admin = await t.token(samlClients.ssoAdmin);
  port = await listenForSdk(t);
});
after(() => t.close());

const request = (method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, token: string, payload?: object) =>
  t.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
const provider = (extra: object = {}) => ({
  issuerURI: 'https://idp.initech.test',
  relyingPartyIdentifier: 'urn:tokend',
  certificate: key.certificate,
  ...extra,
});

test('vendor paths: PUT creates (sso:provider:add) or replaces (sso:provider:edit); GET answers it; DELETE ends it', async () => {
  assertErrorBody(await request('GET', '/api/v2/identityproviders/okta', admin), {
    ...errorBodies.notFound,
    message: 'No Okta identity provider is configured.',
  });
  const put = await request('PUT', '/api/v2/identityproviders/okta', admin, provider({ metadataURL: 'https://unreachable.invalid/metadata' }));
  assert.equal(put.statusCode, 200, put.body);
  const body = put.json();
  assert.equal(body.name, 'Okta');
  assert.equal(body.disabled, false);
  assert.equal(body.issuerURI, 'https://idp.initech.test');
  assert.equal(body.relyingPartyIdentifier, 'urn:tokend');
  assert.equal(body.metadataURL, 'https://unreachable.invalid/metadata');
  assert.equal(body.certificate.trim(), key.certificate.trim());
  assert.deepEqual(body.certificates, [body.certificate]);
  assert.equal(body.selfUri, '/api/v2/identityproviders/okta');
  const got = await request('GET', '/api/v2/identityproviders/okta', admin);
  assert.deepEqual(got.json(), body);

  // An editor may replace it but not create another vendor's.
  const editor = await t.token(samlClients.ssoEditor);
  const replaced = await request('PUT', '/api/v2/identityproviders/okta', editor, provider({ name: 'Okta (EU)', certificate: bareBase64(key.certificate) }));
  assert.equal(replaced.statusCode, 200, replaced.body);
  assert.equal(replaced.json().id, body.id);
  assert.equal(replaced.json().name, 'Okta (EU)');
  assert.equal(replaced.json().metadataURL, undefined, 'a PUT replaces the provider whole');
  assertErrorBody(await request('PUT', '/api/v2/identityproviders/adfs', editor, provider()), errorBodies.missingAnyPermissions('sso:provider:add'));
  assertErrorBody(await request('DELETE', '/api/v2/identityproviders/okta', editor), errorBodies.missingAnyPermissions('sso:provider:delete'));

  const viewer = await t.token(samlClients.ssoViewer);
  assert.equal((await request('GET', '/api/v2/identityproviders/okta', viewer)).statusCode, 200);
  assertErrorBody(
    await request('PUT', '/api/v2/identityproviders/okta', viewer, provider()),
    errorBodies.missingAnyPermissions('sso:provider:add', 'sso:provider:edit'),
  );

  assert.equal((await request('DELETE', '/api/v2/identityproviders/okta', admin)).statusCode, 200);
  assert.equal((await request('GET', '/api/v2/identityproviders/okta', admin)).statusCode, 404);
  assert.equal((await request('DELETE', '/api/v2/identityproviders/okta', admin)).statusCode, 404);
});

test('bad certificates and a missing issuer are 400 naming the field, and nothing changes', async () => {
  assert.equal((await request('PUT', '/api/v2/identityproviders/ping', admin, provider())).statusCode, 200);
  const before = (await request('GET', '/api/v2/identityproviders/ping', admin)).json();
  const invalid = (fieldName: string, message: string) => ({
    status: 400,
    code: 'invalid.value',
    message: `${fieldName}: ${message}`,
    details: [{ errorCode: 'invalid.value', fieldName }],
  });
  const cases: Array<[object, ReturnType<typeof invalid>]> = [
    [provider({ certificate: 'not a certificate' }), invalid('certificate', 'is not an X.509 certificate (PEM or base64 DER)')],
    [
      provider({ certificate: undefined, certificates: [key.certificate, 'TUlJQg=='] }),
      invalid('certificates[1]', 'is not an X.509 certificate (PEM or base64 DER)'),
    ],
    [provider({ certificate: undefined }), invalid('certificate', 'at least one signing certificate (PEM or base64 DER) is required')],
    [provider({ issuerURI: ' ' }), invalid('issuerURI', "is required: the Issuer of the provider's assertions")],
  ];
  for (const [body, expected] of cases) assertErrorBody(await request('PUT', '/api/v2/identityproviders/ping', admin, body), expected);
  // Expired: the clock moved past the certificate's end.
  const shortLived = makeSigningKey(1);
  t.clock.advance(Date.now() - t.clock.now() + 2 * 86_400_000);
  const expired = await request(
    'PUT',
    '/api/v2/identityproviders/ping',
    await t.token(samlClients.ssoAdmin),
    provider({ certificate: shortLived.certificate }),
  );
  assert.equal(expired.statusCode, 400, expired.body);
  assert.match(expired.json().message, /^certificate: expired on /);
  assert.deepEqual((await request('GET', '/api/v2/identityproviders/ping', await t.token(samlClients.ssoAdmin))).json(), before);
});

test('custom providers through the SDK: post, get, put, list, delete; the listing holds every provider in one page', async () => {
  const client = sdkClientFor(port);
  await client.loginClientCredentialsGrant(samlClients.ssoAdmin.id, samlClients.ssoAdmin.secret);
  const api = new platformClient.IdentityProviderApi(client);
  const created = await api.postIdentityproviders({
    name: 'Azure AD',
    issuerURI: 'https://sts.windows.test/tenant/',
    relyingPartyIdentifier: 'urn:tokend',
    certificate: key.certificate,
  });
  assert.equal(created.name, 'Azure AD');
  assert.equal(created.selfUri, `/api/v2/identityproviders/${created.id}`);
  assert.deepEqual(await api.getIdentityprovider(created.id as string), created);
  const updated = await api.putIdentityprovider(created.id as string, { ...created, disabled: true });
  assert.equal(updated.disabled, true);
  const generic = await api.putIdentityprovidersGeneric({ name: 'Generic', issuerURI: 'https://generic.test', certificates: [key.certificate] });
  assert.equal(generic.name, 'Generic');
  assert.equal((await api.getIdentityprovidersGeneric()).issuerURI, 'https://generic.test');
  const listing = await api.getIdentityproviders();
  const names = listing.entities?.map((p) => p.name);
  assert.ok(names?.includes('Azure AD') && names.includes('Generic'), JSON.stringify(names));
  assert.equal(listing.total, listing.entities?.length);
  assert.equal(listing.pageCount, 1);
  await api.deleteIdentityprovider(created.id as string);
  await assert.rejects(api.getIdentityprovider(created.id as string), refusedWith(404, 'not.found'));
  await api.deleteIdentityprovidersGeneric();
  await assert.rejects(api.getIdentityprovidersGeneric(), refusedWith(404, 'not.found'));
});

test("another organization's providers are not seen, and a caller without sso permissions is refused", async () => {
  // Earlier tests moved the clock past the certificate made in before(): a fresh one, a fresh token.
  key = makeSigningKey();
  admin = await t.token(samlClients.ssoAdmin);
  assert.equal((await request('PUT', '/api/v2/identityproviders/gsuite', admin, provider())).statusCode, 200);
  const umbrella = await t.token(samlClients.umbrellaAdmin);
  assert.equal((await request('GET', '/api/v2/identityproviders/gsuite', umbrella)).statusCode, 404);
  assert.deepEqual((await request('GET', '/api/v2/identityproviders', umbrella)).json().entities, []);
  const none = await t.token(samlClients.ssoViewer);
  assertErrorBody(await request('DELETE', '/api/v2/identityproviders/gsuite', none), errorBodies.missingAnyPermissions('sso:provider:delete'));
});
