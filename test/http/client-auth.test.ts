/**
 * Client authentication at /oauth/token (issue 13 items 3 and 4; CONTRACT.md, "Sign-in and
 * client-authentication throttling"): a wrong secret costs what an unknown client costs;
 * failures are reserved and throttled per client per address, per address and per client, with
 * unknown ids exactly like known ones; a right secret is accepted whenever it can be verified;
 * the slow hashes run in a bounded queue; nothing a caller sends stays in memory.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { PROBES_PER_SECOND } from '../../src/core/client-auth.js';
import { buildApp } from '../../src/server/build-app.js';
import { basic, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ slowHashes: { concurrency: 1, maxWaiting: 1000 } });
});
after(() => t.close());
afterEach(() => t.clock.advance(15 * 60_000));

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
async function restartedNode(): Promise<Pick<TestApp, 'inject'> & { close(): Promise<void> }> {
  const app = await buildApp({ database: t.database, logger: false, clock: t.clock });
  return { inject: (options) => app.inject(options), close: () => app.close() };
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

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

  test('the right secret of a remembered client is accepted at once, whatever the counts', async () => {
    assert.equal((await tokenRequest(t, clients.admin.id, clients.admin.secret, '10.73.0.1')).statusCode, 200);
    for (let i = 0; i < 6; i++) await tokenRequest(t, clients.admin.id, `wrong-${i}`, '10.73.0.1');
    assert.ok(isThrottled(await tokenRequest(t, clients.admin.id, 'wrong', '10.73.0.1')));
    assert.equal((await tokenRequest(t, clients.admin.id, clients.admin.secret, '10.73.0.1')).statusCode, 200);
  });

  test('past every cap, a right secret not remembered (after a restart) still gets in: checked once a second per client id', async () => {
    // 50 failures from ten addresses: the client's cap from all addresses together.
    for (let a = 0; a < 10; a++)
      for (let i = 0; i < 5; i++) assert.ok(isInvalidClient(await tokenRequest(t, clients.wildcard.id, `wrong-${i}`, `10.74.0.${a}`)));
    const restarted = await restartedNode();
    try {
      // A wrong secret past the cap is checked too (a probe) and answered 429.
      assert.ok(isThrottled(await tokenRequest(restarted, clients.wildcard.id, 'wrong', '10.74.1.1')));
      // Within the same second no second check runs: 429 whatever the secret.
      assert.ok(isThrottled(await tokenRequest(restarted, clients.wildcard.id, clients.wildcard.secret, '10.74.1.2')));
      t.clock.advance(1000);
      assert.equal((await tokenRequest(restarted, clients.wildcard.id, clients.wildcard.secret, '10.74.1.2')).statusCode, 200);
      // Remembered from then on: at once.
      assert.equal((await tokenRequest(restarted, clients.wildcard.id, clients.wildcard.secret, '10.74.1.3')).statusCode, 200);
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
});

describe('the queue of slow hashes', () => {
  let small: TestApp;
  before(async () => {
    small = await startTestApp({ slowHashes: { concurrency: 1, maxWaiting: 3 } });
  });
  after(() => small.close());

  test('a burst of wrong secrets from many addresses: 4 checked, the rest 429 with Retry-After at once, none 5xx', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => tokenRequest(small, randomUUID(), 'x', `10.76.0.${i}`)));
    assert.equal(answers.filter(isInvalidClient).length, 4);
    const busy = answers.filter((r) => r.statusCode === 429);
    assert.equal(busy.length, 36);
    for (const r of busy) {
      assert.equal(r.json().error, 'temporarily_unavailable');
      assert.equal(r.headers['retry-after'], '1');
    }
    assert.equal(small.app.tokend.slowHashes.taken, 0);
  });
});

describe('nothing a caller sends stays in memory', () => {
  test('a flood of 3,000 unknown client ids: no directory entry, no remembered secret, probes bounded', async () => {
    const { directory, clients: auth } = t.app.tokend;
    const before = { ...directory.sizes, verified: auth.verified.size };
    const probesBefore = auth.probes.size;
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
    const afterFlood = { ...directory.sizes, verified: auth.verified.size };
    for (const [name, size] of Object.entries(afterFlood))
      assert.ok(size <= before[name as keyof typeof before], `${name}: ${before[name as keyof typeof before]} -> ${size}`);
    // The clock stood still: at most one second's worth of probes past the caps.
    assert.ok(auth.probes.size - probesBefore <= PROBES_PER_SECOND, `${probesBefore} -> ${auth.probes.size} probe clocks`);
    assert.ok(auth.probes.size <= auth.probes.capacity && auth.verified.size <= auth.verified.capacity);
  });
});
