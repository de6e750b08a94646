/** GET /oauth/authorize (CONTRACT.md; issue 4 item 1): redirect-URI matching, where errors go, code and implicit results. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, pkcePair } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const authorize = (query: Record<string, string>, browser = new Browser(t)) => browser.get(`/oauth/authorize?${new URLSearchParams(query)}`);
const code = (extra: Record<string, string> = {}) => ({
  client_id: clients.codeApp.id,
  redirect_uri: clients.codeApp.redirectUri,
  response_type: 'code',
  state: 's1',
  ...extra,
});

function assertShownError(response: LightMyRequestResponse, message: RegExp) {
  assert.equal(response.statusCode, 400);
  assert.equal(response.headers.location, undefined, 'never redirected');
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.ok(response.headers['content-security-policy']);
  assert.match(response.body, message);
}

function redirectedError(response: LightMyRequestResponse, mode: 'query' | 'fragment') {
  assert.equal(response.statusCode, 302, response.body);
  const location = new URL(String(response.headers.location));
  const params = mode === 'query' ? location.searchParams : new URLSearchParams(location.hash.slice(1));
  return { location, error: params.get('error'), description: params.get('error_description'), state: params.get('state') };
}

describe('errors shown on the page: the client or the redirect URI is bad', () => {
  test('no client_id, an unknown client, no redirect_uri', async () => {
    const incomplete = /<p role="alert">This sign-in link is incomplete or out of date. Go back to the app and try again.<\/p>/;
    const unknown = /<p role="alert">This sign-in link names an app or a return address that tokend does not know/;
    assertShownError(await authorize({ redirect_uri: clients.codeApp.redirectUri, response_type: 'code' }), incomplete);
    assertShownError(await authorize({ ...code(), client_id: '00000000-0000-4000-8000-000000000000' }), unknown);
    assertShownError(await authorize({ client_id: clients.codeApp.id, response_type: 'code' }), incomplete);
    // The technical reason stays for the app's developer, folded away.
    assertShownError(
      await authorize({ redirect_uri: clients.codeApp.redirectUri, response_type: 'code' }),
      /<details><summary>Details for the app's developer<\/summary><p><code>The request has no client_id.<\/code>/,
    );
  });

  test('a redirect URI that is not registered, exactly, for this client', async () => {
    for (const redirect_uri of [
      'https://evil.test/callback',
      `${clients.codeApp.redirectUri}/`,
      `${clients.codeApp.redirectUri}?x=1`,
      'https://APP.acme.test/callback',
      'https://app.acme.test:8443/callback',
      'http://127.0.0.1:5000/other',
      'http://localhost:5000/callback',
      clients.pkceApp.redirectUri,
    ]) {
      assertShownError(await authorize(code({ redirect_uri })), /or the address it asked to return you to, is not registered/);
    }
  });

  test('an unknown client and a known one with an unregistered redirect URI get the same page, byte for byte (client ids cannot be probed)', async () => {
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const answers = [
      await authorize({ ...code(), client_id: unknownId }),
      await authorize(code({ redirect_uri: 'https://evil.test/callback' })),
      await authorize({ ...code(), client_id: clients.pkceApp.id, redirect_uri: clients.codeApp.redirectUri }),
      await authorize({ ...code(), client_id: 'x'.repeat(201) }),
    ];
    const [first] = answers;
    assert.ok(first);
    assertShownError(first, /is not registered/);
    // Apart from the per-request nonces: the date and the correlation id.
    const lasting = (response: LightMyRequestResponse) => {
      const { date: _date, 'inin-correlation-id': _inin, 'genesys-correlation-id': _genesys, ...rest } = response.headers;
      return rest;
    };
    for (const answer of answers) {
      assert.equal(answer.statusCode, first.statusCode);
      assert.equal(answer.body, first.body);
      assert.deepEqual(lasting(answer), lasting(first));
    }
    const links = [...first.body.matchAll(/<a [^>]*href="([^"]*)"/g)].map((match) => match[1]);
    assert.deepEqual(links, ['/', '/'], "the page links to no app: tokend's home only");
    // Without a redirect URI the answer comes before the client is looked up: the same for a known and an unknown id.
    const known = await authorize({ client_id: clients.codeApp.id, response_type: 'code' });
    const unknown = await authorize({ client_id: unknownId, response_type: 'code' });
    assert.equal(known.body, unknown.body);
    assert.equal(known.statusCode, unknown.statusCode);
  });

  test('client_id or redirect_uri given twice', async () => {
    const response = await new Browser(t).get(`/oauth/authorize?${new URLSearchParams(code())}&client_id=${clients.codeApp.id}`);
    assertShownError(response, /must be given once/);
  });
});

describe('redirect URI matching', () => {
  test('a loopback URI matches on any port', async () => {
    for (const redirect_uri of ['http://127.0.0.1/callback', 'http://127.0.0.1:51234/callback', 'http://127.0.0.1:1/callback']) {
      const response = await authorize(code({ redirect_uri }));
      assert.equal(response.statusCode, 200, `${redirect_uri}: ${response.body.slice(0, 200)}`);
    }
  });
});

describe('errors sent back to a valid redirect URI', () => {
  test('code flow: in the query, with state', async () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [code({ response_type: '' }), 'invalid_request', /missing required parameter: response_type/],
      [code({ response_type: 'magic' }), 'unsupported_response_type', /magic/],
      [code({ scope: 'admin' }), 'invalid_scope', /admin/],
      [code({ code_challenge: pkcePair().challenge, code_challenge_method: 'plain' }), 'invalid_request', /S256/],
      [code({ code_challenge: pkcePair().challenge }), 'invalid_request', /S256/],
      [code({ code_challenge: 'short', code_challenge_method: 'S256' }), 'invalid_request', /base64url/],
      [code({ code_challenge_method: 'S256' }), 'invalid_request', /without code_challenge/],
      [code({ org: 'Globex' }), 'invalid_request', /org/],
      [
        { client_id: clients.pkceApp.id, redirect_uri: clients.pkceApp.redirectUri, response_type: 'code', state: 's1' },
        'invalid_request',
        /code_challenge is required/,
      ],
      [
        { client_id: clients.implicitApp.id, redirect_uri: clients.implicitApp.redirectUri, response_type: 'code', state: 's1' },
        'unauthorized_client',
        /response_type code/,
      ],
    ];
    for (const [query, error, description] of cases) {
      const result = redirectedError(await authorize(query), 'query');
      assert.equal(result.error, error, JSON.stringify(query));
      assert.match(result.description ?? '', description);
      assert.equal(result.state, 's1');
      assert.equal(result.location.hash, '');
    }
  });

  test('implicit flow: in the fragment', async () => {
    const result = redirectedError(await authorize(code({ response_type: 'token' })), 'fragment');
    assert.equal(result.error, 'unauthorized_client');
    assert.equal(result.state, 's1');
    assert.equal(result.location.search, '');
  });

  test('a parameter given twice, and a disabled client', async () => {
    const twice = await new Browser(t).get(`/oauth/authorize?${new URLSearchParams(code())}&state=again`);
    assert.equal(redirectedError(twice, 'query').error, 'invalid_request');
    await t.app.tokend.store.setClientState(clients.codeApp.id, 'disabled', t.clock.now());
    try {
      const result = redirectedError(await authorize(code()), 'query');
      assert.equal(result.error, 'unauthorized_client');
      assert.equal(result.description, 'client is disabled');
    } finally {
      await t.app.tokend.store.setClientState(clients.codeApp.id, 'active', t.clock.now());
    }
  });
});

describe('success', () => {
  test('code flow: the code and state in the query of the registered URI', async () => {
    const location = await new Browser(t).authorize(code({ org: 'acme' }), users.alice);
    assert.equal(`${location.origin}${location.pathname}`, clients.codeApp.redirectUri);
    assert.match(location.searchParams.get('code') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.equal(location.searchParams.get('state'), 's1');
  });

  test('implicit flow: a bearer token in the fragment, no refresh token; custom schemes too', async () => {
    for (const redirectUri of [clients.implicitApp.redirectUri, clients.implicitApp.customSchemeUri]) {
      const browser = new Browser(t);
      const page = await authorize({ client_id: clients.implicitApp.id, redirect_uri: redirectUri, response_type: 'token', state: 'st' }, browser);
      const response = await browser.signInAndAllow(page, users.bob);
      assert.equal(response.statusCode, 303);
      const location = String(response.headers.location);
      assert.ok(location.startsWith(`${redirectUri}#`), location);
      const fragment = new URLSearchParams(location.split('#')[1]);
      assert.deepEqual([...fragment.keys()].sort(), ['access_token', 'expires_in', 'state', 'token_type']);
      assert.equal(fragment.get('token_type'), 'bearer');
      assert.equal(fragment.get('expires_in'), '86400');
      assert.equal(fragment.get('state'), 'st');
      const info = await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(fragment.get('access_token') as string) });
      assert.equal(info.statusCode, 200);
      assert.deepEqual(info.json().authorizedScope, ['authorization', 'user-basic-info']);
      assert.equal(info.json().OAuthClient.id, clients.implicitApp.id);
    }
  });

  test('a live session skips the form; prompt=login shows it again', async () => {
    const browser = new Browser(t);
    await browser.authorize(code(), users.alice);
    const again = await authorize(code(), browser);
    assert.equal(again.statusCode, 302);
    assert.ok(new URL(String(again.headers.location)).searchParams.get('code'));
    const prompted = await authorize(code({ prompt: 'login' }), browser);
    assert.equal(prompted.statusCode, 200);
    assert.match(prompted.body, /<form method="post" action="\/login"/);
  });
});
