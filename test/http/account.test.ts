/** The account page (issue 4 item 3) and user tokens in TokenInfo with scope checks (item 5). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { hashToken as tokenHash } from '../../src/core/secrets.js';
import { assertErrorBody, errorBodies } from '../helpers/api-error.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, hiddenField, pkcePair, tokenRequest } from '../helpers/browser-flow.js';
import { ACME, clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const status = async (token: string) => (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode;
const implicitQuery = { client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri, response_type: 'token' };
async function implicitToken(browser: Browser, user?: { email: string; password: string }): Promise<string> {
  const location = await browser.authorize(implicitQuery, user);
  return new URLSearchParams(location.hash.slice(1)).get('access_token') as string;
}
async function codeTokens(browser: Browser, user?: { email: string; password: string }) {
  const location = await browser.authorize({ client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code' }, user);
  const response = await tokenRequest(
    t,
    { grant_type: 'authorization_code', code: location.searchParams.get('code') as string, redirect_uri: clients.codeApp.redirectUri },
    { authorization: basic(clients.codeApp.id, clients.codeApp.secret) },
  );
  return response.json() as { access_token: string; refresh_token: string };
}
/** The sign-in cards of the account page. */
const cards = (page: string) => page.match(/<li class="card" id="sign-in-/g)?.length ?? 0;

describe('the account page', () => {
  test('without a session it sends the person to sign in', async () => {
    const response = await new Browser(t).get('/account');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/login');
  });

  test('lists the sign-ins by app, one card per sign-in (its access and refresh tokens together), this browser marked; with a strict CSP', async () => {
    const browser = new Browser(t);
    const implicit = await implicitToken(browser, users.bob);
    await codeTokens(browser);
    await t.token(clients.passwordApp, users.bob);
    t.clock.advance(5000);
    assert.equal(await status(implicit), 200);
    const page = await browser.get('/account');
    assert.equal(page.statusCode, 200);
    assert.equal(
      page.headers['content-security-policy'],
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    assert.match(page.body, /Signed in as <strong>Bob Basic<\/strong> \(bob@acme.test\), Acme./);
    assert.equal(cards(page.body), 3, 'implicit, code (access and refresh in one), password');
    assert.deepEqual(
      [...page.body.matchAll(/<h3>([^<]*)<\/h3>/g)].map((match) => match[1]),
      ['Code app', 'Implicit app', 'Password app'],
      'grouped by app',
    );
    assert.equal(page.body.split('<span class="badge">This browser</span>').length - 1, 2, 'the two sign-ins made in this browser, not the password grant');
    assert.match(page.body, /<dt>Ends<\/dt><dd><time [^>]*>[^<]*<\/time> \(the app can renew it\)<\/dd>/, 'the code sign-in has a refresh token');
    assert.match(
      page.body,
      /<dt>Last used<\/dt><dd><time datetime="2026-01-01T12:00:05.000Z" title="2026-01-01 12:00 UTC" data-relative>2026-01-01 12:00 UTC<\/time><\/dd>/,
      'last use of the implicit token, in UTC until the script makes it local',
    );
    assert.doesNotMatch(page.body, /Idles out/, 'no idle timeout applies');
    assert.doesNotMatch(page.body.replace('<script src="/assets/tokend.js" defer></script>', ''), /<script/);
  });

  test('shows when tokens idle out while a timeout applies', async () => {
    await t.app.tokend.store.setIdleTokenTimeout(ACME, { ...DEFAULT_IDLE_TOKEN_TIMEOUT, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 600 });
    try {
      const browser = new Browser(t);
      await implicitToken(browser, users.carol);
      const page = await browser.get('/account');
      const idles = new Date(t.clock.now() + 600_000).toISOString();
      assert.match(page.body, new RegExp(`<dt>Idles out</dt><dd><time datetime="${idles}"[^>]*>[^<]*</time> unless used</dd>`));
    } finally {
      await t.app.tokend.store.setIdleTokenTimeout(ACME, DEFAULT_IDLE_TOKEN_TIMEOUT);
    }
  });

  test('revoke one: CSRF-protected, asked first, ends that sign-in only, and only one of yours', async () => {
    const browser = new Browser(t);
    const first = await codeTokens(browser, users.alice);
    const second = await implicitToken(browser);
    const page = (await browser.get('/account')).body;
    const csrf = hiddenField(page, 'csrf') as string;
    const familyOf = (token: string) => t.app.tokend.store.findTokenByHash(tokenHash(token)).then((r) => r?.familyId as string);
    const family = await familyOf(first.access_token);
    assert.ok(page.includes(`value="${family}"`));

    assert.equal((await browser.post('/account/revoke', { family })).statusCode, 403, 'no CSRF token');
    assert.equal((await browser.post('/account/revoke', { family, csrf: 'x'.repeat(43) })).statusCode, 403);
    assert.equal(await status(first.access_token), 200, 'nothing changed');

    const bob = new Browser(t);
    const bobToken = await implicitToken(bob, users.bob);
    for (const confirm of [{}, { confirm: 'yes' }] as Record<string, string>[]) {
      const notMine = await browser.post('/account/revoke', { family: await familyOf(bobToken), csrf, ...confirm });
      assert.equal(notMine.statusCode, 404);
      assert.match(notMine.body, /<p class="notice" role="status" id="notice" tabindex="-1">That sign-in is not one of yours, or it has already ended.<\/p>/);
    }
    assert.equal(await status(bobToken), 200);

    // Without the script, the first POST asks on a page of its own; nothing ends yet.
    const asked = await browser.post('/account/revoke', { family, csrf });
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /<h1>End this sign-in\?<\/h1>/);
    assert.match(asked.body, /<input type="hidden" name="confirm" value="yes">/);
    assert.match(asked.body, new RegExp(`<a href="/account#sign-in-${family}">Keep it</a>`));
    assert.equal(await status(first.access_token), 200, 'asking ends nothing');

    const revoked = await browser.post('/account/revoke', { family, csrf, confirm: 'yes' });
    assert.equal(revoked.statusCode, 303);
    assert.equal(revoked.headers.location, '/account?done=revoked#notice', 'back to the page, the notice focused');
    const after = await browser.get('/account?done=revoked');
    assert.match(after.body, /<p class="notice" role="status" id="notice" tabindex="-1">That sign-in has ended.<\/p>/);
    assert.doesNotMatch((await browser.get('/account?done=<b>x</b>')).body, /class="notice"/, 'only the fixed notices');
    assert.equal(await status(first.access_token), 401);
    const refresh = await tokenRequest(
      t,
      { grant_type: 'refresh_token', refresh_token: first.refresh_token },
      { authorization: basic(clients.codeApp.id, clients.codeApp.secret) },
    );
    assert.equal(refresh.statusCode, 400, 'its refresh token too');
    assert.equal(await status(second), 200, 'the other sign-in lives on');
  });

  test('sign out everywhere: every session and every token of the person, password-grant tokens included', async () => {
    const here = new Browser(t);
    const there = new Browser(t);
    const a = await implicitToken(here, users.carol);
    const b = await codeTokens(there, users.carol);
    const password = await t.token(clients.passwordApp, users.carol);
    const csrf = hiddenField((await here.get('/account')).body, 'csrf') as string;
    assert.equal((await here.post('/account/sign-out-everywhere', {})).statusCode, 403);
    const asked = await here.post('/account/sign-out-everywhere', { csrf });
    assert.equal(asked.statusCode, 200);
    assert.match(asked.body, /<h1>Sign out everywhere\?<\/h1>/);
    assert.equal(await status(a), 200, 'asking ends nothing');
    const response = await here.post('/account/sign-out-everywhere', { csrf, confirm: 'yes' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /signed out everywhere/);
    for (const token of [a, b.access_token, password]) assert.equal(await status(token), 401);
    assert.equal((await here.get('/account')).headers.location, '/login');
    assert.equal((await there.get('/account')).headers.location, '/login', 'the other browser too');
  });
});

describe('user tokens in TokenInfo, and scope checks', () => {
  test("authorizedScope is the token's scopes; x:readonly allows GET only; OAuthClient is the signing-in client", async () => {
    const { verifier, challenge } = pkcePair();
    const location = await new Browser(t).authorize(
      {
        client_id: clients.pkceApp.id,
        redirect_uri: clients.pkceApp.redirectUri,
        response_type: 'code',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      },
      users.alice,
    );
    const readonly = (
      await tokenRequest(t, {
        grant_type: 'authorization_code',
        code: location.searchParams.get('code') as string,
        code_verifier: verifier,
        client_id: clients.pkceApp.id,
        redirect_uri: clients.pkceApp.redirectUri,
      })
    ).json().access_token as string;
    const info = (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(readonly) })).json();
    assert.deepEqual(info.authorizedScope, ['authorization:readonly', 'user-basic-info']);
    assert.deepEqual(info.OAuthClient, {
      id: clients.pkceApp.id,
      name: 'PKCE app',
      dateCreated: '2026-01-01T00:00:00.000Z',
      dateModified: '2026-01-01T00:00:00.000Z',
      authorizedGrantType: 'CODE',
      scope: ['authorization:readonly'],
      state: 'active',
      organization: { id: ACME, name: 'Acme' },
    });
    const put = (token: string) =>
      t.inject({
        method: 'PUT',
        url: '/api/v2/tokens/timeout',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: '{"enableIdleTokenTimeout": false}',
      });
    assertErrorBody(await put(readonly), errorBodies.scopeNotAuthorized('authorization'));
    assert.equal((await t.inject({ method: 'GET', url: '/api/v2/tokens/timeout', headers: bearer(readonly) })).statusCode, 200);
    const full = (await codeTokens(new Browser(t), users.alice)).access_token;
    assert.equal((await put(full)).statusCode, 200, 'the code app has the authorization scope, and alice the permission');
  });

  test('a requested scope narrows the code token', async () => {
    const browser = new Browser(t);
    const location = await browser.authorize(
      { client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code', scope: 'user-basic-info' },
      users.alice,
    );
    const token = (
      await tokenRequest(
        t,
        { grant_type: 'authorization_code', code: location.searchParams.get('code') as string, redirect_uri: clients.codeApp.redirectUri },
        { authorization: basic(clients.codeApp.id, clients.codeApp.secret) },
      )
    ).json().access_token as string;
    const info = (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).json();
    assert.deepEqual(info.authorizedScope, ['user-basic-info']);
  });
});
