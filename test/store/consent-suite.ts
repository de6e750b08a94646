/**
 * The consent part of the store suite (core/ports/consent-port.ts; CONTRACT.md, "Consent"), run
 * on every backend: Allows round-trip and are replaced whole, "Remove access" ends what the app
 * holds for the person and nothing else, a client's changed redirect URIs or scopes void the
 * Allows given to it (through the API's update and through a seed alike), deleting the client
 * deletes them, and a client's pre-authorized flag round-trips.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import { consentTerms } from '../../src/core/consent/terms.js';
import type { Client, OAuthAuthorization } from '../../src/core/models.js';
import type { SqlDriver } from '../../src/store/sql/sql-driver.js';
import type { Store } from '../../src/store/store.js';
import { type Backend, useBackend } from '../helpers/backend-store.js';
import { codeOf } from './codes.js';
import { clientOf, T0, tokenOf, userOf, world, type World } from './fixtures.js';

/** A world whose client is a CODE app, and a second CODE app of the same organization. */
function browserWorld(): World & { other: Client } {
  const w = world();
  const code = (client: Client): Client => ({
    ...client,
    authorizedGrantType: 'CODE',
    roleDivisions: [],
    scope: ['authorization'],
    registeredRedirectUri: ['https://app.test/callback', 'http://127.0.0.1/callback'],
  });
  const client = code(w.client);
  const other = code(clientOf(w.organization.id));
  const plan = { organizations: [{ ...(w.plan.organizations[0] as (typeof w.plan.organizations)[number]), clients: [client, other] }] };
  return { ...w, client, other, plan };
}

function allowOf(w: World, client: Client, overrides: Partial<OAuthAuthorization> = {}): OAuthAuthorization {
  return {
    userId: w.user.id,
    clientId: client.id,
    organizationId: w.organization.id,
    scopes: ['authorization', 'user-basic-info'],
    clientTerms: consentTerms(client),
    dateCreated: T0,
    dateModified: T0,
    createdBy: w.user.id,
    modifiedBy: w.user.id,
    ...overrides,
  };
}

