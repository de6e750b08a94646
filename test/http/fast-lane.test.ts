/**
 * The node:http fast lane of GET and HEAD /api/v2/tokens/me (src/http/fast-lane.ts), over a
 * real socket: it answers byte for byte as the Fastify routes do, and hands every other case
 * to them. `/api/v2/tokens/me?` (an empty query) is the same request to Fastify but not to the
 * lane, which answers the bare path only: that is how each test gets both answers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, SEED_FILE, users } from '../helpers/fixture.js';
import { captureLog } from '../helpers/log-capture.js';
import { headerOf, listenOnLoopback, type OrderedAnswer, orderedRequest } from '../helpers/socket-request.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { openStore } from '../../src/store/open-store.js';

const ME = '/api/v2/tokens/me';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The headers of an answer, sorted, with what differs per request (ids, date, count) set aside. */
function comparable(answer: OrderedAnswer): Array<[string, string]> {
  const perRequest = new Set(['inin-correlation-id', 'genesys-correlation-id', 'date', 'inin-ratelimit-count']);
  return answer.headers.filter(([name]) => !perRequest.has(name)).sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('answers as the Fastify routes do', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startTestApp();
    port = await listenOnLoopback(t);
  });
  after(() => t.close());

  const kinds = {
    'a client-credentials token': () => t.token(clients.plain),
    'a password-grant user token': () => t.token(clients.passwordApp, users.alice),
  };
  for (const [kind, issue] of Object.entries(kinds)) {
    for (const method of ['GET', 'HEAD']) {
      test(`${method}, ${kind}`, async () => {
        const token = await issue();
        const cold = await orderedRequest(port, method, ME, bearer(token));
        assert.equal(cold.status, 200);
        const before = { ...t.app.fastLane! };
        const fast = await orderedRequest(port, method, ME, bearer(token));
        assert.deepEqual(t.app.fastLane, { answered: before.answered + 1, handedOn: before.handedOn }, 'answered by the lane');
        const routed = await orderedRequest(port, method, `${ME}?`, bearer(token));
        assert.deepEqual(t.app.fastLane, { answered: before.answered + 1, handedOn: before.handedOn }, 'answered by Fastify');

        assert.equal(fast.status, 200);
        assert.equal(fast.body, routed.body, 'the same bytes');
        assert.equal(fast.body, method === 'HEAD' ? '' : cold.body);
        assert.deepEqual(comparable(fast), comparable(routed));
        assert.match(headerOf(fast, 'inin-correlation-id')!, UUID);
        assert.equal(headerOf(fast, 'genesys-correlation-id'), headerOf(fast, 'inin-correlation-id'));
        assert.notEqual(headerOf(fast, 'inin-correlation-id'), headerOf(routed, 'inin-correlation-id'));
        assert.deepEqual(
          [cold, fast, routed].map((answer) => headerOf(answer, 'inin-ratelimit-count')),
          ['1', '2', '3'],
          'one count per request, whichever path answered',
        );
      });
    }
  }

  // A cached token that is no longer good: the lane answers the 401 Fastify would (clients.plain's tokens last 600 s).
  const notGood = {
    'a revoked token': async (token: string) => assert.equal((await orderedRequest(port, 'DELETE', ME, bearer(token))).status, 200),
    'an expired token': async () => t.clock.advance(600_000),
  };
  for (const [kind, end] of Object.entries(notGood)) {
    for (const method of ['GET', 'HEAD']) {
      test(`${method}, ${kind}: 401 bad.credentials`, async () => {
        const token = await t.token(clients.plain);
        assert.equal((await orderedRequest(port, 'GET', ME, bearer(token))).status, 200);
        await end(token);
        const before = { ...t.app.fastLane! };
        const refusals = { ...t.app.tokend.authenticator.counts.validations };
        const fast = await orderedRequest(port, method, ME, bearer(token));
        assert.deepEqual(t.app.fastLane, { answered: before.answered + 1, handedOn: before.handedOn }, 'answered by the lane');
        const routed = await orderedRequest(port, method, `${ME}?`, bearer(token));
        assert.deepEqual(t.app.fastLane, { answered: before.answered + 1, handedOn: before.handedOn }, 'answered by Fastify');
        const reason = kind === 'a revoked token' ? 'revoked' : 'expired';
        assert.equal(t.app.tokend.authenticator.counts.validations[reason], refusals[reason] + 2, 'each request decided and counted once');

        assert.equal(fast.status, 401);
        assert.equal(routed.status, 401);
        const id = headerOf(fast, 'inin-correlation-id')!;
        assert.match(id, UUID);
        assert.equal(headerOf(fast, 'genesys-correlation-id'), id);
        assert.equal(headerOf(fast, 'www-authenticate'), 'Bearer realm="tokend", error="invalid_token"');
        assert.deepEqual(comparable(fast), comparable(routed));
        assert.deepEqual(
          fast.headers.map(([name]) => name),
          routed.headers.map(([name]) => name),
          'the same headers in the same order',
        );
        if (method === 'HEAD') assert.equal(fast.body, '');
        else {
          assert.deepEqual(JSON.parse(fast.body), {
            message: 'Invalid login credentials.',
            code: 'bad.credentials',
            status: 401,
            contextId: id,
            details: [],
            errors: [],
          });
          assert.equal(fast.body, routed.body.replace(headerOf(routed, 'inin-correlation-id')!, id), 'the same bytes but the id');
        }
      });
    }
  }

  test("the rate-limit window is the token's own from its first request, whichever path answers", async () => {
    t.clock.advance(17_250);
    const token = await t.token(clients.plain);
    const rate = (answer: OrderedAnswer) => ['inin-ratelimit-count', 'inin-ratelimit-reset'].map((name) => headerOf(answer, name));
    assert.deepEqual(rate(await orderedRequest(port, 'GET', ME, bearer(token))), ['1', '60'], 'Fastify, the first request');
    t.clock.advance(10_400);
    const answered = t.app.fastLane!.answered;
    const fast = await orderedRequest(port, 'GET', ME, bearer(token));
    const routed = await orderedRequest(port, 'GET', `${ME}?`, bearer(token));
    assert.equal(t.app.fastLane!.answered, answered + 1);
    assert.deepEqual(
      [rate(fast), rate(routed)],
      [
        ['2', '50'],
        ['3', '50'],
      ],
    );
    t.clock.advance(49_600);
    assert.deepEqual(rate(await orderedRequest(port, 'HEAD', ME, bearer(token))), ['1', '60'], 'the lane opens the next window');
  });

  test('preserveIdleTTL in any letter case: the same answer as the lane gives', async () => {
    const token = await t.token(clients.passwordApp, users.alice);
    await orderedRequest(port, 'GET', ME, bearer(token));
    const fast = await orderedRequest(port, 'GET', ME, bearer(token));
    for (const value of ['True', 'TRUE', 'true', 'False', 'fALSE']) {
      const routed = await orderedRequest(port, 'GET', `${ME}?preserveIdleTTL=${value}`, bearer(token));
      assert.equal(routed.status, 200, `${value}: ${routed.body}`);
      assert.equal(routed.body, fast.body);
      assert.deepEqual(comparable(routed), comparable(fast));
    }
  });

  test('with an idle timeout: dateTokenIdles, and a GET or HEAD through the lane restarts the clock', async () => {
    const admin = await t.token(clients.admin);
    const put = await t.inject({
      method: 'PUT',
      url: '/api/v2/tokens/timeout',
      headers: bearer(admin),
      payload: { enableIdleTokenTimeout: true, idleTokenTimeoutSeconds: 300 },
    });
    assert.equal(put.statusCode, 200);
    const token = await t.token(clients.plain);
    await orderedRequest(port, 'GET', ME, bearer(token));
    t.clock.advance(100_000);
    const answered = t.app.fastLane!.answered;
    const fast = await orderedRequest(port, 'GET', ME, bearer(token));
    const routed = await orderedRequest(port, 'GET', `${ME}?preserveIdleTTL=true`, bearer(token));
    assert.equal(t.app.fastLane!.answered, answered + 1);
    assert.equal(fast.body, routed.body);
    assert.equal(JSON.parse(fast.body).dateTokenIdles, new Date(t.clock.now() + 300_000).toISOString(), 'restarted by the GET');
    t.clock.advance(200_000);
    assert.equal((await orderedRequest(port, 'HEAD', ME, bearer(token))).status, 200);
    assert.equal(t.app.fastLane!.answered, answered + 2);
    t.clock.advance(299_000);
    assert.equal((await orderedRequest(port, 'HEAD', ME, bearer(token))).status, 200, 'the HEAD restarted it too');
    // Past its idle deadline (and within its 600 s): settled against the store, then refused by the lane.
    const idle = await t.token(clients.plain);
    await orderedRequest(port, 'GET', ME, bearer(idle));
    t.clock.advance(300_000);
    const idled = await orderedRequest(port, 'GET', ME, bearer(idle));
    const idledRouted = await orderedRequest(port, 'GET', `${ME}?`, bearer(idle));
    assert.deepEqual([idled.status, idledRouted.status], [401, 401]);
    assert.equal(JSON.parse(idled.body).code, 'bad.credentials');
    assert.deepEqual(comparable(idled), comparable(idledRouted));
    assert.equal(t.app.fastLane!.answered, answered + 5);
    assert.equal(t.app.tokend.authenticator.counts.validations.idle, 1, 'ended once, by the first request');
  });
});

