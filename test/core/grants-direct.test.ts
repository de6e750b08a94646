/**
 * The token endpoint and the grants that take no browser (src/core/token-endpoint.ts,
 * grants/client-credentials.ts, grants/password.ts), without HTTP: what each issues and stores,
 * and each refusal's typed error, exactly.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenRequest } from '../../src/core/grants/grant.js';
import type { IssuedTokens } from '../../src/core/issuer.js';
import { hashToken } from '../../src/core/secrets.js';
import { basic, INVALID_CLIENT, oauthErrorOf } from '../helpers/core-services.js';
import { type GrantCore, grantWorld, type GrantWorld, PASSWORD, SECRET, useGrantCore, withBasic } from '../helpers/grant-world.js';
import { T0, tokenOf } from '../store/fixtures.js';
import { authenticate } from '../helpers/authenticate.js';

const SIGN_IN_WINDOW_MS = 60_000;
let core: GrantCore;
let w: GrantWorld;
let exchange: GrantCore['exchange'];
// Two failed sign-ins per account and address within a minute, so the throttle is reached quickly.
const signInThrottle = { windowMs: SIGN_IN_WINDOW_MS, perAccountPerAddress: 2, perAddress: 20, perAccount: 50 };
useGrantCore('tokend-grants-direct-', (opened) => ({ w, exchange } = core = opened), { signInThrottle });

const passwordForm = (extra: Record<string, string> = {}) => ({ grant_type: 'password', username: w.user.email, password: PASSWORD, ...extra });

/** The access token as issued and as stored. */
async function accessRecord(issued: IssuedTokens) {
  assert.match(issued.accessToken, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(issued.accessTokenHash, hashToken(issued.accessToken));
  return core.store.findTokenByHash(issued.accessTokenHash);
}

test('grant_type missing or unknown: invalid_request, unsupported_grant_type', async () => {
  await assert.rejects(exchange(withBasic(w.client, {})), oauthErrorOf(400, 'invalid_request', 'missing required parameter: grant_type'));
  await assert.rejects(exchange(withBasic(w.client, { grant_type: '' })), oauthErrorOf(400, 'invalid_request', 'missing required parameter: grant_type'));
  await assert.rejects(
    exchange(withBasic(w.client, { grant_type: 'implicit' })),
    oauthErrorOf(400, 'unsupported_grant_type', 'grant type "implicit" is not supported'),
  );
});

test('client credentials: one access token of the client, no user, no scope, no family, no refresh token', async () => {
  core.clock.set(T0);
  const issued = await exchange(withBasic(w.client, { grant_type: 'client_credentials' }));
  assert.deepEqual(
    { ...issued, accessToken: undefined, accessTokenHash: undefined },
    { accessToken: undefined, accessTokenHash: undefined, expiresIn: 86400, familyId: null, clientId: w.client.id },
  );
  const expected = tokenOf(w, { hash: issued.accessTokenHash, userId: null, scopes: [], grantType: 'client_credentials', familyId: null });
  assert.deepEqual(await accessRecord(issued), expected, 'issued now, for a day (the default validity), no user, no scope');
  assert.equal((await authenticate(core.services.authenticator, issued.accessToken)).client.id, w.client.id);
});

test('client credentials refused: no or malformed Basic, unknown client, wrong secret; all alike', async () => {
  const form = { grant_type: 'client_credentials' };
  await assert.rejects(exchange({ form, authorization: undefined }), INVALID_CLIENT);
  await assert.rejects(exchange({ form, authorization: 'Bearer x' }), INVALID_CLIENT);
  await assert.rejects(exchange({ form, authorization: basic('no-such-client', SECRET), address: '192.0.2.10' }), INVALID_CLIENT);
  await assert.rejects(exchange({ ...withBasic(w.client, form, 'wrong'), address: '192.0.2.11' }), INVALID_CLIENT);
});

test('client credentials refused to a disabled client and to a client of another grant: unauthorized_client', async () => {
  const form = { grant_type: 'client_credentials' };
  await assert.rejects(exchange(withBasic(w.clients.disabled, form)), oauthErrorOf(400, 'unauthorized_client', 'client is disabled'));
  for (const client of [w.clients.password, w.clients.code]) {
    await assert.rejects(
      exchange(withBasic(client, form)),
      oauthErrorOf(400, 'unauthorized_client', 'client is not authorized to use grant type client_credentials'),
    );
  }
});

test("password: a user token carrying the client's scopes and user-basic-info, in a new family, no refresh token", async () => {
  core.clock.set(T0);
  const issued = await exchange(withBasic(w.clients.password, passwordForm()));
  assert.equal(issued.refreshToken, undefined);
  assert.equal(issued.expiresIn, 86400);
  assert.match(String(issued.familyId), /^[0-9a-f-]{36}$/);
  const record = await accessRecord(issued);
  assert.deepEqual(
    record && { userId: record.userId, clientId: record.clientId, scopes: record.scopes, grantType: record.grantType, familyId: record.familyId },
    {
      userId: w.user.id,
      clientId: w.clients.password.id,
      scopes: ['oauth', 'authorization:readonly', 'user-basic-info'],
      grantType: 'password',
      familyId: issued.familyId,
    },
  );
});

test('password: scope narrows what the token carries; a scope the client lacks is invalid_scope', async () => {
  const narrowed = await exchange(withBasic(w.clients.password, passwordForm({ scope: ' oauth ' })));
  assert.deepEqual((await accessRecord(narrowed))?.scopes, ['oauth', 'user-basic-info']);
  await assert.rejects(
    exchange(withBasic(w.clients.password, passwordForm({ scope: 'oauth organization users' }))),
    oauthErrorOf(400, 'invalid_scope', 'scope not allowed for this client: organization users'),
  );
});

test('password refused: a missing field is invalid_request naming it; a client of another grant is unauthorized_client', async () => {
  await assert.rejects(
    exchange(withBasic(w.clients.password, passwordForm({ username: '' }))),
    oauthErrorOf(400, 'invalid_request', 'missing required parameter: username'),
  );
  const noPassword = { grant_type: 'password', username: w.user.email };
  await assert.rejects(exchange(withBasic(w.clients.password, noPassword)), oauthErrorOf(400, 'invalid_request', 'missing required parameter: password'));
  await assert.rejects(
    exchange(withBasic(w.client, passwordForm())),
    oauthErrorOf(400, 'unauthorized_client', 'client is not authorized to use grant type password'),
  );
});

test('password refused: a wrong password, an unknown email and an inactive user get one answer', async () => {
  const other = await grantWorld(core.store, (g) => {
    g.user.state = 'inactive';
  });
  const cases: TokenRequest[] = [
    { ...withBasic(w.clients.password, passwordForm({ password: 'wrong' })), address: '198.51.100.1' },
    { ...withBasic(w.clients.password, passwordForm({ username: 'nobody@acme.test' })), address: '198.51.100.2' },
    { ...withBasic(other.clients.password, { grant_type: 'password', username: other.user.email, password: PASSWORD }), address: '198.51.100.3' },
  ];
  for (const request of cases) await assert.rejects(exchange(request), oauthErrorOf(400, 'invalid_grant', 'invalid username or password'));
});

test('password throttled: past the failures allowed, even the right password waits for the window to end', async () => {
  core.clock.set(T0 + 3_600_000);
  const from = (password: string) => ({ ...withBasic(w.clients.password, passwordForm({ password })), address: '198.51.100.20' });
  for (let i = 0; i < 2; i++) await assert.rejects(exchange(from('wrong')), oauthErrorOf(400, 'invalid_grant', 'invalid username or password'));
  const throttled = oauthErrorOf(400, 'invalid_grant', 'too many failed sign-ins; retry in 60 seconds', { 'Retry-After': '60' });
  await assert.rejects(exchange(from(PASSWORD)), throttled);
  core.clock.advance(SIGN_IN_WINDOW_MS);
  assert.ok((await exchange(from(PASSWORD))).accessToken, 'a new window');
});
