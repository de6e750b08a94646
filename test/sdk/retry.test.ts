import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ApiClient, type ApiClientOptions, isApiError, isNetworkError, isTimeoutError, TokensApi } from '../../src/sdk/index.js';
import { fakeClock } from './helpers/clock.js';
import { apiError, json, startServer, type TestServer } from './helpers/server.js';

const servers: TestServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

/** A client with a fake clock and jitter fixed at one half, so every backoff is exact. */
function clientFor(server: TestServer, options: Partial<ApiClientOptions> = {}) {
  const time = fakeClock();
  const client = new ApiClient({ baseUrl: server.baseUrl, clock: time.clock, random: () => 0.5, ...options });
  client.setAccessToken('token');
  return { client, tokens: new TokensApi(client), sleeps: time.sleeps };
}

const tokenInfo = { organization: { id: 'org-1', name: 'Org' } };
const tooMany = 'Rate limit exceeded the maximum. Retry the request in [2] seconds';

test('a 429 waits the Retry-After seconds, then sends again', async () => {
  const server = await serve((_request, res) => {
    if (server.received.length === 1) apiError(res, 429, 'too.many.requests.retry.after', tooMany, { 'retry-after': '2' });
    else json(res, 200, tokenInfo);
  });
  const { tokens, sleeps } = clientFor(server);
  assert.deepEqual(await tokens.getTokensMe(), tokenInfo);
  assert.equal(server.received.length, 2);
  assert.deepEqual(sleeps, [2000]);
});

test('a 429 is retried for a POST too, since the server did not act on it', async () => {
  const server = await serve((_request, res) => {
    if (server.received.length === 1) apiError(res, 429, 'too.many.requests.retry.after', tooMany, { 'retry-after': '1' });
    else json(res, 200, { ok: true });
  });
  const { client, sleeps } = clientFor(server);
  const response = await client.request({ method: 'POST', path: '/api/v2/things', body: { a: 1 } });
  assert.deepEqual(response.body, { ok: true });
  assert.equal(server.received.length, 2);
  assert.deepEqual(sleeps, [1000]);
});

test('a 429 on every attempt gives up after maxAttempts with the ApiError and its retryAfter', async () => {
  const server = await serve((_request, res) => {
    apiError(res, 429, 'too.many.requests.retry.after', tooMany, { 'retry-after': '3' });
  });
  const { tokens, sleeps } = clientFor(server, { retry: { maxAttempts: 3 } });
  await assert.rejects(tokens.getTokensMe(), (error) => {
    assert.ok(isApiError(error));
    assert.equal(error.status, 429);
    assert.equal(error.code, 'too.many.requests.retry.after');
    assert.equal(error.retryAfter, 3);
    assert.equal(error.message, `429 too.many.requests.retry.after: ${tooMany} (correlation id ctx-429-too.many.requests.retry.after)`);
    return true;
  });
  assert.equal(server.received.length, 3);
  assert.deepEqual(sleeps, [3000, 3000]);
});

test('a Retry-After beyond maxRetryAfterSeconds is not waited out', async () => {
  const server = await serve((_request, res) => {
    apiError(res, 429, 'too.many.requests.retry.after', tooMany, { 'retry-after': '61' });
  });
  const { tokens, sleeps } = clientFor(server);
  await assert.rejects(tokens.getTokensMe(), (error) => isApiError(error) && error.retryAfter === 61);
  assert.equal(server.received.length, 1);
  assert.deepEqual(sleeps, []);
});

test('a raised maxRetryAfterSeconds waits a longer Retry-After', async () => {
  const server = await serve((_request, res) => {
    if (server.received.length === 1) apiError(res, 429, 'too.many.requests.retry.after', tooMany, { 'retry-after': '90' });
    else json(res, 200, tokenInfo);
  });
  const { tokens, sleeps } = clientFor(server, { retry: { maxRetryAfterSeconds: 120 }, timeoutMs: 200_000 });
  await tokens.getTokensMe();
  assert.deepEqual(sleeps, [90_000]);
});