test('a client renamed by another process shows at once through the lane (no stale body)', async () => {
  const t = await startTestApp();
  try {
    const port = await listenOnLoopback(t);
    const token = await t.token(clients.plain);
    await orderedRequest(port, 'GET', ME, bearer(token));
    const before = await orderedRequest(port, 'GET', ME, bearer(token));
    const seed = JSON.parse(readFileSync(SEED_FILE, 'utf8'));
    const client = seed.organizations[0].clients.find((c: { id: string }) => c.id === clients.plain.id);
    const oldName = JSON.parse(before.body).OAuthClient.name;
    assert.equal(client.name, oldName);
    client.name = 'Plain service, renamed';
    const other = openStore(t.database);
    await applySeedText(other, t.clock, JSON.stringify(seed));
    await other.close();
    await otherNodeChange();
    const answered = t.app.fastLane!.answered;
    const misses = t.app.tokend.authenticator.counts.tokenCache.misses;
    const after = await orderedRequest(port, 'GET', ME, bearer(token));
    assert.equal(t.app.tokend.authenticator.counts.tokenCache.misses, misses + 1, 'the cache was dropped: read again');
    assert.equal(t.app.fastLane!.answered, answered + 1);
    assert.equal(JSON.parse(after.body).OAuthClient.name, 'Plain service, renamed');
    assert.equal(
      after.body,
      before.body
        .replace(JSON.stringify(oldName), JSON.stringify('Plain service, renamed'))
        .replace(/"dateModified":"[^"]+"/, `"dateModified":"${JSON.parse(after.body).OAuthClient.dateModified}"`),
    );
  } finally {
    await t.close();
  }
});

