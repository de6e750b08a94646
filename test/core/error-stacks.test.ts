/**
 * A refusal (4xx) is built without a stack trace, a fault (5xx) with one: the error log line
 * carries a 5xx's stack, and capturing a refusal's made a revoked token's 401 12% dearer
 * (docs/performance.md). Building either leaves the process's stack trace limit as it was.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, errors, oauthErrors } from '../../src/core/errors.js';

const FRAME = /\n\s+at /;

test('4xx ApiError and OAuthError carry no stack frames; 5xx do; Error.stackTraceLimit is restored', () => {
  const before = Error.stackTraceLimit;
  const refusals = [errors.badCredentials(), new ApiError(404, 'not.found', 'gone'), oauthErrors.invalidClient(), oauthErrors.invalidGrant('no')];
  for (const refusal of refusals) {
    assert.equal(refusal.stack, `${refusal.name}: ${refusal.message}`, `${refusal.name} ${refusal.message}`);
  }
  const faults = [errors.serviceUnavailable(), oauthErrors.temporarilyUnavailable()];
  for (const fault of faults) assert.match(fault.stack ?? '', FRAME, `${fault.name} ${fault.message}`);
  assert.equal(Error.stackTraceLimit, before);
  assert.match(new Error('plain').stack ?? '', FRAME, 'other errors still capture their stack');
});
