/**
 * One person's account is one key, however its email is spelt (CONTRACT.md, "Sign-in and
 * client-authentication throttling"): spellings equal in core's normal form (NFKC, lower case:
 * letter case, fullwidth letters, `ß`/`ẞ`) reach the same account and share its throttle counts;
 * spellings SQL alone would fold together (`İ`, which PostgreSQL lowers to `i`) are other
 * accounts. `npm run test:postgres` runs it on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { createUser } from '../../src/core/admin/users.js';
import { normalForm } from '../../src/core/normal-form.js';
import { openStore } from '../../src/store/open-store.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { ACME, clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ rateLimitPerMinute: 100_000 });
});
after(() => t.close());

const grant = (email: string, password: string, remoteAddress: string) =>
  t.inject({
    method: 'POST',
    url: '/oauth/token',
    remoteAddress,
    headers: { authorization: basic(clients.passwordApp.id, clients.passwordApp.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ grant_type: 'password', username: email, password }).toString(),
  });
const outcome = (response: LightMyRequestResponse) => {
  if (response.statusCode === 200) return 'success';
  const body = response.json() as { error: string; error_description: string };
  if (response.statusCode === 400 && body.error_description === 'invalid username or password' && response.headers['retry-after'] === undefined)
    return 'verdict';
  if (response.headers['retry-after'] !== undefined) return 'throttled';
  return `${response.statusCode} ${body.error}`;
};
const tally = (outcomes: string[]) => {
  const counts: Record<string, number> = {};
  for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
  return counts;
};
const whoAmI = async (response: LightMyRequestResponse) => {
  const me = await t.inject({ method: 'GET', url: '/api/v2/users/me', headers: bearer(response.json().access_token) });
  return (me.json() as { id: string; email: string }).email;
};

/** Spellings of `email` that are one in the normal form: letter case and fullwidth forms. */
function spellings(email: string): string[] {
  const fullwidth = (text: string) => text.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  const [local = '', domain = ''] = email.split('@');
  const list = [
    email,
    email.toUpperCase(),
    `${local.charAt(0).toUpperCase()}${local.slice(1)}@${domain}`,
    fullwidth(email),
    fullwidth(email.toUpperCase()),
    `${fullwidth(local)}@${domain}`,
    `${local}@${fullwidth(domain.toUpperCase())}`,
    `${local.toUpperCase()}@${fullwidth(domain)}`,
  ];
  for (const spelling of list) assert.equal(normalForm(spelling), normalForm(email), spelling);
  return list;
}

test('the normal form: NFKC then lower case; İ is not i, ẞ is ß, ß is not ss; the form of a form is itself', () => {
  assert.equal(normalForm('ＡＬＩＣＥ@ＡＣＭＥ.ＴＥＳＴ'), 'alice@acme.test');
  assert.equal(normalForm('STRAẞE'), 'straße');
  assert.equal(normalForm('Straße'), 'straße');
  assert.notEqual(normalForm('strasse'), normalForm('straße'));
  assert.notEqual(normalForm('alİce'), normalForm('alice'));
  assert.equal(normalForm('ﬁle'), 'file');
  for (const text of ['alİce', 'İSTANBUL', 'ǅ', 'Ⅸ', 'ΣΑΣ', 'ﬃ', 'ｱｲｳ', 'ẞ', 'K', '㎒']) assert.equal(normalForm(normalForm(text)), normalForm(text), text);
});

test('every spelling equal in the normal form signs in as the same person, and the displayed email is the one created', async () => {
  for (const [i, spelling] of spellings(users.alice.email).entries()) {
    const response = await grant(spelling, users.alice.password, `10.21.0.${i + 1}`);
    assert.equal(outcome(response), 'success', spelling);
    assert.equal(await whoAmI(response), users.alice.email, spelling);
  }
});

test('İ is another letter than i: the right password under alİce is not alice, on every backend', async () => {
  for (const [i, spelling] of ['alİce@acme.test', 'ALİCE@ACME.TEST', 'alıce@acme.test'].entries()) {
    assert.equal(outcome(await grant(spelling, users.alice.password, `10.22.0.${i + 1}`)), 'verdict', spelling);
  }
});

test('ß and ẞ are one email (not ss); a second user of that email in any spelling is refused; the email shows as typed', async () => {
  const store = openStore(t.database);
  try {
    const deps = { store, clock: new ManualClock(Date.UTC(2026, 0, 1, 12)) };
    await createUser(deps, { organizationId: ACME, name: 'Greta', email: 'Greta.Straße@acme.test', password: 'greta-password' });
    for (const again of ['greta.straße@acme.test', 'GRETA.STRAẞE@ACME.TEST', 'ｇｒｅｔａ.straße@acme.test']) {
      await assert.rejects(
        createUser(deps, { organizationId: ACME, name: 'Other', email: again, password: 'other-password' }),
        /already exists in Acme/,
        again,
      );
    }
  } finally {
    await store.close();
  }
  const signedIn = await grant('GRETA.STRAẞE@ACME.TEST', 'greta-password', '10.23.0.1');
  assert.equal(outcome(signedIn), 'success');
  assert.equal(await whoAmI(signedIn), 'Greta.Straße@acme.test');
  assert.equal(outcome(await grant('greta.strasse@acme.test', 'greta-password', '10.23.0.2')), 'verdict');
});

test('the per-account caps hold across spellings: 5 per address, 50 from all addresses', async () => {
  // One address, sixteen attempts in eight spellings of bob: five are checked, the rest (and then the right password) throttled.
  const bob = spellings(users.bob.email);
  const one: string[] = [];
  for (let i = 0; i < 16; i++) one.push(outcome(await grant(bob[i % bob.length] as string, `wrong-${i}`, '10.24.0.1')));
  assert.deepEqual(tally(one), { verdict: 5, throttled: 11 });
  assert.equal(outcome(await grant(bob[3] as string, users.bob.password, '10.24.0.1')), 'throttled');
  // Twelve addresses, five guesses each in rotating spellings of carol: at most 50 checked, then the account is closed.
  const carol = spellings(users.carol.email);
  const many: string[] = [];
  for (let a = 0; a < 12; a++) {
    for (let i = 0; i < 5; i++) many.push(outcome(await grant(carol[(a + i) % carol.length] as string, `wrong-${a}-${i}`, `10.25.${a}.1`)));
  }
  assert.deepEqual(tally(many), { verdict: 50, throttled: 10 });
  assert.equal(outcome(await grant(carol[5] as string, users.carol.password, '10.26.0.1')), 'throttled');
});