describe('a token not cached: read from the store, then answered by the lane as Fastify answers', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startTestApp();
    port = await listenOnLoopback(t);
  });
  after(() => t.close());

  /** Sends `token` once through the lane (not cached: the cache is dropped first), once through Fastify. */
  async function bothPaths(method: string, token: string): Promise<[OrderedAnswer, OrderedAnswer]> {
    t.app.tokend.authenticator.invalidate();
    const before = { ...t.app.fastLane! };
    const misses = t.app.tokend.authenticator.counts.tokenCache.misses;
    const fast = await orderedRequest(port, method, ME, bearer(token));
    assert.deepEqual(t.app.fastLane, { answered: before.answered + 1, handedOn: before.handedOn }, 'answered by the lane');
    assert.equal(t.app.tokend.authenticator.counts.tokenCache.misses, misses + 1, 'read from the store');
    t.app.tokend.authenticator.invalidate();
    const routed = await orderedRequest(port, method, `${ME}?`, bearer(token));
    assert.deepEqual(t.app.fastLane, { answered: before.answered + 1, handedOn: before.handedOn }, 'answered by Fastify');
    return [fast, routed];
  }

  for (const method of ['GET', 'HEAD']) {
    test(`${method}, a good token: 200, then cached`, async () => {
      const token = await t.token(clients.passwordApp, users.alice);
      const [fast, routed] = await bothPaths(method, token);
      assert.deepEqual([fast.status, routed.status], [200, 200]);
      assert.equal(fast.body, routed.body, 'the same bytes');
      assert.deepEqual(comparable(fast), comparable(routed));
      const misses = t.app.tokend.authenticator.counts.tokenCache.misses;
      assert.equal((await orderedRequest(port, method, ME, bearer(token))).status, 200);
      assert.equal(t.app.tokend.authenticator.counts.tokenCache.misses, misses, 'cached by the read');
    });

    test(`${method}, an unknown token and a revoked one: 401 bad.credentials`, async () => {
      const revoked = await t.token(clients.plain);
      assert.equal((await orderedRequest(port, 'DELETE', ME, bearer(revoked))).status, 200);
      for (const token of ['x'.repeat(43), revoked]) {
        const [fast, routed] = await bothPaths(method, token);
        assert.deepEqual([fast.status, routed.status], [401, 401]);
        assert.equal(headerOf(fast, 'www-authenticate'), 'Bearer realm="tokend", error="invalid_token"');
        assert.deepEqual(comparable(fast), comparable(routed));
        const id = headerOf(fast, 'inin-correlation-id')!;
        assert.equal(fast.body, method === 'HEAD' ? '' : routed.body.replace(headerOf(routed, 'inin-correlation-id')!, id));
      }
    });
  }

  test('requests racing for one token not cached: each answered once and counted once', async () => {
    const token = await t.token(clients.plain);
    t.app.tokend.authenticator.invalidate();
    const before = { ...t.app.fastLane! };
    const answers = await Promise.all(Array.from({ length: 20 }, () => orderedRequest(port, 'GET', ME, bearer(token))));
    assert.deepEqual(
      answers.map((answer) => answer.status),
      Array(20).fill(200),
    );
    assert.deepEqual(t.app.fastLane, { answered: before.answered + 20, handedOn: before.handedOn });
    assert.equal(new Set(answers.map((answer) => headerOf(answer, 'inin-ratelimit-count'))).size, 20, 'each counted once');
  });
});