test('a Retry-After that would outlast the call timeout is not begun', async () => {
  const server = await serve((_request, res) => {
    apiError(res, 429, 'too.many.requests.retry.after', tooMany, { 'retry-after': '10' });
  });
  const { tokens, sleeps } = clientFor(server);
  await assert.rejects(tokens.getTokensMe({ timeoutMs: 5_000 }), (error) => isApiError(error) && error.status === 429);
  assert.equal(server.received.length, 1);
  assert.deepEqual(sleeps, []);
});

test('a 429 without Retry-After backs off exponentially', async () => {
  const server = await serve((_request, res) => {
    if (server.received.length < 3) apiError(res, 429, 'too.many.requests.retry.after', tooMany);
    else json(res, 200, tokenInfo);
  });
  const { tokens, sleeps } = clientFor(server);
  await tokens.getTokensMe();
  assert.deepEqual(sleeps, [125, 250]);
});

test('a 503 on GET is retried with doubling backoff until maxAttempts', async () => {
  const server = await serve((_request, res) => {
    apiError(res, 503, 'service.unavailable', 'The store cannot be reached.');
  });
  const { tokens, sleeps } = clientFor(server, { retry: { maxAttempts: 4 } });
  await assert.rejects(tokens.getTokensMe(), (error) => {
    assert.ok(isApiError(error));
    assert.equal(error.status, 503);
    assert.equal(error.correlationId, 'ctx-503-service.unavailable');
    return true;
  });
  assert.equal(server.received.length, 4);
  // random() is 0.5, so each wait is half of 250 ms, 500 ms, 1000 ms.
  assert.deepEqual(sleeps, [125, 250, 500]);
});

test('backoff stops doubling at backoffMaxMs', async () => {
  const server = await serve((_request, res) => {
    apiError(res, 503, 'service.unavailable', 'The store cannot be reached.');
  });
  const { tokens, sleeps } = clientFor(server, { random: () => 1, retry: { maxAttempts: 6, backoffBaseMs: 1000, backoffMaxMs: 3000 } });
  await assert.rejects(tokens.getTokensMe());
  assert.deepEqual(sleeps, [1000, 2000, 3000, 3000, 3000]);
});

test('a 503 then a 200 on GET returns the 200', async () => {
  const server = await serve((_request, res) => {
    if (server.received.length === 1) apiError(res, 503, 'service.unavailable', 'The store cannot be reached.');
    else json(res, 200, tokenInfo);
  });
  const { tokens } = clientFor(server);
  assert.deepEqual(await tokens.getTokensMe(), tokenInfo);
  assert.equal(server.received.length, 2);
});

test('502 and 504 on PUT are retried, with the same body each time', async () => {
  const statuses = [502, 504];
  const server = await serve((request, res) => {
    const status = statuses.shift();
    if (status === undefined) json(res, 200, JSON.parse(request.body));
    else apiError(res, status, 'bad.gateway', 'upstream failed');
  });
  const { tokens } = clientFor(server);
  const body = { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 900 };
  assert.deepEqual(await tokens.putTokensTimeout({ body }), body);
  assert.equal(server.received.length, 3);
  assert.deepEqual(
    server.received.map((request) => JSON.parse(request.body)),
    [body, body, body],
  );
});

test('a 503 on POST is not retried, since the server may have acted', async () => {
  const server = await serve((_request, res) => {
    apiError(res, 503, 'service.unavailable', 'The store cannot be reached.');
  });
  const { client, sleeps } = clientFor(server);
  await assert.rejects(client.request({ method: 'POST', path: '/api/v2/things' }), (error) => isApiError(error) && error.status === 503);
  assert.equal(server.received.length, 1);
  assert.deepEqual(sleeps, []);
});

test('a 500 is not retried', async () => {
  const server = await serve((_request, res) => {
    apiError(res, 500, 'internal.server.error', 'The server failed.');
  });
  const { tokens } = clientFor(server);
  await assert.rejects(tokens.getTokensMe(), (error) => isApiError(error) && error.code === 'internal.server.error');
  assert.equal(server.received.length, 1);
});

test('a dropped connection on GET is retried, and the retry answers', async () => {
  const server = await serve((_request, res) => {
    if (server.received.length === 1) res.socket?.destroy();
    else json(res, 200, tokenInfo);
  });
  const { tokens, sleeps } = clientFor(server);
  assert.deepEqual(await tokens.getTokensMe(), tokenInfo);
  assert.equal(server.received.length, 2);
  assert.deepEqual(sleeps, [125]);
});

