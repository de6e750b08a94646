/**
 * Applying a seed again re-asserts only what the file changed since it last applied it (issue 13,
 * item 5): an admin's rotated secret, reset password, disabled client or user and idle timeout
 * hold until the file changes that very field. On SQLite, or PostgreSQL with
 * TOKEND_TEST_DATABASE=postgres.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { hashSecret, verifySecret } from '../../src/core/secrets.js';
import type { Store } from '../../src/store/store.js';
import { clientOf } from '../store/fixtures.js';
import { testBackend, useBackend } from '../helpers/backend-store.js';

const clock = new ManualClock(Date.UTC(2026, 0, 1));
let store: Store;
useBackend(testBackend(), (nodes) => ({ store } = nodes));

/** A seed of one organization of its own (fresh ids per test), with one user and one client. */
function seedOf() {
  const ids = { org: randomUUID(), user: randomUUID(), client: randomUUID() };
  const text = (user: Record<string, unknown> = {}, client: Record<string, unknown> = {}, org: Record<string, unknown> = {}) =>
    JSON.stringify({
      organizations: [
        {
          id: ids.org,
          name: `Initech ${ids.org}`,
          users: [{ id: ids.user, name: 'Peter', email: 'peter@initech.test', password: 'peter-pw', ...user }],
          clients: [{ id: ids.client, name: 'Svc', secret: 'svc-secret', authorizedGrantType: 'CLIENT-CREDENTIALS', ...client }],
          ...org,
        },
      ],
    });
  return { ids, text };
}

const apply = (text: string) => {
  clock.advance(60_000);
  return applySeedText(store, clock, text);
};

test('a secret rotated by an admin stays rotated when the same file is applied again, until the file changes it', async () => {
  const { ids, text } = seedOf();
  await apply(text());
  const rotated = await hashSecret('rotated-by-admin');
  await store.setClientSecretHash(ids.client, rotated, clock.now());
  const modified = (await store.findClient(ids.client))?.dateModified;

  const again = await apply(text());
  assert.deepEqual(again.kept, [`client ${ids.client} secret`], 'the summary names what the store keeps');
  const held = await store.findClient(ids.client);
  assert.equal(held?.secretHash, rotated, 'the rotated-away secret does not come back');
  assert.equal(held?.dateModified, modified, 'nothing changed');

  await apply(text({}, { secret: 'svc-secret-2' }));
  const changed = await store.findClient(ids.client);
  assert.equal(await verifySecret('svc-secret-2', changed?.secretHash ?? ''), true, 'the file changed the secret: written');
  assert.equal(changed?.dateModified, clock.now());
  const third = await apply(text({}, { secret: 'svc-secret-2' }));
  assert.deepEqual([(await store.findClient(ids.client))?.secretHash, third.kept], [changed?.secretHash, []], 'idempotent');
});

test('a password reset by an admin holds until the file changes the password', async () => {
  const { ids, text } = seedOf();
  await apply(text());
  const reset = await hashSecret('reset-by-admin');
  await store.resetUserPassword(ids.user, reset, clock.now());
  assert.deepEqual((await apply(text())).kept, [`user ${ids.user} password`]);
  assert.equal((await store.findUser(ids.user))?.passwordHash, reset);
  await apply(text({ password: 'peter-pw-2' }));
  assert.equal(await verifySecret('peter-pw-2', (await store.findUser(ids.user))?.passwordHash ?? ''), true);
});

test('a client and a user disabled by an admin stay disabled: an unnamed state is not re-asserted, naming it is a change', async () => {
  const { ids, text } = seedOf();
  await apply(text());
  await store.setClientState(ids.client, 'disabled', clock.now());
  await store.setUserState(ids.user, 'inactive', clock.now());
  await apply(text());
  assert.equal((await store.findClient(ids.client))?.state, 'disabled');
  assert.equal((await store.findUser(ids.user))?.state, 'inactive');

  await apply(text({ state: 'active' }, { state: 'active' }));
  assert.equal((await store.findClient(ids.client))?.state, 'active', 'the file now names the state: written');
  assert.equal((await store.findUser(ids.user))?.state, 'active');
  await store.setClientState(ids.client, 'inactive', clock.now());
  const again = await apply(text({ state: 'active' }, { state: 'active' }));
  assert.equal((await store.findClient(ids.client))?.state, 'inactive', 'the same named state is not re-asserted either');
  assert.deepEqual(again.kept, [`client ${ids.client} state`]);
});

