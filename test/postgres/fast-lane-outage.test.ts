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
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { buildApp } from '../../src/server/build-app.js';
import { PG_DEFAULTS } from '../../src/store/postgres/pg-settings.js';
import type { PgStore } from '../../src/store/postgres/pg-store.js';
import { basic, bearer } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { pgTestDatabase } from '../helpers/pg-template.js';
import { databaseUrl, PG_ADMIN_URL, type TestDatabase } from '../helpers/postgres.js';
import { orderedRequest } from '../helpers/socket-request.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip({ once: true });
const ME = '/api/v2/tokens/me';

let database: TestDatabase;
let proxy: TcpProxy;
let app: FastifyInstance;
let port: number;

before(async () => {
  if (skip) return;
  database = await pgTestDatabase(true);
  proxy = await TcpProxy.start(Number(new URL(PG_ADMIN_URL).port || 5432));
  const url = databaseUrl(database.name, `postgres://postgres@127.0.0.1:${proxy.port}/`);
  // Short timeouts, so that the failure is noticed quickly in a test.
  const postgres = { ...PG_DEFAULTS, connectTimeoutMs: 1000, queryTimeoutMs: 1000, heartbeatMs: 100 };
  app = await buildApp({ database: url, postgres, logger: false, clock: new ManualClock(Date.UTC(2026, 0, 1, 12)) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as AddressInfo).port;
});
after(async () => {
  await app?.close();
  await proxy?.close();
  await database?.drop();
});

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
  const store = app.tokend.store as PgStore;

  proxy.cut('reset');
  const deadline = performance.now() + 2000;
  while (store.notificationsTrusted && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(store.notificationsTrusted, false, 'the outage noticed');
  const before = { ...app.fastLane! };
  const during = await orderedRequest(port, 'GET', ME, bearer(token));
  assert.equal(during.status, 503, during.body);
  assert.equal(JSON.parse(during.body).code, 'service.unavailable');
  assert.deepEqual(app.fastLane, { answered: before.answered, handedOn: before.handedOn + 1 }, 'taken by the lane, answered by Fastify');

  proxy.restore();
  const back = performance.now() + 10_000;
  let after = during;
  while (after.status !== 200 && performance.now() < back) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    after = await orderedRequest(port, 'GET', ME, bearer(token));
  }
  assert.equal(after.status, 200, after.body);
  const answered = app.fastLane!.answered;
  assert.equal((await orderedRequest(port, 'GET', ME, bearer(token))).status, 200);
  assert.equal(app.fastLane!.answered, answered + 1, 'the lane answers again');
});
