/**
 * Issue 13 item 12: one client cannot fill the disk. Tokens issued per client per minute, every
 * grant together (TOKEND_ISSUE_RATE_LIMIT), past it 429 from `POST /oauth/token` in the OAuth
 * error shape with `Retry-After`; counted after client authentication, exactly under parallel
 * requests, a window at a time, per client.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { assertOAuthError, Browser, tokenRequest } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';

const LIMIT = 20;
const MINUTE = 60_000;

let t: TestApp;
before(async () => {
  t = await startTestApp({ issueRateLimitPerMinute: LIMIT });
});
after(() => t.close());
// Every test starts with every client's window over.
beforeEach(() => t.clock.advance(MINUTE));

const clientCredentials = (client: { id: string; secret: string } = clients.plain) =>
  tokenRequest(t, { grant_type: 'client_credentials' }, { authorization: basic(client.id, client.secret) });

function assertLimited(response: LightMyRequestResponse, retryAfterSeconds: number): void {
  assertOAuthError(
    response,
    429,
    'temporarily_unavailable',
    `this client may be issued at most ${LIMIT} tokens a minute; retry in ${retryAfterSeconds} seconds`,
  );
  assert.equal(response.headers['retry-after'], String(retryAfterSeconds));
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.equal(response.headers.pragma, 'no-cache');
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.deepEqual(Object.keys(response.json()).sort(), ['description', 'error', 'error_description']);
}

describe('client credentials', () => {
  test('under the limit every request gets a token; the next one is 429 with Retry-After counting down', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await clientCredentials()).statusCode, 200);
    t.clock.advance(15_000);
    const refused = await clientCredentials();
    assertLimited(refused, 45);
    t.clock.advance(44_000);
    assertLimited(await clientCredentials(), 1);
  });

  test('limit + 50 in parallel: exactly the limit succeed', async () => {
    const responses = await Promise.all(Array.from({ length: LIMIT + 50 }, () => clientCredentials()));
    const statuses = responses.map((r) => r.statusCode);
    assert.equal(statuses.filter((s) => s === 200).length, LIMIT);
    assert.equal(statuses.filter((s) => s === 429).length, 50);
    for (const response of responses.filter((r) => r.statusCode === 429)) assertLimited(response, 60);
    // The tokens given out are good.
    const issued = responses.filter((r) => r.statusCode === 200).map((r) => r.json().access_token as string);
    assert.equal(new Set(issued).size, LIMIT);
    assert.equal((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(issued[0] as string) })).statusCode, 200);
  });

  test('a window later it works again', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await clientCredentials()).statusCode, 200);
    assert.equal((await clientCredentials()).statusCode, 429);
    t.clock.advance(MINUTE - 1);
    assertLimited(await clientCredentials(), 1);
    t.clock.advance(1);
    assert.equal((await clientCredentials()).statusCode, 200);
  });

  test('other clients are unaffected', async () => {
    for (let i = 0; i < LIMIT; i++) assert.equal((await clientCredentials()).statusCode, 200);
    assert.equal((await clientCredentials()).statusCode, 429);
    assert.equal((await clientCredentials(clients.admin)).statusCode, 200);
    assert.equal((await clientCredentials(clients.wildcard)).statusCode, 200);
    const password = await tokenRequest(
      t,
      { grant_type: 'password', username: users.carol.email, password: users.carol.password },
      { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret) },
    );
    assert.equal(password.statusCode, 200, password.body);
  });

  test('an unauthenticated caller cannot use up a client’s budget: a wrong secret is 401 and counts nothing', async () => {
    for (let i = 0; i < 3; i++) assertOAuthError(await clientCredentials({ id: clients.plain.id, secret: 'not-the-secret' }), 401, 'invalid_client');
    for (let i = 0; i < LIMIT; i++) assert.equal((await clientCredentials()).statusCode, 200);
    assert.equal((await clientCredentials()).statusCode, 429);
  });
});

describe('every grant of a client counts together', () => {
  const codeAuth = { authorization: basic(clients.codeApp.id, clients.codeApp.secret) };
  const redeem = (code: string) => tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, codeAuth);
  const refresh = (refreshToken: string) => tokenRequest(t, { grant_type: 'refresh_token', refresh_token: refreshToken }, codeAuth);

  test('code and refresh: past the limit 429, and the code or refresh token refused stays good for the next window', async () => {
    const browser = new Browser(t);
    const first = await redeem(await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.alice));
    assert.equal(first.statusCode, 200, first.body);
    let refreshToken = first.json().refresh_token as string;
    for (let i = 1; i < LIMIT; i++) {
      const next = await refresh(refreshToken);
      assert.equal(next.statusCode, 200, next.body);
      refreshToken = next.json().refresh_token;
    }
    // The browser is still signed in: a fresh code without the password.
    const code = await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    assertLimited(await redeem(code), 60);
    assertLimited(await refresh(refreshToken), 60);
    t.clock.advance(MINUTE);
    assert.equal((await redeem(code)).statusCode, 200, 'the code was not used up by the 429');
    assert.equal((await refresh(refreshToken)).statusCode, 200, 'the refresh token was not rotated away by the 429');
  });

  test('implicit: past the limit the browser goes back to the client with error=temporarily_unavailable', async () => {
    const browser = new Browser(t);
    const query = { client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri, response_type: 'token', state: 's1' };
    for (let i = 0; i < LIMIT; i++) {
      const location = await browser.authorize(query, i === 0 ? users.alice : undefined);
      assert.ok(new URLSearchParams(location.hash.slice(1)).get('access_token'), `${location}`);
    }
    const refused = new URLSearchParams((await browser.authorize(query)).hash.slice(1));
    assert.equal(refused.get('error'), 'temporarily_unavailable');
    assert.equal(refused.get('error_description'), `this client may be issued at most ${LIMIT} tokens a minute; retry in 60 seconds`);
    assert.equal(refused.get('state'), 's1');
    assert.equal(refused.get('access_token'), null);
  });
});
