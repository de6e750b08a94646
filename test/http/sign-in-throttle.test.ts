/**
 * Sign-in throttling (issue 13 items 1 and 2; CONTRACT.md, "Sign-in and client-authentication
 * throttling"): attempts reserved before the hash so parallel guesses count like sequential
 * ones; 5 per account per address, 20 per address, 50 per account; the right password from a
 * clean address or a known browser still gets in; trusted proxies and address grouping.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { basic, startTestApp, type TestApp } from '../helpers/app.js';
import { assertOAuthError, Browser, isConsentPage } from '../helpers/browser-flow.js';
import { clients, users } from '../helpers/fixture.js';
import { floodQueue } from '../helpers/flood.js';

let t: TestApp;
before(async () => {
  // Room in the queue of slow hashes for every parallel guess, so the counts alone decide (the
  // queue's own limit is tested below and in client-auth.test.ts).
  t = await startTestApp({ slowHashes: { concurrency: 1, maxWaiting: 1000 } });
});
after(() => t.close());
// Every test starts from empty counts: the windows of the one before are over.
afterEach(() => t.clock.advance(15 * 60_000));

const codeQuery = { client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri, response_type: 'code', state: 's' };
const signInPage = (browser: Browser) => browser.get(`/oauth/authorize?${new URLSearchParams(codeQuery)}`);
// A right password reaches the app (through the consent page, allowed, the first time).
const signIn = async (browser: Browser, user: { email: string; password: string }) => browser.signInAndAllow(await signInPage(browser), user);
const grantOn = (app: TestApp, user: { email: string; password: string }, remoteAddress: string, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/oauth/token',
    remoteAddress,
    headers: { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret), 'content-type': 'application/x-www-form-urlencoded', ...headers },
    payload: new URLSearchParams({ grant_type: 'password', username: user.email, password: user.password }).toString(),
  });
const passwordGrant = (user: { email: string; password: string }, remoteAddress: string, headers: Record<string, string> = {}) =>
  grantOn(t, user, remoteAddress, headers);
const wrong = (user: { email: string }, i = 0) => ({ email: user.email, password: `wrong-${i}` });
const isVerdict = (r: LightMyRequestResponse) => r.statusCode === 400 && r.json().error_description === 'invalid username or password';
const isThrottled = (r: LightMyRequestResponse) =>
  r.statusCode === 400 && /too many failed sign-ins/.test(r.json().error_description) && Number(r.headers['retry-after']) > 0;

describe('parallel guesses are counted exactly like sequential ones', () => {
  test('40 parallel wrong passwords for one account from one address: 5 verdicts, 35 throttled, and the right one among them is refused after', async () => {
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => passwordGrant(wrong(users.bob, i), '10.20.0.1')));
    assert.equal(answers.filter(isVerdict).length, 5);
    assert.equal(answers.filter(isThrottled).length, 35);
    assertOAuthError(await passwordGrant(users.bob, '10.20.0.1'), 400, 'invalid_grant', /too many failed sign-ins; retry in 900 seconds/);
    // Nobody else is shut out: the right password from another address gets in.
    assert.equal((await passwordGrant(users.bob, '10.20.0.2')).statusCode, 200);
  });

  test('12 parallel password grants with the right password from one address share one check: all get tokens, nothing is counted', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => passwordGrant(users.alice, '10.20.1.1')));
    assert.deepEqual(
      answers.map((r) => r.statusCode),
      Array(12).fill(200),
    );
    const guesses = await Promise.all(Array.from({ length: 6 }, (_, i) => passwordGrant(wrong(users.alice, i), '10.20.1.1')));
    assert.equal(guesses.filter(isVerdict).length, 5);
  });

  test('the right password racing 30 wrong ones from the same address does not clear the count for them', async () => {
    const guesses = Array.from({ length: 30 }, (_, i) => passwordGrant(wrong(users.carol, i), '10.21.0.1'));
    const answers = await Promise.all([...guesses, passwordGrant(users.carol, '10.21.0.1')]);
    const verdicts = answers.filter(isVerdict).length;
    const successes = answers.filter((r) => r.statusCode === 200).length;
    // All 31 reserve before any hash ends: five places in all, the right one's included if it got one.
    assert.ok(verdicts + successes <= 5 && successes <= 1, `verdicts ${verdicts}, successes ${successes}`);
    assert.equal(answers.filter(isThrottled).length, 31 - verdicts - successes);
  });

  test('60 parallel guesses across accounts from one address: exactly 20 verdicts, then every account is refused there', async () => {
    const answers = await Promise.all(Array.from({ length: 60 }, (_, i) => passwordGrant({ email: `nobody-${i}@acme.test`, password: 'x' }, '10.22.0.1')));
    assert.equal(answers.filter(isVerdict).length, 20);
    assert.equal(answers.filter(isThrottled).length, 40);
    assert.ok(isThrottled(await passwordGrant(users.alice, '10.22.0.1')));
    assert.equal((await passwordGrant(users.alice, '10.22.0.2')).statusCode, 200);
  });

  test('the sign-in page and the password grant share the counts; the page answers 429 with Retry-After', async () => {
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.alice, i), '10.23.0.1')));
    const there = new Browser(t, {}, '10.23.0.1');
    const refused = await signIn(there, users.alice);
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.headers['retry-after'], '900');
    assert.match(refused.body, /Too many failed sign-ins. Try again in 15 minutes./);
    assert.equal((await signIn(new Browser(t, {}, '10.23.0.2'), users.alice)).statusCode, 303);
  });
});

describe('nobody can lock a person out', () => {
  test('45 failures from 9 addresses: the right password from a tenth still gets in; at 50 in all the account is closed, and opens when the window ends', async () => {
    for (let a = 0; a < 9; a++) {
      for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.bob, i), `10.30.0.${a + 1}`)));
      assert.ok(isThrottled(await passwordGrant(wrong(users.bob), `10.30.0.${a + 1}`)));
    }
    assert.equal((await passwordGrant(users.bob, '10.30.1.1')).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.bob, i), '10.30.0.10')));
    // 50 failures from all addresses together: now the account refuses everyone, a right password included.
    assert.ok(isThrottled(await passwordGrant(users.bob, '10.30.2.1')));
    t.clock.advance(15 * 60_000);
    assert.equal((await passwordGrant(users.bob, '10.30.2.1')).statusCode, 200);
  });

  test('a success clears its own address count, never the account count or another address', async () => {
    for (let i = 0; i < 4; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.carol, i), '10.31.0.1')));
    for (let i = 0; i < 4; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.carol, i), '10.31.0.2')));
    assert.equal((await passwordGrant(users.carol, '10.31.0.1')).statusCode, 200);
    // Its own address starts again at 0: five more verdicts there.
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.carol, i), '10.31.0.1')));
    assert.ok(isThrottled(await passwordGrant(wrong(users.carol), '10.31.0.1')));
    // The other address keeps its four: one more verdict, then refused.
    assert.ok(isVerdict(await passwordGrant(wrong(users.carol), '10.31.0.2')));
    assert.ok(isThrottled(await passwordGrant(users.carol, '10.31.0.2')));
  });

  test('a browser that signed in before keeps getting in from an address an attacker has shut', async () => {
    const known = new Browser(t, {}, '10.32.0.1');
    assert.equal((await signIn(known, users.alice)).statusCode, 303);
    const device = known.jar.lastSetCookie.find((line) => line.startsWith('tokend_device='));
    assert.match(device ?? '', /^tokend_device=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=31536000; HttpOnly; SameSite=Lax$/);
    known.jar.cookies.delete('tokend_session');
    // From the same address: 5 guesses at alice and 15 at others shut the address for everyone.
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.alice, i), '10.32.0.1')));
    for (let i = 0; i < 15; i++) assert.ok(isVerdict(await passwordGrant({ email: `nobody-${i}@acme.test`, password: 'x' }, '10.32.0.1')));
    assert.equal((await signIn(new Browser(t, {}, '10.32.0.1'), users.alice)).statusCode, 429);
    assert.equal((await signIn(known, users.alice)).statusCode, 303);
  });

  test("a person's own browser still gets in once the account is closed to everyone else at 50 failures; it has its own 5", async () => {
    const known = new Browser(t, {}, '10.34.0.1');
    assert.equal((await signIn(known, users.carol)).statusCode, 303);
    known.jar.cookies.delete('tokend_session');
    for (let a = 0; a < 10; a++) for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.carol, i), `10.34.1.${a}`)));
    assert.ok(isThrottled(await passwordGrant(users.carol, '10.34.2.1')), 'closed at 50 to a fresh address');
    assert.equal((await signIn(new Browser(t, {}, '10.34.0.1'), users.carol)).statusCode, 429, 'and to another browser at the same address');
    assert.equal((await signIn(known, users.carol)).statusCode, 303);
    known.jar.cookies.delete('tokend_session');
    // Its own wrong guesses are counted by its cookie: five, then 429 for it too.
    for (let i = 0; i < 5; i++) assert.equal((await known.submitSignIn(await signInPage(known), wrong(users.carol, i))).statusCode, 401);
    assert.equal((await signIn(known, users.carol)).statusCode, 429);
  });

  test('a device cookie counts only for its own account', async () => {
    const known = new Browser(t, {}, '10.33.0.1');
    assert.equal((await signIn(known, users.alice)).statusCode, 303);
    known.jar.cookies.delete('tokend_session');
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.bob, i), '10.33.0.1')));
    assert.equal((await signIn(known, users.bob)).statusCode, 429);
  });
});

describe('who the caller is', () => {
  test('IPv6 callers are counted by their /64; IPv4-mapped addresses as IPv4', async () => {
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.bob, i), `2001:db8:0:7::${i + 1}`)));
    assert.ok(isThrottled(await passwordGrant(users.bob, '2001:db8:0:7:ffff::99')));
    assert.equal((await passwordGrant(users.bob, '2001:db8:0:8::1')).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.carol, i), '::ffff:10.40.0.1')));
    assert.ok(isThrottled(await passwordGrant(users.carol, '10.40.0.1')));
  });

  test('X-Forwarded-For from an untrusted caller changes nothing', async () => {
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await passwordGrant(wrong(users.alice, i), '10.41.0.1', { 'x-forwarded-for': `10.41.9.${i}` })));
    assert.ok(isThrottled(await passwordGrant(users.alice, '10.41.0.1', { 'x-forwarded-for': '10.41.9.99' })));
  });
});

describe('behind a trusted proxy', () => {
  let proxied: TestApp;
  before(async () => {
    proxied = await startTestApp({ trustedProxies: ['10.50.0.1'] });
  });
  after(() => proxied.close());
  const grant = (user: { email: string; password: string }, headers: Record<string, string>) => grantOn(proxied, user, '10.50.0.1', headers);

  test('X-Forwarded-For names the caller: guesses behind the proxy shut one caller, not the proxy', async () => {
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await grant(wrong(users.bob, i), { 'x-forwarded-for': '198.51.100.7' })));
    assert.ok(isThrottled(await grant(users.bob, { 'x-forwarded-for': '198.51.100.7' })));
    assert.equal((await grant(users.bob, { 'x-forwarded-for': '198.51.100.8' })).statusCode, 200);
  });

  test('X-Forwarded-Proto from the proxy makes cookies Secure; from anyone else it does not', async () => {
    const viaProxy = new Browser(proxied, { 'x-forwarded-proto': 'https' }, '10.50.0.1');
    await signInPage(viaProxy);
    assert.match(viaProxy.jar.lastSetCookie.find((line) => line.startsWith('tokend_csrf=')) ?? '', /; HttpOnly; SameSite=Lax; Secure$/);
    const direct = new Browser(proxied, { 'x-forwarded-proto': 'https' }, '10.50.0.2');
    await signInPage(direct);
    assert.match(direct.jar.lastSetCookie.find((line) => line.startsWith('tokend_csrf=')) ?? '', /; HttpOnly; SameSite=Lax$/);
  });
});

describe('the queue of slow hashes (at its default size)', () => {
  let busyApp: TestApp;
  before(async () => {
    busyApp = await startTestApp({ slowHashes: { concurrency: 1, maxWaiting: 4 } });
  });
  after(() => busyApp.close());

  test("during a flood of wrong passwords that fills the queue, a person's own browser gets in: it has places of its own", async () => {
    const known = new Browser(busyApp, {}, '10.61.0.1');
    const page = () => known.get(`/oauth/authorize?${new URLSearchParams(codeQuery)}`);
    // Signed in: the consent page follows (Bob has not allowed the app), no redirect yet.
    assert.ok(isConsentPage(await known.submitSignIn(await page(), users.bob)));
    known.jar.cookies.delete('tokend_session');
    const form = await page();
    // The client's secret is remembered first, so that only the passwords wait in the queue.
    assert.equal((await grantOn(busyApp, { email: 'nobody@acme.test', password: 'x' }, '10.61.1.0')).statusCode, 400);
    const strangerBrowser = new Browser(busyApp, {}, '10.61.2.1');
    const strangerForm = await signInPage(strangerBrowser);
    let sent = 0;
    const flood = await floodQueue(busyApp.app.tokend.slowHashes, 5, () =>
      grantOn(busyApp, { email: `nobody-${sent}@acme.test`, password: 'x' }, `10.61.1.${++sent % 200}`),
    );
    const [own, stranger] = await Promise.all([known.submitSignIn(form, users.bob), strangerBrowser.submitSignIn(strangerForm, users.bob)]);
    const answers = await flood.stop();
    assert.ok(answers.filter((r) => r.statusCode === 429).length > 0, 'the flood filled the queue');
    assert.ok(isConsentPage(own), `signed in: ${own.statusCode}`);
    assert.equal(stranger.statusCode, 429, 'a browser without the cookie waits like anyone');
  });

  test('past its places a guess is turned away with 429 and Retry-After, counted as nothing', async () => {
    const grant = (i: number) => grantOn(busyApp, { email: users.alice.email, password: `wrong-${i}` }, `10.60.0.${i}`);
    // The client's secret is remembered first, so that only the passwords wait in the queue.
    assert.equal((await grant(0)).statusCode, 400);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => grant(i + 1)));
    const busy = answers.filter((r) => r.statusCode === 429);
    assert.equal(answers.filter(isVerdict).length, 5, 'one running and four waiting');
    assert.equal(busy.length, 15);
    for (const r of busy) {
      assert.deepEqual(r.json(), {
        error: 'temporarily_unavailable',
        description: 'too many sign-ins are being checked; retry in 1 seconds',
        error_description: 'too many sign-ins are being checked; retry in 1 seconds',
      });
      assert.equal(r.headers['retry-after'], '1');
      assert.equal(r.headers['cache-control'], 'no-store');
    }
    // Nothing was counted for one turned away: its address has all five guesses at alice left.
    const turnedAway = answers.findIndex((r) => r.statusCode === 429) + 1;
    for (let i = 0; i < 5; i++) assert.ok(isVerdict(await grant(turnedAway)));
    assert.ok(isThrottled(await grant(turnedAway)));
    assert.equal(busyApp.app.tokend.slowHashes.taken, 0);
  });
});
