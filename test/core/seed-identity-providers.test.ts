/**
 * A seed's identity providers: written through the admin core's rules (certificates PEM or base64
 * DER), idempotent (a vendor slot keeps its id), and a bad certificate refuses the whole file
 * with its path, nothing written. On the suite's backend (SQLite, or PostgreSQL).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { organizationSeedId } from '../../src/core/seed/ids.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { SeedError } from '../../src/core/seed/validate.js';
import type { Store } from '../../src/store/store.js';
import { openBackendStore } from '../helpers/backend-store.js';
import { bareBase64, makeSigningKey } from '../helpers/saml.js';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
let store: Store;
let close: () => Promise<void>;
const key = makeSigningKey();
const ORG = organizationSeedId({ name: 'Hooli' });

before(async () => {
  ({ store, close } = await openBackendStore('seed-idp'));
});
after(() => close());

const seed = (providers: unknown[]) => JSON.stringify({ organizations: [{ name: 'Hooli', identityProviders: providers }] });

test('a seed writes vendor and custom providers, and applying it again keeps their ids', async () => {
  const providers = [
    { kind: 'okta', issuerURI: 'http://www.okta.com/exk1', relyingPartyIdentifier: 'urn:tokend:hooli', certificate: key.certificate },
    { kind: 'custom', name: 'Azure AD', issuerURI: 'https://sts.windows.test/t/', certificates: [bareBase64(key.certificate)] },
  ];
  await applySeedText(store, clock, seed(providers));
  const first = await store.listIdentityProviders(ORG);
  assert.deepEqual(
    first.map((p) => [p.kind, p.fields.name, p.fields.issuerURI]),
    [
      ['okta', 'Okta', 'http://www.okta.com/exk1'],
      ['custom', 'Azure AD', 'https://sts.windows.test/t/'],
    ],
  );
  assert.match(first[1]?.fields.certificates[0] ?? '', /^-----BEGIN CERTIFICATE-----/);
  await applySeedText(store, clock, seed(providers));
  assert.deepEqual(
    (await store.listIdentityProviders(ORG)).map((p) => p.id),
    first.map((p) => p.id),
  );
});

test('a bad certificate refuses the whole file with its path, and nothing changes', async () => {
  const before = await store.listIdentityProviders(ORG);
  await assert.rejects(
    applySeedText(store, clock, seed([{ kind: 'okta', issuerURI: 'http://www.okta.com/other', certificate: 'nope' }])),
    (error: SeedError) => {
      assert.ok(error instanceof SeedError);
      assert.equal(error.message, 'organizations[0].identityProviders[0]: certificate: is not an X.509 certificate (PEM or base64 DER)');
      return true;
    },
  );
  assert.deepEqual(await store.listIdentityProviders(ORG), before);
});
