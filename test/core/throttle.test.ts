/** The pieces of the throttles (issue 13 items 2-4): address grouping, bounded maps, the queue of slow hashes, trusted proxies. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { proxyList } from '../../src/config.js';
import { BoundedMap } from '../../src/core/bounded-map.js';
import { SlowHashBusyError } from '../../src/core/errors.js';
import { callerAddress } from '../../src/core/throttle/caller-address.js';
import { ManualClock } from '../../src/core/clock.js';
import { FailureMarks } from '../../src/core/throttle/failure-marks.js';
import { SlowHashQueue } from '../../src/core/throttle/slow-hash-queue.js';

describe('callerAddress', () => {
  test('IPv4 as it is; IPv4-mapped IPv6 as IPv4; IPv6 by its /64', () => {
    assert.equal(callerAddress('203.0.113.9'), '203.0.113.9');
    assert.equal(callerAddress('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(callerAddress('::FFFF:cb00:7109'), '203.0.113.9');
    assert.equal(callerAddress('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(callerAddress('2001:0db8:0001:0002::ffff'), '2001:db8:1:2::/64');
    assert.equal(callerAddress('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(callerAddress('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(callerAddress('::1'), '0:0:0:0::/64');
    assert.notEqual(callerAddress('2001:db8:0:1::1'), callerAddress('2001:db8:0:2::1'));
  });

  test('anything else is one "unknown" caller', () => {
    assert.equal(callerAddress(undefined), 'unknown');
    assert.equal(callerAddress(''), 'unknown');
    assert.equal(callerAddress('not an address'), 'unknown');
  });
});

describe('BoundedMap', () => {
  test('holds at most its capacity, forgetting the oldest entry first', () => {
    const map = new BoundedMap<string, number>(3);
    for (let i = 0; i < 10_000; i++) map.set(`k${i}`, i);
    assert.equal(map.size, 3);
    assert.equal(map.get('k9996'), undefined);
    assert.deepEqual([map.get('k9997'), map.get('k9998'), map.get('k9999')], [9997, 9998, 9999]);
    map.set('k9997', 0);
    assert.equal(map.size, 3, 'replacing a key forgets nothing');
    assert.throws(() => new BoundedMap(0), /positive whole number/);
  });
});

describe('SlowHashQueue', () => {
  test('runs at most `concurrency` at once, lets `maxWaiting` wait, turns the rest away at once', async () => {
    const queue = new SlowHashQueue({ concurrency: 2, maxWaiting: 3 });
    let running = 0;
    let most = 0;
    const work = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return 'done';
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 9 }, () => queue.run(work)));
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 5);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    assert.equal(refused.length, 4);
    for (const o of refused) assert.ok(o.reason instanceof SlowHashBusyError);
    assert.equal(most, 2);
    assert.equal(queue.taken, 0);
  });

  test('a place taken and left frees itself; a place is used once; a failing hash frees its place', async () => {
    const queue = new SlowHashQueue({ concurrency: 1, maxWaiting: 0 });
    const place = queue.enter();
    assert.throws(() => queue.enter(), SlowHashBusyError);
    place.leave();
    assert.throws(() => place.leave(), /used once/);
    await assert.rejects(
      queue.run(() => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(queue.taken, 0);
    assert.equal(await queue.run(async () => 1), 1);
  });
});

describe('SlowHashQueue: places kept for known callers', () => {
  test('known callers have places of their own beyond the others, and run before anyone who waits', async () => {
    const queue = new SlowHashQueue({ concurrency: 1, maxWaiting: 1, knownWaiting: 2 });
    const order: string[] = [];
    let release = () => {};
    const first = queue.run(() => new Promise<void>((resolve) => (release = resolve)), false);
    const waiting = queue.run(async () => order.push('unknown'), false);
    assert.throws(() => queue.enter(false), SlowHashBusyError, 'the places open to anyone are taken');
    const known = [queue.run(async () => order.push('known 1'), true), queue.run(async () => order.push('known 2'), true)];
    assert.throws(() => queue.enter(true), SlowHashBusyError, 'and then the known ones');
    release();
    await Promise.all([first, waiting, ...known]);
    assert.deepEqual(order, ['known 1', 'known 2', 'unknown']);
    assert.equal(queue.taken, 0);
    assert.equal(queue.refused, 2);
  });
});

describe('FailureMarks', () => {
  const WINDOW = 15 * 60_000;
  const setUp = (capacity?: number) => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const changes = { version: 1, changeVersion: () => changes.version };
    return { clock, changes, marks: new FailureMarks(changes, clock, WINDOW, capacity) };
  };

  test('unknown for a window after start, clean once a reservation saw it so, marked by a failure until its window ends', () => {
    const { clock, marks } = setUp();
    assert.equal(marks.state('a'), 'unknown', 'failures may have been counted before this node started');
    marks.seenClean('a', marks.epoch);
    assert.equal(marks.state('a'), 'clean');
    assert.equal(marks.state('b'), 'unknown');
    clock.advance(WINDOW);
    assert.equal(marks.state('b'), 'clean');
    marks.mark('b');
    clock.advance(WINDOW - 1);
    assert.equal(marks.state('b'), 'marked');
    clock.advance(1);
    assert.equal(marks.state('b'), 'clean');
  });

  test('an attempt in flight marks its keys until it ends; another process writing makes everything unknown again', () => {
    const { clock, changes, marks } = setUp();
    clock.advance(WINDOW);
    const ended = marks.attempt(['a', 'b']);
    assert.ok(!marks.allClean(['a']) && !marks.allClean(['c', 'b']));
    ended();
    ended();
    assert.ok(marks.allClean(['a', 'b', 'c']));
    const epoch = marks.epoch;
    changes.version++;
    assert.equal(marks.state('a'), 'unknown');
    marks.seenClean('a', epoch);
    assert.equal(marks.state('a'), 'unknown', 'a reservation made before the change proves nothing after it');
    marks.seenClean('a', marks.epoch);
    assert.equal(marks.state('a'), 'clean');
  });

  test('bounded: a mark forgotten to make room leaves every key unknown until it would have ended', () => {
    const { clock, marks } = setUp(2);
    clock.advance(WINDOW);
    marks.mark('a');
    clock.advance(60_000);
    marks.mark('b');
    marks.mark('c');
    assert.equal(marks.sizes.marked, 2);
    assert.equal(marks.state('a'), 'unknown');
    assert.equal(marks.state('z'), 'unknown');
    clock.advance(WINDOW - 60_000);
    assert.equal(marks.state('z'), 'clean');
    assert.equal(marks.state('b'), 'marked');
  });
});

describe('TOKEND_TRUSTED_PROXIES', () => {
  test('addresses, CIDR blocks and proxy-addr names; anything else stops start-up naming the setting', () => {
    assert.deepEqual(proxyList('TOKEND_TRUSTED_PROXIES', undefined), []);
    assert.deepEqual(proxyList('TOKEND_TRUSTED_PROXIES', ' 10.0.0.1, 10.1.0.0/16,fd00::/8 ,loopback'), ['10.0.0.1', '10.1.0.0/16', 'fd00::/8', 'loopback']);
    for (const bad of ['10.0.0.1/33', 'proxy.example', '10.0.0.0/8/1', '::1/129', '']) {
      assert.throws(() => proxyList('TOKEND_TRUSTED_PROXIES', `10.0.0.1,${bad}`), /^Error: TOKEND_TRUSTED_PROXIES: ".*" is not valid: expected an IP address/);
    }
  });
});
