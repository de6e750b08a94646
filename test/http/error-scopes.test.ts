/**
 * Each scope of routes answers its errors in its own shape (src/http/scopes.ts): the same fault,
 * a JSON body that does not parse, is an ErrorBody on /api/v2 and on the root, the OAuth error
 * JSON on the OAuth endpoints, a page on the pages; an unknown `/oauth/...` path is the root's.
 */
import assert from 'node:assert/strict';
import { assertErrorBody } from '../helpers/api-error.js';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const brokenJson = (method: 'OPTIONS' | 'POST', url: string) => t.inject({ method, url, headers: { 'content-type': 'application/json' }, payload: '{' });

test('an ErrorBody on /api/v2, on an unknown /oauth path and on the root endpoints', async () => {
  for (const [method, url] of [
    ['OPTIONS', '/api/v2/tokens/me'],
    ['POST', '/oauth/nope'],
    ['OPTIONS', '/.well-known/oauth-authorization-server'],
  ] as const) {
    const response = await brokenJson(method, url);
    assertErrorBody(
      response,
      { status: 400, code: 'bad.request', message: 'The request body is not valid JSON.' },
      `${method} ${url}`,
      url.startsWith('/api/'),
    );
  }
});

test('the OAuth error JSON on the OAuth endpoints', async () => {
  for (const url of ['/oauth/token', '/oauth/revoke']) {
    const response = await brokenJson('OPTIONS', url);
    assert.equal(response.statusCode, 400, url);
    assert.equal(response.headers['cache-control'], 'no-store');
    const description = 'The request body is not valid JSON.';
    assert.deepEqual(response.json(), { error: 'invalid_request', description, error_description: description }, url);
  }
});

test('a page on the pages, a refused authorization request included', async () => {
  const refused = await t.inject({ method: 'GET', url: '/oauth/authorize?client_id=nope&redirect_uri=https://x.example/' });
  const broken = await brokenJson('POST', '/login');
  for (const [response, status, text] of [
    [refused, 400, 'This sign-in link does not work'],
    [broken, 400, 'The request was not understood.'],
  ] as const) {
    assert.equal(response.statusCode, status);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.ok(response.body.includes(text), text);
  }
});
