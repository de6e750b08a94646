/** The sign-in page, its cookies and headers, CSRF, throttling, disabled users, /logout (issue 4 item 2). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setUserState } from '../../src/core/admin/users.js';
import { openStore } from '../../src/store/open-store.js';
import { basic, bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { assertOAuthError, Browser, FORM, hiddenField, isConsentPage, tokenRequest } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const codeQuery = { client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code', state: 's' };
const implicitQuery = { client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri, response_type: 'token' };
const status = async (token: string) => (await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode;
const signInPage = (browser: Browser) => browser.get(`/oauth/authorize?${new URLSearchParams(codeQuery)}`);
const cookieLine = (browser: Browser, name: string) => browser.jar.lastSetCookie.find((line) => line.startsWith(`${name}=`));
const passwordGrant = (user: { email: string; password: string }, remoteAddress = '127.0.0.1') =>
  t.inject({
    method: 'POST',
    url: '/oauth/token',
    remoteAddress,
    headers: { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'password', username: user.email, password: user.password }).toString(),
  });
async function implicitToken(browser: Browser, user?: { email: string; password: string }): Promise<string> {
  const location = await browser.authorize(implicitQuery, user);
  return new URLSearchParams(location.hash.slice(1)).get('access_token') as string;
}

describe('the sign-in page', () => {
  test('plain HTML with labelled fields, no inline script (only our own file), a strict CSP and no caching', async () => {
    const response = await signInPage(new Browser(t));
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(
      response.headers['content-security-policy'],
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self' https://app.acme.test; frame-ancestors 'none'; base-uri 'none'",
    );
    assert.equal(response.headers['x-frame-options'], 'DENY');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['referrer-policy'], 'no-referrer');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.equal(response.body.split('<script').length, 2, 'one script');
    assert.match(response.body, /<script src="\/assets\/tokend.js" defer><\/script>/);
    assert.doesNotMatch(
      response.body.replace('<script src="/assets/tokend.js" defer></script>', ''),
      /<script|\sstyle=|\son\w+=/i,
      'nothing the CSP would block',
    );
    assert.match(response.body, /<html lang="en">/);
    assert.match(response.body, /<label for="email">Email<\/label>\s*<input id="email" name="email" type="email" autocomplete="username" required/);
    assert.match(
      response.body,
      /<label for="password">Password<\/label>\s*<div class="password-row"><input id="password" name="password" type="password" autocomplete="current-password" required data-reveal data-caps-hint="caps-hint"><\/div>/,
    );
    assert.match(response.body, /<form method="post" action="\/login">/);
    assert.match(response.body, /Code app/);
    assert.doesNotMatch(response.body, /id="org"/, 'the client names the organization');
    const cancel = /<a href="([^"]*)">Cancel and go back to Code app<\/a>/.exec(response.body)?.[1]?.replace(/&amp;/g, '&');
    assert.equal(
      cancel,
      `${clients.codeApp.redirectUri}?error=access_denied&error_description=The+person+cancelled+the+sign-in.&state=s`,
      'Cancel answers the app as Deny does',
    );
    const css = await t.inject({ method: 'GET', url: '/assets/tokend.css' });
    assert.equal(css.statusCode, 200);
    assert.match(String(css.headers['content-type']), /^text\/css/);
    const script = await t.inject({ method: 'GET', url: '/assets/tokend.js' });
    assert.equal(script.statusCode, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(script.headers['cache-control'], css.headers['cache-control']);
  });

  test('request values are escaped', async () => {
    const browser = new Browser(t);
    const response = await browser.submitSignIn(await signInPage(browser), { email: '"><script>alert(1)</script>', password: 'x' });
    assert.equal(response.statusCode, 401);
    assert.doesNotMatch(response.body, /<script>/);
    assert.match(response.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
  });

  test('the CSRF cookie and the session cookie: HttpOnly, SameSite=Lax, Path=/, no Secure over http', async () => {
    const browser = new Browser(t);
    const page = await signInPage(browser);
    assert.match(cookieLine(browser, 'tokend_csrf') ?? '', /^tokend_csrf=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=86400; HttpOnly; SameSite=Lax$/);
    const response = await browser.submitSignIn(page, users.alice);
    assert.ok(isConsentPage(response), 'signed in: the consent page follows (Alice has not allowed the app yet)');
    assert.match(cookieLine(browser, 'tokend_session') ?? '', /^tokend_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/);
  });

  test('X-Forwarded-Proto from a caller that is no trusted proxy is not believed: no Secure cookie', async () => {
    const browser = new Browser(t, { 'x-forwarded-proto': 'https' });
    await signInPage(browser);
    assert.match(cookieLine(browser, 'tokend_csrf') ?? '', /; HttpOnly; SameSite=Lax$/);
  });

  test('a wrong password shows the form again with an alert, keeps the email, starts no session', async () => {
    const browser = new Browser(t);
    const response = await browser.submitSignIn(await signInPage(browser), { email: users.carol.email, password: 'nope' });
    assert.equal(response.statusCode, 401);
    assert.match(response.body, /<p class="error" role="alert" id="sign-in-error">The email or password is not right.<\/p>/);
    assert.match(response.body, /value="carol@acme.test"/);
    assert.equal(browser.jar.cookies.has('tokend_session'), false);
  });

  test('standalone sign-in (no client) names the organization and leads to the account page', async () => {
    const browser = new Browser(t);
    const page = await browser.get('/login');
    assert.match(page.body, /<label for="org">Organization<\/label>/);
    assert.match(page.body, /<p class="field-hint" id="org-hint">Your organization&#39;s name, as your administrator gave it.<\/p>/);
    assert.match(page.body, /<input id="org" name="org" type="text" autocomplete="organization" required value="" aria-describedby="org-hint" autofocus>/);
    const wrongOrg = await browser.submitSignIn(page, users.alice, 'Globex');
    const wrongPassword = await browser.submitSignIn(await browser.get('/login'), { ...users.alice, password: 'nope' }, 'acme');
    for (const wrong of [wrongOrg, wrongPassword]) {
      assert.equal(wrong.statusCode, 401);
      // The same words whichever was wrong, every field marked and tied to them.
      assert.match(wrong.body, /<p class="error" role="alert" id="sign-in-error">The organization, email or password is not right.<\/p>/);
      assert.match(wrong.body, /id="org" [^>]*aria-describedby="org-hint sign-in-error" aria-invalid="true" autofocus>/);
      assert.match(wrong.body, /id="email" [^>]*aria-describedby="sign-in-error" aria-invalid="true">/);
      assert.match(wrong.body, /id="password" [^>]*aria-describedby="sign-in-error" aria-invalid="true">/);
    }
    const empty = await browser.post('/login', { csrf: hiddenField(page.body, 'csrf') as string, org: 'acme', email: users.alice.email, password: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /<p class="error" role="alert" id="sign-in-error">Enter your password.<\/p>/);
    assert.match(empty.body, /id="password" [^>]*aria-describedby="sign-in-error" aria-invalid="true" autofocus>/);
    assert.doesNotMatch(empty.body, /id="email" [^>]*aria-invalid/, 'only the empty field is marked');
    const response = await browser.submitSignIn(await browser.get('/login'), users.alice, 'acme');
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/account');
    assert.equal((await browser.get('/login')).headers.location, '/account', 'signed in: /login goes to the account page');
  });
});

describe('CSRF', () => {
  test("a POST without the token, or with another browser's, is refused with 403 and starts nothing", async () => {
    const victim = new Browser(t);
    const page = await signInPage(victim);
    const form = { authorize: hiddenField(page.body, 'authorize') as string, email: users.alice.email, password: users.alice.password };
    const missing = await victim.post('/login', form);
    assert.equal(missing.statusCode, 403);
    assert.match(missing.body, /expired/);
    const attacker = new Browser(t);
    const attackerPage = await signInPage(attacker);
    const forged = await victim.post('/login', { ...form, csrf: hiddenField(attackerPage.body, 'csrf') as string });
    assert.equal(forged.statusCode, 403);
    const noCookie = await new Browser(t).post('/login', { ...form, csrf: hiddenField(page.body, 'csrf') as string });
    assert.equal(noCookie.statusCode, 403);
    assert.equal(victim.jar.cookies.has('tokend_session'), false);
    // The refusal shows a fresh form that works.
    assert.equal((await victim.signInAndAllow({ ...forged, statusCode: 200 } as typeof forged, users.alice)).statusCode, 303);
  });

  test('malformed bodies are pages, not 500s', async () => {
    const browser = new Browser(t);
    await signInPage(browser);
    const twice = await t.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...browser.jar.header() },
      payload: 'email=a&email=b',
    });
    assert.equal(twice.statusCode, 400);
    assert.match(String(twice.headers['content-type']), /^text\/html/);
    const json = await t.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/json' }, payload: '{"email": 1}' });
    assert.equal(json.statusCode, 400);
    const none = await t.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    assert.equal(none.statusCode, 415);
    assert.match(String(none.headers['content-type']), /^text\/html/);
  });
});

describe('disabled users', () => {
  test('an inactive user cannot sign in (same answer as a wrong password)', async () => {
    const browser = new Browser(t);
    const response = await browser.submitSignIn(await signInPage(browser), users.dave);
    assert.equal(response.statusCode, 401);
    assert.match(response.body, /The email or password is not right./);
  });

  test('disabling a user ends their session and every token at once', async () => {
    const browser = new Browser(t);
    const implicit = await implicitToken(browser, users.carol);
    const password = (await passwordGrant(users.carol)).json().access_token as string;
    assert.equal(await status(implicit), 200);
    assert.equal(await status(password), 200);
    await setUserState(t.app.tokend, users.carol.id, 'inactive');
    try {
      assert.equal(await status(implicit), 401);
      assert.equal(await status(password), 401);
      assert.equal((await browser.get('/account')).headers.location, '/login', 'the session is gone');
      assert.equal((await browser.submitSignIn(await signInPage(browser), users.carol)).statusCode, 401);
    } finally {
      await setUserState(t.app.tokend, users.carol.id, 'active');
    }
  });

  test('disabled by another process (the CLI, another node): tokens fail on the next request', async () => {
    const browser = new Browser(t);
    const implicit = await implicitToken(browser, users.alice);
    assert.equal(await status(implicit), 200);
    const other = openStore(t.database);
    try {
      await other.setUserState(users.alice.id, 'inactive', t.clock.now());
      // SQLite: the next request sees data_version move. PostgreSQL: the change is notified, within milliseconds.
      const until = Date.now() + 2000;
      while ((await status(implicit)) !== 401 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(await status(implicit), 401);
      assert.equal((await browser.get('/account')).headers.location, '/login');
      await other.setUserState(users.alice.id, 'active', t.clock.now());
      await otherNodeChange(); // the tests after this one need Alice active again
    } finally {
      await other.close();
    }
  });
});

describe('/logout', () => {
  test('ends the session and its tokens, then redirects to a URI registered for that client', async () => {
    const browser = new Browser(t);
    const implicit = await implicitToken(browser, users.alice);
    const codeLocation = await browser.authorize(codeQuery);
    const exchanged = (
      await tokenRequest(
        t,
        { grant_type: 'authorization_code', code: codeLocation.searchParams.get('code') as string, redirect_uri: clients.codeApp.redirectUri },
        { authorization: basic(clients.codeApp.id, clients.codeApp.secret) },
      )
    ).json();
    const unrelated = (await passwordGrant(users.alice)).json().access_token as string;
    const response = await browser.get(`/logout?${new URLSearchParams({ client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri })}`);
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, clients.implicitApp.redirectUri);
    assert.match(cookieLine(browser, 'tokend_session') ?? '', /^tokend_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/);
    assert.equal(await status(implicit), 401);
    assert.equal(await status(exchanged.access_token), 401);
    assertOAuthError(
      await tokenRequest(
        t,
        { grant_type: 'refresh_token', refresh_token: exchanged.refresh_token },
        { authorization: basic(clients.codeApp.id, clients.codeApp.secret) },
      ),
      400,
      'invalid_grant',
    );
    assert.equal(await status(unrelated), 200, 'tokens from elsewhere live on');
    assert.equal((await browser.get(`/oauth/authorize?${new URLSearchParams(codeQuery)}`)).statusCode, 200, 'the form again');
  });

  test('never redirects to a URI not registered for that client', async () => {
    // Sent from tokend's own pages: no confirmation asked (see the cross-site test below).
    const browser = new Browser(t, { 'sec-fetch-site': 'same-origin' });
    await browser.authorize(codeQuery, users.alice);
    for (const query of <Array<Record<string, string>>>[
      { client_id: clients.codeApp.id, redirect_uri: 'https://evil.test/' },
      { client_id: clients.codeApp.id, redirect_uri: clients.implicitApp.redirectUri },
      { redirect_uri: clients.codeApp.redirectUri },
      { client_id: 'unknown', redirect_uri: clients.codeApp.redirectUri },
    ]) {
      const response = await browser.get(`/logout?${new URLSearchParams(query)}`);
      assert.equal(response.statusCode, 400);
      assert.equal(response.headers.location, undefined);
      assert.match(response.body, /You are signed out/);
    }
    assert.equal((await browser.get(`/oauth/authorize?${new URLSearchParams(codeQuery)}`)).statusCode, 200, 'signed out all the same');
    const plain = await new Browser(t).get('/logout');
    assert.equal(plain.statusCode, 200);
    assert.match(plain.body, /You are signed out/);
  });

  test('from another site (or without Sec-Fetch-Site) and without an app and its registered URI, it asks first and ends nothing', async () => {
    for (const site of ['cross-site', 'same-site', undefined]) {
      const browser = new Browser(t, site === undefined ? {} : { 'sec-fetch-site': site });
      const token = await implicitToken(browser, users.alice);
      for (const query of ['', `?${new URLSearchParams({ redirect_uri: clients.implicitApp.redirectUri })}`, '?client_id=unknown']) {
        const asked = await browser.get(`/logout${query}`);
        assert.equal(asked.statusCode, 200, `${site} ${query}`);
        assert.equal(asked.headers.location, undefined);
        assert.equal(asked.headers['set-cookie'], undefined, 'the session cookie stays');
        assert.match(asked.body, /<h1>Sign out\?<\/h1>/);
        assert.match(asked.body, /<form method="post" action="\/logout">/);
        assert.equal(await status(token), 200, 'nothing ended');
      }
      // A forged confirmation: from another site the session cookie (SameSite=Lax) does not come
      // along on a POST, and a form without this session's token changes nothing.
      const forged = await browser.post('/logout', { csrf: 'forged' });
      assert.equal(forged.statusCode, 403);
      assert.match(forged.body, /Nothing was signed out/);
      const cookieless = await t.inject({ method: 'POST', url: '/logout', headers: FORM, payload: 'csrf=x' });
      assert.equal(cookieless.statusCode, 403);
      assert.equal(cookieless.headers['set-cookie'], undefined, 'no cleared cookie for the browser to store');
      assert.equal(await status(token), 200);
      // The person confirms.
      const page = await browser.get('/logout');
      const confirmed = await browser.post('/logout', { csrf: hiddenField(page.body, 'csrf') as string });
      assert.equal(confirmed.statusCode, 200);
      assert.match(confirmed.body, /You are signed out/);
      assert.match(cookieLine(browser, 'tokend_session') ?? '', /^tokend_session=; Path=\/; Max-Age=0;/);
      assert.equal(await status(token), 401, 'the session and its tokens ended');
    }
  });

  test('from another site with the app and its registered URI, it signs out at once as the SDK expects; typed in or from tokend too', async () => {
    for (const [headers, query] of <Array<[Record<string, string>, string]>>[
      [{ 'sec-fetch-site': 'cross-site' }, `?${new URLSearchParams({ client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.signedOutUri })}`],
      [{}, `?${new URLSearchParams({ client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri })}`],
      [{ 'sec-fetch-site': 'none' }, ''],
      [{ 'sec-fetch-site': 'same-origin' }, ''],
    ]) {
      const browser = new Browser(t, headers);
      const token = await implicitToken(browser, users.alice);
      const response = await browser.get(`/logout${query}`);
      assert.equal(response.statusCode, query === '' ? 200 : 302, JSON.stringify(headers));
      assert.equal(await status(token), 401, JSON.stringify(headers));
    }
  });
});

describe('CORS for browser apps on another origin', () => {
  test('/api/v2 and /oauth/token answer preflights and expose their headers; the pages do not', async () => {
    const origin = 'http://127.0.0.1:5555';
    const preflight = await t.inject({
      method: 'OPTIONS',
      url: '/api/v2/tokens/me',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], origin);
    assert.match(String(preflight.headers['access-control-allow-headers']), /authorization/i);
    assert.equal(preflight.headers['access-control-allow-credentials'], undefined, 'no cookies cross-origin');
    const token = await t.token(clients.admin);
    const get = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: { origin, ...bearer(token) } });
    assert.equal(get.headers['access-control-allow-origin'], origin);
    assert.match(String(get.headers['access-control-expose-headers']), /ININ-Correlation-Id/);
    const tokenPreflight = await t.inject({ method: 'OPTIONS', url: '/oauth/token', headers: { origin, 'access-control-request-method': 'POST' } });
    assert.equal(tokenPreflight.statusCode, 204);
    const login = await t.inject({ method: 'GET', url: '/login', headers: { origin } });
    assert.equal(login.headers['access-control-allow-origin'], undefined);
  });
});
