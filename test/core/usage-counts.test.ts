/**
 * Client usage counting (core/usage-counts.ts, core/client-usage.ts): bounded memory whoever
 * calls, nothing lost when a write fails, a batch never spans two UTC days, and the query's
 * interval rules (core/usage-query.ts).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextUsageFlushDelay } from '../../src/core/client-usage.js';
import type { Principal } from '../../src/core/principal.js';
import { MAX_TALLIES, UsageCounts } from '../../src/core/usage-counts.js';
import { decodeExecution, encodeExecution, parseInterval } from '../../src/core/usage-query.js';

const principal = (clientId: string, userId: string | null) =>
  ({ organization: { id: 'org' }, client: { id: clientId }, user: userId === null ? null : { id: userId } }) as unknown as Principal;

test('counts by client, person, route and method, by status class; past MAX_TALLIES rows a new person counts under the client alone', () => {
  const counts = new UsageCounts();
  counts.count(principal('c', 'u'), 'GET', '/api/v2/tokens/me', 200);
  counts.count(principal('c', 'u'), 'GET', '/api/v2/tokens/me', 429);
  counts.count(principal('c', null), 'GET', '/api/v2/tokens/me', 503);
  for (let i = 0; i < MAX_TALLIES + 10; i++) counts.count(principal('c', `person ${i}`), 'PUT', '/api/v2/users/:userId', 404);
  assert.equal(counts.size, MAX_TALLIES + 1, 'bounded: one row more, the client without a person');
  const taken = counts.take();
  assert.equal(counts.size, 0);
  const of = (userId: string, httpMethod: string) => taken.find((t) => t.userId === userId && t.httpMethod === httpMethod)?.counts;
  assert.deepEqual(of('u', 'GET'), [1, 0, 0, 1, 0]);
  assert.deepEqual(of('', 'GET'), [0, 0, 0, 0, 1]);
  // The rows made before the bound are kept; the rest counted under the client alone.
  assert.deepEqual(of('', 'PUT'), [0, 0, 12, 0, 0]);
  assert.equal(
    taken.filter((t) => t.httpMethod === 'PUT').reduce((sum, t) => sum + t.counts[2]!, 0),
    MAX_TALLIES + 10,
  );

  // What a failed write took comes back, added to what was counted since.
  counts.count(principal('c', 'u'), 'GET', '/api/v2/tokens/me', 200);
  counts.restore(taken.slice(0, 3));
  assert.deepEqual(counts.take().find((t) => t.userId === 'u')?.counts, [2, 0, 0, 1, 0]);
});

test('a flush comes at the interval, or at the next UTC midnight if sooner', () => {
  assert.equal(nextUsageFlushDelay(Date.UTC(2026, 0, 1, 12), 60_000), 60_000);
  assert.equal(nextUsageFlushDelay(Date.UTC(2026, 0, 1, 23, 59, 30), 60_000), 30_000);
  assert.equal(nextUsageFlushDelay(Date.UTC(2026, 0, 2), 60_000), 60_000);
});

test('intervals: two ISO-8601 instants, start before end; execution ids name their client', () => {
  assert.deepEqual(parseInterval('2026-01-01T00:00:00Z/2026-01-02T00:00:00.000Z'), { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 2) });
  assert.deepEqual(parseInterval('2026-01-01T01:00:00+01:00/2026-01-02'), { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 2) });
  assert.deepEqual(parseInterval('2026-01-01T00:00/2026-01-01T06:00'), { start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 1, 6) });
  for (const bad of ['', '2026-01-01', '2026-01-02/2026-01-01', 'a/b', '2026-01-01/2026-01-02/2026-01-03', '1767225600000/1767312000000']) {
    assert.throws(() => parseInterval(bad), { code: 'invalid.value' }, bad);
  }
  const id = encodeExecution({ clientId: 'c', interval: '2026-01-01/2026-01-02', groupBy: ['HttpMethod'] });
  assert.deepEqual(decodeExecution(id, 'c'), { clientId: 'c', interval: '2026-01-01/2026-01-02', groupBy: ['HttpMethod'] });
  assert.equal(decodeExecution(id, 'other'), null);
  assert.equal(decodeExecution('not-base64-json', 'c'), null);
});
