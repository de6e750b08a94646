/**
 * `tokend idp list|set|delete` on the store a running tokend serves from: a provider set by
 * the command line is what the API answers and what the SAML2 bearer grant verifies with, at
 * once; a bad certificate is refused with nothing changed.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { assertionXml, encode, makeSigningKey, SAML_SEED_FILE, type SigningKey, samlClients, samlUsers, signAssertion } from '../helpers/saml.js';
import { cliHome, json } from './helpers.js';

let t: TestApp;
let key: SigningKey;
let certificateFile: string;
const cli = cliHome();
const admin = (args: string[]) => cli.run(args, { env: { TOKEND_DATABASE: t.database } });
before(async () => {
  t = await startTestApp({ seedFile: SAML_SEED_FILE, publicUrl: 'https://tokend.test' });
  key = makeSigningKey();
  certificateFile = join(t.dir, 'idp.pem');
  writeFileSync(certificateFile, key.certificate);
});
after(async () => {
  await t.close();
  cli.dispose();
});

const redeem = () =>
  t.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic(samlClients.samlApp.id, samlClients.samlApp.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:saml2-bearer',
      orgName: 'Initech',
      assertion: encode(
        signAssertion(
          assertionXml({
            issuer: 'http://www.okta.com/exk1',
            nameId: samlUsers.pat.email,
            audience: 'urn:tokend:initech',
            recipient: 'https://tokend.test/saml',
            now: t.clock.now(),
          }),
          key,
        ),
      ),
    }).toString(),
  });

test('idp set okta stores the provider the API answers and the grant verifies with; list shows it; delete ends it', async () => {
  const set = await admin([
    'idp',
    'set',
    'okta',
    '--org',
    'Initech',
    '--issuer',
    'http://www.okta.com/exk1',
    '--audience',
    'urn:tokend:initech',
    '--certificate-file',
    certificateFile,
  ]);
  assert.equal(set.code, 0, set.stderr);
  const shown = json<{ id: string; name: string; selfUri: string; organization: unknown }>(set);
  assert.equal(shown.name, 'Okta');
  assert.equal(shown.selfUri, '/api/v2/identityproviders/okta');
  assert.deepEqual(shown.organization, { id: '33333333-3333-4333-8333-333333333333', name: 'Initech' });
  const viaApi = await t.inject({ method: 'GET', url: '/api/v2/identityproviders/okta', headers: bearer(await t.token(samlClients.ssoAdmin)) });
  assert.equal(viaApi.json().id, shown.id);
  assert.equal((await redeem()).statusCode, 200);

  const listed = await admin(['idp', 'list', '--org', 'Initech', '--json']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.deepEqual(
    json<Array<{ id: string; issuerURI: string }>>(listed).map((p) => [p.id, p.issuerURI]),
    [[shown.id, 'http://www.okta.com/exk1']],
  );

  writeFileSync(join(t.dir, 'bad.pem'), 'not a certificate');
  const bad = await admin(['idp', 'set', 'okta', '--org', 'Initech', '--issuer', 'x', '--audience', 'y', '--certificate-file', join(t.dir, 'bad.pem')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /certificate/);
  assert.equal((await redeem()).statusCode, 200, 'nothing changed');

  const deleted = await admin(['idp', 'delete', 'okta', '--org', 'Initech']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const refused = await redeem();
  assert.equal(refused.statusCode, 400);
  assert.equal(refused.json().description, "the assertion's Issuer is not an enabled identity provider of the organization");
});
