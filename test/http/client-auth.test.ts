/**
 * Client authentication at /oauth/token (issue 13 items 3 and 4, issue 22 items 2 and 6;
 * CONTRACT.md, "Sign-in and client-authentication throttling"): a wrong secret costs what an
 * unknown client costs; failures are reserved and throttled per client per address, per address
 * and per client, with unknown ids exactly like known ones; a cap answers 429 whatever the
 * secret, a remembered one included, and past a client's cap from all addresses only the
 * addresses it authenticated from in the last 30 days are checked; the slow hashes run in a
 * bounded queue that keeps places for known callers; nothing a caller sends stays in memory.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import type { SlowHashLimits } from '../../src/core/throttle/slow-hash-queue.js';
import { buildApp } from '../../src/server/build-app.js';
import { basic, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { floodQueue } from '../helpers/flood.js';
import { scrape, seriesOf } from '../helpers/metrics.js';
import { rawRows } from '../helpers/raw-sql.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ slowHashes: { concurrency: 1, maxWaiting: 1000 } });
});
after(() => t.close());
afterEach(() => t.clock.advance(15 * 60_000));

const DAY = 24 * 3600_000;
const tokenRequest = (app: Pick<TestApp, 'inject'>, id: string, secret: string, remoteAddress: string) =>
  app.inject({
    method: 'POST',
    url: '/oauth/token',
    remoteAddress,
    headers: { authorization: basic(id, secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials',
  });
const INVALID_CLIENT = { error: 'invalid_client', description: 'authentication failed', error_description: 'authentication failed' };
const isInvalidClient = (r: LightMyRequestResponse) => r.statusCode === 401 && r.body === JSON.stringify(INVALID_CLIENT);
const isThrottled = (r: LightMyRequestResponse) =>
  r.statusCode === 429 &&
  r.json().error === 'invalid_client' &&
  /^too many failed client authentications; retry in \d+ seconds$/.test(r.json().error_description) &&
  Number(r.headers['retry-after']) > 0;
const isBusy = (r: LightMyRequestResponse) => r.statusCode === 429 && r.json().error === 'temporarily_unavailable' && r.headers['retry-after'] === '1';
/** Status and body, Retry-After aside: what a caller could tell two answers apart by. */
const shape = (r: LightMyRequestResponse) => `${r.statusCode} ${r.body.replace(/\d+ seconds/, 'N seconds')} ${r.headers['www-authenticate']}`;

async function timed(request: () => Promise<LightMyRequestResponse>): Promise<[LightMyRequestResponse, number]> {
  const started = process.hrtime.bigint();
  const response = await request();
  return [response, Number(process.hrtime.bigint() - started) / 1e6];
}
/**
 * Another tokend on the same database, as after a restart: nothing remembered in memory. (Not a
 * second startTestApp, whose close would drop the PostgreSQL database the first one still uses.)
 */
async function restartedNode(on: TestApp = t, slowHashes?: SlowHashLimits): Promise<Pick<TestApp, 'inject' | 'app'> & { close(): Promise<void> }> {
  const app = await buildApp({ database: on.database, logger: false, clock: on.clock, ...(slowHashes ? { slowHashes } : {}) });
  return { app, inject: (options) => app.inject(options), close: () => app.close() };
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
/** Store calls made so far, by operation (the metrics endpoint's count of each). */
async function storeCalls(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [labels, value] of Object.entries(seriesOf(await scrape(t), 'tokend_store_operation_duration_seconds_count'))) {
    counts[/operation="([^"]+)"/.exec(labels)?.[1] ?? labels] = value;
  }
  return counts;
}
/** The background jobs' calls (last use, the purge), which run on timers of their own. */
const BACKGROUND = new Set(['touchTokens', 'deleteExpired', 'deleteExpiredSignIns', 'deleteOldClientAddresses']);
const callsSince = (before: Record<string, number>, now: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(now).flatMap(([operation, n]) =>
      n === (before[operation] ?? 0) || BACKGROUND.has(operation) ? [] : [[operation, n - (before[operation] ?? 0)]],
    ),
  );

