/**
 * Core's admission of a bearer request (src/core/admission.ts), without HTTP: at once when
 * memory decides, a promise when the store must be read; refusals typed, each decision counted
 * once and once against the token's rate limit, and the idle clock left to whoever answers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { Admission, type Decision, MAX_TOKEN_LENGTH } from '../../src/core/admission.js';
import { Authenticator } from '../../src/core/authenticator.js';
import { ManualClock } from '../../src/core/clock.js';
import { Directory } from '../../src/core/directory.js';
import { IdleClock } from '../../src/core/idle-clock.js';
import type { TokenRecord } from '../../src/core/models.js';
import type { Operation } from '../../src/core/operations/operation.js';
import { OPERATIONS } from '../../src/core/operations/table.js';
import { Permissions } from '../../src/core/permissions.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { hashToken } from '../../src/core/secrets.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { T0, tokenOf, world, type World } from '../store/fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'tokend-admission-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const GET = OPERATIONS.getTokensMe;
/** An operation like getTokensMe but for what the test changes. */
const operation = (changes: Partial<Operation>): Operation => ({ ...OPERATIONS.getTokensMe, ...changes });
const ALLOWED_PER_MINUTE = 3;
let files = 0;
let store: SqliteStore | undefined;
let clock: ManualClock;
let authenticator: Authenticator;
let admission: Admission;
let w: World;

/** Builds the world with `idleSeconds` as the organization's idle timeout (null: none). */
async function setUp(idleSeconds: number | null = null): Promise<void> {
  await store?.close();
  const opened = new SqliteStore(join(dir, `admission-${files++}.db`));
  store = opened;
  await opened.migrate();
  w = world();
  w.organization.idleTokenTimeout = {
    ...w.organization.idleTokenTimeout,
    enableIdleTokenTimeout: idleSeconds !== null,
    idleTokenTimeoutSeconds: idleSeconds ?? 900,
  };
  await opened.applySeed(w.plan);
  clock = new ManualClock(T0 + 1000);
  authenticator = new Authenticator(opened, new Directory(opened), clock, new IdleClock(opened), { cacheSize: 100 });
  admission = new Admission(authenticator, new RateLimiter(ALLOWED_PER_MINUTE, clock), new Permissions(opened));
}

beforeEach(() => setUp());
after(() => store?.close());

let raws = 0;
/** A raw token stored with `overrides`. */
async function issued(overrides: Partial<TokenRecord> = {}): Promise<string> {
  const raw = `raw-token-${raws++}-${'x'.repeat(32)}`;
  await store!.insertToken(tokenOf(w, { hash: hashToken(raw), ...overrides }));
  return raw;
}

/** Admits, and says whether the answer came at once. */
async function admitted(raw: string | null, op: Operation = GET): Promise<{ decision: Decision; atOnce: boolean }> {
  const answer = admission.admit(raw, op);
  return { decision: await answer, atOnce: !(answer instanceof Promise) };
}

const counted = () => ({
  ...authenticator.counts.validations,
  ...authenticator.counts.tokenCache,
  rateLimit: new Map(authenticator.counts.throttleRefusals.entries()).get('rate_limit') ?? 0,
});

test('a token not cached is decided after a store read; once cached, at once; each counted once', async () => {
  const raw = await issued();
  const first = await admitted(raw);
  assert.equal(first.atOnce, false);
  assert.equal(first.decision.refusal, null);
  assert.equal(first.decision.principal?.user?.id, w.user.id);
  assert.deepEqual(first.decision.rate, { count: 1, allowed: ALLOWED_PER_MINUTE, resetSeconds: 60 });
  const second = await admitted(raw);
  assert.equal(second.atOnce, true);
  assert.equal(second.decision.refusal, null);
  assert.equal(second.decision.rate?.count, 2);
  assert.deepEqual(counted(), { valid: 2, unknown: 0, revoked: 0, idle: 0, expired: 0, disabled: 0, hits: 1, misses: 1, evictions: 0, rateLimit: 0 });
});

test('no bearer token, a token too long to be one, an unknown token', async () => {
  const none = await admitted(null);
  assert.deepEqual(none, { decision: { refusal: 'authentication-required', principal: null, rate: null }, atOnce: true });
  const long = await admitted('x'.repeat(MAX_TOKEN_LENGTH + 1));
  assert.deepEqual(long, { decision: { refusal: 'bad-credentials', principal: null, rate: null, reason: 'unknown' }, atOnce: true });
  assert.deepEqual(
    counted(),
    { valid: 0, unknown: 1, revoked: 0, idle: 0, expired: 0, disabled: 0, hits: 0, misses: 0, evictions: 0, rateLimit: 0 },
    'refused before the cache',
  );
  const unknown = await admitted('y'.repeat(43));
  assert.equal(unknown.atOnce, false);
  assert.deepEqual(unknown.decision, { refusal: 'bad-credentials', principal: null, rate: null, reason: 'unknown' });
  assert.equal(authenticator.counts.tokenCache.misses, 1);
  assert.equal(authenticator.counts.validations.unknown, 2);
});

test('a cached token revoked, or past its expiry, is refused at once, without a rate count', async () => {
  const revoked = await issued();
  const expiring = await issued({ expiresAt: T0 + 60_000 });
  for (const raw of [revoked, expiring]) assert.equal((await admitted(raw)).decision.refusal, null);
  await authenticator.revokeToken(hashToken(revoked), 'self');
  assert.deepEqual(await admitted(revoked), { decision: { refusal: 'bad-credentials', principal: null, rate: null, reason: 'revoked' }, atOnce: true });
  clock.advance(60_000);
  assert.deepEqual(await admitted(expiring), { decision: { refusal: 'bad-credentials', principal: null, rate: null, reason: 'expired' }, atOnce: true });
  assert.deepEqual(counted(), { valid: 2, unknown: 0, revoked: 1, idle: 0, expired: 1, disabled: 0, hits: 2, misses: 2, evictions: 0, rateLimit: 0 });
});

