/**
 * The idle clock against a real SQLite file: which moves a flush writes, in how many
 * transactions, what it forgets, and that a failed write loses nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { Authenticator } from '../../src/core/authenticator.js';
import { ManualClock } from '../../src/core/clock.js';
import { Directory } from '../../src/core/directory.js';
import { IdleClock } from '../../src/core/idle-clock.js';
import type { TokenRecord } from '../../src/core/models.js';
import { hashToken } from '../../src/core/secrets.js';
import { cachedUsage } from '../../src/core/token-usage.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { T0, tokenOf, world } from '../store/fixtures.js';
import { authenticate } from '../helpers/authenticate.js';

const dir = mkdtempSync(join(tmpdir(), 'tokend-idle-clock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const MINUTE = 60_000;
let store: SqliteStore;
let clock: IdleClock;
let files = 0;

beforeEach(async () => {
  store = new SqliteStore(join(dir, `idle-${files++}.db`));
  await store.migrate();
  clock = new IdleClock(store);
});

async function stored(token: TokenRecord): Promise<number | undefined> {
  return (await store.findTokenByHash(token.hash))?.lastUsedAt;
}

async function inserted(count = 1): Promise<TokenRecord[]> {
  const w = world();
  await store.applySeed(w.plan);
  const tokens = Array.from({ length: count }, () => tokenOf(w));
  await Promise.all(tokens.map((token) => store.insertToken(token)));
  return tokens;
}

test('a move under an idle timeout is written at the next flush', async () => {
  const [token] = await inserted();
  clock.touch(token!.hash, T0 + 1000, T0, true);
  assert.equal(clock.pendingCount, 1);
  assert.equal(await clock.flush(T0 + 1000), 1);
  assert.equal(await stored(token!), T0 + 1000);
  assert.equal(clock.pendingCount, 0);
  assert.equal(await clock.flush(T0 + 2000), 0, 'nothing new to write');
  await store.close();
});

test('an informational move is written once 15 minutes have passed since the written one, or at shutdown', async () => {
  const [token] = await inserted();
  clock.touch(token!.hash, T0 + 14 * MINUTE, T0, false);
  assert.equal(await clock.flush(T0 + 14 * MINUTE), 0);
  assert.equal(await stored(token!), T0);
  assert.equal(clock.lastUse(token!.hash, T0), T0 + 14 * MINUTE, 'the in-memory value is exact');
  clock.touch(token!.hash, T0 + 15 * MINUTE, T0, false);
  assert.equal(await clock.flush(T0 + 15 * MINUTE), 1);
  assert.equal(await stored(token!), T0 + 15 * MINUTE);
  clock.touch(token!.hash, T0 + 16 * MINUTE, T0, false);
  assert.equal(await clock.flush(T0 + 16 * MINUTE), 0);
  assert.equal(await clock.flush(T0 + 16 * MINUTE, true), 1, 'everything on shutdown');
  assert.equal(await stored(token!), T0 + 16 * MINUTE);
  await store.close();
});

test('a quiet token: its unwritten move is written once its 15 minutes have passed, then its entry forgotten', async () => {
  const [token] = await inserted();
  clock.touch(token!.hash, T0 + MINUTE, T0, false);
  assert.equal(await clock.flush(T0 + 2 * MINUTE), 0, 'not quiet for long enough');
  assert.equal(await clock.flush(T0 + 10 * MINUTE), 0, 'quiet, but written less than 15 minutes ago');
  assert.equal(clock.lastUse(token!.hash, T0), T0 + MINUTE, 'still remembered');
  assert.equal(await clock.flush(T0 + 15 * MINUTE), 1, 'written before it can be forgotten');
  assert.equal(await stored(token!), T0 + MINUTE);
  await clock.flush(T0 + 16 * MINUTE);
  // Forgotten: the clock now answers with whatever value it is given as the stored one.
  assert.equal(clock.lastUse(token!.hash, T0), T0);
  await store.close();
});

test('a use held by a cached token is not forgotten however quiet; once the cache lets go, it is', async () => {
  const [held, released] = await inserted(2);
  const heldUsage = cachedUsage();
  const releasedUsage = cachedUsage();
  clock.touch(held!.hash, T0 + 1000, T0, true, heldUsage);
  clock.touch(released!.hash, T0 + 1000, T0, true, releasedUsage);
  assert.equal(await clock.flush(T0 + 1000), 2);
  clock.release(releasedUsage);
  assert.equal(await clock.flush(T0 + 10 * MINUTE), 0);
  assert.equal(clock.lastUse(held!.hash, T0), T0 + 1000, 'quiet and written, but held: still in the map');
  assert.equal(clock.lastUse(released!.hash, T0), T0, 'released: forgotten');
  clock.releaseAll();
  await clock.flush(T0 + 11 * MINUTE);
  assert.equal(clock.lastUse(held!.hash, T0), T0, 'the whole cache let go: forgotten');
  assert.equal(clock.lastUse(held!.hash, T0, heldUsage), T0 + 1000, 'the holder still knows it');
  await store.close();
});

test('a use the cache let go of stays exact after it is forgotten: lent back and used again, nothing already written is written again', async () => {
  const [token] = await inserted();
  const usage = cachedUsage();
  // A cached token's record keeps the last use it was loaded with (T0) however often it is written since.
  clock.touch(token!.hash, T0 + 15 * MINUTE, T0, false, usage);
  assert.equal(await clock.flush(T0 + 15 * MINUTE), 1);
  // The cache is dropped; a reload borrows the dropped entry's usage (authenticator.ts).
  clock.releaseAll();
  assert.equal(await clock.flush(T0 + 18 * MINUTE), 0, 'quiet and written: forgotten');
  assert.equal(clock.lastUse(token!.hash, T0), T0, 'no longer in the map');
  assert.equal(clock.lastUse(token!.hash, T0, usage), T0 + 15 * MINUTE, 'the holder still knows it');
  clock.touch(token!.hash, T0 + 19 * MINUTE, T0, false, usage);
  assert.equal(clock.pendingCount, 0, 'written 4 minutes ago: not due');
  assert.equal(await clock.flush(T0 + 19 * MINUTE), 0);
  assert.equal(clock.lastUse(token!.hash, T0), T0 + 19 * MINUTE, 'tracked again');
  assert.equal(await clock.flush(T0 + 30 * MINUTE), 1, 'quiet, and 15 minutes past the written move');
  assert.equal(await stored(token!), T0 + 19 * MINUTE);
  await store.close();
});

test('a held use moved again after another started meanwhile keeps the newest of both', async () => {
  const [token] = await inserted();
  const usage = cachedUsage();
  clock.touch(token!.hash, T0 + 1000, T0, true, usage);
  await clock.flush(T0 + 1000);
  clock.releaseAll();
  await clock.flush(T0 + 4 * MINUTE);
  assert.equal(clock.lastUse(token!.hash, T0), T0, 'forgotten');
  clock.touch(token!.hash, T0 + 5 * MINUTE, T0 + 1000, true);
  clock.touch(token!.hash, T0 + 5 * MINUTE + 1, T0, true, usage);
  assert.equal(clock.lastUse(token!.hash, T0), T0 + 5 * MINUTE + 1);
  assert.equal(await clock.flush(T0 + 5 * MINUTE + 1), 1);
  assert.equal(await stored(token!), T0 + 5 * MINUTE + 1);
  await store.close();
});

test('a large flush is cut into transactions and writes every row', async () => {
  const tokens = await inserted(2_500);
  for (const token of tokens) clock.touch(token.hash, T0 + 1000, T0, true);
  assert.equal(await clock.flush(T0 + 1000), 2_500);
  for (const token of [tokens[0]!, tokens[999]!, tokens[1000]!, tokens[2_499]!]) assert.equal(await stored(token), T0 + 1000);
  await store.close();
});

test('flushes asked for at once run one after the other and write each move once', async () => {
  const tokens = await inserted(3);
  for (const token of tokens) clock.touch(token.hash, T0 + 1000, T0, true);
  const counts = await Promise.all([clock.flush(T0 + 1000), clock.flush(T0 + 1000), clock.flush(T0 + 1000)]);
  assert.deepEqual(counts, [3, 0, 0]);
  await store.close();
});

test('a failed write loses nothing: its moves stay due', async () => {
  const [token] = await inserted();
  clock.touch(token!.hash, T0 + 1000, T0, true);
  await store.close();
  await assert.rejects(clock.flush(T0 + 1000));
  assert.equal(clock.pendingCount, 1, 'still due for the next flush');
  assert.equal(clock.lastUse(token!.hash, T0), T0 + 1000);
});

test('a forgotten (revoked) token is not written', async () => {
  const [token] = await inserted();
  clock.touch(token!.hash, T0 + 1000, T0, true);
  clock.forget(token!.hash);
  assert.equal(clock.pendingCount, 0);
  assert.equal(await clock.flush(T0 + 1000), 0);
  assert.equal(await stored(token!), T0);
  await store.close();
});

test('the token cache holds the uses of the tokens it holds: one pushed out of the full cache, or every one on invalidate, lets go', async () => {
  const w = world();
  await store.applySeed(w.plan);
  const raws = ['first-raw-token', 'second-raw-token'];
  const [first, second] = raws.map((raw) => tokenOf(w, { hash: hashToken(raw) }));
  await store.insertToken(first!);
  await store.insertToken(second!);
  const time = new ManualClock(T0 + 15 * MINUTE);
  const authenticator = new Authenticator(store, new Directory(store), time, clock, { cacheSize: 1 });
  // Informational moves 15 minutes past the stored one (T0): due, so written at once.
  authenticator.touch(await authenticate(authenticator, raws[0]!));
  assert.equal(await clock.flush(time.now()), 1);
  assert.equal(await clock.flush(T0 + 20 * MINUTE), 0);
  assert.equal(clock.lastUse(first!.hash, T0), T0 + 15 * MINUTE, 'cached: kept');
  // The second token takes the only place in the cache.
  authenticator.touch(await authenticate(authenticator, raws[1]!));
  assert.equal(await clock.flush(time.now()), 1);
  assert.equal(await clock.flush(T0 + 21 * MINUTE), 0);
  assert.equal(clock.lastUse(first!.hash, T0), T0, 'pushed out of the cache: forgotten');
  assert.equal(clock.lastUse(second!.hash, T0), T0 + 15 * MINUTE, 'cached: kept');
  authenticator.invalidate();
  await clock.flush(T0 + 22 * MINUTE);
  assert.equal(clock.lastUse(second!.hash, T0), T0, 'cache dropped: forgotten');
  await store.close();
});
