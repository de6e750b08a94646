/**
 * The Authenticator without HTTP (src/core/authenticator.ts), through `authenticate`, `touch` and
 * the revocations only: which tokens it accepts and with what principal, that every refusal is
 * the same `bad.credentials`, where the idle deadline falls (exact to the millisecond), and that
 * a revocation is refused from the next call, from the cache as from the store.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { ClientAdmin, NO_ACTOR } from '../../src/core/admin/clients.js';
import { hashToken } from '../../src/core/secrets.js';
import { BAD_CREDENTIALS, type Core, openCore, storedToken } from '../helpers/core-services.js';
import { clientOf, T0, world, type World } from '../store/fixtures.js';
import { authenticate as principalOf } from '../helpers/authenticate.js';

const IDLE_SECONDS = 300;
let core: Core;
before(async () => {
  core = await openCore('tokend-authenticator-');
});
after(() => core.close());

/** A seeded world; `shape` changes it before it is stored. */
async function seeded(shape: (w: World) => void = () => {}): Promise<World> {
  const w = world();
  shape(w);
  await core.store.applySeed(w.plan);
  return w;
}

const authenticate = (raw: string) => principalOf(core.services.authenticator, raw);
const counts = () => ({ ...core.services.authenticator.counts.validations });
/** How `validations` moved since `was` (only the results that moved). */
function moved(was: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts())
      .filter(([key, value]) => value !== was[key])
      .map(([key, value]) => [key, value - (was[key] ?? 0)]),
  );
}

test('a live access token resolves to its principal: the token, its organization, client and user, as stored', async () => {
  core.clock.set(T0);
  const w = await seeded();
  const raw = await storedToken(core.store, w);
  const was = counts();
  const principal = await authenticate(raw);
  // The cached token is a record and more (its holders, its usage): its record's fields read as stored.
  const stored = await core.store.findTokenByHash(hashToken(raw));
  assert.ok(stored);
  const { token } = principal;
  assert.deepEqual(Object.fromEntries(Object.keys(stored).map((key) => [key, token[key as keyof typeof token]])), stored);
  assert.deepEqual(principal.organization, await core.store.findOrganization(w.organization.id));
  assert.deepEqual(principal.client, await core.store.findClient(w.client.id));
  assert.deepEqual(principal.user, await core.store.findUser(w.user.id));
  assert.equal(principal.idleSeconds, null, 'no idle timeout in this organization');
  assert.equal(principal.lastUsedAt, T0);
  assert.equal((await authenticate(raw)).token.hash, hashToken(raw), 'again, from the cache');
  assert.deepEqual(moved(was), { valid: 2 });
});

test('a client-credentials token has no user', async () => {
  core.clock.set(T0);
  const w = await seeded();
  const principal = await authenticate(await storedToken(core.store, w, { userId: null, grantType: 'client_credentials', scopes: [] }));
  assert.equal(principal.user, null);
  assert.equal(principal.client.id, w.client.id);
});

test('unknown: a token never issued, a refresh token, a token whose client or user is gone', async () => {
  core.clock.set(T0);
  const w = await seeded();
  const raws = [
    'never-issued',
    await storedToken(core.store, w, { kind: 'refresh' }),
    await storedToken(core.store, w, { clientId: randomUUID() }),
    await storedToken(core.store, w, { userId: randomUUID() }),
  ];
  const was = counts();
  for (const raw of raws) await assert.rejects(authenticate(raw), BAD_CREDENTIALS, raw);
  assert.deepEqual(moved(was), { unknown: 4 });
});

test('revoked: refused, whenever it was revoked', async () => {
  core.clock.set(T0 + 1000);
  const w = await seeded();
  const raw = await storedToken(core.store, w, { revokedAt: T0 });
  const was = counts();
  await assert.rejects(authenticate(raw), BAD_CREDENTIALS);
  await assert.rejects(authenticate(raw), BAD_CREDENTIALS, 'from the cache too');
  assert.deepEqual(moved(was), { revoked: 2 });
});

test('expired: accepted until the millisecond before expiresAt, refused from it on', async () => {
  const w = await seeded();
  const raw = await storedToken(core.store, w, { expiresAt: T0 + 60_000 });
  core.clock.set(T0 + 59_999);
  await authenticate(raw);
  core.clock.set(T0 + 60_000);
  const was = counts();
  await assert.rejects(authenticate(raw), BAD_CREDENTIALS);
  assert.deepEqual(moved(was), { expired: 1 });
});