describe('a wrong secret costs what an unknown client costs', () => {
  test('a remembered client: right secret fast, wrong secret as slow as an unknown id (one scrypt each)', async () => {
    assert.equal((await tokenRequest(t, clients.plain.id, clients.plain.secret, '10.70.0.1')).statusCode, 200);
    const right: number[] = [];
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [ok, okMs] = await timed(() => tokenRequest(t, clients.plain.id, clients.plain.secret, `10.70.1.${i}`));
      assert.equal(ok.statusCode, 200);
      right.push(okMs);
      const [bad, badMs] = await timed(() => tokenRequest(t, clients.plain.id, `wrong-${i}`, `10.70.2.${i}`));
      assert.ok(isInvalidClient(bad), bad.body);
      wrong.push(badMs);
      const [none, noneMs] = await timed(() => tokenRequest(t, randomUUID(), `wrong-${i}`, `10.70.3.${i}`));
      assert.ok(isInvalidClient(none), none.body);
      unknown.push(noneMs);
    }
    // scrypt at N=2^15, r=8 needs 32 MiB of memory work: never under 10 ms; a digest comparison is microseconds.
    assert.ok(median(wrong) >= 10, `wrong secret ${median(wrong)} ms`);
    assert.ok(median(unknown) >= 10, `unknown id ${median(unknown)} ms`);
    assert.ok(median(wrong) / median(unknown) < 2 && median(unknown) / median(wrong) < 2, `wrong ${median(wrong)} ms, unknown ${median(unknown)} ms`);
    assert.ok(median(right) < median(wrong) / 3, `right ${median(right)} ms against wrong ${median(wrong)} ms`);
  });
});

describe('failed client authentication is throttled, unknown ids exactly like known ones', () => {
  test('30 parallel wrong secrets from one address: 5 invalid_client, 25 throttled, for a known client and an unknown id alike', async () => {
    const known = await Promise.all(Array.from({ length: 30 }, (_, i) => tokenRequest(t, clients.plain.id, `wrong-${i}`, '10.71.0.1')));
    const unknownId = randomUUID();
    const unknown = await Promise.all(Array.from({ length: 30 }, (_, i) => tokenRequest(t, unknownId, `wrong-${i}`, '10.71.0.2')));
    for (const answers of [known, unknown]) {
      assert.equal(answers.filter(isInvalidClient).length, 5);
      assert.equal(answers.filter(isThrottled).length, 25);
    }
    assert.deepEqual([...new Set(known.map(shape))].sort(), [...new Set(unknown.map(shape))].sort());
    const throttled = known.find(isThrottled) as LightMyRequestResponse;
    assert.equal(throttled.headers['retry-after'], '900');
    assert.equal(throttled.headers['cache-control'], 'no-store');
    assert.equal(throttled.headers['www-authenticate'], 'Basic realm="tokend"');
  });

  test('20 failures from one address across ids shut that address, not another', async () => {
    for (let i = 0; i < 20; i++) assert.ok(isInvalidClient(await tokenRequest(t, randomUUID(), 'x', '10.72.0.1')));
    assert.ok(isThrottled(await tokenRequest(t, randomUUID(), 'x', '10.72.0.1')));
    assert.ok(isInvalidClient(await tokenRequest(t, randomUUID(), 'x', '10.72.0.2')));
  });
});