export async function consentStoreSuite(backend: Backend): Promise<void> {
  describe(`consent store suite on ${backend.name}`, { skip: (await backend.unavailable()) ?? false }, () => {
    let store: Store;
    let second: Store;
    useBackend(backend, (nodes) => ({ store, second } = nodes));

    test('an Allow round-trips every field, a second one replaces it whole, and a person lists only their own', async () => {
      const w = browserWorld();
      await store.applySeed(w.plan);
      const first = allowOf(w, w.client);
      await store.saveAuthorization(first);
      assert.deepEqual(await second.findAuthorization(w.user.id, w.client.id), first);
      const wider = allowOf(w, w.client, { scopes: ['a', 'b'], dateCreated: T0 + 1, dateModified: T0 + 2, createdBy: null, clientTerms: 'other' });
      await second.saveAuthorization(wider);
      assert.deepEqual(await store.findAuthorization(w.user.id, w.client.id), wider);
      const later = allowOf(w, w.other, { dateCreated: T0 + 5 });
      await store.saveAuthorization(later);
      assert.deepEqual(await store.listUserAuthorizations(w.user.id), [wider, later], 'oldest first');
      assert.deepEqual(await store.listUserAuthorizations(randomUUID()), []);
      assert.equal(await store.findAuthorization(randomUUID(), w.client.id), null);
    });

    test('an Allow for a client or a person that does not exist records nothing', async () => {
      const w = browserWorld();
      await store.applySeed(w.plan);
      await store.saveAuthorization(allowOf(w, clientOf(w.organization.id)));
      await store.saveAuthorization({ ...allowOf(w, w.client), userId: randomUUID() });
      assert.deepEqual(await store.listUserAuthorizations(w.user.id), []);
    });

    test("Remove access ends the app's tokens and codes for the person in one transaction; nothing else, and nothing without an Allow", async () => {
      const w = browserWorld();
      const stranger = userOf(w.organization.id);
      const organization = w.plan.organizations[0] as (typeof w.plan.organizations)[number];
      await store.applySeed({ organizations: [{ ...organization, users: [w.user, stranger] }] });
      const family = randomUUID();
      const theirs = [tokenOf(w, { familyId: family }), tokenOf(w, { kind: 'refresh', familyId: family })];
      const others = [tokenOf(w, { clientId: w.other.id }), tokenOf(w, { userId: stranger.id })];
      for (const token of [...theirs, ...others]) await store.insertToken(token);
      const code = codeOf(w);
      await store.insertCode(code);

      assert.equal(await store.removeAuthorization(w.user.id, w.client.id, T0 + 1), null, 'no Allow: nothing to remove');
      assert.equal((await store.findTokenByHash(theirs[0]!.hash))?.revokedAt, null, 'and nothing ended');
      assert.equal((await store.findCode(code.hash))?.consumedAt, null);

      await store.saveAuthorization(allowOf(w, w.client));
      await store.saveAuthorization(allowOf(w, w.other));
      assert.deepEqual(await second.removeAuthorization(w.user.id, w.client.id, T0 + 2), { revokedTokens: 2 });
      for (const token of theirs) assert.equal((await store.findTokenByHash(token.hash))?.revokedAt, T0 + 2, `${token.kind} revoked`);
      for (const token of others) assert.equal((await store.findTokenByHash(token.hash))?.revokedAt, null, 'another app or person: untouched');
      assert.equal((await store.findCode(code.hash))?.consumedAt, T0 + 2, 'its unredeemed code is burnt');
      assert.equal(await store.findAuthorization(w.user.id, w.client.id), null);
      assert.ok(await store.findAuthorization(w.user.id, w.other.id), 'the Allow of the other app stays');
      assert.equal(await store.removeAuthorization(w.user.id, w.client.id, T0 + 3), null, 'removed once');
    });

    test("changing a client's redirect URIs or scopes voids its Allows; renaming it or reordering them does not", async () => {
      const w = browserWorld();
      await store.applySeed(w.plan);
      const update = async (changes: Partial<Client>) => {
        const current = (await store.findClient(w.client.id)) as Client;
        await second.updateClient({ ...current, ...changes });
        return (await store.findClient(w.client.id)) as Client;
      };
      const allow = async () => store.saveAuthorization(allowOf(w, (await store.findClient(w.client.id)) as Client));
      const held = async () => (await store.findAuthorization(w.user.id, w.client.id)) !== null;

      await allow();
      await update({ name: 'Renamed', description: 'new words', registeredRedirectUri: [...w.client.registeredRedirectUri].reverse() });
      assert.equal(await held(), true, 'name, description and order are not what an Allow was given to');
      await update({ registeredRedirectUri: [...w.client.registeredRedirectUri, 'https://evil.test/cb'] });
      assert.equal(await held(), false, 'a redirect URI added');
      await allow();
      await update({ scope: ['authorization', 'oauth'] });
      assert.equal(await held(), false, 'a scope added');
      await allow();
      await update({ scope: [] });
      assert.equal(await held(), false, 'a scope taken away');
    });

    test("a seed that changes a client's redirect URIs voids its Allows; one that changes nothing of them keeps them", async () => {
      const w = browserWorld();
      await store.applySeed(w.plan);
      await store.saveAuthorization(allowOf(w, w.client));
      await store.saveAuthorization(allowOf(w, w.other));
      const organization = w.plan.organizations[0] as (typeof w.plan.organizations)[number];
      await second.applySeed({ organizations: [{ ...organization, clients: [{ ...w.client, name: 'Renamed by the seed' }, w.other] }] });
      assert.ok(await store.findAuthorization(w.user.id, w.client.id), 'unchanged terms');
      await second.applySeed({ organizations: [{ ...organization, clients: [{ ...w.client, registeredRedirectUri: ['https://app.test/other'] }, w.other] }] });
      assert.equal(await store.findAuthorization(w.user.id, w.client.id), null, 'changed redirect URIs');
      assert.ok(await store.findAuthorization(w.user.id, w.other.id), "another client's Allow stays");
    });

    test('deleting a client deletes the Allows given to it', async () => {
      const w = browserWorld();
      await store.applySeed(w.plan);
      await store.saveAuthorization(allowOf(w, w.client));
      await store.saveAuthorization(allowOf(w, w.other));
      assert.deepEqual(await second.deleteClient(w.client.id, T0 + 1), { revokedTokens: 0 });
      assert.deepEqual(
        (await store.listUserAuthorizations(w.user.id)).map((a) => a.clientId),
        [w.other.id],
      );
    });

    test('deleting a person deletes their Allows (the foreign key cascades, for whichever write deletes people)', async () => {
      const w = browserWorld();
      await store.applySeed(w.plan);
      await store.saveAuthorization(allowOf(w, w.client));
      const { driver } = store as unknown as { driver: SqlDriver };
      await driver.batch([
        ['DELETE FROM user_roles WHERE user_id = ?', [w.user.id]],
        ['DELETE FROM group_members WHERE user_id = ?', [w.user.id]],
        ['DELETE FROM users WHERE id = ?', [w.user.id]],
      ]);
      assert.deepEqual(await second.listUserAuthorizations(w.user.id), []);
    });

    test("a client's pre-authorized flag round-trips through insert, update and seed; absent means false", async () => {
      const w = browserWorld();
      await store.applySeed(w.plan);
      assert.equal((await store.findClient(w.client.id))?.preAuthorized, undefined);
      const fresh = { ...clientOf(w.organization.id), authorizedGrantType: 'CODE' as const, registeredRedirectUri: ['https://a.test/'], preAuthorized: true };
      await store.insertClient(fresh);
      assert.deepEqual(await second.findClient(fresh.id), fresh);
      await store.updateClient({ ...fresh, preAuthorized: false });
      assert.equal((await second.findClient(fresh.id))?.preAuthorized, undefined);
      const organization = w.plan.organizations[0] as (typeof w.plan.organizations)[number];
      await store.applySeed({ organizations: [{ ...organization, clients: [{ ...w.client, preAuthorized: true }, w.other] }] });
      assert.equal((await second.findClient(w.client.id))?.preAuthorized, true);
    });
  });
}
