/**
 * POST /oauth/introspect (RFC 7662; CONTRACT.md, "Standard OAuth endpoints"; issue 15): through
 * openid-client against a listening tokend, and in the call shape of Kong's OAuth 2.0
 * Introspection plugin. Exact bodies; the idle clock and the rate limit stay untouched.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import * as oidc from 'openid-client';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { basic, bearer, type TestApp } from '../helpers/app.js';
import { Browser, tokenRequest } from '../helpers/browser-flow.js';
import { ACME, clients, users } from '../helpers/fixture.js';
import { discover, formPost, INVALID_CLIENT_BODY, listeningTokend } from '../helpers/oauth-std.js';

let t: TestApp;
let url: string;
let admin: oidc.Configuration;
before(async () => {
  ({ t, url } = await listeningTokend());
  admin = await discover(url, clients.admin);
});
after(() => t.close());
afterEach(async () => {
  await t.app.tokend.store.setIdleTokenTimeout(ACME, DEFAULT_IDLE_TOKEN_TIMEOUT);
  t.app.tokend.authenticator.invalidate();
  // Past the client-authentication window: one test's failures never throttle the next.
  t.clock.advance(15 * 60_000);
});

const seconds = (ms: number) => Math.floor(ms / 1000);
const introspect = (token: string, client = clients.admin, extra: Record<string, string> = {}, remoteAddress?: string) =>
  formPost(t, '/oauth/introspect', { token, ...extra }, client, remoteAddress);
const me = (token: string, query = '') => t.inject({ method: 'GET', url: `/api/v2/tokens/me${query}`, headers: bearer(token) });

describe('what an active token answers (openid-client tokenIntrospection)', () => {
  test('a client-credentials token: client_id, exp, iat, token_type, and no sub or scope', async () => {
    const token = await t.token(clients.plain);
    const answer = await oidc.tokenIntrospection(admin, token);
    const issuedAt = seconds(t.clock.now());
    // Plain service's tokens last 600 s (seed).
    assert.deepEqual({ ...answer }, { active: true, client_id: clients.plain.id, exp: issuedAt + 600, iat: issuedAt, token_type: 'Bearer' });
  });

  test("a user token: sub is the user's id and scope the token's scopes, space-separated, as /tokens/me lists them", async () => {
    const token = await t.token(clients.passwordApp, users.alice);
    const { authorizedScope } = (await me(token, '?preserveIdleTTL=true')).json();
    assert.deepEqual(authorizedScope, ['authorization', 'user-basic-info']);
    const answer = await oidc.tokenIntrospection(admin, token, { token_type_hint: 'access_token' });
    const issuedAt = seconds(t.clock.now());
    assert.deepEqual(
      { ...answer },
      {
        active: true,
        client_id: clients.passwordApp.id,
        sub: users.alice.id,
        scope: 'authorization user-basic-info',
        exp: issuedAt + 86400,
        iat: issuedAt,
        token_type: 'Bearer',
      },
    );
  });

  test('a wrong token_type_hint is only a hint: the access token is still found', async () => {
    const token = await t.token(clients.plain);
    for (const hint of ['refresh_token', 'id_token', '']) {
      assert.equal((await oidc.tokenIntrospection(admin, token, { token_type_hint: hint })).active, true, hint);
    }
  });

  test('any client of the organization with a secret may ask, itself included', async () => {
    const token = await t.token(clients.plain);
    for (const client of [clients.plain, clients.passwordApp, clients.codeApp]) {
      const response = await introspect(token, client);
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().active, true);
      assert.equal(response.headers['cache-control'], 'no-store');
      assert.equal(response.headers.pragma, 'no-cache');
      assert.match(String(response.headers['content-type']), /^application\/json/);
    }
  });
});

describe('what is not valid answers {"active": false} alone', () => {
  const inactive = async (token: string, client = clients.admin) => {
    const response = await introspect(token, client);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.body, '{"active":false}');
    assert.equal(response.headers['cache-control'], 'no-store');
  };

  test('a token of another organization, asked by its client (openid-client) and raw', async () => {
    const token = await t.token(clients.plain);
    const globex = await discover(url, clients.globex);
    assert.deepEqual({ ...(await oidc.tokenIntrospection(globex, token)) }, { active: false });
    await inactive(token, clients.globex);
    await inactive(await t.token(clients.globex), clients.admin);
  });

  test('unknown, over-long, revoked, expired', async () => {
    await inactive(randomBytes(32).toString('base64url'));
    await inactive('x'.repeat(10_000));
    const revoked = await t.token(clients.plain);
    assert.equal((await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(revoked) })).statusCode, 200);
    await inactive(revoked);
    const expiring = await t.token(clients.plain);
    t.clock.advance(600_000);
    await inactive(expiring);
  });

  test('a refresh token: only access tokens are introspected, so a gateway checking `active` never takes one', async () => {
    const codeAuth = { authorization: basic(clients.codeApp.id, clients.codeApp.secret) };
    const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    const tokens = (await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, codeAuth)).json();
    await inactive(tokens.refresh_token, clients.codeApp);
    const hinted = await introspect(tokens.refresh_token, clients.codeApp, { token_type_hint: 'refresh_token' });
    assert.equal(hinted.body, '{"active":false}');
    assert.equal((await introspect(tokens.access_token, clients.codeApp)).json().active, true);
  });
});

describe('introspection moves no idle clock and counts against no rate limit', () => {
  test('a token near its idle deadline, introspected again and again, still idles out on time', async () => {
    await t.app.tokend.store.setIdleTokenTimeout(ACME, { ...DEFAULT_IDLE_TOKEN_TIMEOUT, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 });
    t.app.tokend.authenticator.invalidate();
    const token = await t.token(clients.plain);
    const deadline = (await me(token)).json().dateTokenIdles;
    assert.equal(deadline, new Date(t.clock.now() + 300_000).toISOString());
    for (let step = 0; step < 29; step++) {
      t.clock.advance(10_000);
      assert.equal((await oidc.tokenIntrospection(admin, token)).active, true, `${(step + 1) * 10} s after its last use`);
    }
    assert.equal((await me(token, '?preserveIdleTTL=true')).json().dateTokenIdles, deadline, 'the deadline has not moved');
    t.clock.advance(10_000);
    assert.deepEqual({ ...(await oidc.tokenIntrospection(admin, token)) }, { active: false });
    assert.equal((await me(token)).statusCode, 401);
  });

  test(`more introspections than the token's rate limit, then GET /tokens/me is its first request of the window`, async () => {
    const limited = await listeningTokend({ rateLimitPerMinute: 5 });
    try {
      const token = await limited.t.token(clients.plain);
      const config = await discover(limited.url, clients.admin);
      for (let i = 0; i < 12; i++) assert.equal((await oidc.tokenIntrospection(config, token)).active, true, `introspection ${i + 1}`);
      const response = await limited.t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['inin-ratelimit-count'], '1');
      assert.equal(response.headers['inin-ratelimit-allowed'], '5');
    } finally {
      await limited.t.close();
    }
  });
});

describe('who may ask: clients authenticated as at /oauth/token', () => {
  const assertOAuth = (response: Awaited<ReturnType<typeof introspect>>, status: number, body: object, wwwAuthenticate?: string) => {
    assert.equal(response.statusCode, status, response.body);
    assert.equal(response.body, JSON.stringify(body));
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.headers['www-authenticate'], wwwAuthenticate);
  };
  const invalidClient = JSON.parse(INVALID_CLIENT_BODY);

  test('no token: 400 invalid_request', async () => {
    const message = 'missing required parameter: token';
    assertOAuth(await formPost(t, '/oauth/introspect', {}, clients.admin), 400, { error: 'invalid_request', description: message, error_description: message });
    assertOAuth(await formPost(t, '/oauth/introspect', { token: '' }, clients.admin), 400, {
      error: 'invalid_request',
      description: message,
      error_description: message,
    });
  });

  test('no credentials, a wrong secret, an unknown id, a public client, client_id and client_secret in the form: 401 invalid_client, all alike', async () => {
    const token = await t.token(clients.plain);
    const basicHeader = 'Basic realm="tokend"';
    assertOAuth(await formPost(t, '/oauth/introspect', { token }), 401, invalidClient, basicHeader);
    assertOAuth(await introspect(token, { id: clients.admin.id, secret: 'wrong' }, {}, '10.80.0.1'), 401, invalidClient, basicHeader);
    assertOAuth(await introspect(token, { id: 'no-such-client', secret: 'wrong' }, {}, '10.80.0.2'), 401, invalidClient, basicHeader);
    assertOAuth(await formPost(t, '/oauth/introspect', { token, client_id: clients.pkceApp.id }), 401, invalidClient, basicHeader);
    assertOAuth(
      await formPost(t, '/oauth/introspect', { token, client_id: clients.admin.id, client_secret: clients.admin.secret }),
      401,
      invalidClient,
      basicHeader,
    );
    const bearerCaller = await t.inject({
      method: 'POST',
      url: '/oauth/introspect',
      headers: { ...bearer(token), 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${token}`,
    });
    assertOAuth(bearerCaller, 401, invalidClient, basicHeader);
  });

  test('a wrong secret of a remembered client costs one slow hash, as an unknown id does; the right one is answered from its digest', async () => {
    const token = await t.token(clients.plain);
    assert.equal((await introspect(token, clients.wildcard, {}, '10.82.0.1')).statusCode, 200);
    const timed = async (client: { id: string; secret: string }, address: string) => {
      const started = process.hrtime.bigint();
      const response = await introspect(token, client, {}, address);
      return { status: response.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 };
    };
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
    const right: number[] = [];
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ok = await timed(clients.wildcard, `10.82.1.${i}`);
      const bad = await timed({ id: clients.wildcard.id, secret: `wrong-${i}` }, `10.82.2.${i}`);
      const none = await timed({ id: `unknown-${i}`, secret: `wrong-${i}` }, `10.82.3.${i}`);
      assert.deepEqual([ok.status, bad.status, none.status], [200, 401, 401]);
      right.push(ok.ms);
      wrong.push(bad.ms);
      unknown.push(none.ms);
    }
    // scrypt (N=2^15, r=8) is never under 10 ms; a digest comparison takes microseconds.
    assert.ok(median(wrong) >= 10 && median(unknown) >= 10, `wrong ${median(wrong)} ms, unknown ${median(unknown)} ms`);
    assert.ok(median(right) < median(wrong) / 3, `right ${median(right)} ms against wrong ${median(wrong)} ms`);
  });

  test('a disabled client: 400 unauthorized_client', async () => {
    const token = await t.token(clients.plain);
    const message = 'client is disabled';
    assertOAuth(await introspect(token, clients.disabled), 400, { error: 'unauthorized_client', description: message, error_description: message });
  });

  test('a JSON body: 415 invalid_request', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/oauth/introspect',
      headers: { authorization: basic(clients.admin.id, clients.admin.secret), 'content-type': 'application/json' },
      payload: '{"token":"x"}',
    });
    const message = 'the request body must be application/x-www-form-urlencoded';
    assertOAuth(response, 415, { error: 'invalid_request', description: message, error_description: message });
  });

  test('wrong secrets are throttled with /oauth/token, one count for both: 5 invalid_client from an address, then 429; the right secret from elsewhere still answers', async () => {
    const token = await t.token(clients.plain);
    const address = '10.81.0.1';
    for (let i = 0; i < 3; i++) assert.equal((await introspect(token, { id: clients.readonlyApp.id, secret: `wrong-${i}` }, {}, address)).statusCode, 401);
    for (let i = 0; i < 2; i++) {
      const tokenAttempt = await t.inject({
        method: 'POST',
        url: '/oauth/token',
        remoteAddress: address,
        headers: { authorization: basic(clients.readonlyApp.id, `wrong-t${i}`), 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=password&username=x&password=y',
      });
      assert.equal(tokenAttempt.statusCode, 401, tokenAttempt.body);
    }
    const throttled = await introspect(token, { id: clients.readonlyApp.id, secret: 'wrong-again' }, {}, address);
    assert.equal(throttled.statusCode, 429, throttled.body);
    assert.equal(throttled.json().error, 'invalid_client');
    assert.match(throttled.json().error_description, /^too many failed client authentications; retry in \d+ seconds$/);
    assert.ok(Number(throttled.headers['retry-after']) > 0);
    assert.equal(throttled.headers['www-authenticate'], 'Basic realm="tokend"');
    // An unknown id is throttled exactly as a known one.
    for (let i = 0; i < 5; i++) assert.equal((await introspect(token, { id: 'unknown-introspector', secret: `w${i}` }, {}, '10.81.0.2')).statusCode, 401);
    assert.equal((await introspect(token, { id: 'unknown-introspector', secret: 'w5' }, {}, '10.81.0.2')).statusCode, 429);
    assert.equal((await introspect(token, clients.readonlyApp, {}, '10.81.0.3')).json().active, true);
  });
});

describe("an API gateway's call: Kong's OAuth 2.0 Introspection plugin", () => {
  // https://developer.konghq.com/plugins/oauth2-introspection/ : the plugin POSTs the caller's
  // token as a form (`token`, and `token_type_hint` when configured) to `introspection_url`,
  // with its `authorization_value` (here `Basic base64(client_id:client_secret)`) as the
  // Authorization header, and lets the request through only when the JSON answer has
  // `active: true`; it forwards client_id, sub, scope and exp to the upstream.
  const kongIntrospects = (token: string) =>
    fetch(`${url}/oauth/introspect`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clients.admin.id}:${clients.admin.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        'user-agent': 'lua-resty-http/0.17.1 (Lua) ngx_lua/10025',
      },
      body: `token=${encodeURIComponent(token)}&token_type_hint=access_token`,
    });

  test('a valid token is active with the fields Kong forwards; a revoked one is {"active":false}', async () => {
    const token = await t.token(clients.passwordApp, users.bob);
    const response = await kongIntrospects(token);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const issuedAt = seconds(t.clock.now());
    assert.equal(
      await response.text(),
      JSON.stringify({
        active: true,
        client_id: clients.passwordApp.id,
        sub: users.bob.id,
        scope: 'authorization user-basic-info',
        exp: issuedAt + 86400,
        iat: issuedAt,
        token_type: 'Bearer',
      }),
    );
    assert.equal((await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
    const revoked = await kongIntrospects(token);
    assert.equal(revoked.status, 200);
    assert.equal(await revoked.text(), '{"active":false}');
  });
});
