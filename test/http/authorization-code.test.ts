/** grant_type=authorization_code (CONTRACT.md, "/oauth/token"): every rule, with its exact status and error. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { assertOAuthError, Browser, pkcePair, tokenRequest } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const codeAuth = { authorization: basic(clients.codeApp.id, clients.codeApp.secret) };
const me = (token: string) => t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });

describe('confidential client (Basic)', () => {
  test('a code is exchanged once for an access and a refresh token', async () => {
    const browser = new Browser(t);
    const code = await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.alice, { state: 'xyz' });
    const response = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, codeAuth);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['cache-control'], 'no-store');
    const body = response.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'refresh_token', 'token_type']);
    assert.equal(body.token_type, 'bearer');
    assert.equal(body.expires_in, 86400);
    const info = (await me(body.access_token)).json();
    assert.deepEqual(info.authorizedScope, ['authorization', 'user-basic-info']);
    assert.equal(info.OAuthClient.id, clients.codeApp.id);
    assert.equal(info.OAuthClient.authorizedGrantType, 'CODE');
  });
});
