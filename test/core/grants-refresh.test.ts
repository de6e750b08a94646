/**
 * `grant_type=refresh_token` with rotation (src/core/grants/refresh-token.ts), without HTTP:
 * refresh tokens are stored as a code redemption leaves them, then used through the token
 * endpoint. A use rotates the token within its family; a second use of a rotated token ends the
 * whole family; each refusal's typed error, exactly.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { TokenRecord } from '../../src/core/models.js';
import { hashToken } from '../../src/core/secrets.js';
import { BAD_CREDENTIALS, INVALID_CLIENT, oauthErrorOf, storedToken } from '../helpers/core-services.js';
import { type GrantCore, grantWorld, type GrantWorld, invalidGrant, useGrantCore, withBasic, withClientId } from '../helpers/grant-world.js';
import { T0 } from '../store/fixtures.js';
import { authenticate } from '../helpers/authenticate.js';

let core: GrantCore;
let w: GrantWorld;
let exchange: GrantCore['exchange'];
useGrantCore('tokend-grants-refresh-', (opened) => ({ w, exchange } = core = opened));
const refreshForm = (token: string) => ({ grant_type: 'refresh_token', refresh_token: token });

/** A live refresh token of the code client in a family of its own, as a code redemption stores it. */
async function refreshOf(g: GrantWorld, client = g.clients.code, overrides: Partial<TokenRecord> = {}): Promise<{ raw: string; familyId: string }> {
  const familyId = randomUUID();
  const common = { clientId: client.id, familyId, grantType: 'authorization_code', scopes: ['oauth', 'user-basic-info'], codeHash: 'code-hash' };
  const raw = await storedToken(core.store, g, { kind: 'refresh', expiresAt: T0 + 30 * 86_400_000, ...common, ...overrides });
  return { raw, familyId };
}

test('a use rotates: a new access and refresh token in the same family, keeping scopes, grant type and code; the old one retired', async () => {
  core.clock.set(T0 + 5000);
  const { raw, familyId } = await refreshOf(w);
  const issued = await exchange(withBasic(w.clients.code, refreshForm(raw)));
  assert.equal(issued.familyId, familyId);
  assert.notEqual(issued.refreshToken, raw);
  assert.equal((await core.store.findTokenByHash(hashToken(raw)))?.revokedAt, T0 + 5000);
  for (const hash of [issued.accessTokenHash, hashToken(String(issued.refreshToken))]) {
    const record = await core.store.findTokenByHash(hash);
    assert.deepEqual(
      record && [record.userId, record.clientId, record.familyId, record.scopes, record.grantType, record.codeHash, record.issuedAt, record.revokedAt],
      [w.user.id, w.clients.code.id, familyId, ['oauth', 'user-basic-info'], 'authorization_code', 'code-hash', T0 + 5000, null],
    );
  }
  const again = await exchange(withBasic(w.clients.code, refreshForm(String(issued.refreshToken))));
  assert.equal(again.familyId, familyId, 'and again');
});

test('a public client refreshes with its client_id alone', async () => {
  core.clock.set(T0);
  const { raw } = await refreshOf(w, w.clients.public);
  assert.equal((await exchange(withClientId(w.clients.public, refreshForm(raw)))).clientId, w.clients.public.id);
});

test('reuse of a rotated token is refused and ends the family, the tokens just issued included', async () => {
  core.clock.set(T0);
  const { raw } = await refreshOf(w);
  const winner = await exchange(withBasic(w.clients.code, refreshForm(raw)));
  await authenticate(core.services.authenticator, winner.accessToken);
  core.clock.set(T0 + 10);
  await assert.rejects(exchange(withBasic(w.clients.code, refreshForm(raw))), invalidGrant('refresh token was already used or revoked; its sign-in is ended'));
  await assert.rejects(authenticate(core.services.authenticator, winner.accessToken), BAD_CREDENTIALS);
  await assert.rejects(
    exchange(withBasic(w.clients.code, refreshForm(String(winner.refreshToken)))),
    invalidGrant('refresh token was already used or revoked; its sign-in is ended'),
  );
});

test("refused as invalid: unknown, an access token, another client's refresh token (left alone)", async () => {
  core.clock.set(T0);
  const access = await storedToken(core.store, w, { clientId: w.clients.code.id });
  const ofPublic = await refreshOf(w, w.clients.public);
  for (const raw of ['no-such-token', access, ofPublic.raw])
    await assert.rejects(exchange(withBasic(w.clients.code, refreshForm(raw))), invalidGrant('refresh token is invalid'));
  assert.equal((await core.store.findTokenByHash(hashToken(ofPublic.raw)))?.revokedAt, null);
});

test('refused: expired; a user who cannot sign in; while an idle timeout applies', async () => {
  core.clock.set(T0 + 1000);
  const expired = await refreshOf(w, w.clients.code, { expiresAt: T0 + 1000 });
  await assert.rejects(exchange(withBasic(w.clients.code, refreshForm(expired.raw))), invalidGrant('refresh token has expired'));
  const inactive = await grantWorld(core.store);
  const ofInactive = await refreshOf(inactive);
  // The user's state changed as a seed writes it, without the revocation a disable adds.
  inactive.user.state = 'inactive';
  await core.store.applySeed(inactive.plan);
  await assert.rejects(exchange(withBasic(inactive.clients.code, refreshForm(ofInactive.raw))), invalidGrant('the user of this refresh token cannot sign in'));
  const idle = await grantWorld(core.store, (g) => {
    g.organization.idleTokenTimeout = { ...g.organization.idleTokenTimeout, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 };
  });
  const ofIdle = await refreshOf(idle);
  await assert.rejects(
    exchange(withBasic(idle.clients.code, refreshForm(ofIdle.raw))),
    invalidGrant('refresh tokens are not accepted while an idle token timeout applies'),
  );
});

test('refused before the token is read: no client, a client of another grant, no refresh_token', async () => {
  const { raw } = await refreshOf(w);
  await assert.rejects(exchange({ form: refreshForm(raw), authorization: undefined }), INVALID_CLIENT);
  await assert.rejects(exchange(withClientId(w.clients.code, refreshForm(raw))), INVALID_CLIENT, 'a client with a secret must send it');
  await assert.rejects(
    exchange(withBasic(w.clients.password, refreshForm(raw))),
    oauthErrorOf(400, 'unauthorized_client', 'client is not authorized to use grant type refresh_token'),
  );
  await assert.rejects(
    exchange(withBasic(w.clients.code, { grant_type: 'refresh_token' })),
    oauthErrorOf(400, 'invalid_request', 'missing required parameter: refresh_token'),
  );
  assert.equal((await core.store.findTokenByHash(hashToken(raw)))?.revokedAt, null);
});
