/**
 * Consent (CONTRACT.md, "Consent"; issue 22, item 3): `/oauth/authorize` gives an app nothing for
 * a signed-in person until that person allowed it. The attack first (a client admin registers his
 * own CODE app and sends a signed-in admin the link), then the page, Allow and Deny, what an Allow
 * covers and what voids it, the form's binding to the session and the exact request, prompt=none,
 * pre-authorized clients, and the grants that create no authorization.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { assertErrorBody } from '../helpers/api-error.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, hiddenField, isConsentPage, pkcePair, tokenRequest } from '../helpers/browser-flow.js';
import type { Organization } from '../../src/core/models.js';
import { ACME, clients, users } from '../helpers/fixture.js';

let t: TestApp;
/** A client admin's token: the wildcard service holds `oauth:*:*`. */
let clientAdmin: string;
before(async () => {
  t = await startTestApp();
  clientAdmin = await t.token(clients.wildcard);
});
after(() => t.close());

const json = (token: string) => ({ ...bearer(token), 'content-type': 'application/json' });
const EVIL = 'https://evil.example/callback';

/** A CODE app registered through the API, as any holder of `oauth:client:add` can. */
async function registerApp(body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const response = await t.inject({
    method: 'POST',
    url: '/api/v2/oauth/clients',
    headers: json(clientAdmin),
    payload: { name: 'Helpful dashboard', authorizedGrantType: 'CODE', registeredRedirectUri: [EVIL], scope: ['authorization'], ...body },
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

const codeQuery = (client: { id: string }, extra: Record<string, string> = {}) => ({
  client_id: client.id,
  redirect_uri: EVIL,
  response_type: 'code',
  state: 'st',
  ...extra,
});
const authorizeUrl = (query: Record<string, string>) => `/oauth/authorize?${new URLSearchParams(query)}`;

/** A browser signed in (through /login, for the account page) as `user`. */
async function signedIn(user: { email: string; password: string }): Promise<Browser> {
  const browser = new Browser(t);
  const response = await browser.submitSignIn(await browser.get('/login'), user, 'Acme');
  assert.equal(response.headers.location, '/account');
  return browser;
}

function redirectParams(response: LightMyRequestResponse): URLSearchParams {
  assert.ok(response.statusCode === 302 || response.statusCode === 303, `${response.statusCode} ${response.body.slice(0, 200)}`);
  const location = new URL(String(response.headers.location));
  return location.hash ? new URLSearchParams(location.hash.slice(1)) : location.searchParams;
}

const exchange = (app: { id: string; secret: string }, code: string) =>
  tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: EVIL }, { authorization: basic(app.id, app.secret) });

describe("a signed-in admin's token from one link", () => {
  test('an app a client admin registered gets no code for a signed-in admin until the admin allows it', async () => {
    const app = await registerApp();
    const alice = await signedIn(users.alice);
    const response = await alice.get(authorizeUrl(codeQuery(app)));
    assert.equal(response.statusCode, 200, 'the consent page, not a redirect');
    assert.equal(response.headers.location, undefined);
    assert.ok(isConsentPage(response));
    assert.doesNotMatch(response.body, /code=/);
    // Pressing nothing, the attacker has nothing to redeem; a guessed Allow is refused (below).
    const listed = await t.inject({ method: 'GET', url: '/api/v2/oauth/authorizations', headers: bearer(await t.token(clients.passwordApp, users.alice)) });
    assert.deepEqual(listed.json().entities, [], 'nothing allowed');
  });
});

describe('the consent page', () => {
  test('names the app, its description and each scope with its description; plain HTML under a strict CSP', async () => {
    const app = await registerApp({ name: 'Report <builder>', description: 'Builds the weekly report & mails it', scope: ['authorization', 'custom:thing'] });
    const browser = await signedIn(users.bob);
    const page = await browser.get(authorizeUrl(codeQuery(app, { scope: 'authorization custom:thing' })));
    assert.ok(isConsentPage(page));
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(
      page.headers['content-security-policy'],
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self' https://evil.example; frame-ancestors 'none'; base-uri 'none'",
    );
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.doesNotMatch(page.body.replace('<script src="/assets/tokend.js" defer></script>', ''), /<script|\sstyle=|\son\w+=/i);
    assert.match(page.body, /<h1>Allow Report &lt;builder&gt;\?<\/h1>/);
    assert.match(page.body, /Builds the weekly report &amp; mails it/);
    assert.match(page.body, /Signed in as <strong>Bob Basic<\/strong> \(bob@acme.test\), Acme./);
    assert.match(page.body, /<li>Manage authorization: roles, permissions, divisions, grants and the idle token timeout <code>authorization<\/code><\/li>/);
    assert.match(page.body, /<li>A permission tokend does not describe <code>custom:thing<\/code><\/li>/, 'an unknown scope, by its name');
    assert.match(page.body, /<li>Read the signed-in person&#39;s identity[^<]* <code>user-basic-info<\/code><\/li>/);
    assert.match(page.body, /<button type="submit" name="decision" value="allow">Allow<\/button>/);
    assert.match(page.body, /<button type="submit" name="decision" value="deny" class="secondary">Deny<\/button>/);
  });

  test('after signing in through the link, the consent page comes next; Allow sends the code', async () => {
    const app = await registerApp();
    const browser = new Browser(t);
    const form = await browser.get(authorizeUrl(codeQuery(app)));
    const consent = await browser.submitSignIn(form, users.carol);
    assert.ok(isConsentPage(consent), `${consent.statusCode}`);
    const allowed = await browser.decide(consent, 'allow');
    assert.equal(allowed.statusCode, 303);
    const params = redirectParams(allowed);
    assert.equal(params.get('state'), 'st');
    const issued = await exchange(app, params.get('code') as string);
    assert.equal(issued.statusCode, 200, issued.body);
  });
});

describe('Allow and Deny', () => {
  test('Deny goes back with error=access_denied and state, remembers nothing and issues nothing; implicit in the fragment', async () => {
    const app = await registerApp();
    const browser = await signedIn(users.carol);
    const denied = await browser.decide(await browser.get(authorizeUrl(codeQuery(app))), 'deny');
    assert.equal(denied.statusCode, 303);
    assert.ok(String(denied.headers.location).startsWith(`${EVIL}?`));
    const params = redirectParams(denied);
    assert.deepEqual([params.get('error'), params.get('state'), params.get('code')], ['access_denied', 'st', null]);
    assert.ok(isConsentPage(await browser.get(authorizeUrl(codeQuery(app)))), 'asked again');

    const implicit = { client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri, response_type: 'token', state: 'i' };
    const fragment = await browser.decide(await browser.get(authorizeUrl(implicit)), 'deny');
    assert.ok(String(fragment.headers.location).startsWith(`${clients.implicitApp.redirectUri}#`));
    assert.deepEqual([redirectParams(fragment).get('error'), redirectParams(fragment).get('access_token')], ['access_denied', null]);
  });

  test('an Allow is remembered: the same or fewer scopes skip the page, more ask again', async () => {
    const app = await registerApp({ scope: ['authorization', 'oauth'] });
    const browser = await signedIn(users.carol);
    const first = await browser.get(authorizeUrl(codeQuery(app, { scope: 'authorization' })));
    redirectParams(await browser.decide(first, 'allow'));
    const same = await browser.get(authorizeUrl(codeQuery(app, { scope: 'authorization' })));
    assert.equal(same.statusCode, 302, 'the same scopes: straight back');
    assert.ok(redirectParams(same).get('code'));
    const fewer = await browser.get(authorizeUrl(codeQuery(app, { scope: 'user-basic-info' })));
    assert.equal(fewer.statusCode, 302, 'fewer: straight back');
    const more = await browser.get(authorizeUrl(codeQuery(app)));
    assert.ok(isConsentPage(more), 'more scopes (all of the client): asked again');
    assert.match(more.body, /<code>oauth<\/code>/);
    redirectParams(await browser.decide(more, 'allow'));
    assert.equal((await browser.get(authorizeUrl(codeQuery(app, { scope: 'oauth' })))).statusCode, 302, 'what was allowed adds up');
    // Per person: another person is asked.
    const bob = await signedIn(users.bob);
    assert.ok(isConsentPage(await bob.get(authorizeUrl(codeQuery(app, { scope: 'authorization' })))));
  });

  test("changing the app's redirect URIs or scopes voids its Allows; renaming it does not", async () => {
    const app = await registerApp();
    const browser = await signedIn(users.carol);
    const allow = async () => redirectParams(await browser.decide(await browser.get(authorizeUrl(codeQuery(app))), 'allow'));
    const put = async (body: Record<string, unknown>) => {
      const response = await t.inject({
        method: 'PUT',
        url: `/api/v2/oauth/clients/${app.id}`,
        headers: json(clientAdmin),
        payload: { name: 'Helpful dashboard', authorizedGrantType: 'CODE', registeredRedirectUri: [EVIL], scope: ['authorization'], ...body },
      });
      assert.equal(response.statusCode, 200, response.body);
    };
    const asked = async () => isConsentPage(await browser.get(authorizeUrl(codeQuery(app))));
    await allow();
    await put({ name: 'Renamed dashboard', description: 'now with words' });
    assert.equal(await asked(), false, 'a new name is no new app');
    await put({ registeredRedirectUri: [EVIL, 'https://elsewhere.example/cb'] });
    assert.equal(await asked(), true, 'a redirect URI added');
    await allow();
    await put({ registeredRedirectUri: [EVIL, 'https://elsewhere.example/cb'], scope: ['authorization', 'oauth'] });
    assert.equal(await asked(), true, 'a scope added');
    // The command line's door (the same admin core).
    await allow();
    await t.app.tokend.clientAdmin.update(
      (await t.app.tokend.store.findOrganization(ACME)) as Organization,
      app.id,
      { name: 'Renamed dashboard', authorizedGrantType: 'CODE', registeredRedirectUri: [EVIL], scope: ['authorization', 'oauth'] },
      { id: null },
    );
    assert.equal(await asked(), true, 'a redirect URI taken away');
  });
});

describe('the Allow form is bound to the sign-in session and to the exact request', () => {
  test('another session, another request, a missing token or a form from another site allow nothing', async () => {
    const { verifier: _v, challenge } = pkcePair();
    const app = await registerApp();
    const query = codeQuery(app, { code_challenge: challenge, code_challenge_method: 'S256' });
    const victim = await signedIn(users.alice);
    const page = await victim.get(authorizeUrl(query));
    const token = hiddenField(page.body, 'consent') as string;
    const authorize = new URLSearchParams(hiddenField(page.body, 'authorize'));
    const post = (browser: Browser, fields: Record<string, string>) => browser.post('/consent', { decision: 'allow', ...fields });
    const altered = (name: string, value: string) => {
      const changed = new URLSearchParams(authorize);
      changed.set(name, value);
      return changed.toString();
    };
    const refusals: Array<[string, Browser, Record<string, string>]> = [
      ['no token', victim, { authorize: authorize.toString() }],
      ['a made-up token', victim, { authorize: authorize.toString(), consent: 'A'.repeat(43) }],
      ['another state', victim, { authorize: altered('state', 'other'), consent: token }],
      ['another PKCE challenge', victim, { authorize: altered('code_challenge', pkcePair().challenge), consent: token }],
      ['another scope', victim, { authorize: altered('scope', 'user-basic-info'), consent: token }],
      ['another response type', victim, { authorize: altered('response_type', 'token'), consent: token }],
    ];
    // The attacker's own session makes its own token, which is no good in the victim's browser.
    const attacker = await signedIn(users.bob);
    const attackerToken = hiddenField((await attacker.get(authorizeUrl(query))).body, 'consent') as string;
    refusals.push(['the token of another session', victim, { authorize: authorize.toString(), consent: attackerToken }]);
    for (const [what, browser, fields] of refusals) {
      const response = await post(browser, fields);
      assert.ok(response.statusCode === 403 || response.statusCode === 302, `${what}: ${response.statusCode}`);
      if (response.statusCode === 302) {
        // A request the authorize checks refuse goes back as an error: still no code.
        assert.equal(redirectParams(response).get('code'), null, what);
      } else {
        assert.match(response.body, /Nothing was allowed/, what);
      }
    }
    // From another site the session cookie (SameSite=Lax) does not come along with a POST.
    const crossSite = await new Browser(t).post('/consent', { authorize: authorize.toString(), consent: token, decision: 'allow' });
    assert.equal(crossSite.statusCode, 200);
    assert.match(crossSite.body, /<form method="post" action="\/login"/, 'the sign-in form, nothing allowed');
    assert.ok(isConsentPage(await victim.get(authorizeUrl(query))), 'still not allowed');
    // The right token in the right session works.
    const allowed = await post(victim, { authorize: authorize.toString(), consent: token });
    assert.equal(allowed.statusCode, 303);
    assert.ok(redirectParams(allowed).get('code'));
  });
});

describe('prompt=none', () => {
  test('login_required when not signed in, consent_required without an Allow, the code once allowed', async () => {
    const app = await registerApp();
    const none = codeQuery(app, { prompt: 'none' });
    const anonymous = await new Browser(t).get(authorizeUrl(none));
    assert.equal(anonymous.statusCode, 302);
    assert.deepEqual([redirectParams(anonymous).get('error'), redirectParams(anonymous).get('state')], ['login_required', 'st']);
    const browser = await signedIn(users.carol);
    const notAllowed = await browser.get(authorizeUrl(none));
    assert.equal(notAllowed.statusCode, 302);
    assert.deepEqual([redirectParams(notAllowed).get('error'), redirectParams(notAllowed).get('code')], ['consent_required', null]);
    redirectParams(await browser.decide(await browser.get(authorizeUrl(codeQuery(app))), 'allow'));
    const allowed = await browser.get(authorizeUrl(none));
    assert.equal(allowed.statusCode, 302);
    assert.ok(redirectParams(allowed).get('code'));
    const combined = await browser.get(authorizeUrl(codeQuery(app, { prompt: 'none login' })));
    assert.equal(redirectParams(combined).get('error'), 'invalid_request');
  });
});

describe('pre-authorized clients and grants that ask nothing', () => {
  test('a client a seed or the command line marked pre-authorized skips the page and records no Allow', async () => {
    await t.app.tokend.store.updateClient({ ...(await t.app.tokend.store.findClient(clients.codeApp.id))!, preAuthorized: true });
    t.app.tokend.authenticator.clientChanged(clients.codeApp.id);
    try {
      const browser = await signedIn(users.carol);
      const query = { client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code', state: 'p' };
      const response = await browser.get(authorizeUrl(query));
      assert.equal(response.statusCode, 302, response.body.slice(0, 200));
      assert.ok(redirectParams(response).get('code'));
      const token = await t.token(clients.passwordApp, users.carol);
      const listed = await t.inject({ method: 'GET', url: '/api/v2/oauth/authorizations', headers: bearer(token) });
      assert.equal(
        listed.json().entities.some((a: { client: { id: string } }) => a.client.id === clients.codeApp.id),
        false,
      );
    } finally {
      await t.app.tokend.store.updateClient({ ...(await t.app.tokend.store.findClient(clients.codeApp.id))!, preAuthorized: false });
    }
  });

  test('the API cannot mark a client pre-authorized, and its PUT keeps what the command line set', async () => {
    const refused = await t.inject({
      method: 'POST',
      url: '/api/v2/oauth/clients',
      headers: json(clientAdmin),
      payload: { name: 'Sneaky', authorizedGrantType: 'CODE', registeredRedirectUri: [EVIL], preAuthorized: true },
    });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(refused.json().code, 'invalid.property');
    const app = await registerApp();
    assert.equal('preAuthorized' in (await t.inject({ method: 'GET', url: `/api/v2/oauth/clients/${app.id}`, headers: bearer(clientAdmin) })).json(), false);
    await t.app.tokend.store.updateClient({ ...(await t.app.tokend.store.findClient(app.id))!, preAuthorized: true });
    const put = await t.inject({
      method: 'PUT',
      url: `/api/v2/oauth/clients/${app.id}`,
      headers: json(clientAdmin),
      payload: { name: 'Renamed', authorizedGrantType: 'CODE', registeredRedirectUri: [EVIL], scope: ['authorization'] },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal((await t.app.tokend.store.findClient(app.id))?.preAuthorized, true);
  });

  test('the password grant creates no authorization', async () => {
    const token = await t.token(clients.passwordApp, users.bob);
    const listed = await t.inject({ method: 'GET', url: '/api/v2/oauth/authorizations', headers: bearer(token) });
    assert.equal(listed.statusCode, 200);
    assert.equal(
      listed.json().entities.some((a: { client: { id: string } }) => a.client.id === clients.passwordApp.id),
      false,
    );
  });
});

describe('GET /api/v2/oauth/authorizations', () => {
  test("a client-credentials token gets the users/me 400; an unknown or another person's authorization is 404", async () => {
    const service = await t.token(clients.admin);
    for (const url of ['/api/v2/oauth/authorizations', `/api/v2/oauth/authorizations/${clients.codeApp.id}`]) {
      assertErrorBody(await t.inject({ method: 'GET', url, headers: bearer(service) }), {
        status: 400,
        code: 'bad.request',
        message: 'This request requires a user context. Client credentials cannot be used for requests to this resource.',
      });
    }
    const app = await registerApp();
    const carol = await signedIn(users.carol);
    redirectParams(await carol.decide(await carol.get(authorizeUrl(codeQuery(app))), 'allow'));
    const bobToken = await t.token(clients.passwordApp, users.bob);
    for (const id of [app.id, 'no-such-client']) {
      assertErrorBody(await t.inject({ method: 'GET', url: `/api/v2/oauth/authorizations/${id}`, headers: bearer(bobToken) }), {
        status: 404,
        code: 'not.found',
        message: 'OAuth authorization not found.',
        entityId: id,
      });
    }
  });
});