describe('hands every other case to Fastify', () => {
  let t: TestApp;
  let port: number;
  before(async () => {
    t = await startTestApp({ rateLimitPerMinute: 3 });
    port = await listenOnLoopback(t);
  });
  after(() => t.close());

  /** Sends, and asserts the lane did not answer. */
  async function handedOn(method: string, path: string, headers: Record<string, string>): Promise<OrderedAnswer> {
    const answered = t.app.fastLane!.answered;
    const answer = await orderedRequest(port, method, path, headers);
    assert.equal(t.app.fastLane!.answered, answered, 'not answered by the lane');
    return answer;
  }

  test('no token, another scheme', async () => {
    const none = await handedOn('GET', ME, {});
    assert.equal(none.status, 401);
    assert.equal(JSON.parse(none.body).code, 'authentication.required');
    assert.equal((await handedOn('HEAD', ME, { authorization: 'Basic abc' })).status, 401);
  });

  test('a token longer than any is refused without a store read: by the lane, as Fastify refuses it', async () => {
    const answered = t.app.fastLane!.answered;
    const fast = await orderedRequest(port, 'GET', ME, bearer('x'.repeat(600)));
    const routed = await orderedRequest(port, 'GET', `${ME}?`, bearer('x'.repeat(600)));
    assert.equal(t.app.fastLane!.answered, answered + 1);
    assert.deepEqual([fast.status, routed.status], [401, 401]);
    assert.equal(JSON.parse(fast.body).code, 'bad.credentials');
    assert.deepEqual(comparable(fast), comparable(routed));
  });

  test('over the rate limit: 429 from Fastify, counted once', async () => {
    const token = await t.token(clients.plain);
    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(headerOf(await orderedRequest(port, 'HEAD', ME, bearer(token)), 'inin-ratelimit-count'));
    assert.deepEqual(counts, ['1', '2', '3']);
    const limited = await handedOn('GET', ME, bearer(token));
    assert.equal(limited.status, 429);
    assert.equal(JSON.parse(limited.body).code, 'too.many.requests.retry.after');
    assert.equal(headerOf(limited, 'inin-ratelimit-count'), '3');
    assert.match(headerOf(limited, 'retry-after')!, /^\d+$/);
  });

  test('an Origin header (CORS), a query string, another method', async () => {
    const token = await t.token(clients.passwordApp, users.bob);
    await orderedRequest(port, 'GET', ME, bearer(token));
    const cors = await handedOn('GET', ME, { ...bearer(token), origin: 'https://app.example' });
    assert.equal(cors.status, 200);
    assert.equal(headerOf(cors, 'access-control-allow-origin'), 'https://app.example');
    const bad = await handedOn('GET', `${ME}?preserveIdleTTL=maybe`, bearer(token));
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).code, 'invalid.query.param.value');
    assert.equal((await handedOn('POST', ME, bearer(token))).status, 404);
  });
});