describe('a cap answers 429 whatever the secret', () => {
  test("an address at its cap for a client gets 429 for the client's right secret too, remembered or not, until the window ends; other addresses do not", async () => {
    assert.equal((await tokenRequest(t, clients.admin.id, clients.admin.secret, '10.73.0.1')).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.ok(isInvalidClient(await tokenRequest(t, clients.admin.id, `wrong-${i}`, '10.73.0.1')));
    assert.ok(isThrottled(await tokenRequest(t, clients.admin.id, 'wrong', '10.73.0.1')));
    // The secret is remembered by this node and the address is the client's own: still 429.
    const right = await tokenRequest(t, clients.admin.id, clients.admin.secret, '10.73.0.1');
    assert.ok(isThrottled(right), right.body);
    assert.equal(shape(right), shape(await tokenRequest(t, clients.admin.id, 'wrong', '10.73.0.1')));
    // A node that never verified it (a restart) answers the same.
    const restarted = await restartedNode();
    try {
      assert.ok(isThrottled(await tokenRequest(restarted, clients.admin.id, clients.admin.secret, '10.73.0.1')));
    } finally {
      await restarted.close();
    }
    assert.equal((await tokenRequest(t, clients.admin.id, clients.admin.secret, '10.73.0.2')).statusCode, 200);
    t.clock.advance(15 * 60_000);
    assert.equal((await tokenRequest(t, clients.admin.id, clients.admin.secret, '10.73.0.1')).statusCode, 200);
  });

  test('guessing at line rate from a capped address learns nothing: 200 parallel guesses with the right secret among them, all 429', async () => {
    assert.equal((await tokenRequest(t, clients.globex.id, clients.globex.secret, '10.78.0.1')).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.ok(isInvalidClient(await tokenRequest(t, clients.globex.id, `wrong-${i}`, '10.78.0.2')));
    const guesses = Array.from({ length: 200 }, (_, i) => (i % 10 === 9 ? clients.globex.secret : `guess-${i}`));
    const answers = await Promise.all(guesses.map((secret) => tokenRequest(t, clients.globex.id, secret, '10.78.0.2')));
    assert.equal(answers.filter(isThrottled).length, 200, JSON.stringify(answers.filter((r) => !isThrottled(r)).map((r) => r.statusCode)));
  });

  test('a burst from a clean address with the right secret last: it is decided in turn with the guesses, at most 5 answers in all depend on the secret', async () => {
    assert.equal((await tokenRequest(t, clients.plain.id, clients.plain.secret, '10.79.0.1')).statusCode, 200);
    const guesses = [...Array.from({ length: 39 }, (_, i) => `guess-${i}`), clients.plain.secret];
    const answers = await Promise.all(guesses.map((secret) => tokenRequest(t, clients.plain.id, secret, '10.79.0.2')));
    const decided = answers.filter((r) => isInvalidClient(r) || r.statusCode === 200).length;
    assert.ok(decided <= 5, `${decided} answers told right from wrong`);
    assert.equal(answers.filter(isThrottled).length, 40 - decided);
  });

  test("past a client's cap from all addresses, only the addresses it authenticated from in the last 30 days are checked, after a restart too", async () => {
    const { id, secret } = clients.wildcard;
    assert.equal((await tokenRequest(t, id, secret, '10.74.9.2')).statusCode, 200);
    t.clock.advance(31 * DAY);
    assert.equal((await tokenRequest(t, id, secret, '10.74.9.1')).statusCode, 200);
    // 50 failures from ten addresses: the client's cap from all addresses together.
    for (let a = 0; a < 10; a++) for (let i = 0; i < 5; i++) assert.ok(isInvalidClient(await tokenRequest(t, id, `wrong-${i}`, `10.74.0.${a}`)));
    // Guesses from a fresh address each, the right secret among them: 429 every one, and no mark per address.
    const marks = t.app.tokend.clients.marks;
    const marked = marks.sizes.marked;
    for (let i = 0; i < 60; i++) assert.ok(isThrottled(await tokenRequest(t, id, i % 3 ? `guess-${i}` : secret, `10.74.2.${i}`)));
    assert.ok(marks.sizes.marked <= marked, `${marked} -> ${marks.sizes.marked} marks`);
    const restarted = await restartedNode();
    try {
      for (const node of [t, restarted]) {
        assert.ok(isThrottled(await tokenRequest(node, id, secret, '10.74.1.1')), 'an address never used');
        assert.ok(isThrottled(await tokenRequest(node, id, secret, '10.74.9.2')), 'an address used 31 days ago');
        assert.equal((await tokenRequest(node, id, secret, '10.74.9.1')).statusCode, 200, 'the address it used this month');
      }
      // Still checked there, within its own caps: a wrong secret is a verdict.
      assert.ok(isInvalidClient(await tokenRequest(restarted, id, 'wrong', '10.74.9.1')));
    } finally {
      await restarted.close();
    }
  });

  test("a service's first 20 parallel requests after a start share one check: all 20 get tokens", async () => {
    const restarted = await restartedNode();
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, () => tokenRequest(restarted, clients.globex.id, clients.globex.secret, '10.75.0.1')));
      assert.deepEqual(
        answers.map((r) => r.statusCode),
        Array(20).fill(200),
      );
    } finally {
      await restarted.close();
    }
  });

  test('a remembered secret while failures may be unheard of (the first window after a start): 20 parallel requests from a fresh address all get tokens, and none is counted', async () => {
    const restarted = await restartedNode();
    try {
      assert.equal((await tokenRequest(restarted, clients.globex.id, clients.globex.secret, '10.75.1.1')).statusCode, 200);
      const answers = await Promise.all(Array.from({ length: 20 }, () => tokenRequest(restarted, clients.globex.id, clients.globex.secret, '10.75.1.2')));
      assert.deepEqual(
        answers.map((r) => r.statusCode),
        Array(20).fill(200),
      );
      // Nothing was left counted there: five wrong secrets are five verdicts, the sixth is throttled.
      for (let i = 0; i < 5; i++) assert.ok(isInvalidClient(await tokenRequest(restarted, clients.globex.id, `wrong-${i}`, '10.75.1.2')));
      assert.ok(isThrottled(await tokenRequest(restarted, clients.globex.id, clients.globex.secret, '10.75.1.2')));
    } finally {
      await restarted.close();
    }
  });
});

