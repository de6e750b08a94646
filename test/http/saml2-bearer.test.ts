/**
 * The SAML2 bearer grant (CONTRACT.md, "SAML2 bearer grant and identity providers"): the
 * official SDK's loginSaml2BearerGrant redeems an assertion signed with a key and self-signed
 * certificate made here; every refusal is 400 invalid_grant naming the rule, and issues nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import platformClient from 'purecloud-platform-client-v2';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { listenForSdk, sdkClientFor } from '../helpers/genesys-sdk.js';
import { rawRows } from '../helpers/raw-sql.js';
import {
  type AssertionFields,
  assertionXml,
  encode,
  encodeUrl,
  makeSigningKey,
  SAML_SEED_FILE,
  type SigningKey,
  samlClients,
  samlUsers,
  signAssertion,
} from '../helpers/saml.js';

const PUBLIC_URL = 'https://tokend.test';
const RECIPIENT = `${PUBLIC_URL}/oauth/token`;
const ISSUER = 'https://idp.initech.test/saml';
const AUDIENCE = 'urn:tokend:initech';
const SIGNATURE = 'the assertion signature is not valid';

let t: TestApp;
let port: number;
let key: SigningKey;
let otherKey: SigningKey;

before(async () => {
  // The server's default body limit: the token endpoint's own lets a 300 KiB assertion reach the grant.
  t = await startTestApp({ seedFile: SAML_SEED_FILE, publicUrl: PUBLIC_URL });
  key = makeSigningKey();
  otherKey = makeSigningKey();
  const admin = await t.token(samlClients.ssoAdmin);
  const put = await t.inject({
    method: 'PUT',
    url: '/api/v2/identityproviders/generic',
    headers: bearer(admin),
    payload: { name: 'Initech IdP', issuerURI: ISSUER, relyingPartyIdentifier: AUDIENCE, certificate: key.certificate },
  });
  assert.equal(put.statusCode, 200, put.body);
  port = await listenForSdk(t);
});
after(() => t.close());

const fields = (overrides: Partial<AssertionFields> = {}): AssertionFields => ({
  issuer: ISSUER,
  nameId: samlUsers.pat.email,
  audience: AUDIENCE,
  recipient: RECIPIENT,
  now: t.clock.now(),
  ...overrides,
});
const signed = (overrides: Partial<AssertionFields> = {}, signingKey = key) => signAssertion(assertionXml(fields(overrides)), signingKey);

function redeem(assertion: string, client = samlClients.samlApp, orgName = 'Initech') {
  return t.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer', orgName, assertion }).toString(),
  });
}

const tokensOfPat = async () =>
  Number((await rawRows<{ n: number }>(t.database, 'SELECT COUNT(*) AS n FROM tokens WHERE user_id = ?', [samlUsers.pat.id]))[0]?.n);

/** 400 invalid_grant with exactly `description`, and no token issued. */
async function refused(assertion: string, description: string, client = samlClients.samlApp, orgName = 'Initech', error = 'invalid_grant') {
  const before = await tokensOfPat();
  const response = await redeem(assertion, client, orgName);
  assert.equal(response.statusCode, 400, response.body);
  assert.deepEqual(response.json(), { error, description, error_description: description });
  assert.equal(await tokensOfPat(), before, 'nothing issued');
}

