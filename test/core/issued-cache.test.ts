/**
 * Tokens this node issued are cached as they are stored (Authenticator.remember, issuer.ts), so
 * an app's first request with a new token is answered from memory: no store read. They take a
 * free place in the cache only, and a change or their own revocation that overlapped the write
 * keeps them out, so that nothing cached is older than the store.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Authenticator } from '../../src/core/authenticator.js';
import { RECENT_REVOCATIONS } from '../../src/core/recent-revocations.js';
import { hashToken } from '../../src/core/secrets.js';
import { otherNodeChange } from '../helpers/app.js';
import { type Core, openCore } from '../helpers/core-services.js';
import { T0, world, type World } from '../store/fixtures.js';

/** Room for three tokens: the last test fills it. */
const CACHE_SIZE = 3;
let core: Core;
before(async () => {
  core = await openCore('tokend-issued-cache-', { tokenCacheSize: CACHE_SIZE });
});
after(() => core.close());

/**
 * A seeded world, once the seed's own changes reached this node: on PostgreSQL they arrive as
 * notifications, and a token issued while one arrives is rightly not cached.
 */
async function seeded(): Promise<World> {
  const w = world();
  await core.store.applySeed(w.plan);
  await otherNodeChange();
  return w;
}

const authenticator = (): Authenticator => core.services.authenticator;

async function issue(w: World, options: { user?: boolean; refresh?: boolean } = {}) {
  return core.services.issuer.issue({
    client: w.client,
    user: options.user ? w.user : null,
    scopes: [],
    grantType: options.user ? 'password' : 'client_credentials',
    familyId: options.user ? undefined : null,
    withRefreshToken: options.refresh === true,
  });
}

test('an access token issued here is answered from memory at its first request, as later ones; a refresh token is not cached', async () => {
  core.clock.set(T0);
  authenticator().invalidate();
  const w = await seeded();
  const issued = await issue(w, { user: true, refresh: true });
  const { loads, tokens } = authenticator().cacheStats;
  assert.equal(tokens, 1, 'the access token only');
  const principal = await authenticator().validate(issued.accessToken);
  assert.equal(typeof principal, 'object');
  assert.equal(typeof principal === 'object' && principal.user?.id, w.user.id);
  assert.equal(authenticator().cacheStats.loads, loads, 'no store read');
  assert.equal(await authenticator().validate(issued.refreshToken ?? ''), 'unknown', 'a refresh token is no bearer token');
});

test("its own revocation, a change to its client or more revocations than are recorded between the write and the caching keep an issued token out of the cache; nothing between, or another token's revocation, does not", async () => {
  core.clock.set(T0);
  authenticator().invalidate();
  const w = await seeded();
  const changes = ['nothing', 'another revoked', 'revoked', 'client changed', 'too many revoked'] as const;
  for (const change of changes) {
    const mark = authenticator().cacheMark();
    const { records, issued } = core.services.issuer.mint({ client: w.client, user: null, scopes: [], grantType: 'client_credentials', familyId: null });
    const [record] = records;
    assert.ok(record);
    assert.equal(await core.store.insertToken(record), true);
    if (change === 'revoked') await authenticator().revokeToken(record.hash, 'self');
    else if (change === 'client changed') authenticator().clientChanged(w.client.id);
    else if (change === 'another revoked') await authenticator().revokeToken(hashToken('another token'), 'self');
    // Each is recorded twice (before and after its write): half the record's length overflows it.
    else if (change === 'too many revoked') {
      for (let i = 0; i <= RECENT_REVOCATIONS / 2; i++) await authenticator().revokeToken(hashToken(`another token ${i}`), 'self');
    }
    await authenticator().remember(record, mark);
    // Nothing between the write and the caching, or another token's revocation: cached, which the other changes must prevent.
    const cached = change === 'nothing' || change === 'another revoked' ? 1 : 0;
    assert.equal(authenticator().cacheStats.tokens, cached, change);
    const { loads } = authenticator().cacheStats;
    const answer = await authenticator().validate(issued.accessToken);
    assert.equal(authenticator().cacheStats.loads, loads + 1 - cached, `${change}: read from the store unless cached`);
    if (change === 'revoked') assert.equal(answer, 'revoked');
    else assert.equal(typeof answer === 'object' && answer.token.hash, hashToken(issued.accessToken));
    authenticator().invalidate();
  }
});

test('an issued token takes a free place only: in a full cache it pushes out no token in use', async () => {
  core.clock.set(T0);
  authenticator().invalidate();
  const w = await seeded();
  const inUse = [];
  for (let i = 0; i < CACHE_SIZE; i++) inUse.push((await issue(w)).accessToken);
  assert.equal(authenticator().cacheStats.tokens, CACHE_SIZE);
  const { evictions } = authenticator().counts.tokenCache;
  const extra = await issue(w);
  assert.equal(authenticator().counts.tokenCache.evictions, evictions, 'nothing pushed out');
  const { loads } = authenticator().cacheStats;
  for (const token of inUse) assert.equal(typeof (await authenticator().validate(token)), 'object');
  assert.equal(authenticator().cacheStats.loads, loads, 'the tokens in use are still cached');
  assert.equal(typeof (await authenticator().validate(extra.accessToken)), 'object', 'the new one is read from the store');
  assert.equal(authenticator().cacheStats.loads, loads + 1);
});