describe('two nodes on one store', () => {
  test("failures counted on one node close the other's remembered secret at once: 429 there too, from that address only", async () => {
    const { id, secret } = clients.admin;
    const b = await restartedNode();
    try {
      for (const from of ['10.81.0.1', '10.81.0.2']) for (let i = 0; i < 3; i++) assert.equal((await tokenRequest(b, id, secret, from)).statusCode, 200);
      for (let i = 0; i < 5; i++) assert.ok(isInvalidClient(await tokenRequest(t, id, `wrong-${i}`, '10.81.0.1')));
      // On PostgreSQL the failures reach B as a notification; on SQLite B sees another connection wrote.
      await otherNodeChange();
      assert.ok(isThrottled(await tokenRequest(b, id, secret, '10.81.0.1')));
      assert.equal((await tokenRequest(b, id, secret, '10.81.0.2')).statusCode, 200);
    } finally {
      await b.close();
    }
  });
});

describe('issuance stays as fast', () => {
  test('a right secret from an address without failures costs no store call but the token; the address is written once a day', async () => {
    const from = '10.80.0.1';
    assert.equal((await tokenRequest(t, clients.plain.id, clients.plain.secret, from)).statusCode, 200);
    const before = await storeCalls();
    for (let i = 0; i < 20; i++) assert.equal((await tokenRequest(t, clients.plain.id, clients.plain.secret, from)).statusCode, 200);
    assert.deepEqual(callsSince(before, await storeCalls()), { insertToken: 20 });
    const stored = () =>
      rawRows<{ last_success_ms: string | number }>(t.database, 'SELECT last_success_ms FROM client_addresses WHERE client_id = ? AND address = ?', [
        clients.plain.id,
        from,
      ]);
    const first = Number((await stored())[0]?.last_success_ms);
    t.clock.advance(DAY + 1);
    const nextDay = await storeCalls();
    for (let i = 0; i < 5; i++) assert.equal((await tokenRequest(t, clients.plain.id, clients.plain.secret, from)).statusCode, 200);
    assert.deepEqual(callsSince(nextDay, await storeCalls()), { insertToken: 5, rememberClientAddress: 1 });
    assert.equal(Number((await stored())[0]?.last_success_ms), first + DAY + 1);
  });
});