test('disabled: a client that is not active, a user that is not active', async () => {
  core.clock.set(T0);
  const [disabledClient, inactiveClient, inactiveUser] = [await seeded(), await seeded(), await seeded()];
  // Issued while active; the states then change as a seed writes them, without the revocation a disable adds.
  const raws = [await storedToken(core.store, disabledClient), await storedToken(core.store, inactiveClient), await storedToken(core.store, inactiveUser)];
  disabledClient.client.state = 'disabled';
  inactiveClient.client.state = 'inactive';
  inactiveUser.user.state = 'inactive';
  for (const w of [disabledClient, inactiveClient, inactiveUser]) await core.store.applySeed(w.plan);
  const was = counts();
  for (const raw of raws) await assert.rejects(authenticate(raw), BAD_CREDENTIALS);
  assert.deepEqual(moved(was), { disabled: 3 });
});

/** A world whose organization has an idle timeout of {@link IDLE_SECONDS}. */
const idleWorld = () =>
  seeded((w) => {
    w.organization.idleTokenTimeout = { ...w.organization.idleTokenTimeout, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: IDLE_SECONDS };
  });

test('idle: accepted until the millisecond before the deadline; at it, refused and revoked in the store', async () => {
  const w = await idleWorld();
  const raw = await storedToken(core.store, w);
  core.clock.set(T0 + IDLE_SECONDS * 1000 - 1);
  const principal = await authenticate(raw);
  assert.equal(principal.idleSeconds, IDLE_SECONDS);
  assert.equal(principal.lastUsedAt, T0, 'authenticate alone does not move the idle clock');
  core.clock.set(T0 + IDLE_SECONDS * 1000);
  const was = counts();
  await assert.rejects(authenticate(raw), BAD_CREDENTIALS);
  assert.equal((await core.store.findTokenByHash(hashToken(raw)))?.revokedAt, T0 + IDLE_SECONDS * 1000);
  await assert.rejects(authenticate(raw), BAD_CREDENTIALS, 'and stays refused');
  assert.deepEqual(moved(was), { idle: 1, revoked: 1 });
});

test('touch restarts the idle clock from now; the deadline moves with it, exactly', async () => {
  const w = await idleWorld();
  const raw = await storedToken(core.store, w);
  core.clock.set(T0 + 200_000);
  const principal = await authenticate(raw);
  core.services.authenticator.touch(principal);
  assert.equal(principal.lastUsedAt, T0 + 200_000);
  core.clock.set(T0 + 200_000 + IDLE_SECONDS * 1000 - 1);
  assert.equal((await authenticate(raw)).lastUsedAt, T0 + 200_000, 'alive past the first deadline');
  core.clock.set(T0 + 200_000 + IDLE_SECONDS * 1000);
  await assert.rejects(authenticate(raw), BAD_CREDENTIALS);
});

test('touch never moves the clock back', async () => {
  const w = await idleWorld();
  const raw = await storedToken(core.store, w, { lastUsedAt: T0 + 5000 });
  core.clock.set(T0 + 5000);
  const principal = await authenticate(raw);
  core.clock.set(T0 + 1000);
  core.services.authenticator.touch(principal);
  assert.equal(principal.lastUsedAt, T0 + 5000);
  core.clock.set(T0 + 5000 + IDLE_SECONDS * 1000);
  await assert.rejects(authenticate(raw), BAD_CREDENTIALS, 'the deadline stayed where the later use put it');
});

test("a group bundle's timeout applies to its members; the organization's to everyone else", async () => {
  const w = await seeded((w) => {
    w.organization.idleTokenTimeout = {
      ...w.organization.idleTokenTimeout,
      enableIdleTokenTimeout: true,
      idleTokenTimeoutSeconds: IDLE_SECONDS,
      inactivityTimeoutGroupsEnabled: true,
      inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 3600, groups: [w.groupId] }],
    };
  });
  core.clock.set(T0);
  assert.equal((await authenticate(await storedToken(core.store, w))).idleSeconds, 3600);
  assert.equal((await authenticate(await storedToken(core.store, w, { userId: null, grantType: 'client_credentials' }))).idleSeconds, IDLE_SECONDS);
});

test('revokeToken: refused from the next call, revoked in the store, counted under its cause', async () => {
  core.clock.set(T0);
  const w = await seeded();
  const raw = await storedToken(core.store, w);
  await authenticate(raw);
  core.clock.set(T0 + 10);
  await core.services.authenticator.revokeToken(hashToken(raw), 'self');
  await assert.rejects(authenticate(raw), BAD_CREDENTIALS);
  assert.equal((await core.store.findTokenByHash(hashToken(raw)))?.revokedAt, T0 + 10);
  assert.equal(new Map(core.services.authenticator.counts.revocations.entries()).get('self'), 1);
});

