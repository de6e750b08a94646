/**
 * A client an admin deleted stays deleted when the seed is applied again, until the file itself
 * changes that client (then it comes back as a new client); and the seed refuses what the
 * shared client rules refuse (core/admin/client-rules.ts). On SQLite, or PostgreSQL with
 * TOKEND_TEST_DATABASE=postgres.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ClientAdmin, NO_ACTOR } from '../../src/core/admin/clients.js';
import { ManualClock } from '../../src/core/clock.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { SeedError } from '../../src/core/seed/validate.js';
import type { Store } from '../../src/store/store.js';
import { testBackend, useBackend } from '../helpers/backend-store.js';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
let store: Store;
useBackend(testBackend(), (nodes) => ({ store } = nodes));

const CLIENT_ID = '55555555-0000-4000-8000-00000000d001';
const seed = (client: Record<string, unknown>) =>
  JSON.stringify({
    organizations: [
      {
        id: '55555555-5555-4555-8555-555555555555',
        name: 'Hooli',
        roles: [{ name: 'Admin', permissions: ['*'] }],
        clients: [{ id: CLIENT_ID, name: 'Svc', secret: 'svc-secret', authorizedGrantType: 'CLIENT-CREDENTIALS', ...client }],
      },
    ],
  });

test('a deleted seeded client is not brought back by the same seed; a seed that changes it brings it back', async () => {
  await applySeedText(store, clock, seed({}));
  assert.ok(await store.findClient(CLIENT_ID));
  assert.deepEqual(await new ClientAdmin(store, clock).delete('any', CLIENT_ID, NO_ACTOR), { revokedTokens: 0 });
  assert.equal(await store.findClient(CLIENT_ID), null);

  clock.advance(1000);
  const same = await applySeedText(store, clock, seed({}));
  assert.equal(same.clients, 1, 'the file still names it');
  assert.equal(await store.findClient(CLIENT_ID), null, 'unchanged in the file: it stays deleted');
  assert.equal(await store.isClientDeleted(CLIENT_ID), true);

  clock.advance(1000);
  await applySeedText(store, clock, seed({ name: 'Svc renamed' }));
  const back = await store.findClient(CLIENT_ID);
  assert.equal(back?.name, 'Svc renamed', 'changed in the file: it comes back');
  assert.equal(back?.dateCreated, clock.now(), 'as a new client');
  assert.equal(await store.isClientDeleted(CLIENT_ID), false);
});

test('the seed refuses what the client rules refuse, naming the field as the file spells it', async () => {
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{ authorizedGrantType: 'PASSWORD', roles: ['Admin'] }, 'roles', "roles applies to CLIENT-CREDENTIALS clients only: user tokens carry the user's roles"],
    [{ scope: ['oauth'] }, 'scope', 'scope applies to user-grant clients only: a CLIENT-CREDENTIALS token carries its roles'],
    [{ authorizedGrantType: 'TOKEN' }, 'registeredRedirectUri', 'a TOKEN client needs at least one redirect URI'],
  ];
  for (const [client, field, message] of cases) {
    await assert.rejects(applySeedText(store, clock, seed(client)), (error: unknown) => {
      assert.ok(error instanceof SeedError);
      assert.equal(error.message, `organizations[0].clients[0].${field}: ${message}`);
      return true;
    });
  }
});
