/**
 * The fast lane (src/http/fast-lane.ts) with PostgreSQL taken away, over a real socket: a token
 * the lane must read from the store it cannot read is handed to Fastify with the store's
 * failure, which answers 503 `service.unavailable` as it answers every request that needs the
 * database then (outage.test.ts), never a 500 and never an unchecked answer; once the database
 * is back, the lane answers again.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { PgStore } from '../../src/store/postgres/pg-store.js';
import { basic, bearer } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { orderedRequest } from '../helpers/socket-request.js';
import { closeProxiedPgApp, type ProxiedPgApp, proxiedPgApp } from '../helpers/tcp-proxy.js';
import { until } from '../helpers/until.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip({ once: true });
const ME = '/api/v2/tokens/me';

const proxied: Partial<ProxiedPgApp> = {};
let port: number;

before(async () => {
  if (skip) return;
  const { app } = await proxiedPgApp(proxied);
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
after(() => closeProxiedPgApp(proxied));

test('a token not cached while the database is away: 503 from Fastify; answered by the lane once it is back', { skip }, async () => {
  const issued = await orderedRequest(
    port,
    'POST',
    '/oauth/token',
    {
      authorization: basic(clients.admin.id, clients.admin.secret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    'grant_type=client_credentials',
  );
  assert.equal(issued.status, 200, issued.body);
  const token = JSON.parse(issued.body).access_token as string;
  const { app, proxy } = proxied as ProxiedPgApp;
  const store = app.tokend.store as PgStore;

  proxy.cut('reset');
  await until(() => !store.notificationsTrusted, 2000, 'the outage noticed');
  const before = { ...app.fastLane! };
  const during = await orderedRequest(port, 'GET', ME, bearer(token));
  assert.equal(during.status, 503, during.body);
  assert.equal(JSON.parse(during.body).code, 'service.unavailable');
  assert.deepEqual(app.fastLane, { answered: before.answered, handedOn: before.handedOn + 1 }, 'taken by the lane, answered by Fastify');

  proxy.restore();
  await until(async () => (await orderedRequest(port, 'GET', ME, bearer(token))).status === 200, 10_000, 'answered 200 again');
  const answered = app.fastLane!.answered;
  assert.equal((await orderedRequest(port, 'GET', ME, bearer(token))).status, 200);
  assert.equal(app.fastLane!.answered, answered + 1, 'the lane answers again');
});