describe('a good assertion', () => {
  test("the SDK's loginSaml2BearerGrant gets a token for the person the NameID names, with the client's lifetime and the person's roles", async () => {
    const client = sdkClientFor(port);
    // The SDK implements loginSaml2BearerGrant (ApiClient.js) but its typings omit it.
    const saml = client as unknown as {
      loginSaml2BearerGrant(id: string, secret: string, orgName: string, assertion: string): Promise<{ accessToken: string }>;
    };
    const auth = await saml.loginSaml2BearerGrant(samlClients.samlApp.id, samlClients.samlApp.secret, 'Initech', encode(signed()));
    assert.equal(typeof auth.accessToken, 'string');
    const me = await new platformClient.UsersApi(client).getUsersMe({ expand: ['authorization'] });
    assert.equal(me.id, samlUsers.pat.id);
    assert.equal(me.email, samlUsers.pat.email);
    assert.deepEqual(
      me.authorization?.roles?.map((role) => role.name),
      ['Agent'],
    );
    const info = await new platformClient.TokensApi(client).getTokensMe();
    assert.equal(info.OAuthClient?.id, samlClients.samlApp.id);
  });

  test('base64url, an orgName in another letter case and the /saml Recipient alias are accepted; expires_in is the client lifetime', async () => {
    const response = await redeem(encodeUrl(signed({ recipient: `${PUBLIC_URL}/saml` })), samlClients.samlApp, 'INITECH');
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.json().expires_in, 900);
    assert.equal(response.json().token_type, 'bearer');
  });

  test('times within 60 s of skew are accepted', async () => {
    const now = t.clock.now();
    const early = await redeem(encode(signed({ notBefore: now + 59_000, notOnOrAfter: now + 300_000 })));
    assert.equal(early.statusCode, 200, early.body);
    const late = await redeem(encode(signed({ now: now - 300_000, validMs: 241_000 })));
    assert.equal(late.statusCode, 200, late.body);
  });
});

describe('refusals: 400 invalid_grant naming the rule, nothing issued', () => {
  test("another key's signature", () => refused(encode(signed({}, otherKey)), SIGNATURE));

  test('a NameID changed after signing', async () => {
    const xml = signed().replace(samlUsers.pat.email, samlUsers.ivy.email);
    await refused(encode(xml), SIGNATURE);
  });

  test('an Audience changed after signing', () => refused(encode(signed().replace(AUDIENCE, 'urn:other')), SIGNATURE));

  test('an unsigned assertion', () => refused(encode(assertionXml(fields())), SIGNATURE));

  test('expired (beyond the skew)', () => refused(encode(signed({ now: t.clock.now() - 400_000, validMs: 339_000 })), 'the assertion has expired'));

  test('not yet valid beyond the skew', async () => {
    const now = t.clock.now();
    await refused(encode(signed({ notBefore: now + 61_000, notOnOrAfter: now + 300_000 })), 'the assertion is not yet valid');
  });

  test('wrong Audience', () =>
    refused(encode(signed({ audience: 'urn:someone-else' })), "the assertion's Audience is not the identity provider's relyingPartyIdentifier"));

  test('wrong Issuer', () =>
    refused(encode(signed({ issuer: 'https://idp.evil.test/saml' })), "the assertion's Issuer is not an enabled identity provider of the organization"));

  test('a replay', async () => {
    const assertion = encode(signed());
    assert.equal((await redeem(assertion)).statusCode, 200);
    await refused(assertion, 'the assertion was already redeemed');
    // The same assertion sent as base64url is the same assertion.
    await refused(encodeUrl(Buffer.from(assertion, 'base64').toString('utf8')), 'the assertion was already redeemed');
  });

  test('SHA-1 in the signature method or in the digest', async () => {
    const sha1Signature = signAssertion(assertionXml(fields()), key, { signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' });
    await refused(encode(sha1Signature), 'SHA-1 is refused: sign with RSA-SHA256 or stronger');
    const sha1Digest = signAssertion(assertionXml(fields()), key, { digestAlgorithm: 'http://www.w3.org/2000/09/xmldsig#sha1' });
    await refused(encode(sha1Digest), 'SHA-1 is refused: sign with RSA-SHA256 or stronger');
  });

  test('an unknown email, and a person who is not active', async () => {
    const person = "the assertion's NameID is not the email of an active person of the organization";
    await refused(encode(signed({ nameId: 'nobody@initech.test' })), person);
    await refused(encode(signed({ nameId: samlUsers.ivy.email })), person);
  });

  test("another organization's orgName, and an unknown one", async () => {
    await refused(encode(signed()), "orgName does not name the client's organization", samlClients.samlApp, 'Umbrella');
    await refused(encode(signed()), "orgName does not name the client's organization", samlClients.samlApp, 'Nowhere');
    // Umbrella's own SAML client: Umbrella has no provider for this issuer (one issuer may serve several organizations, each its own).
    await refused(encode(signed()), "the assertion's Issuer is not an enabled identity provider of the organization", samlClients.umbrellaSaml, 'Umbrella');
  });

  test('a client that is not SAML2-BEARER is unauthorized_client', async () => {
    const response = await redeem(encode(signed()), samlClients.passwordApp);
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), {
      error: 'unauthorized_client',
      description: 'client is not authorized to use grant type urn:ietf:params:oauth:grant-type:saml2-bearer',
      error_description: 'client is not authorized to use grant type urn:ietf:params:oauth:grant-type:saml2-bearer',
    });
  });

  test('a 300 KiB assertion is invalid_grant (below the body limit)', async () => {
    const padding = `<saml2:Advice>${'<!-- pad -->'.repeat((300 * 1024) / 12)}</saml2:Advice>`;
    const big = signed().replace('</saml2:Assertion>', `${padding}</saml2:Assertion>`);
    assert.ok(Buffer.byteLength(big) > 300 * 1024);
    await refused(encode(big), 'the assertion is larger than 256 KiB');
  });

  test('an assertion with a DOCTYPE, an entity, or not XML', async () => {
    const doctype = `<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "pat@initech.test">]>${signed()}`;
    await refused(encode(doctype), 'the assertion may not declare a DOCTYPE or entities');
    await refused(encode('<saml2:Assertion'), 'the assertion is not well-formed XML');
    await refused('***', 'the assertion is not base64 or base64url');
  });

  test('a missing or wrong Recipient', async () => {
    const recipient = 'the assertion has no bearer SubjectConfirmation whose Recipient is this token endpoint';
    await refused(encode(signed({ recipient: null })), recipient);
    await refused(encode(signed({ recipient: 'https://elsewhere.test/oauth/token' })), recipient);
    await refused(encode(signed({ recipient: `${PUBLIC_URL}/oauth/token/` })), recipient);
  });

  test('a Response wrapping the assertion', async () => {
    const response = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0">${signed()}</samlp:Response>`;
    await refused(encode(response), 'the document must be one saml2:Assertion element');
  });
});

