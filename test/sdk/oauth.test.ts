import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ApiClient, computePKCECodeChallenge, isApiError, isOAuthError, isSdkError } from '../../src/sdk/index.js';
import { fakeClock } from './helpers/clock.js';
import { formOf, json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

const issued = { access_token: 'tok', token_type: 'bearer', expires_in: 86400 };

async function tokenServer(answer: (res: Parameters<typeof json>[0], count: number) => void = (res) => json(res, 200, issued)) {
  const server = await startServer((_request, res) => answer(res, server.received.length));
  servers.push(server);
  return server;
}

test('client credentials: POST /oauth/token, form-encoded, HTTP Basic', async () => {
  const server = await tokenServer();
  const client = new ApiClient({ baseUrl: server.baseUrl });
  const auth = await client.loginClientCredentialsGrant('client-id', 'sécret:with colon');
  assert.equal(auth.accessToken, 'tok');
  assert.equal(client.accessToken, 'tok');
  const [request] = server.received;
  assert.ok(request);
  assert.equal(`${request.method} ${request.url}`, 'POST /oauth/token');
  assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(request.headers.accept, 'application/json');
  assert.equal(request.headers.authorization, `Basic ${Buffer.from('client-id:sécret:with colon', 'utf8').toString('base64')}`);
  assert.equal(request.body, 'grant_type=client_credentials');
});

test('PKCE exchange: no Basic header; grant_type, code, code_verifier, client_id, redirect_uri', async () => {
  const server = await tokenServer((res) => json(res, 200, { ...issued, refresh_token: 'r1' }));
  const client = new ApiClient({ baseUrl: server.baseUrl });
  const verifier = client.generatePKCECodeVerifier();
  const auth = await client.authorizePKCEGrant('spa-client', verifier, 'the-code', 'http://127.0.0.1:5173/cb');
  assert.equal(auth.refreshToken, 'r1');
  const [request] = server.received;
  assert.ok(request);
  assert.equal(request.headers.authorization, undefined);
  assert.deepEqual(formOf(request), {
    grant_type: 'authorization_code',
    code: 'the-code',
    redirect_uri: 'http://127.0.0.1:5173/cb',
    code_verifier: verifier,
    client_id: 'spa-client',
  });
});

test('startPKCEGrant gives a verifier, its S256 challenge and the authorize URL', async () => {
  const client = new ApiClient({ baseUrl: 'http://tokend.test:8080' });
  const start = await client.startPKCEGrant({ clientId: 'spa-client', redirectUri: 'http://127.0.0.1/cb', state: 's1', org: 'acme' });
  assert.equal(start.codeChallenge, await computePKCECodeChallenge(start.codeVerifier));
  const url = new URL(start.url);
  assert.equal(`${url.origin}${url.pathname}`, 'http://tokend.test:8080/oauth/authorize');
  assert.deepEqual(Object.fromEntries(url.searchParams), {
    client_id: 'spa-client',
    redirect_uri: 'http://127.0.0.1/cb',
    response_type: 'code',
    code_challenge: start.codeChallenge,
    code_challenge_method: 'S256',
    state: 's1',
    org: 'acme',
  });
});

test('a region sends the authorize URL to login.<region>', () => {
  const client = new ApiClient({ region: 'mypurecloud.ie' });
  const url = client.buildAuthorizeUrl({ clientId: 'c', redirectUri: 'https://app.example/cb', responseType: 'token', prompt: 'login' });
  assert.equal(url, 'https://login.mypurecloud.ie/oauth/authorize?client_id=c&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&response_type=token&prompt=login');
});

test('a refusal is an OAuthError with the RFC 6749 code and description, not an ApiError', async () => {
  const server = await tokenServer((res) =>
    json(
      res,
      401,
      { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' },
      { 'www-authenticate': 'Basic realm="tokend"', 'inin-correlation-id': 'corr-9' },
    ),
  );
  const client = new ApiClient({ baseUrl: server.baseUrl });
  await assert.rejects(client.loginClientCredentialsGrant('client-id', 'wrong'), (error) => {
    assert.ok(isOAuthError(error));
    assert.ok(isSdkError(error));
    assert.ok(!isApiError(error));
    assert.equal(error.status, 401);
    assert.equal(error.code, 'invalid_client');
    assert.equal(error.description, 'authentication failed');
    assert.equal(error.url, `${server.baseUrl}/oauth/token`);
    assert.equal(error.message, '401 invalid_client: authentication failed (correlation id corr-9)');
    return true;
  });
  assert.equal(server.received.length, 1);
  assert.equal(client.accessToken, undefined);
});

test('a 429 from the token endpoint is waited out and retried', async () => {
  const server = await tokenServer((res, count) => {
    if (count === 1) json(res, 429, { error: 'too_many_requests' }, { 'retry-after': '4' });
    else json(res, 200, issued);
  });
  const time = fakeClock();
  const client = new ApiClient({ baseUrl: server.baseUrl, clock: time.clock });
  await client.loginClientCredentialsGrant('client-id', 'secret');
  assert.equal(server.received.length, 2);
  assert.deepEqual(time.sleeps, [4000]);
});

test('a 503 or a dropped connection at the token endpoint is not retried: a refresh token must not be sent twice', async () => {
  const server = await tokenServer((res) => json(res, 503, { error: 'temporarily_unavailable' }));
  const client = new ApiClient({ baseUrl: server.baseUrl, clock: fakeClock().clock });
  await assert.rejects(client.refreshCodeAuthorizationGrant('c', 's', 'r'), (error) => isOAuthError(error) && error.status === 503);
  assert.equal(server.received.length, 1);
});

test('a success without access_token or expires_in is an OAuthError invalid_response', async () => {
  const server = await tokenServer((res) => json(res, 200, { access_token: 'tok', token_type: 'bearer' }));
  const client = new ApiClient({ baseUrl: server.baseUrl });
  await assert.rejects(client.loginClientCredentialsGrant('c', 's'), (error) => {
    assert.ok(isOAuthError(error));
    assert.equal(error.message, '200 invalid_response: the token response carries no expires_in');
    return true;
  });
});

test('a non-JSON error page still gives an OAuthError with the status', async () => {
  const server = await startServer((_request, res) => {
    res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
  });
  servers.push(server);
  const client = new ApiClient({ baseUrl: server.baseUrl });
  await assert.rejects(client.loginClientCredentialsGrant('c', 's'), (error) => isOAuthError(error) && error.message === '502 http_502');
});
