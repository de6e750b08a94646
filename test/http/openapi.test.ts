/** The OpenAPI document is generated from the route schemas and covers everything served. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

test('GET /api/v2/docs/openapi.json lists the six Tokens API operations and /oauth/token', async () => {
  const response = await t.inject({ method: 'GET', url: '/api/v2/docs/openapi.json' });
  assert.equal(response.statusCode, 200);
  const doc = response.json();
  assert.match(doc.openapi, /^3\./);
  const operations = new Map<string, string>();
  for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { operationId?: string }>>)) {
    for (const [method, op] of Object.entries(item)) operations.set(`${method.toUpperCase()} ${path}`, op.operationId ?? '');
  }
  assert.equal(operations.get('GET /api/v2/tokens/me'), 'getTokensMe');
  assert.equal(operations.get('HEAD /api/v2/tokens/me'), 'headTokensMe');
  assert.equal(operations.get('DELETE /api/v2/tokens/me'), 'deleteTokensMe');
  assert.equal(operations.get('DELETE /api/v2/tokens/{userId}'), 'deleteToken');
  assert.equal(operations.get('GET /api/v2/tokens/timeout'), 'getTokensTimeout');
  assert.equal(operations.get('PUT /api/v2/tokens/timeout'), 'putTokensTimeout');
  assert.ok(operations.has('POST /oauth/token'));
  // The standard OAuth endpoints (issue 15) sit beside /oauth/token under the OAuth tag.
  assert.equal(operations.get('GET /.well-known/oauth-authorization-server'), 'getOauthAuthorizationServerMetadata');
  assert.equal(operations.get('POST /oauth/introspect'), 'postOauthIntrospect');
  assert.equal(operations.get('POST /oauth/revoke'), 'postOauthRevoke');
  assert.ok(operations.has('GET /health/ready'));
  const me = doc.paths['/api/v2/tokens/me'].get;
  assert.ok(me.responses['200'].content['application/json'].schema.properties.OAuthClient, 'TokenInfo from the route schema');
  assert.deepEqual(
    me.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    ['query:preserveIdleTTL'],
  );
  const put = doc.paths['/api/v2/tokens/timeout'].put;
  const props = put.requestBody.content['application/json'].schema.properties;
  assert.equal(props.idleTokenTimeoutSeconds.minimum, 300);
  assert.equal(props.idleTokenTimeoutSeconds.maximum, 28800);
});
