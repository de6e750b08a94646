import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiError,
  isApiError,
  isNetworkError,
  isOAuthError,
  isSdkError,
  isTimeoutError,
  NetworkError,
  OAuthError,
  SdkError,
  TimeoutError,
} from '../../src/sdk/index.js';

const request = { method: 'GET', url: 'http://h/api/v2/tokens/me' };
const api = new ApiError({
  ...request,
  status: 401,
  body: { message: 'Invalid login credentials.', code: 'bad.credentials', status: 401, contextId: 'ctx-1' },
  code: 'authentication.required',
  fallbackMessage: 'unused',
  correlationId: 'corr-1',
});
const oauth = new OAuthError({ method: 'POST', url: 'http://h/oauth/token', status: 400, body: { error: 'invalid_grant', description: 'code used' } });
const network = new NetworkError(request, 3, new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:1') }));
const timeout = new TimeoutError(request, 5000);

test('messages name the status, the code, the text and the correlation id', () => {
  assert.equal(api.message, '401 bad.credentials: Invalid login credentials. (correlation id corr-1)');
  assert.equal(oauth.message, '400 invalid_grant: code used');
  assert.equal(network.message, 'GET http://h/api/v2/tokens/me failed: fetch failed: connect ECONNREFUSED 127.0.0.1:1 (after 3 attempts)');
  assert.equal(timeout.message, 'GET http://h/api/v2/tokens/me did not complete within 5000 ms');
});

test('the body code wins over the fallback; the header correlation id over contextId', () => {
  assert.equal(api.code, 'bad.credentials');
  assert.equal(api.contextId, 'ctx-1');
  assert.equal(api.correlationId, 'corr-1');
  const bare = new ApiError({ ...request, status: 401, body: {}, code: 'authentication.required', fallbackMessage: 'No token.' });
  assert.equal(bare.message, '401 authentication.required: No token.');
  const onlyContext = new ApiError({ ...request, status: 404, body: { contextId: 'ctx-2', message: 'gone' }, code: 'not.found', fallbackMessage: '' });
  assert.equal(onlyContext.correlationId, 'ctx-2');
});

test('every error is an SdkError and an Error, with its own name', () => {
  for (const [error, name] of [
    [api, 'ApiError'],
    [oauth, 'OAuthError'],
    [network, 'NetworkError'],
    [timeout, 'TimeoutError'],
  ] as const) {
    assert.ok(error instanceof SdkError);
    assert.ok(error instanceof Error);
    assert.ok(isSdkError(error));
    assert.equal(error.name, name);
  }
  assert.ok(network.cause instanceof TypeError);
});

test('each guard accepts its own kind only', () => {
  const guards = [isApiError, isOAuthError, isNetworkError, isTimeoutError];
  const errors = [api, oauth, network, timeout];
  guards.forEach((guard, i) => {
    errors.forEach((error, j) => assert.equal(guard(error), i === j, `${guard.name}(${error.name})`));
  });
});

test('guards ignore look-alikes: DOMException TimeoutError, plain objects, non-errors', () => {
  assert.equal(isTimeoutError(new DOMException('timed out', 'TimeoutError')), false);
  assert.equal(isApiError({ name: 'ApiError', status: 401 }), false);
  assert.equal(isSdkError(new Error('x')), false);
  for (const value of [undefined, null, 'ApiError', 42]) assert.equal(isSdkError(value), false);
});

test('guards recognise errors from another copy of the SDK by their brand', () => {
  const foreign = { [Symbol.for('tokend/sdk/error')]: 'ApiError', status: 401 };
  assert.equal(isApiError(foreign), true);
  assert.equal(isSdkError(foreign), true);
  assert.equal(isTimeoutError(foreign), false);
});
