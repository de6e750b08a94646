/**
 * The PostgreSQL series of /metrics: the pool, the LISTEN connection (up, lost, reconnected),
 * and store calls counted as unavailable while the database refuses connections.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../src/core/clock.js';
import { buildApp } from '../../src/server/build-app.js';
import { PG_DEFAULTS } from '../../src/store/postgres/pg-settings.js';
import { bearer, clientCredentialsRequest } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { captureLog } from '../helpers/log-capture.js';
import { parseScrape, seriesOf } from '../helpers/metrics.js';
import { pgTestDatabase } from '../helpers/pg-template.js';
import { admin, type TestDatabase } from '../helpers/postgres.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip({ once: true });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL metrics', { skip }, () => {
  let database: TestDatabase;
  let app: FastifyInstance;
  /** The app's log at level warn: what an operator reads. */
  const log = captureLog();
  before(async () => {
    database = await pgTestDatabase(true);
    const postgres = { ...PG_DEFAULTS, connectTimeoutMs: 1000, queryTimeoutMs: 1000, heartbeatMs: 100 };
    const logger = { level: 'warn', stream: log.stream };
    app = await buildApp({ database: database.url, postgres, logger, clock: new ManualClock(Date.UTC(2026, 0, 1, 12)) });
  });
  after(async () => {
    await app?.close();
    await database?.drop();
  });

  const scrape = async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    assert.equal(response.statusCode, 200);
    return parseScrape(response.body);
  };
  const until = async (check: (scraped: Map<string, number>) => boolean, what: string) => {
    const start = Date.now();
    while (!check(await scrape())) {
      if (Date.now() - start > 10_000) throw new Error(`${what}: not within 10 s`);
      await sleep(20);
    }
  };

  test('the pool and the LISTEN connection: up, lost, reconnected', async () => {
    const issued = await clientCredentialsRequest(app, clients.admin);
    assert.equal(issued.statusCode, 200);
    let scraped = await scrape();
    assert.equal(scraped.get('tokend_pg_notifications_connected'), 1);
    assert.equal(scraped.get('tokend_pg_notifications_reconnects_total'), 0);
    assert.equal(scraped.get('tokend_pg_pool_waiting'), 0);
    const pool = seriesOf(scraped, 'tokend_pg_pool_connections');
    assert.deepEqual(Object.keys(pool), ['{state="idle"}', '{state="busy"}']);
    assert.ok(pool['{state="idle"}']! >= 1, 'the connections used for the issuance are back in the pool');
    assert.equal(pool['{state="busy"}'], 0);
    // Only calls that take time are timed: no registration (watchDirectory, watchRevocations, ...) or change version shows as an operation.
    const operations = Object.keys(seriesOf(scraped, 'tokend_store_operation_duration_seconds_count'));
    assert.ok(operations.length > 0);
    assert.deepEqual(
      operations.filter((series) => /operation="(watch|changeVersion|connectionState)/.test(series)),
      [],
    );

    await admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tokend-listen' AND datname = $1", [database.name]);
    await until((s) => s.get('tokend_pg_notifications_reconnects_total') === 1, 'reconnected');
    scraped = await scrape();
    assert.equal(scraped.get('tokend_pg_notifications_connected'), 1);
    // The loss is logged at warn (the reconnection at info, below this log's level), once. A
    // loaded machine may add a 'slow request' warning, which is not what this test is about.
    assert.deepEqual(
      (log.lines() as Array<{ level: number; msg: string }>).filter(({ msg }) => msg !== 'slow request').map(({ level, msg }) => [level, msg]),
      [[40, 'the PostgreSQL notification (LISTEN) connection was lost: until it is back, every request reads the database (no cache is trusted)']],
    );
  });

  test('store calls refused by the database are counted as unavailable, by operation', async () => {
    const me = (token: string) => app.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });
    await admin(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    try {
      await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database.name]);
      await until((s) => s.get('tokend_pg_notifications_connected') === 0, 'the LISTEN connection is seen to be lost');
      for (let i = 0; i < 3; i++) assert.equal((await me(`never-issued-${i}`)).statusCode, 503);
      const scraped = await scrape();
      assert.deepEqual(seriesOf(scraped, 'tokend_store_unavailable_total'), { '{operation="findTokenByHash"}': 3 });
      assert.equal(seriesOf(scraped, 'tokend_http_request_duration_seconds_count')['{route="/api/v2/tokens/me",method="GET",status_class="5xx"}'], 3);
    } finally {
      await admin(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    }
    await until((s) => s.get('tokend_pg_notifications_connected') === 1, 'connected again');
  });
});
