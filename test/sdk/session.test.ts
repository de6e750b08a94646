import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ApiClient, type ApiClientOptions, isApiError, isOAuthError, TokensApi } from '../../src/sdk/index.js';
import { fakeClock } from './helpers/clock.js';
import { type FakeTokend, type FakeTokendOptions, startFakeTokend } from './helpers/fake-tokend.js';
import { bearerOf, formOf, json } from './helpers/server.js';

const servers: FakeTokend[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function setup(options: FakeTokendOptions = {}, client: Partial<ApiClientOptions> = {}) {
  const server = await startFakeTokend(options);
  servers.push(server);
  const time = fakeClock();
  const api = new ApiClient({ baseUrl: server.baseUrl, clock: time.clock, random: () => 0.5, ...client });
  return { server, time, client: api, tokens: new TokensApi(api) };
}

const me = '/api/v2/tokens/me';
const token = '/oauth/token';
/** The token each API request carried, in order. */
const sent = (server: FakeTokend) => server.to(me).map(bearerOf);

test('a client-credentials session logs in again once after a 401 bad.credentials, and returns the retried result', async () => {
  const { server, client, tokens } = await setup();
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  server.valid.clear(); // the server forgets the token: revoked, idled out or restarted
  const info = await tokens.getTokensMe();
  assert.deepEqual(info.authorizedScope, ['access-2']);
  assert.equal(server.to(token).length, 2);
  assert.deepEqual(sent(server), ['access-1', 'access-2']);
  assert.deepEqual(
    server.to(token).map((request) => [formOf(request).grant_type, request.headers.authorization]),
    Array(2).fill(['client_credentials', `Basic ${btoa('cc-client:cc-secret')}`]),
  );
});

test('a second refusal right after the re-login is thrown, not retried again', async () => {
  const { server, client, tokens } = await setup({ fallback: () => {} });
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  server.valid.clear();
  // Issued tokens are refused too, as for a client disabled between login and call.
  const refuse = server.valid.add.bind(server.valid);
  server.valid.add = (_value) => server.valid;
  await assert.rejects(tokens.getTokensMe(), (error) => {
    assert.ok(isApiError(error));
    assert.equal(error.status, 401);
    assert.equal(error.code, 'bad.credentials');
    assert.equal(error.message, '401 bad.credentials: Invalid login credentials. (correlation id ctx-401-bad.credentials)');
    return true;
  });
  server.valid.add = refuse;
  assert.equal(server.to(token).length, 2);
  assert.equal(server.to(me).length, 2);
});

test('a client-credentials session logs in again before expiry, within the margin', async () => {
  const { server, client, tokens, time } = await setup({ expiresIn: 300 }, { refreshMarginSeconds: 60 });
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  time.advance(239_000); // 61 s left: outside the margin
  await tokens.getTokensMe();
  assert.equal(server.to(token).length, 1);
  time.advance(1_000); // 60 s left: inside the margin
  await tokens.getTokensMe();
  assert.equal(server.to(token).length, 2);
  assert.deepEqual(sent(server), ['access-1', 'access-2']);
});

test('the margin is at most half the lifetime of a short token', async () => {
  const { server, client, tokens, time } = await setup({ expiresIn: 100 }, { refreshMarginSeconds: 600 });
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  time.advance(49_000);
  await tokens.getTokensMe();
  assert.equal(server.to(token).length, 1);
  time.advance(1_000);
  await tokens.getTokensMe();
  assert.equal(server.to(token).length, 2);
});

test('concurrent calls with a refused token share one re-login', async () => {
  const { server, client, tokens } = await setup();
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  server.valid.clear();
  const results = await Promise.all(Array.from({ length: 5 }, () => tokens.getTokensMe()));
  assert.deepEqual(
    results.map((info) => info.authorizedScope),
    Array(5).fill(['access-2']),
  );
  assert.equal(server.to(token).length, 2);
  assert.equal(server.to(me).length, 10);
  assert.deepEqual(sent(server).sort(), [...Array(5).fill('access-1'), ...Array(5).fill('access-2')]);
});

test('concurrent calls near expiry share one renewal before sending', async () => {
  const { server, client, tokens, time } = await setup({ expiresIn: 300 });
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  time.advance(300_000);
  await Promise.all(Array.from({ length: 5 }, () => tokens.getTokensMe()));
  assert.equal(server.to(token).length, 2);
  assert.deepEqual(sent(server), Array(5).fill('access-2'));
});

test('a failed re-login reaches every waiting caller as the OAuthError, from one request', async () => {
  let refuse = false;
  const { server, client, tokens } = await setup({
    token: (_request, res) => {
      if (!refuse) return false;
      json(
        res,
        401,
        { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' },
        {
          'www-authenticate': 'Basic realm="tokend"',
        },
      );
      return true;
    },
  });
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  server.valid.clear();
  refuse = true; // the secret was rotated meanwhile
  const outcomes = await Promise.allSettled(Array.from({ length: 3 }, () => tokens.getTokensMe()));
  for (const outcome of outcomes) {
    assert.equal(outcome.status, 'rejected');
    assert.ok(isOAuthError(outcome.reason));
    assert.equal(outcome.reason.message, '401 invalid_client: authentication failed');
  }
  assert.equal(server.to(token).length, 2);
  assert.equal(server.to(me).length, 3);
});

test('a token set by hand is never renewed: the 401 is thrown', async () => {
  const { server, client, tokens } = await setup();
  client.setAccessToken('from-elsewhere');
  await assert.rejects(tokens.getTokensMe(), (error) => isApiError(error) && error.code === 'bad.credentials');
  assert.equal(server.to(token).length, 0);
  assert.equal(server.to(me).length, 1);
});

test('setAccessToken ends a client-credentials session', async () => {
  const { server, client, tokens } = await setup();
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  client.setAccessToken('from-elsewhere');
  await assert.rejects(tokens.getTokensMe(), (error) => isApiError(error) && error.status === 401);
  assert.equal(server.to(token).length, 1);
});

test('without a token a call is sent bare and fails with authentication.required', async () => {
  const { server, tokens } = await setup({
    fallback: (_request, res) =>
      json(res, 401, { code: 'authentication.required', status: 401, message: 'No authentication bearer token specified in authorization header.' }),
  });
  await assert.rejects(tokens.getTokensTimeout(), (error) => isApiError(error) && error.code === 'authentication.required');
  assert.equal(server.to('/api/v2/tokens/timeout')[0]?.headers.authorization, undefined);
});

test('a code-grant session refreshes once after a 401, retries, and keeps the rotated refresh token', async () => {
  const { server, client, tokens } = await setup({ refreshTokens: true });
  const auth = await client.loginCodeAuthorizationGrant('code-client', 'code-secret', 'the-code', 'http://127.0.0.1/cb');
  assert.equal(auth.refreshToken, 'refresh-1');
  assert.deepEqual(formOf(server.to(token)[0]!), { grant_type: 'authorization_code', code: 'the-code', redirect_uri: 'http://127.0.0.1/cb' });
  server.valid.clear();
  const info = await tokens.getTokensMe();
  assert.deepEqual(info.authorizedScope, ['access-2']);
  assert.equal(client.refreshToken, 'refresh-2');
  server.valid.clear();
  await tokens.getTokensMe();
  assert.deepEqual(
    server.to(token).map((request) => formOf(request).refresh_token),
    [undefined, 'refresh-1', 'refresh-2'],
  );
  assert.deepEqual(sent(server), ['access-1', 'access-2', 'access-2', 'access-3']);
});

test('concurrent calls of a code-grant session spend the refresh token once', async () => {
  const { server, client, tokens } = await setup({ refreshTokens: true });
  await client.loginCodeAuthorizationGrant('code-client', 'code-secret', 'the-code', 'http://127.0.0.1/cb');
  server.valid.clear();
  await Promise.all(Array.from({ length: 4 }, () => tokens.getTokensMe()));
  assert.equal(server.to(token).length, 2);
  assert.deepEqual(server.refreshable, new Set(['refresh-2']));
});

test('refreshCodeAuthorizationGrant returns and keeps the rotated refresh token', async () => {
  const { server, client } = await setup({ refreshTokens: true });
  server.refreshable.add('saved-refresh');
  const auth = await client.refreshCodeAuthorizationGrant('code-client', 'code-secret', 'saved-refresh');
  assert.equal(auth.accessToken, 'access-1');
  assert.equal(auth.refreshToken, 'refresh-1');
  assert.equal(client.accessToken, 'access-1');
  assert.equal(client.refreshToken, 'refresh-1');
  const request = server.to(token)[0]!;
  assert.deepEqual(formOf(request), { grant_type: 'refresh_token', refresh_token: 'saved-refresh' });
  assert.equal(request.headers.authorization, `Basic ${btoa('code-client:code-secret')}`);
});

test('a spent refresh token fails with OAuthError invalid_grant', async () => {
  const { client } = await setup({ refreshTokens: true });
  await assert.rejects(client.refreshCodeAuthorizationGrant('code-client', 'code-secret', 'spent'), (error) => {
    assert.ok(isOAuthError(error));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_grant');
    assert.equal(error.description, 'refresh token revoked');
    return true;
  });
});

test('a password session without a refresh token does not log in again: the password is not kept', async () => {
  const { server, client, tokens } = await setup();
  const auth = await client.loginPasswordGrant('pw-client', 'pw-secret', 'ada@example.com', 'hunter2');
  assert.equal(auth.refreshToken, undefined);
  assert.deepEqual(formOf(server.to(token)[0]!), { grant_type: 'password', username: 'ada@example.com', password: 'hunter2' });
  server.valid.clear();
  await assert.rejects(tokens.getTokensMe(), (error) => isApiError(error) && error.status === 401);
  assert.equal(server.to(token).length, 1);
});

test('a HEAD refused with WWW-Authenticate invalid_token renews the session like a bad.credentials body', async () => {
  const { server, client, tokens } = await setup();
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  server.valid.clear();
  await tokens.headTokensMe();
  assert.equal(server.to(token).length, 2);
  assert.deepEqual(sent(server), ['access-1', 'access-2']);
});

test('a login returns AuthData with the expiry on the client clock', async () => {
  const { client, time } = await setup({ expiresIn: 86_400 });
  const auth = await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  assert.equal(auth.accessToken, 'access-1');
  assert.equal(auth.tokenExpiryTime, time.clock.now() + 86_400_000);
  assert.equal(auth.tokenExpiryTimeString, new Date(time.clock.now() + 86_400_000).toUTCString());
});

test('clearAccessToken forgets the session', async () => {
  const { server, client, tokens } = await setup({
    fallback: (_request, res) => json(res, 401, { code: 'authentication.required', status: 401, message: 'No token' }),
  });
  await client.loginClientCredentialsGrant('cc-client', 'cc-secret');
  client.clearAccessToken();
  assert.equal(client.accessToken, undefined);
  await assert.rejects(tokens.getTokensTimeout(), (error) => isApiError(error) && error.code === 'authentication.required');
  assert.equal(server.to(token).length, 1);
});

test('a resumed client-credentials token is used without a login until the margin before its expiry', async () => {
  const { server, client, tokens, time } = await setup({}, { refreshMarginSeconds: 60 });
  server.valid.add('saved-token');
  client.resumeClientCredentialsGrant('cc-client', 'cc-secret', { accessToken: 'saved-token', tokenExpiryTime: time.clock.now() + 120_000 });
  assert.equal(client.accessToken, 'saved-token');
  assert.equal(client.tokenExpiryTime, time.clock.now() + 120_000);
  await tokens.getTokensMe();
  assert.equal(server.to(token).length, 0);
  time.advance(60_000); // 60 s left: inside the margin
  await tokens.getTokensMe();
  assert.equal(server.to(token).length, 1);
  assert.deepEqual(sent(server), ['saved-token', 'access-1']);
  assert.equal(client.tokenExpiryTime, time.clock.now() + 300_000, "the renewed token's expiry");
});

test('a resumed token that the server refuses logs in again once and returns the retried result', async () => {
  const { server, client, tokens, time } = await setup();
  client.resumeClientCredentialsGrant('cc-client', 'cc-secret', { accessToken: 'revoked-token', tokenExpiryTime: time.clock.now() + 3_600_000 });
  const info = await tokens.getTokensMe();
  assert.deepEqual(info.authorizedScope, ['access-1']);
  assert.deepEqual(sent(server), ['revoked-token', 'access-1']);
  assert.equal(server.to(token).length, 1);
  assert.equal(client.accessToken, 'access-1');
});

test('an already expired resumed token is renewed before the first call; bad input is a TypeError', async () => {
  const { server, client, tokens, time } = await setup();
  client.resumeClientCredentialsGrant('cc-client', 'cc-secret', { accessToken: 'old', tokenExpiryTime: time.clock.now() - 1 });
  await tokens.getTokensMe();
  assert.deepEqual(sent(server), ['access-1']);
  assert.throws(() => client.resumeClientCredentialsGrant('a', 'b', { accessToken: '', tokenExpiryTime: 1 }), TypeError);
  assert.throws(() => client.resumeClientCredentialsGrant('a', 'b', { accessToken: 'x', tokenExpiryTime: Number.NaN }), TypeError);
  client.setAccessToken('by-hand');
  assert.equal(client.tokenExpiryTime, undefined, 'a token set by hand has no known expiry');
});
