/**
 * `grant_type=authorization_code` with and without PKCE (src/core/grants/authorization-code.ts,
 * grants/code-client.ts), without HTTP: codes are stored as /oauth/authorize would store them,
 * then redeemed through the token endpoint. What a redemption issues, and each refusal's typed
 * error; a refused code is used up, and a replay revokes what the code yielded.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenRequest } from '../../src/core/grants/grant.js';
import { hashToken } from '../../src/core/secrets.js';
import { BAD_CREDENTIALS, basic, INVALID_CLIENT, oauthErrorOf } from '../helpers/core-services.js';
import {
  CHALLENGE,
  codeForm,
  type GrantCore,
  grantWorld,
  type GrantWorld,
  invalidGrant,
  REDIRECT_URI,
  storedCode,
  useGrantCore,
  VERIFIER,
  withBasic,
  withClientId,
} from '../helpers/grant-world.js';
import { T0 } from '../store/fixtures.js';
import { authenticate } from '../helpers/authenticate.js';

let core: GrantCore;
let w: GrantWorld;
let exchange: GrantCore['exchange'];
useGrantCore('tokend-grants-code-', (opened) => ({ w, exchange } = core = opened));
const consumedAt = async (raw: string) => (await core.store.findCode(hashToken(raw)))?.consumedAt;

test('a code redeemed with Basic: access and refresh tokens in the family the code records, with its scopes', async () => {
  core.clock.set(T0 + 1000);
  const code = await storedCode(core.store, w, w.clients.code);
  const issued = await exchange(withBasic(w.clients.code, codeForm(code)));
  assert.equal(issued.clientId, w.clients.code.id);
  assert.match(String(issued.refreshToken), /^[A-Za-z0-9_-]{43}$/, 'no idle timeout: a refresh token');
  const stored = await core.store.findCode(hashToken(code));
  assert.deepEqual([stored?.consumedAt, stored?.familyId], [T0 + 1000, issued.familyId]);
  const access = await core.store.findTokenByHash(issued.accessTokenHash);
  const refresh = await core.store.findTokenByHash(hashToken(String(issued.refreshToken)));
  for (const [record, kind, expiresAt] of [
    [access, 'access', T0 + 1000 + 86_400_000],
    [refresh, 'refresh', T0 + 1000 + 30 * 86_400_000],
  ] as const) {
    assert.deepEqual(record && [record.kind, record.userId, record.scopes, record.grantType, record.familyId, record.codeHash, record.expiresAt], [
      kind,
      w.user.id,
      ['oauth', 'user-basic-info'],
      'authorization_code',
      issued.familyId,
      hashToken(code),
      expiresAt,
    ]);
  }
});

test('while an idle timeout applies, a code yields no refresh token', async () => {
  const idle = await grantWorld(core.store, (g) => {
    g.organization.idleTokenTimeout = { ...g.organization.idleTokenTimeout, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 };
  });
  core.clock.set(T0);
  const issued = await exchange(withBasic(idle.clients.code, codeForm(await storedCode(core.store, idle, idle.clients.code))));
  assert.equal(issued.refreshToken, undefined);
});

test('a second redemption is refused and revokes every token the first one yielded', async () => {
  core.clock.set(T0);
  const code = await storedCode(core.store, w, w.clients.code);
  const first = await exchange(withBasic(w.clients.code, codeForm(code)));
  await authenticate(core.services.authenticator, first.accessToken);
  await assert.rejects(
    exchange(withBasic(w.clients.code, codeForm(code))),
    invalidGrant('authorization code was already used; the tokens issued from it are revoked'),
  );
  await assert.rejects(authenticate(core.services.authenticator, first.accessToken), BAD_CREDENTIALS);
  assert.equal((await core.store.findTokenByHash(hashToken(String(first.refreshToken))))?.revokedAt, T0);
});

test('the client must prove itself: no credentials, a wrong secret, a client_id that is not the Basic one', async () => {
  const code = await storedCode(core.store, w, w.clients.code);
  await assert.rejects(exchange({ form: codeForm(code), authorization: undefined }), INVALID_CLIENT);
  await assert.rejects(exchange({ ...withBasic(w.clients.code, codeForm(code), 'wrong'), address: '203.0.113.1' }), INVALID_CLIENT);
  await assert.rejects(exchange({ form: codeForm(code, { client_id: w.clients.public.id }), authorization: basic(w.clients.code.id, 'x') }), INVALID_CLIENT);
  await assert.rejects(exchange(withClientId(w.clients.code, codeForm(code))), INVALID_CLIENT, 'a code without a challenge needs the secret');
  assert.equal(await consumedAt(code), null, 'a request refused before the code is read leaves it usable');
  await assert.rejects(
    exchange(withBasic(w.client, codeForm(code))),
    oauthErrorOf(400, 'unauthorized_client', 'client is not authorized to use grant type authorization_code'),
  );
});

test('missing fields are invalid_request naming them; an unknown code is invalid_grant', async () => {
  await assert.rejects(
    exchange(withBasic(w.clients.code, { grant_type: 'authorization_code', redirect_uri: REDIRECT_URI })),
    oauthErrorOf(400, 'invalid_request', 'missing required parameter: code'),
  );
  const code = await storedCode(core.store, w, w.clients.code);
  await assert.rejects(
    exchange(withBasic(w.clients.code, { grant_type: 'authorization_code', code })),
    oauthErrorOf(400, 'invalid_request', 'missing required parameter: redirect_uri'),
  );
  await assert.rejects(exchange(withBasic(w.clients.code, codeForm('no-such-code'))), invalidGrant('authorization code is invalid'));
});

test('each check of the code refuses it and uses it up: expired, another client, another redirect URI, a verifier it did not ask for', async () => {
  const cases: Array<[string, TokenRequest, string]> = [];
  core.clock.set(T0 + 300_000);
  const expired = await storedCode(core.store, w, w.clients.code);
  cases.push([expired, withBasic(w.clients.code, codeForm(expired)), 'authorization code has expired']);
  const ofPublic = await storedCode(core.store, w, w.clients.public, { expiresAt: T0 + 600_000 });
  cases.push([ofPublic, withBasic(w.clients.code, codeForm(ofPublic)), 'authorization code was issued to another client']);
  const elsewhere = await storedCode(core.store, w, w.clients.code, { expiresAt: T0 + 600_000 });
  cases.push([
    elsewhere,
    withBasic(w.clients.code, codeForm(elsewhere, { redirect_uri: `${REDIRECT_URI}/other` })),
    'redirect_uri does not match the authorization request',
  ]);
  const plain = await storedCode(core.store, w, w.clients.code, { expiresAt: T0 + 600_000 });
  cases.push([
    plain,
    withBasic(w.clients.code, codeForm(plain, { code_verifier: VERIFIER })),
    'code_verifier was sent for a code issued without code_challenge',
  ]);
  for (const [code, request, description] of cases) {
    await assert.rejects(exchange(request), invalidGrant(description));
    assert.equal(await consumedAt(code), T0 + 300_000, description);
  }
});

test('the user must still be able to sign in: inactive, or their sign-in session ended', async () => {
  const inactive = await grantWorld(core.store, (g) => {
    g.user.state = 'inactive';
  });
  core.clock.set(T0);
  const code = await storedCode(core.store, inactive, inactive.clients.code);
  await assert.rejects(exchange(withBasic(inactive.clients.code, codeForm(code))), invalidGrant('the user of this code cannot sign in'));
  const session = { hash: `session-${code}`, userId: w.user.id, organizationId: w.organization.id, createdAt: T0, expiresAt: T0 + 3_600_000, revokedAt: null };
  await core.store.insertSession(session);
  await core.store.endSession(session.hash, T0);
  const ofEnded = await storedCode(core.store, w, w.clients.code, { sessionHash: session.hash });
  await assert.rejects(exchange(withBasic(w.clients.code, codeForm(ofEnded))), invalidGrant('the sign-in that approved this code has ended'));
});

test('PKCE: a public client redeems with client_id and the verifier; so does a client with a secret, for a code with a challenge', async () => {
  core.clock.set(T0);
  for (const client of [w.clients.public, w.clients.code]) {
    const code = await storedCode(core.store, w, client, { codeChallenge: CHALLENGE });
    const issued = await exchange(withClientId(client, codeForm(code, { code_verifier: VERIFIER })));
    assert.equal(issued.clientId, client.id);
    assert.ok(issued.refreshToken);
  }
  const withEmptySecret = await storedCode(core.store, w, w.clients.public, { codeChallenge: CHALLENGE });
  assert.ok(
    (await exchange({ form: codeForm(withEmptySecret, { code_verifier: VERIFIER }), authorization: basic(w.clients.public.id, '') })).accessToken,
    'Basic with an empty secret names a client as client_id does',
  );
});

test('PKCE refused: no verifier, a malformed one, a wrong one; a secret sent for a public client', async () => {
  core.clock.set(T0);
  const cases: Array<[Record<string, string>, string]> = [
    [{}, 'code_verifier is required for this code'],
    [{ code_verifier: 'short' }, 'code_verifier is malformed'],
    [{ code_verifier: 'w'.repeat(43) }, 'code_verifier does not match code_challenge'],
  ];
  for (const [extra, description] of cases) {
    const code = await storedCode(core.store, w, w.clients.public, { codeChallenge: CHALLENGE });
    await assert.rejects(exchange(withClientId(w.clients.public, codeForm(code, extra))), invalidGrant(description));
    assert.equal(await consumedAt(code), T0, 'a wrong verifier cannot be retried');
  }
  const code = await storedCode(core.store, w, w.clients.public, { codeChallenge: CHALLENGE });
  await assert.rejects(exchange(withBasic(w.clients.public, codeForm(code, { code_verifier: VERIFIER }))), INVALID_CLIENT);
  await assert.rejects(exchange(withClientId(w.clients.public, codeForm(code, { code_verifier: VERIFIER, client_id: 'no-such-client' }))), INVALID_CLIENT);
});