describe('signature wrapping', () => {
  const evil = (id: string) =>
    assertionXml({ id, issuer: ISSUER, nameId: samlUsers.ivy.email, audience: AUDIENCE, recipient: RECIPIENT, now: t.clock.now() }).replace(
      /^<saml2:Assertion /,
      '<saml2:Assertion ',
    );

  test('a signed assertion plus an unsigned one with another NameID, in each order and nesting', async () => {
    const good = signed();
    const id = /ID="([^"]+)"/.exec(good)?.[1] as string;
    const unsigned = evil('_evil');
    const sameId = evil(id);
    const inner = (xml: string) => xml.replace(/^<saml2:Assertion [^>]*>/, '').replace(/<\/saml2:Assertion>$/, '');
    const variants = {
      // The forged assertion as the document, the signed one inside it (after its Issuer, or at its end).
      'signed nested in a forged root': unsigned.replace('</saml2:Issuer>', `</saml2:Issuer>${good}`),
      'signed nested last in a forged root': unsigned.replace('</saml2:Assertion>', `${good}</saml2:Assertion>`),
      'signed nested in a forged root with the same ID': sameId.replace('</saml2:Issuer>', `</saml2:Issuer>${good}`),
      // The signed assertion as the document, a forged one inside it.
      'forged nested in the signed root': good.replace('</saml2:Assertion>', `${unsigned}</saml2:Assertion>`),
      'forged with the same ID nested in the signed root': good.replace('</saml2:Assertion>', `${sameId}</saml2:Assertion>`),
      // Two assertions side by side (not one document), in each order.
      'signed then forged': `<w>${good}${unsigned}</w>`,
      'forged then signed': `<w>${unsigned}${good}</w>`,
      // The signed assertion's signature moved into a forged root whose body is the forged one.
      'signature moved to a forged root': `${sameId.replace('</saml2:Assertion>', '')}${/<ds:Signature[\s\S]*<\/ds:Signature>/.exec(good)?.[0]}${inner(good)
        .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
        .replace(/<saml2:Issuer>[^<]*<\/saml2:Issuer>/, '')}</saml2:Assertion>`,
      // A second Subject after the signed one.
      'a second Subject': good.replace(
        '</saml2:Subject>',
        `</saml2:Subject><saml2:Subject><saml2:NameID>${samlUsers.ivy.email}</saml2:NameID></saml2:Subject>`,
      ),
      // A comment inside the NameID (signed without it; it must not shorten or change the value read).
      'a comment inside the NameID': good.replace(samlUsers.pat.email, `${samlUsers.ivy.email}<!-- -->.x`),
    };
    for (const [name, xml] of Object.entries(variants)) {
      const before = await tokensOfPat();
      const response = await redeem(encode(xml));
      assert.equal(response.statusCode, 400, `${name}: ${response.body}`);
      const expected = xml.startsWith('<w>') ? 'the document must be one saml2:Assertion element' : SIGNATURE;
      assert.deepEqual(response.json(), { error: 'invalid_grant', description: expected, error_description: expected }, name);
      assert.equal(await tokensOfPat(), before, name);
    }
  });

  test('a comment in a signed NameID never shortens the value read', async () => {
    // Signed with the comment: canonical XML drops it, and the whole address is read.
    const commented = signAssertion(assertionXml(fields({ nameId: `pat@initech.test<!--x-->` })), key);
    const response = await redeem(encode(commented));
    assert.equal(response.statusCode, 200, response.body);
    const truncating = signAssertion(assertionXml(fields({ nameId: `pat<!--x-->@initech.test.evil` })), key);
    await refused(encode(truncating), "the assertion's NameID is not the email of an active person of the organization");
  });
});

