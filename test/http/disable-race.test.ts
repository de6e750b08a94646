/**
 * A disable racing with issuance, in one process (SQLite; PostgreSQL with
 * TOKEND_TEST_DATABASE=postgres): many token requests in flight, the client or the user disabled
 * while they are, then enabled again. A request already past its check when the disable ran must
 * not store a token the enable brings back (CONTRACT.md, "Control plane"): every token answered
 * 200 before the enable is refused after it, and a request that lost the race answers as the
 * disabled client or user would. Two nodes: test/postgres/disable-race-nodes.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NO_ACTOR } from '../../src/core/admin/clients.js';
import { setUserState } from '../../src/core/admin/users.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
before(async () => {
  t = await startTestApp({ issueRateLimitPerMinute: 1_000_000_000, rateLimitPerMinute: 1_000_000_000 });
});
after(() => t.close());

const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

function tokenRequest(client: { id: string; secret: string }, payload: string) {
  return t.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload,
  });
}

/**
 * One round: `count` requests at once, `disable()` once `wait()` resolves, then
 * `enable()`. Returns the tokens answered 200, and the other answers as "status error".
 */
async function round(
  count: number,
  wait: () => Promise<void>,
  request: () => ReturnType<typeof tokenRequest>,
  disable: () => Promise<unknown>,
  enable: () => Promise<unknown>,
) {
  const answers = Array.from({ length: count }, request);
  await wait();
  await disable();
  const responses = await Promise.all(answers);
  await enable();
  const tokens = responses.filter((r) => r.statusCode === 200).map((r) => r.json().access_token as string);
  const others = responses.filter((r) => r.statusCode !== 200).map((r) => `${r.statusCode} ${r.json().error}: ${r.json().error_description}`);
  return { tokens, others };
}

/** Tokens of `tokens` that a request accepts now. */
async function accepted(tokens: readonly string[]): Promise<number> {
  let n = 0;
  for (const token of tokens) if ((await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode === 200) n++;
  return n;
}

test('client credentials: no token issued during a client disable is live after the enable', async () => {
  const admin = t.app.tokend.clientAdmin;
  await tokenRequest(clients.plain, 'grant_type=client_credentials'); // its secret's digest is remembered from here on
  let issued = 0;
  let back = 0;
  const refusals = new Set<string>();
  for (let i = 0; i < 40; i++) {
    const { tokens, others } = await round(
      150,
      () => turns(i % 8),
      () => tokenRequest(clients.plain, 'grant_type=client_credentials'),
      () => admin.setState('any', clients.plain.id, 'disabled', NO_ACTOR),
      () => admin.setState('any', clients.plain.id, 'active', NO_ACTOR),
    );
    issued += tokens.length;
    back += await accepted(tokens);
    for (const other of others) refusals.add(other);
  }
  assert.ok(issued > 0, 'some requests were answered before the disable');
  assert.equal(back, 0, `${back} of ${issued} tokens answered before the enable are accepted after it`);
  assert.deepEqual([...refusals].sort(), ['400 unauthorized_client: client is disabled'], 'a request that lost the race answers as a disabled client');
});

test('password grant: no token issued during a user disable is live after the enable', async () => {
  const deps = { store: t.app.tokend.store, clock: t.clock, authenticator: t.app.tokend.authenticator };
  const payload = `grant_type=password&username=${encodeURIComponent(users.carol.email)}&password=${encodeURIComponent(users.carol.password)}`;
  let issued = 0;
  let back = 0;
  const refusals = new Set<string>();
  for (let i = 0; i < 4; i++) {
    // A new throttle window each round: a sign-in refused as disabled counts as a failure.
    t.clock.advance(16 * 60_000);
    const { tokens, others } = await round(
      8,
      () => new Promise((resolve) => setTimeout(resolve, 5 + i * 20)),
      () => tokenRequest(clients.passwordApp, payload),
      () => setUserState(deps, users.carol.id, 'inactive'),
      () => setUserState(deps, users.carol.id, 'active'),
    );
    issued += tokens.length;
    back += await accepted(tokens);
    for (const other of others) refusals.add(other);
  }
  assert.equal(back, 0, `${back} of ${issued} tokens answered before the enable are accepted after it`);
  assert.ok(issued + refusals.size > 0);
  for (const refusal of refusals) assert.match(refusal, /^400 invalid_grant: /, 'a request that lost the race answers as for a disabled user');
});
