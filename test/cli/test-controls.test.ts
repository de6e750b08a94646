/** `tokend test clock` and `tokend test fault ...` as a subprocess against a tokend listening with test controls on. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json, type ListeningTokend, useListeningTokend } from './helpers.js';

let t: ListeningTokend;
const cli = useListeningTokend((started) => (t = started), { testControls: true });
const run = (args: string[]) => cli.run([...args, '--url', t.url]);

test('tokend test clock, clock advance 301, clock reset: the clock as JSON, exit 0', async () => {
  const start = t.clock.now();
  const shown = await run(['test', 'clock']);
  assert.equal(shown.code, 0, shown.stderr);
  assert.deepEqual(json(shown), { now: new Date(start).toISOString(), offsetSeconds: 0 });
  const advanced = await run(['test', 'clock', 'advance', '301']);
  assert.equal(advanced.code, 0, advanced.stderr);
  assert.deepEqual(json(advanced), { now: new Date(start + 301_000).toISOString(), offsetSeconds: 301 });
  const reset = await run(['test', 'clock', 'reset']);
  assert.deepEqual(json(reset), { now: new Date(start).toISOString(), offsetSeconds: 0 });
  const bad = await run(['test', 'clock', 'advance', 'soon']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /advance soon: expected a number of seconds above 0/);
});

test('tokend test fault add, list, clear', async () => {
  const added = await run(['test', 'fault', 'add', '--path', '/api/v2/tokens/me', '--status', '429', '--retry-after', '2', '--times', '2']);
  assert.equal(added.code, 0, added.stderr);
  const fault = json<{ id: string; match: unknown; respond: unknown; times: number }>(added);
  assert.deepEqual(fault.match, { path: '/api/v2/tokens/me' });
  assert.deepEqual(fault.respond, { status: 429, retryAfterSeconds: 2 });
  assert.equal(fault.times, 2);
  const listed = await run(['test', 'fault', 'list']);
  assert.deepEqual(
    json<Array<{ id: string }>>(listed).map((f) => f.id),
    [fault.id],
  );
  const refused = await run(['test', 'fault', 'add', '--status', '418']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /respond\.status/);
  assert.equal((await run(['test', 'fault', 'clear', fault.id])).code, 0);
  assert.equal((await run(['test', 'fault', 'clear'])).code, 0);
  assert.deepEqual(json(await run(['test', 'fault', 'list'])), []);
});