test("a store read overlapping its own token's revocation is used for its request only, one overlapping another token's is cached", async () => {
  core.clock.set(T0);
  const w = await seeded();
  const authenticator = core.services.authenticator;
  const [own, other] = [await storedToken(core.store, w), await storedToken(core.store, w)];
  for (const [raw, revoked] of [
    [own, own],
    [other, await storedToken(core.store, w)],
  ] as const) {
    authenticator.invalidate();
    // The read begins (its mark taken), then the revocation, before the read is judged.
    const reading = authenticator.validate(raw);
    assert.ok(reading instanceof Promise, 'a store read');
    const revoking = authenticator.revokeToken(hashToken(revoked), 'self');
    assert.equal(typeof (await reading), 'object', 'read live, before the revocation');
    await revoking;
    const { loads } = authenticator.cacheStats;
    const next = await authenticator.validate(raw);
    if (raw === own) {
      assert.equal(next, 'revoked', 'not cached live: read again, revoked');
      assert.equal(authenticator.cacheStats.loads, loads + 1);
    } else {
      assert.equal(typeof next, 'object');
      assert.equal(authenticator.cacheStats.loads, loads, 'cached: no second read');
    }
  }
});

test("revokeUserTokens: every live token of the user, cached or not; the client's own tokens stay", async () => {
  core.clock.set(T0);
  const w = await seeded();
  const cached = await storedToken(core.store, w);
  const uncached = await storedToken(core.store, w);
  await storedToken(core.store, w, { kind: 'refresh' });
  await storedToken(core.store, w, { revokedAt: T0 });
  const ofClient = await storedToken(core.store, w, { userId: null, grantType: 'client_credentials' });
  await authenticate(cached);
  await authenticate(ofClient);
  assert.equal(await core.services.authenticator.revokeUserTokens(w.user.id, 'user_tokens'), 3, 'two access tokens and the refresh token');
  await assert.rejects(authenticate(cached), BAD_CREDENTIALS);
  await assert.rejects(authenticate(uncached), BAD_CREDENTIALS);
  assert.equal((await authenticate(ofClient)).user, null);
});

test('revokeFamily: the family is refused, cached or not; a token of it issued afterwards and other families are not', async () => {
  core.clock.set(T0);
  const w = await seeded();
  const family = randomUUID();
  const cached = await storedToken(core.store, w, { familyId: family });
  const other = await storedToken(core.store, w, { familyId: randomUUID() });
  await authenticate(cached);
  core.clock.set(T0 + 10);
  const counted = () => new Map(core.services.authenticator.counts.revocations.entries()).get('refresh_reuse') ?? 0;
  const before = counted();
  assert.equal(await core.services.authenticator.revokeFamily(family, 'refresh_reuse'), 1);
  assert.equal(await core.services.authenticator.revokeFamily(family, 'refresh_reuse'), 0, 'already ended');
  assert.equal(counted(), before + 1, 'counted once: the second ended nothing');
  await assert.rejects(authenticate(cached), BAD_CREDENTIALS);
  await authenticate(other);
  core.clock.set(T0 + 20);
  const later = await storedToken(core.store, w, { familyId: family, issuedAt: T0 + 20 });
  assert.equal((await authenticate(later)).token.familyId, family);
});

test("a client's tokens end with it: disabled through the admin core, its cached tokens are refused at once", async () => {
  core.clock.set(T0);
  let second = clientOf('');
  const w = await seeded((w) => {
    second = clientOf(w.organization.id);
    w.plan.organizations[0]?.clients.push(second);
  });
  const raws = [await storedToken(core.store, w), await storedToken(core.store, w, { userId: null, grantType: 'client_credentials' })];
  const bystander = await storedToken(core.store, w, { clientId: second.id });
  for (const raw of [...raws, bystander]) await authenticate(raw);
  const admin = new ClientAdmin(core.store, core.clock, core.services.authenticator);
  assert.deepEqual(await admin.setState('any', w.client.id, 'disabled', NO_ACTOR), { revokedTokens: 2 });
  for (const raw of raws) await assert.rejects(authenticate(raw), BAD_CREDENTIALS);
  assert.equal((await authenticate(bystander)).client.id, second.id);
});