test('a connection dropped every time gives a NetworkError after maxAttempts', async () => {
  const server = await serve((_request, res) => {
    res.socket?.destroy();
  });
  const { tokens, sleeps } = clientFor(server, { retry: { maxAttempts: 3 } });
  await assert.rejects(tokens.headTokensMe(), (error) => {
    assert.ok(isNetworkError(error));
    assert.equal(error.attempts, 3);
    assert.equal(error.method, 'HEAD');
    assert.equal(error.url, `${server.baseUrl}/api/v2/tokens/me`);
    assert.match(error.message, /^HEAD http:\/\/127\.0\.0\.1:\d+\/api\/v2\/tokens\/me failed: .+ \(after 3 attempts\)$/);
    return true;
  });
  assert.equal(server.received.length, 3);
  assert.deepEqual(sleeps, [125, 250]);
});

test('a dropped connection on POST is not retried', async () => {
  const server = await serve((_request, res) => {
    res.socket?.destroy();
  });
  const { client } = clientFor(server);
  await assert.rejects(client.request({ method: 'POST', path: '/api/v2/things' }), (error) => isNetworkError(error) && error.attempts === 1);
  assert.equal(server.received.length, 1);
});

test('a refused connection is a NetworkError that names the cause', async () => {
  const server = await startServer(() => {});
  await server.close();
  const { tokens } = clientFor(server, { retry: { maxAttempts: 2 } });
  await assert.rejects(tokens.getTokensTimeout(), (error) => {
    assert.ok(isNetworkError(error));
    assert.equal(error.attempts, 2);
    assert.match(error.message, /ECONNREFUSED/);
    return true;
  });
});

test('a server that never answers gives a TimeoutError after the call timeout', async () => {
  const server = await serve(() => {});
  const { tokens } = clientFor(server);
  const started = performance.now();
  await assert.rejects(tokens.getTokensMe({ timeoutMs: 100 }), (error) => {
    assert.ok(isTimeoutError(error));
    assert.equal(error.timeoutMs, 100);
    assert.equal(error.message, `GET ${server.baseUrl}/api/v2/tokens/me did not complete within 100 ms`);
    return true;
  });
  assert.ok(performance.now() - started < 2000);
  assert.equal(server.received.length, 1);
});

test('the client timeoutMs is the default of every call', async () => {
  const server = await serve(() => {});
  const { tokens } = clientFor(server, { timeoutMs: 50 });
  await assert.rejects(tokens.getTokensTimeout(), (error) => isTimeoutError(error) && error.timeoutMs === 50);
});

test('an aborted call rejects with the signal reason and is not retried', async () => {
  const server = await serve(() => {});
  const { tokens } = clientFor(server);
  const controller = new AbortController();
  const reason = new Error('user went away');
  const outcome = assert.rejects(tokens.getTokensMe({ signal: controller.signal }), (error) => error === reason);
  while (server.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  controller.abort(reason);
  await outcome;
  assert.equal(server.received.length, 1);
});

test('an already aborted signal sends nothing', async () => {
  const server = await serve((_request, res) => json(res, 200, tokenInfo));
  const { tokens } = clientFor(server);
  await assert.rejects(tokens.getTokensMe({ signal: AbortSignal.abort() }), (error) => error instanceof DOMException && error.name === 'AbortError');
  assert.equal(server.received.length, 0);
});

test('an abort during a backoff wait ends the wait', async () => {
  const server = await serve((_request, res) => {
    apiError(res, 429, 'too.many.requests.retry.after', tooMany, { 'retry-after': '10' });
  });
  // The real clock: the wait is a real 10-second timer that the abort must cut short.
  const client = new ApiClient({ baseUrl: server.baseUrl });
  client.setAccessToken('token');
  const controller = new AbortController();
  const call = new TokensApi(client).getTokensMe({ signal: controller.signal });
  const outcome = assert.rejects(call, (error) => error instanceof DOMException && error.name === 'AbortError');
  while (server.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const started = performance.now();
  controller.abort();
  await outcome;
  assert.ok(performance.now() - started < 1000);
  assert.equal(server.received.length, 1);
});