test('past its idle deadline: the store is read, then the token is ended; admitting does not move the idle clock', async () => {
  await setUp(300);
  const raw = await issued({ lastUsedAt: T0 });
  const first = await admitted(raw);
  assert.equal(first.decision.refusal, null);
  assert.equal(first.decision.principal?.idleSeconds, 300);
  clock.advance(200_000);
  const second = await admitted(raw);
  assert.equal(second.decision.refusal, null);
  assert.equal(second.decision.principal?.lastUsedAt, T0, 'not touched by admitting');
  authenticator.touch(second.decision.principal!);
  clock.advance(299_000);
  assert.equal((await admitted(raw)).decision.refusal, null, 'the touch moved the deadline');
  clock.advance(1_000);
  const idle = await admitted(raw);
  assert.equal(idle.atOnce, false, 'settled against the store');
  assert.deepEqual(idle.decision, { refusal: 'bad-credentials', principal: null, rate: null, reason: 'idle' });
  assert.equal(authenticator.counts.validations.idle, 1);
  assert.notEqual((await store!.findTokenByHash(hashToken(raw)))?.revokedAt, null, 'ended in the store');
  assert.equal((await admitted(raw)).decision.refusal, 'bad-credentials');
});

test('over the rate limit: counted, refused with its state and whose it is; a new window lets it in again', async () => {
  const raw = await issued();
  for (let i = 1; i <= ALLOWED_PER_MINUTE; i++) assert.equal((await admitted(raw)).decision.rate?.count, i);
  clock.advance(12_400);
  const over = await admitted(raw);
  assert.equal(over.atOnce, true);
  assert.equal(over.decision.refusal, 'too-many-requests');
  assert.equal(over.decision.principal?.token.hash, hashToken(raw));
  assert.deepEqual(over.decision.rate, { count: 4, allowed: ALLOWED_PER_MINUTE, resetSeconds: 48 });
  assert.equal((await admitted(raw)).decision.rate?.count, 5, 'a refused request counts too');
  assert.equal(counted().rateLimit, 2);
  assert.equal(counted().valid, 5, 'the token itself is good');
  clock.advance(47_600);
  assert.deepEqual((await admitted(raw)).decision.rate, { count: 1, allowed: ALLOWED_PER_MINUTE, resetSeconds: 60 });
});

test("the operation's scopes: a user token must carry one of them; a client-credentials token need not", async () => {
  const user = await issued({ scopes: ['user-basic-info', 'authorization:readonly'] });
  const service = await issued({ userId: null, scopes: [] });
  const write = operation({ method: 'DELETE', scopes: ['authorization'] });
  const refused = await admitted(user, write);
  assert.equal(refused.decision.refusal, 'scope-not-authorized');
  assert.equal(refused.decision.refusal === 'scope-not-authorized' && refused.decision.scope, 'authorization');
  assert.equal(refused.decision.rate?.count, 1, 'counted against the rate limit, as the route would');
  assert.equal((await admitted(user, operation({ scopes: ['authorization', 'authorization:readonly'] }))).decision.refusal, null, 'read only');
  clock.advance(60_000);
  assert.equal((await admitted(user, OPERATIONS.getTokensMe)).decision.refusal, null, 'user-basic-info admits every user token');
  assert.equal((await admitted(user, OPERATIONS.getOauthScopes)).decision.refusal, 'scope-not-authorized');
  assert.equal((await admitted(service, write)).decision.refusal, null);
});

test('an operation about the signed-in person refuses a client-credentials token, after its scopes', async () => {
  const service = await issued({ userId: null, scopes: [] });
  const user = await issued({ scopes: ['user-basic-info'] });
  const refused = await admitted(service, OPERATIONS.getUsersMe);
  assert.equal(refused.atOnce, false, 'read from the store the first time');
  assert.equal(refused.decision.refusal, 'person-required');
  assert.equal((await admitted(user, OPERATIONS.getUsersMe)).decision.refusal, null);
});

test('a permission rule: decided by the roles, after the scope; ANY and ALL', async () => {
  w.role.permissions = ['oauth:client:view', 'oauth:token:*'];
  await store!.applySeed(w.plan);
  const user = await issued({ scopes: ['oauth'] });
  const noScope = await issued({ scopes: ['user-basic-info'] });
  const view = await admitted(user, OPERATIONS.getOauthClients);
  assert.equal(view.atOnce, false);
  assert.equal(view.decision.refusal, null);
  assert.equal((await admitted(user, OPERATIONS.deleteToken)).decision.refusal, null, 'a wildcard grants it');
  const add = (await admitted(user, OPERATIONS.postOauthClients)).decision;
  assert.equal(add.refusal, 'permission-missing');
  assert.deepEqual(add.refusal === 'permission-missing' && add.rule, { any: ['oauth:client:add'] });
  assert.equal((await admitted(noScope, OPERATIONS.getOauthClients)).decision.refusal, 'scope-not-authorized', 'the scope is judged first');
  clock.advance(60_000);
  const all = operation({ scopes: ['oauth'], permissions: { all: ['oauth:client:view', 'oauth:client:add'] } });
  assert.equal((await admitted(user, all)).decision.refusal, 'permission-missing');
  const anyOf = operation({ scopes: ['oauth'], permissions: { any: ['oauth:client:add', 'oauth:client:view'] } });
  assert.equal((await admitted(user, anyOf)).decision.refusal, null);
});
