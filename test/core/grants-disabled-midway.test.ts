/**
 * Each grant when its client or user is disabled after its checks passed and before its token is
 * written (the race of CONTRACT.md, "Control plane", made to happen every time): the store
 * refuses the write, and the grant answers as it answers a disabled client or user, issues
 * nothing, and takes a refused rotation or redemption for no reuse or replay. The store is the
 * real one; the disable is a real admin write, run by the store just before the named write.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, beforeEach, test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { createCore, type Services } from '../../src/core/services.js';
import type { Store } from '../../src/store/store.js';
import { openBackendStore } from '../helpers/backend-store.js';
import { INVALID_CLIENT, oauthErrorOf, storedToken } from '../helpers/core-services.js';
import { codeForm, grantWorld, type GrantWorld, invalidGrant, PASSWORD, storedCode, withBasic } from '../helpers/grant-world.js';
import { T0 } from '../store/fixtures.js';

type Write = 'insertToken' | 'rotateRefreshToken' | 'consumeCode';

const opened = await openBackendStore('tokend-grants-disabled-midway-');
after(() => opened.close());
const real = opened.store;
/** The next call of `armed.write` first runs `armed.disable` on the real store. */
let armed: { write: Write; disable: () => Promise<unknown> } | null = null;
const store = new Proxy(real, {
  get(target, property) {
    const member = Reflect.get(target, property, target);
    if (typeof member !== 'function') return member;
    return async (...args: unknown[]) => {
      if (armed && property === armed.write) {
        const { disable } = armed;
        armed = null;
        await disable();
      }
      return member.apply(target, args);
    };
  },
}) as Store;

const clock = new ManualClock(T0);
let services: Services;
let w: GrantWorld;
beforeEach(async () => {
  services = createCore(store, { clock, tokenCacheSize: 1000 });
  w = await grantWorld(real);
});
const exchange = (request: Parameters<Services['tokenEndpoint']['exchange']>[0]) => services.tokenEndpoint.exchange(request);
const disableBefore = (write: Write, disable: () => Promise<unknown>) => {
  armed = { write, disable };
};
const liveTokensOf = (clientId: string) => real.revokeClientTokens(clientId, T0 + 1);
const unauthorizedClient = oauthErrorOf(400, 'unauthorized_client', 'client is disabled');

test('client credentials: the client disabled before the write is 400 unauthorized_client, and nothing is stored', async () => {
  disableBefore('insertToken', () => real.setClientState(w.client.id, 'disabled', T0));
  await assert.rejects(exchange(withBasic(w.client, { grant_type: 'client_credentials' })), unauthorizedClient);
  await real.setClientState(w.client.id, 'active', T0);
  assert.equal(await liveTokensOf(w.client.id), 0);
  assert.ok(await exchange(withBasic(w.client, { grant_type: 'client_credentials' })), 'enabled, it gets tokens again');
});

test('client credentials: the client deleted before the write is 401 invalid_client', async () => {
  disableBefore('insertToken', () => real.deleteClient(w.client.id, T0));
  await assert.rejects(exchange(withBasic(w.client, { grant_type: 'client_credentials' })), INVALID_CLIENT);
});

test('password: the user disabled before the write gets the answer of a bad credential, and nothing is stored', async () => {
  disableBefore('insertToken', () => real.setUserState(w.user.id, 'inactive', T0));
  const form = { grant_type: 'password', username: w.user.email, password: PASSWORD };
  await assert.rejects(exchange(withBasic(w.clients.password, form)), invalidGrant('invalid username or password'));
  await real.setUserState(w.user.id, 'active', T0);
  assert.deepEqual(await real.listUserTokens(w.user.id, T0), []);
});

test('refresh: the user or the client disabled before the rotation answers as for a disabled one, not as a reuse', async () => {
  for (const [disable, refusal] of [
    [() => real.setUserState(w.user.id, 'inactive', T0), invalidGrant('the user of this refresh token cannot sign in')],
    [() => real.setClientState(w.clients.code.id, 'disabled', T0), unauthorizedClient],
  ] as const) {
    const familyId = randomUUID();
    const raw = await storedToken(real, w, {
      kind: 'refresh',
      clientId: w.clients.code.id,
      familyId,
      grantType: 'authorization_code',
      expiresAt: T0 + 86_400_000,
    });
    const reuses = () => new Map(services.counts.revocations.entries()).get('refresh_reuse') ?? 0;
    const before = reuses();
    disableBefore('rotateRefreshToken', disable);
    await assert.rejects(exchange(withBasic(w.clients.code, { grant_type: 'refresh_token', refresh_token: raw })), refusal);
    assert.equal(reuses(), before, 'no reuse counted');
    await real.setUserState(w.user.id, 'active', T0);
    await real.setClientState(w.clients.code.id, 'active', T0);
    assert.equal(await liveTokensOf(w.clients.code.id), 0, 'no new token, and the old one is revoked');
  }
});

test('code: the user disabled before the redemption answers as for a disabled user; the code is used up', async () => {
  const code = await storedCode(real, w, w.clients.code);
  disableBefore('consumeCode', () => real.setUserState(w.user.id, 'inactive', T0));
  await assert.rejects(exchange(withBasic(w.clients.code, codeForm(code))), invalidGrant('the user of this code cannot sign in'));
  await real.setUserState(w.user.id, 'active', T0);
  assert.equal(await liveTokensOf(w.clients.code.id), 0);
  await assert.rejects(
    exchange(withBasic(w.clients.code, codeForm(code))),
    invalidGrant('authorization code was already used; the tokens issued from it are revoked'),
  );
});