test('a request through the lane writes the access line Fastify writes (a 200 and a 401), without the token', async () => {
  const log = captureLog();
  const t = await startTestApp({ logger: { level: 'info', stream: log.stream }, slowRequestMs: 3_600_000 });
  try {
    const port = await listenOnLoopback(t);
    const token = await t.token(clients.plain);
    await orderedRequest(port, 'GET', ME, bearer(token));
    const answered = t.app.fastLane!.answered;
    log.clear();
    const fast = await orderedRequest(port, 'GET', ME, bearer(token));
    assert.equal(t.app.fastLane!.answered, answered + 1);
    // A query string takes the request to Fastify.
    const slow = await orderedRequest(port, 'GET', `${ME}?preserveIdleTTL=false`, bearer(token));
    assert.equal(t.app.fastLane!.answered, answered + 1);
    const records = log.lines();
    assert.equal(records.length, 2, log.text());
    const [lane, fastify] = records.map(({ time, responseTime, ...rest }) => {
      assert.equal(typeof time, 'number');
      assert.equal(typeof responseTime, 'number');
      return rest;
    });
    const expected = { level: 30, pid: process.pid, method: 'GET', route: ME, statusCode: 200, client: clients.plain.id, msg: 'request completed' };
    assert.deepEqual(lane, { ...expected, hostname: lane!.hostname, reqId: headerOf(fast, 'inin-correlation-id') });
    assert.deepEqual(fastify, { ...expected, hostname: lane!.hostname, reqId: headerOf(slow, 'inin-correlation-id') });
    assert.deepEqual(Object.keys(records[0]!), Object.keys(records[1]!), 'the same keys, in the same order');

    // Revoked: the lane's 401 and Fastify's are logged alike, with no client (nobody was authenticated).
    assert.equal((await orderedRequest(port, 'DELETE', ME, bearer(token))).status, 200);
    log.clear();
    const refusedFast = await orderedRequest(port, 'GET', ME, bearer(token));
    assert.equal(t.app.fastLane!.answered, answered + 2);
    const refusedSlow = await orderedRequest(port, 'GET', `${ME}?preserveIdleTTL=false`, bearer(token));
    assert.deepEqual([refusedFast.status, refusedSlow.status], [401, 401]);
    const refusals = log.lines().map(({ time, responseTime, hostname, ...rest }) => rest);
    assert.deepEqual(Object.keys(log.lines()[0]!), Object.keys(log.lines()[1]!), 'the same keys, in the same order');
    const refused = { level: 30, pid: process.pid, method: 'GET', route: ME, statusCode: 401, msg: 'request completed' };
    assert.deepEqual(refusals, [
      { ...refused, reqId: headerOf(refusedFast, 'inin-correlation-id') },
      { ...refused, reqId: headerOf(refusedSlow, 'inin-correlation-id') },
    ]);
    assert.ok(!log.text().includes(token), 'the token is not logged');
  } finally {
    await t.close();
  }
});
