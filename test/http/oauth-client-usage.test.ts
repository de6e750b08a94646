/**
 * OAuth client usage over raw HTTP (OAuthApi: postOauthClientUsageQuery,
 * getOauthClientUsageQueryResult, getOauthClientUsageSummary): tokend's own per-client request
 * counts, counted in memory (nothing is written per request), written by a flush (the test calls
 * it, or gives the timer a short interval: no test waits a minute), kept 30 days by UTC day.
 * Bad intervals are 400, another organization's client and unknown executions 404.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { assertErrorBody } from '../helpers/api-error.js';
import { bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { clients, users } from '../helpers/fixture.js';

let t: TestApp;
/** Wildcard service: oauth:*:* (oauth:client:view). */
let wildcard: string;
before(async () => {
  t = await startTestApp();
  wildcard = await t.token(clients.wildcard);
});
after(() => t.close());

function send(token: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return t.inject({
    method,
    url,
    headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
}
const usagePath = (clientId: string) => `/api/v2/oauth/clients/${clientId}/usage`;
const TODAY = '2026-01-01T00:00:00Z/2026-01-02T00:00:00Z';

/** Posts a query and reads its results, as the SDK's callers do. */
async function query(clientId: string, body: Record<string, unknown>, token = wildcard): Promise<Array<Record<string, unknown>>> {
  const posted = await send(token, 'POST', `${usagePath(clientId)}/query`, body);
  assert.equal(posted.statusCode, 202, posted.body);
  const { executionId, resultsUri } = posted.json();
  assert.equal(resultsUri, `${usagePath(clientId)}/query/results/${executionId}`);
  const results = await send(token, 'GET', resultsUri);
  assert.equal(results.statusCode, 200, results.body);
  assert.equal(results.json().queryStatus, 'Complete');
  return results.json().results;
}
const byRoute = (rows: Array<Record<string, unknown>>) =>
  [...rows].sort((a, b) => `${a.templateUri} ${a.httpMethod}`.localeCompare(`${b.templateUri} ${b.httpMethod}`));
const counts = (status200: number, status400 = 0) => ({ status200, status300: 0, status400, status500: 0, status429: 0, requests: status200 + status400 });

test("a client's requests are counted in memory and appear after a flush, by route and method, status class, person and day", async () => {
  for (let i = 0; i < 3; i++) assert.equal((await send(wildcard, 'GET', '/api/v2/tokens/me')).statusCode, 200);
  assert.equal((await send(wildcard, 'GET', `/api/v2/oauth/clients/${clients.globex.id}`)).statusCode, 404);
  const alice = await t.token(clients.passwordApp, users.alice);
  assert.equal((await send(alice, 'GET', '/api/v2/users/me')).statusCode, 200);

  // Nothing is written per request: before a flush the store holds no count.
  assert.deepEqual(await query(clients.wildcard.id, { interval: TODAY }), []);
  assert.deepEqual(await t.app.tokend.store.findClientUsage(clients.wildcard.id, '2000-01-01', '9999-12-31'), []);
  assert.ok(t.app.tokend.clientUsage.pending > 0);

  await t.app.tokend.clientUsage.flush();
  const wildcardName = { clientId: clients.wildcard.id, clientName: 'Wildcard service' };
  assert.deepEqual(byRoute(await query(clients.wildcard.id, { interval: TODAY, groupBy: ['TemplateUri', 'HttpMethod'] })), [
    { ...wildcardName, templateUri: '/api/v2/oauth/clients/{clientId}', httpMethod: 'GET', ...counts(0, 1) },
    { ...wildcardName, templateUri: '/api/v2/oauth/clients/{clientId}/usage/query', httpMethod: 'POST', ...counts(1) },
    { ...wildcardName, templateUri: '/api/v2/oauth/clients/{clientId}/usage/query/results/{executionId}', httpMethod: 'GET', ...counts(1) },
    { ...wildcardName, templateUri: '/api/v2/tokens/me', httpMethod: 'GET', ...counts(3) },
  ]);
  // A person's token counts under its client, with the person; only the metrics asked for.
  assert.deepEqual(await query(clients.passwordApp.id, { interval: TODAY, metrics: ['Requests', 'Status200'], groupBy: ['UserId'] }), [
    { clientId: clients.passwordApp.id, clientName: 'Password app', userId: users.alice.id, status200: 1, requests: 1 },
  ]);
  // A refusal after authentication counts too (403: status400).
  assert.equal((await send(await t.token(clients.plain), 'PUT', '/api/v2/organizations/me', { version: 1 })).statusCode, 403);

  // The next UTC day: a flush at midnight ends the day's batch (the timer flushes at each midnight).
  t.clock.set(Date.UTC(2026, 0, 2));
  await t.app.tokend.clientUsage.flush();
  t.clock.set(Date.UTC(2026, 0, 2, 9));
  // A new token at each jump of the clock (the old one has idled out); /oauth/token is not an /api/v2 request, and counts nothing.
  wildcard = await t.token(clients.wildcard);
  assert.equal((await send(wildcard, 'GET', '/api/v2/tokens/me')).statusCode, 200);
  await t.app.tokend.clientUsage.flush();
  const daily = await query(clients.wildcard.id, { interval: '2025-12-31T00:00:00Z/2026-01-03T00:00:00Z', granularity: 'Day', metrics: ['Requests'] });
  assert.deepEqual(
    daily.map((row) => [row.date, row.requests]),
    [
      ['2026-01-01T00:00:00.000Z', 10],
      ['2026-01-02T00:00:00.000Z', 1],
    ],
  );
  const monthly = await query(clients.wildcard.id, { interval: '2025-12-01T00:00:00Z/2026-02-01T00:00:00Z', granularity: 'Month', metrics: ['Requests'] });
  assert.deepEqual(monthly, [{ ...wildcardName, date: '2026-01-01T00:00:00.000Z', requests: 11 }]);
  assert.deepEqual(await query(clients.plain.id, { interval: TODAY, metrics: ['Status400'] }), [
    { clientId: clients.plain.id, clientName: 'Plain service', status400: 1 },
  ]);
  // Outside what is kept (or before anything was counted): empty, not an error.
  assert.deepEqual(await query(clients.wildcard.id, { interval: '2020-01-01T00:00:00Z/2020-02-01T00:00:00Z' }), []);

  // 30 days on, the first days are gone from the store and from every answer.
  t.clock.set(Date.UTC(2026, 1, 5, 12));
  wildcard = await t.token(clients.wildcard);
  await t.app.tokend.clientUsage.flush();
  assert.deepEqual(await query(clients.wildcard.id, { interval: '2025-12-31T00:00:00Z/2026-01-03T00:00:00Z' }), []);
  assert.deepEqual(await t.app.tokend.store.findClientUsage(clients.wildcard.id, '2000-01-01', '9999-12-31'), []);
});

test('usage summary: the last `days` UTC days, per day; its results are read like a query', async () => {
  t.clock.set(Date.UTC(2026, 2, 1, 10));
  wildcard = await t.token(clients.wildcard);
  await t.app.tokend.clientUsage.flush();
  assert.equal((await send(wildcard, 'GET', '/api/v2/tokens/me')).statusCode, 200);
  await t.app.tokend.clientUsage.flush();
  const summary = await send(wildcard, 'GET', `${usagePath(clients.wildcard.id)}/summary?days=2`);
  assert.equal(summary.statusCode, 202, summary.body);
  const results = await send(wildcard, 'GET', summary.json().resultsUri);
  assert.deepEqual(results.json(), {
    results: [{ clientId: clients.wildcard.id, clientName: 'Wildcard service', date: '2026-03-01T00:00:00.000Z', ...counts(1) }],
    queryStatus: 'Complete',
  });
  for (const days of ['0', '366', 'seven']) {
    const refused = await send(wildcard, 'GET', `${usagePath(clients.wildcard.id)}/summary?days=${days}`);
    assert.equal(refused.statusCode, 400, days);
    assert.equal(refused.json().code, 'invalid.query.param.value', days);
  }
});

test('refusals: a bad interval or query is 400, another organization client and an unknown execution 404, no permission 403', async () => {
  const post = (body: unknown, clientId = clients.wildcard.id, token = wildcard) => send(token, 'POST', `${usagePath(clientId)}/query`, body);
  const interval = (message: string) => ({ status: 400, code: 'invalid.value', message, details: [{ errorCode: 'invalid.value', fieldName: 'interval' }] });
  assertErrorBody(
    await post({ interval: 'last week' }),
    interval('interval: must be two ISO-8601 instants joined by "/" (2026-01-01T00:00:00Z/2026-01-08T00:00:00Z)'),
  );
  assertErrorBody(await post({ interval: '2026-01-02T00:00:00Z/2026-01-01T00:00:00Z' }), interval('interval: the start must be before the end'));
  assertErrorBody(
    await post({ interval: '2026-13-45T00:00:00Z/2026-01-01T00:00:00Z' }),
    interval('interval: "2026-13-45T00:00:00Z" is not an ISO-8601 instant'),
  );
  for (const body of [{}, { interval: TODAY, granularity: 'Hour' }, { interval: TODAY, metrics: ['Bytes'] }, { interval: TODAY, groupBy: ['Queue'] }]) {
    const refused = await post(body);
    assert.equal(refused.statusCode, 400, JSON.stringify(body));
    assert.equal(refused.json().code, 'invalid.value', refused.body);
  }
  assertErrorBody(await post({ interval: TODAY }, clients.globex.id), {
    status: 404,
    code: 'not.found',
    message: 'OAuth client not found.',
    entityId: clients.globex.id,
  });
  const missing = { status: 404, code: 'not.found', message: 'Usage query execution not found.' };
  assertErrorBody(await send(wildcard, 'GET', `${usagePath(clients.wildcard.id)}/query/results/nothing-like-it`), { ...missing, entityId: 'nothing-like-it' });
  // An execution of one client is not one of another's.
  const other = (await post({ interval: TODAY }, clients.plain.id)).json().executionId;
  assertErrorBody(await send(wildcard, 'GET', `${usagePath(clients.wildcard.id)}/query/results/${other}`), { ...missing, entityId: other });
  assert.equal((await send(wildcard, 'GET', `${usagePath(clients.globex.id)}/query/results/${other}`)).statusCode, 404);
  assert.equal((await send(wildcard, 'GET', `${usagePath(clients.globex.id)}/summary`)).statusCode, 404);

  const plain = await t.token(clients.plain);
  const forbidden = {
    status: 403,
    code: 'missing.any.permissions',
    message: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: oauth:client:view, usage:client:view',
    messageWithParams: 'Unable to perform the requested action. You must have at least one of the following permissions assigned: {permissions}',
    messageParams: { permissions: 'oauth:client:view, usage:client:view' },
  };
  assertErrorBody(await post({ interval: TODAY }, clients.wildcard.id, plain), forbidden);
  assertErrorBody(await send(plain, 'GET', `${usagePath(clients.wildcard.id)}/query/results/${other}`), forbidden);
  assertErrorBody(await send(plain, 'GET', `${usagePath(clients.wildcard.id)}/summary`), forbidden);
});

test('the flush timer writes the counts on its own, and closing the app writes what is left', async () => {
  const timed = await startTestApp({ usageFlushIntervalMs: 20 });
  try {
    const token = await timed.token(clients.admin);
    assert.equal((await timed.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
    const deadline = Date.now() + 5000;
    let rows = await timed.app.tokend.store.findClientUsage(clients.admin.id, '2000-01-01', '9999-12-31');
    while (rows.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      rows = await timed.app.tokend.store.findClientUsage(clients.admin.id, '2000-01-01', '9999-12-31');
    }
    assert.deepEqual(
      rows.map((row) => [row.day, row.templateUri, row.httpMethod, row.status200]),
      [['2026-01-01', '/api/v2/tokens/me', 'GET', 1]],
    );
  } finally {
    await timed.close();
  }

  const first = await startTestApp();
  const token = await first.token(clients.admin);
  assert.equal((await first.inject({ method: 'GET', url: '/api/v2/organizations/me', headers: bearer(token) })).statusCode, 200);
  await first.app.close();
  const second = await startTestApp({ dir: first.dir, clock: first.clock });
  try {
    const rows = await second.app.tokend.store.findClientUsage(clients.admin.id, '2000-01-01', '9999-12-31');
    assert.deepEqual(
      rows.map((row) => [row.templateUri, row.status200]),
      [['/api/v2/organizations/me', 1]],
    );
  } finally {
    await second.close();
  }
});
