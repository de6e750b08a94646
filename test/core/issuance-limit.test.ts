/** The issuance limit's memory (issue 13 items 3 and 12): bounded by the clients of the last minute. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/core/clock.js';
import { OAuthError } from '../../src/core/errors.js';
import { IssuanceLimit } from '../../src/core/issuance-limit.js';

test('10,000 clients in one minute, then one more a minute later: only the last one is still counted', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const limit = new IssuanceLimit(5, clock);
  for (let i = 0; i < 10_000; i++) limit.take(`client-${i}`);
  assert.equal(limit.size, 10_000);
  clock.advance(60_000);
  limit.take('late');
  assert.equal(limit.size, 1);
});

test('a refusal counts nothing and names the seconds until the window ends', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const limit = new IssuanceLimit(2, clock);
  limit.take('a');
  clock.advance(10_500);
  limit.take('a');
  for (let i = 0; i < 3; i++) {
    assert.throws(
      () => limit.take('a'),
      (error: unknown) => error instanceof OAuthError && error.status === 429 && error.headers['Retry-After'] === '50',
    );
  }
  clock.advance(49_500);
  limit.take('a');
  limit.take('a');
  assert.throws(() => limit.take('a'), OAuthError);
});
