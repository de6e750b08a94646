/**
 * The test clock on two nodes over one PostgreSQL (CONTRACT.md, "A clock and faults for tests":
 * "Clock moves apply on every node"): an advance on node A moves node B's clock, so a token
 * cached on B expires there; a reset on A brings B back, and what ended stays ended on both.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { bearer } from '../helpers/app.js';
import { ACME, clients, SEED_FILE, users } from '../helpers/fixture.js';
import { pgSkip } from './pg-gate.js';
import { nodeToken, seededNodes } from './seeded-nodes.js';

const skip = await pgSkip({ once: true });
const TEST = '/api/v2/tokend/test';
/** The cross-node bound a clock move must reach the other node within. */
const BOUND_MS = 2000;

async function offsetOn(node: FastifyInstance): Promise<number> {
  return (await node.inject({ method: 'GET', url: `${TEST}/clock` })).json().offsetSeconds;
}

async function reaches(node: FastifyInstance, offsetSeconds: number): Promise<void> {
  const started = performance.now();
  while ((await offsetOn(node)) !== offsetSeconds) {
    assert.ok(performance.now() - started < BOUND_MS, `the node's offset is not ${offsetSeconds} after ${BOUND_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const me = (node: FastifyInstance, token: string) => node.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });

describe('the test clock on two nodes over one PostgreSQL', { skip }, () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const nodes = seededNodes(SEED_FILE, clock, { testControls: true });

  test('an advance on A moves B; a token cached on B expires there; a reset on A keeps the end on both', async () => {
    const { a, b } = nodes;
    const token = await nodeToken(a, clients.plain); // 600 s
    assert.equal((await me(b, token)).statusCode, 200, 'cached on B');
    const advanced = await a.inject({ method: 'POST', url: `${TEST}/clock/advance`, payload: { seconds: 601 } });
    assert.equal(advanced.statusCode, 200);
    await reaches(b, 601);
    assert.equal((await me(b, token)).statusCode, 401, 'expired on B by the advance on A');
    assert.equal((await a.inject({ method: 'POST', url: `${TEST}/clock/reset` })).statusCode, 200);
    await reaches(b, 0);
    assert.equal((await me(b, token)).statusCode, 401, 'still ended on B after the reset');
    assert.equal((await me(a, token)).statusCode, 401, 'and on A');
  });

  test('advances at once on two nodes add up (one statement each) and both end on the sum, the answering node at once', async () => {
    const { a, b } = nodes;
    // Notifications of moves made at once arrive in the database's order; a node that applied its own answer as well could end on an older offset.
    for (let round = 1; round <= 5; round++) {
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? a : b).inject({ method: 'POST', url: `${TEST}/clock/advance`, payload: { seconds: 10 } })),
      );
      assert.deepEqual(
        answers.map((answer) => answer.statusCode),
        Array(8).fill(200),
      );
      await reaches(a, 80);
      await reaches(b, 80);
      const reset = await a.inject({ method: 'POST', url: `${TEST}/clock/reset` });
      assert.equal(reset.json().offsetSeconds, 0, `round ${round}: the reset answers real time`);
      assert.equal(await offsetOn(a), 0, `round ${round}: the resetting node reads real time at once`);
      await reaches(b, 0);
    }
    const advanced = await b.inject({ method: 'POST', url: `${TEST}/clock/advance`, payload: { seconds: 7 } });
    assert.equal(advanced.json().offsetSeconds, 7);
    assert.equal(await offsetOn(b), 7, 'the advancing node reads its move at once');
    await a.inject({ method: 'POST', url: `${TEST}/clock/reset` });
    await reaches(b, 0);
  });

  test('an idle end on B after an advance on A stays after the reset, on A too', async () => {
    const { a, b } = nodes;
    await a.tokend.store.setIdleTokenTimeout(ACME, { ...DEFAULT_IDLE_TOKEN_TIMEOUT, enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 });
    a.tokend.authenticator.invalidate();
    b.tokend.authenticator.invalidate();
    try {
      const token = await nodeToken(a, clients.passwordApp, users.bob);
      assert.equal((await me(b, token)).statusCode, 200);
      await a.inject({ method: 'POST', url: `${TEST}/clock/advance`, payload: { seconds: 301 } });
      await reaches(b, 301);
      assert.equal((await me(b, token)).statusCode, 401, 'idle on B');
      await b.inject({ method: 'POST', url: `${TEST}/clock/reset` });
      await reaches(a, 0);
      assert.equal((await me(a, token)).statusCode, 401, 'the idle end is recorded for A');
    } finally {
      await a.tokend.store.setIdleTokenTimeout(ACME, DEFAULT_IDLE_TOKEN_TIMEOUT);
    }
  });
});
