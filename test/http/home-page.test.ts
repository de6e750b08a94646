/** `GET /`: a page saying what tokend is, with the headers of every page and links that work. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('GET / answers a small page: what this server is, the account page, the API document and the health endpoints', async () => {
  const response = await t.inject({ method: 'GET', url: '/' });
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(
    response.headers['content-security-policy'],
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  assert.equal(response.headers['x-frame-options'], 'DENY');
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.match(response.body, /<h1>tokend<\/h1>\n<p>A token service that speaks the Genesys Cloud API/);
  const links = [...response.body.matchAll(/<a href="([^"]*)">/g)].map((match) => match[1] as string);
  assert.deepEqual(links, ['/', '/account', '/api/v2/docs/openapi.json', '/.well-known/oauth-authorization-server', '/health/live', '/health/ready']);
  for (const link of links.slice(2)) assert.equal((await t.inject({ method: 'GET', url: link })).statusCode, 200, link);
});
