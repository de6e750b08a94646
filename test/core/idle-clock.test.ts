/**
 * The idle clock against a real SQLite file: which moves a flush writes, in how many
 * transactions, what it forgets, and that a failed write loses nothing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { IdleClock } from '../../src/core/idle-clock.js';
import type { TokenRecord } from '../../src/core/models.js';
import { cachedUsage } from '../../src/core/token-usage.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { T0, tokenOf, world } from '../store/fixtures.js';

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

test('a held use stays exact after it is forgotten: used again, nothing already written is written again', async () => {
  const [token] = await inserted();
  const usage = cachedUsage();
  // A cached token's record keeps the last use it was loaded with (T0) however often it is written since.
  clock.touch(token!.hash, T0 + 15 * MINUTE, T0, false, usage);
  assert.equal(await clock.flush(T0 + 15 * MINUTE), 1);
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