test('a seed that disables a user or a client ends their sessions and tokens in the same apply', async () => {
  const { ids, text } = seedOf();
  await apply(text());
  const now = clock.now();
  const token = (userId: string | null) => ({
    hash: randomUUID(),
    kind: 'access' as const,
    organizationId: ids.org,
    clientId: ids.client,
    userId,
    scopes: [],
    grantType: 'password',
    issuedAt: now,
    expiresAt: now + 3_600_000,
    lastUsedAt: now,
    revokedAt: null,
    familyId: null,
    codeHash: null,
  });
  await store.insertSession({
    hash: `s-${randomUUID()}`,
    userId: ids.user,
    organizationId: ids.org,
    createdAt: now,
    expiresAt: now + 3_600_000,
    revokedAt: null,
  });
  for (const t of [token(ids.user), token(null), token(null)]) await store.insertToken(t);

  const summary = await apply(text({ state: 'inactive' }, { state: 'disabled' }));
  assert.deepEqual([summary.endedSessions, summary.revokedTokens], [1, 3]);
  assert.deepEqual(await store.listUserTokens(ids.user, clock.now()), []);
  const again = await apply(text({ state: 'inactive' }, { state: 'disabled' }));
  assert.deepEqual([again.endedSessions, again.revokedTokens], [0, 0]);
});

test('an entity the store already holds without a memory (made by the command line) is adopted as it is', async () => {
  const { ids, text } = seedOf();
  await apply(text({}, {}, { clients: [] }));
  const made = clientOf(ids.org, { id: ids.client, name: 'Svc', secretHash: await hashSecret('cli-secret'), state: 'disabled' });
  await store.insertClient(made);
  const adopted = await apply(text());
  assert.deepEqual(adopted.kept, [`client ${ids.client} secret`]);
  assert.deepEqual(await store.findClient(ids.client), made, 'nothing written over what an admin made');
  await apply(text({}, { secret: 'svc-secret-2', scope: [] }));
  assert.equal(await verifySecret('svc-secret-2', (await store.findClient(ids.client))?.secretHash ?? ''), true, 'a later edit of the file is applied');
  assert.equal((await store.findClient(ids.client))?.state, 'disabled');
});

test('an idle timeout set through the API holds until the file changes the fields it names', async () => {
  const { ids, text } = seedOf();
  const timeout = (seconds: number) => ({ idleTokenTimeout: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: seconds } });
  await apply(text({}, {}, timeout(600)));
  const org = await store.findOrganization(ids.org);
  assert.ok(org);
  await store.setIdleTokenTimeout(ids.org, { ...org.idleTokenTimeout, idleTokenTimeoutSeconds: 1200 });
  assert.deepEqual((await apply(text({}, {}, timeout(600)))).kept, [`organization ${ids.org} idleTokenTimeout`]);
  assert.equal((await store.findOrganization(ids.org))?.idleTokenTimeout.idleTokenTimeoutSeconds, 1200);
  await apply(text({}, {}, timeout(900)));
  assert.equal((await store.findOrganization(ids.org))?.idleTokenTimeout.idleTokenTimeoutSeconds, 900);
});

test('applying the same file twice remembers nothing new and moves no dateModified; entities it no longer names stay', async () => {
  const { ids, text } = seedOf();
  await apply(text());
  const memory = await store.findSeedApplied('client', ids.client);
  assert.deepEqual([...memory.keys()].sort(), [
    'accessTokenValiditySeconds',
    'authorizedGrantType',
    'description',
    'name',
    'preAuthorized',
    'registeredRedirectUri',
    'roles',
    'scope',
    'secret',
    'state',
  ]);
  assert.equal(memory.get('state'), null, 'a state the file does not name');
  assert.match(memory.get('secret') ?? '', /^scrypt\$/, 'only the hash the seed wrote');
  const before = [await store.findClient(ids.client), await store.findUser(ids.user)];
  await apply(text());
  assert.deepEqual([await store.findClient(ids.client), await store.findUser(ids.user)], before);
  assert.deepEqual(await store.findSeedApplied('client', ids.client), memory);
  await store.setClientState(ids.client, 'disabled', clock.now());
  await apply(text({}, {}, { clients: [] }));
  assert.equal((await store.findClient(ids.client))?.state, 'disabled', 'not named by the file: untouched');
});