describe('providers', () => {
  test('a disabled provider verifies nothing; enabled again it does; a new certificate applies from the next request', async () => {
    const admin = await t.token(samlClients.ssoAdmin);
    const base = { name: 'Initech IdP', issuerURI: ISSUER, relyingPartyIdentifier: AUDIENCE };
    const put = (body: object) => t.inject({ method: 'PUT', url: '/api/v2/identityproviders/generic', headers: bearer(admin), payload: body });
    assert.equal((await put({ ...base, certificate: key.certificate, disabled: true })).statusCode, 200);
    await refused(encode(signed()), "the assertion's Issuer is not an enabled identity provider of the organization");
    assert.equal((await put({ ...base, certificate: otherKey.certificate })).statusCode, 200);
    await refused(encode(signed()), SIGNATURE);
    assert.equal((await redeem(encode(signed({}, otherKey)))).statusCode, 200);
    assert.equal((await put({ ...base, certificates: [otherKey.certificate, key.certificate] })).statusCode, 200);
    assert.equal((await redeem(encode(signed()))).statusCode, 200);
  });

  test('a certificate that expired since it was stored verifies nothing', async () => {
    const admin = await t.token(samlClients.ssoAdmin);
    const shortLived = makeSigningKey(1);
    const umbrellaAdmin = await t.token(samlClients.umbrellaAdmin);
    const put = await t.inject({
      method: 'PUT',
      url: '/api/v2/identityproviders/okta',
      headers: bearer(umbrellaAdmin),
      payload: { issuerURI: 'https://umbrella.okta.test', relyingPartyIdentifier: 'urn:tokend:umbrella', certificate: shortLived.certificate },
    });
    assert.equal(put.statusCode, 200, put.body);
    const umbrella = (extra: Partial<AssertionFields> = {}) =>
      encode(signAssertion(assertionXml(fields({ issuer: 'https://umbrella.okta.test', audience: 'urn:tokend:umbrella', ...extra })), shortLived));
    assert.equal((await redeem(umbrella(), samlClients.umbrellaSaml, 'Umbrella')).statusCode, 200);
    // Two days on: the certificate has expired.
    const [cert] = (await (await t.inject({ method: 'GET', url: '/api/v2/identityproviders/okta', headers: bearer(umbrellaAdmin) })).json()).certificates;
    assert.ok(cert);
    t.clock.advance(Date.now() - t.clock.now() + 2 * 86_400_000);
    await refused(umbrella(), SIGNATURE, samlClients.umbrellaSaml, 'Umbrella');
    assert.ok(admin);
  });
});
