/**
 * The Authenticator's token cache on its own: a client's or a user's drop takes exactly their
 * tokens (one token or several, after evictions too), a dropped token's usage is lent to its
 * reload for one rate-limit window, and a drop past the one-by-one bound empties the cache.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IdleClock } from '../../src/core/idle-clock.js';
import { CachedToken } from '../../src/core/cached-token.js';
import { TokenCache } from '../../src/core/token-cache.js';
import { cachedUsage } from '../../src/core/token-usage.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { T0, tokenOf, world, type World } from '../store/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tokend-token-cache-'));
let store: SqliteStore;
let w: World;
before(async () => {
  store = new SqliteStore(join(dir, 'cache.db'));
  await store.migrate();
  w = world();
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A cached token of client `clientId` and user `userId` (ids alone: the cache indexes by its holders' ids). */
function entry({ clientId, userId = null }: { clientId: string; userId?: string | null }): [string, CachedToken] {
  const token = tokenOf(w, { clientId, userId });
  const user = userId === null ? null : { ...w.user, id: userId };
  return [token.hash, new CachedToken(token.hash, token, { organization: w.organization, client: { ...w.client, id: clientId }, user }, null, cachedUsage())];
}

const cached = (cache: TokenCache, entries: Array<[string, CachedToken]>) => entries.map(([hash]) => cache.get(hash) !== undefined);

test("a user's or a client's drop takes exactly their tokens, one or several, evicted ones left out", () => {
  const cache = new TokenCache(4, new IdleClock(store));
  const entries = [
    entry({ clientId: 'c1', userId: 'u1' }),
    entry({ clientId: 'c1', userId: 'u2' }),
    entry({ clientId: 'c2', userId: 'u2' }),
    entry({ clientId: 'c2', userId: null }),
    entry({ clientId: 'c3', userId: 'u3' }),
  ];
  for (const [hash, e] of entries) cache.add(hash, e);
  assert.deepEqual(cached(cache, entries), [false, true, true, true, true], 'the oldest evicted past the capacity');
  cache.dropUser('u1', T0);
  assert.equal(cache.size, 4, "u1's only token was evicted already");
  cache.dropUser('u2', T0);
  assert.deepEqual(cached(cache, entries), [false, false, false, true, true]);
  cache.dropClient('c2', T0);
  assert.deepEqual(cached(cache, entries), [false, false, false, false, true]);
  cache.dropClient('c9', T0);
  cache.dropUser('u3', T0);
  assert.equal(cache.size, 0);
});

test("a dropped token's usage is lent to its reload for one rate-limit window, once", () => {
  const cache = new TokenCache(10, new IdleClock(store));
  const [a, entryA] = entry({ clientId: 'c1' });
  const [b, entryB] = entry({ clientId: 'c1' });
  cache.add(a, entryA);
  cache.add(b, entryB);
  cache.dropClient('c1', T0);
  assert.equal(cache.lentUsage(a, T0 + 59_999), entryA.usage);
  assert.equal(cache.lentUsage(a, T0 + 59_999), undefined, 'lent once');
  assert.equal(cache.lentUsage(b, T0 + 60_000), undefined, 'not past the window');
});

test('past 10,000 tokens to drop one by one, the whole cache goes at once', () => {
  const cache = new TokenCache(20_000, new IdleClock(store));
  for (let i = 0; i < 10_001; i++) cache.add(...entry({ clientId: 'big' }));
  const [other, otherEntry] = entry({ clientId: 'small' });
  cache.add(other, otherEntry);
  cache.dropClient('big', T0);
  assert.equal(cache.size, 0);
  assert.equal(cache.lentUsage(other, T0), otherEntry.usage, 'what was dropped whole still lends its usage');
});