test("a role whose fields no seed application remembers (a store seeded before roles were remembered) takes the file's permissions; then an admin's change holds until the file changes them", async () => {
  const { ids, text } = seedOf();
  await apply(text());
  const roleId = randomUUID();
  // As a store seeded by an older release holds it: the role, and no remembered field of it.
  await store.saveRole({ id: roleId, organizationId: ids.org, name: 'Admin', permissions: ['oauth:token:delete'] });
  const withRole = (permissions: string[]) => text({}, {}, { roles: [{ id: roleId, name: 'Admin', permissions }] });
  await apply(withRole(['oauth:token:delete', 'oauth:client:view']));
  assert.deepEqual((await store.findRoles([roleId]))[0]?.permissions, ['oauth:token:delete', 'oauth:client:view']);
  await store.saveRole({ id: roleId, organizationId: ids.org, name: 'Admin', permissions: ['oauth:client:view'] }); // tokend roles update
  const again = await apply(withRole(['oauth:token:delete', 'oauth:client:view']));
  assert.deepEqual((await store.findRoles([roleId]))[0]?.permissions, ['oauth:client:view']);
  assert.deepEqual(again.kept, [`role ${roleId} permissions`]);
  await apply(withRole(['authorization:role:view']));
  assert.deepEqual((await store.findRoles([roleId]))[0]?.permissions, ['authorization:role:view']);
});

test("a client's description and pre-authorized flag: the file's where it changed them, an admin's description otherwise", async () => {
  const { ids, text } = seedOf();
  const browserApp = { authorizedGrantType: 'CODE', registeredRedirectUri: ['https://app.initech.test/cb'] };
  await apply(text({}, { ...browserApp, description: 'The first words', preAuthorized: true }));
  const made = await store.findClient(ids.client);
  assert.deepEqual([made?.description, made?.preAuthorized], ['The first words', true]);
  await store.updateClient({ ...(made as NonNullable<typeof made>), description: 'An admin wrote this' });
  const again = await apply(text({}, { ...browserApp, description: 'The first words', preAuthorized: true }));
  assert.deepEqual(again.kept, [`client ${ids.client} description`]);
  assert.equal((await store.findClient(ids.client))?.description, 'An admin wrote this', 'unchanged in the file: the admin wins');
  await apply(text({}, { ...browserApp, description: 'New words', preAuthorized: false }));
  const changed = await store.findClient(ids.client);
  assert.deepEqual([changed?.description, changed?.preAuthorized], ['New words', undefined], 'changed in the file: written');
});

test('a store seeded before the file could name a description: one the file names now is applied, and a deleted client stays deleted', async () => {
  const { ids, text } = seedOf();
  // An older release remembered no description and no pre-authorized flag.
  const older = new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'applySeed') {
        return (plan: Parameters<Store['applySeed']>[0]) =>
          target.applySeed({ ...plan, applied: plan.applied?.filter((f) => f.field !== 'description' && f.field !== 'preAuthorized') });
      }
      const value = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  await applySeedText(older, clock, text());
  assert.equal((await store.findSeedApplied('client', ids.client)).has('description'), false);
  await apply(text({}, { description: 'Now it has words' }));
  assert.equal((await store.findClient(ids.client))?.description, 'Now it has words');

  const other = seedOf();
  await applySeedText(older, clock, other.text());
  await store.deleteClient(other.ids.client, clock.now());
  await apply(other.text());
  assert.equal(await store.findClient(other.ids.client), null, 'the file changed nothing of it: it stays deleted');
});