describe('the queue of slow hashes', () => {
  const limits = { concurrency: 1, maxWaiting: 3, knownWaiting: 4 };
  let small: TestApp;
  before(async () => {
    small = await startTestApp({ slowHashes: limits });
  });
  after(() => small.close());

  test('a burst of wrong secrets from many addresses: 4 checked, the rest 429 with Retry-After at once, none 5xx', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => tokenRequest(small, randomUUID(), 'x', `10.76.0.${i}`)));
    assert.equal(answers.filter(isInvalidClient).length, 4);
    const busy = answers.filter((r) => r.statusCode === 429);
    assert.equal(busy.length, 36);
    for (const r of busy) assert.ok(isBusy(r), r.body);
    assert.equal(small.app.tokend.slowHashes.taken, 0);
  });

  test("during such a burst a service's first login after a restart, from an address it used before, gets in: it has places of its own", async () => {
    assert.equal((await tokenRequest(small, clients.plain.id, clients.plain.secret, '10.77.9.1')).statusCode, 200);
    // A restarted node knows neither the secret nor the address: both are checked, the address in the store.
    const restarted = await restartedNode(small, limits);
    try {
      let sent = 0;
      const flood = await floodQueue(restarted.app.tokend.slowHashes, 4, () => tokenRequest(restarted, randomUUID(), 'x', `10.77.0.${++sent % 200}`));
      const [service, stranger] = await Promise.all([
        tokenRequest(restarted, clients.plain.id, clients.plain.secret, '10.77.9.1'),
        tokenRequest(restarted, clients.plain.id, clients.plain.secret, '10.77.9.2'),
      ]);
      const answers = await flood.stop();
      assert.equal(service.statusCode, 200, service.body);
      assert.ok(isBusy(stranger), 'the same secret from an address never used waits like anyone');
      assert.ok(answers.some(isBusy), 'the flood filled the queue');
    } finally {
      await restarted.close();
    }
  });
});

describe('nothing a caller sends stays in memory', () => {
  test('a flood of 3,000 unknown client ids: no directory entry, no remembered secret or address, one mark per address', async () => {
    const { directory, clients: auth } = t.app.tokend;
    const before = { ...directory.sizes, verified: auth.verified.size, addresses: auth.addresses.entries.size };
    const marksBefore = auth.marks.sizes.marked;
    for (let i = 0; i < 3000; i++) {
      const response = await tokenRequest(t, `flood-${i}-${'x'.repeat(200)}`, 'x', '10.77.0.1');
      assert.ok(isInvalidClient(response) || isThrottled(response), response.body);
    }
    for (let i = 0; i < 200; i++) {
      const response = await t.inject({
        method: 'GET',
        url: `/oauth/authorize?client_id=flood-${i}&redirect_uri=x&response_type=code`,
        remoteAddress: '10.77.0.2',
      });
      assert.ok(response.statusCode < 500);
    }
    // Nothing grew (a change made through another connection may have emptied the directory meanwhile).
    const afterFlood = { ...directory.sizes, verified: auth.verified.size, addresses: auth.addresses.entries.size };
    for (const [name, size] of Object.entries(afterFlood))
      assert.ok(size <= before[name as keyof typeof before], `${name}: ${before[name as keyof typeof before]} -> ${size}`);
    assert.ok(auth.marks.sizes.marked - marksBefore <= 1, `${marksBefore} -> ${auth.marks.sizes.marked} marks`);
    assert.ok(auth.verified.size <= auth.verified.capacity && auth.addresses.entries.size <= auth.addresses.entries.capacity);
  });
});
