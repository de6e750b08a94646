import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiClient, isApiError, TokensApi } from '../../src/sdk/index.js';
import { apiError, json, type Received, startServer, type TestServer } from './helpers/server.js';

// A recording server that answers each route as the contract says, so that these tests
// pin the exact requests each method sends.
const tokenInfo = {
  organization: { id: 'org-1', name: 'Org' },
  homeOrganization: { id: 'org-1', name: 'Org' },
  authorizedScope: ['user-basic-info'],
  dateTokenIdles: '2025-01-01T00:15:00.000Z',
  OAuthClient: { id: 'client-1', name: 'Ops', authorizedGrantType: 'CLIENT-CREDENTIALS', state: 'active' },
};
const timeout = { enableIdleTokenTimeout: false, idleTokenTimeoutSeconds: 900, inactivityTimeoutGroupsEnabled: false };

let server: TestServer;
let tokens: TokensApi;
const last = (): Received => {
  const request = server.received.at(-1);
  assert.ok(request);
  return request;
};

before(async () => {
  server = await startServer((request, res) => {
    const route = `${request.method} ${request.path}`;
    const headers = { 'inin-correlation-id': 'corr-1' };
    if (route === 'GET /api/v2/tokens/me') json(res, 200, tokenInfo, headers);
    else if (route === 'HEAD /api/v2/tokens/me') res.writeHead(200, headers).end();
    else if (route === 'DELETE /api/v2/tokens/me') res.writeHead(200, headers).end();
    else if (route === 'GET /api/v2/tokens/timeout') json(res, 200, timeout, headers);
    else if (route === 'PUT /api/v2/tokens/timeout') json(res, 200, JSON.parse(request.body), headers);
    else if (route === 'DELETE /api/v2/tokens/forbidden-user')
      apiError(res, 403, 'missing.permissions', 'Unable to perform the requested action. You are missing the following permission(s): oauth:token:delete');
    else if (request.method === 'DELETE' && request.path.startsWith('/api/v2/tokens/')) res.writeHead(204, headers).end();
    else apiError(res, 404, 'not.found', 'not found');
  });
  const client = new ApiClient({ baseUrl: server.baseUrl, headers: { 'x-app': 'tests' } });
  client.setAccessToken('the-token');
  tokens = new TokensApi(client);
});
after(() => server.close());

test('getTokensMe sends GET /api/v2/tokens/me with the bearer token and returns the TokenInfo', async () => {
  assert.deepEqual(await tokens.getTokensMe(), tokenInfo);
  const request = last();
  assert.equal(request.url, '/api/v2/tokens/me');
  assert.equal(request.headers.authorization, 'Bearer the-token');
  assert.equal(request.headers.accept, 'application/json');
  assert.equal(request.headers['x-app'], 'tests');
  assert.equal(request.headers['content-type'], undefined);
});

test('getTokensMe sends preserveIdleTTL when it is given, true or false', async () => {
  await tokens.getTokensMe({ preserveIdleTTL: true });
  assert.equal(last().url, '/api/v2/tokens/me?preserveIdleTTL=true');
  await tokens.getTokensMe({ preserveIdleTTL: false });
  assert.equal(last().url, '/api/v2/tokens/me?preserveIdleTTL=false');
});

test('headTokensMe sends HEAD /api/v2/tokens/me and resolves to undefined', async () => {
  assert.equal(await tokens.headTokensMe(), undefined);
  assert.equal(`${last().method} ${last().url}`, 'HEAD /api/v2/tokens/me');
});

test('deleteTokensMe sends DELETE /api/v2/tokens/me and accepts the empty 200', async () => {
  assert.equal(await tokens.deleteTokensMe(), undefined);
  assert.equal(`${last().method} ${last().url}`, 'DELETE /api/v2/tokens/me');
});

test('deleteToken sends DELETE /api/v2/tokens/{userId}, encoded, and accepts the 204', async () => {
  assert.equal(await tokens.deleteToken('user 1/2'), undefined);
  assert.equal(`${last().method} ${last().url}`, 'DELETE /api/v2/tokens/user%201%2F2');
});

test('deleteToken without a userId throws a TypeError and sends nothing', async () => {
  const count = server.received.length;
  await assert.rejects(tokens.deleteToken(''), TypeError);
  assert.equal(server.received.length, count);
});

test('getTokensTimeout sends GET /api/v2/tokens/timeout and returns the IdleTokenTimeout', async () => {
  assert.deepEqual(await tokens.getTokensTimeout(), timeout);
  assert.equal(`${last().method} ${last().url}`, 'GET /api/v2/tokens/timeout');
});

test('putTokensTimeout sends the body as JSON and returns what was stored', async () => {
  const body = {
    enableIdleTokenTimeout: true,
    idleTokenTimeoutSeconds: 1800,
    inactivityTimeoutUnit: 'Minutes' as const,
    inactivityTimeoutGroupsEnabled: true,
    inactivityTimeoutGroupBundles: [{ priority: 1, timeoutSeconds: 600, groups: ['group-1'] }],
  };
  assert.deepEqual(await tokens.putTokensTimeout({ body }), body);
  const request = last();
  assert.equal(`${request.method} ${request.url}`, 'PUT /api/v2/tokens/timeout');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(request.body), body);
});

test('customHeaders go with that call only and override the defaults', async () => {
  await tokens.getTokensTimeout({ customHeaders: { 'x-trace': 'abc', 'x-app': 'override' } });
  assert.equal(last().headers['x-trace'], 'abc');
  assert.equal(last().headers['x-app'], 'override');
  await tokens.getTokensTimeout();
  assert.equal(last().headers['x-trace'], undefined);
  assert.equal(last().headers['x-app'], 'tests');
});

test('an ErrorBody becomes an ApiError with every field', async () => {
  await assert.rejects(tokens.deleteToken('forbidden-user'), (error) => {
    assert.ok(isApiError(error));
    assert.equal(error.status, 403);
    assert.equal(error.code, 'missing.permissions');
    assert.equal(error.contextId, 'ctx-403-missing.permissions');
    assert.equal(error.correlationId, 'ctx-403-missing.permissions');
    assert.deepEqual(error.body.details, []);
    assert.equal(error.method, 'DELETE');
    assert.equal(error.url, `${server.baseUrl}/api/v2/tokens/forbidden-user`);
    assert.equal(
      error.message,
      '403 missing.permissions: Unable to perform the requested action. You are missing the following permission(s): oauth:token:delete (correlation id ctx-403-missing.permissions)',
    );
    return true;
  });
});

test('client.request returns status, headers and correlation id', async () => {
  const client = new ApiClient({ baseUrl: server.baseUrl });
  const response = await client.request<typeof timeout>({ method: 'GET', path: '/api/v2/tokens/timeout' });
  assert.equal(response.status, 200);
  assert.equal(response.correlationId, 'corr-1');
  assert.deepEqual(response.body, timeout);
});

test('a base URL with a path prefix keeps the prefix', async () => {
  const client = new ApiClient({ baseUrl: `${server.baseUrl}/prefix` });
  await assert.rejects(new TokensApi(client).getTokensTimeout(), (error) => isApiError(error) && error.status === 404);
  assert.equal(last().url, '/prefix/api/v2/tokens/timeout');
});
