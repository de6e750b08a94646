/**
 * PostgreSQL refusing connections is unavailability (issue 13, item 7): a database that does
 * not accept connections now (55000), or a connection limit of 0 for the role or the database
 * (53300), gets 503 with Retry-After on /api/v2 and /oauth and readiness 503, never a 500; the
 * node serves again by itself once connections are allowed. tokend connects as a role of its
 * own without superuser rights (a superuser would not be held by the connection limits), to a
 * database that role owns.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { ManualClock } from '../../src/core/clock.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { buildApp } from '../../src/server/build-app.js';
import { PG_DEFAULTS } from '../../src/store/postgres/pg-settings.js';
import type { PgStore } from '../../src/store/postgres/pg-store.js';
import { basic, bearer } from '../helpers/app.js';
import { admin, databaseUrl, PG_ADMIN_URL } from '../helpers/postgres.js';
import { until } from '../helpers/until.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip({ once: true });

const service = { id: '55555555-0000-4000-8000-00000000d001', secret: 'refusals-service-secret' };
const SEED = JSON.stringify({
  organizations: [
    {
      id: '55555555-5555-4555-8555-555555555555',
      name: 'Refusals',
      clients: [{ id: service.id, name: 'Service', secret: service.secret, authorizedGrantType: 'CLIENT-CREDENTIALS' }],
    },
  ],
});

describe('PostgreSQL refusing connections (a role without superuser rights)', { skip }, () => {
  const suffix = randomBytes(6).toString('hex');
  const role = `tokend_test_role_${suffix}`;
  const name = `tokend_test_${suffix}`;
  let app: FastifyInstance;
  let url: string;
  let created = false;

  before(async () => {
    await admin(`CREATE ROLE ${role} LOGIN NOSUPERUSER`);
    created = true;
    await admin(`CREATE DATABASE ${name} OWNER ${role}`);
    const base = new URL(PG_ADMIN_URL);
    base.username = role;
    base.password = '';
    // Short timeouts and a quick heartbeat, so that a test notices the refusal quickly.
    const postgres = { ...PG_DEFAULTS, connectTimeoutMs: 1000, queryTimeoutMs: 1000, heartbeatMs: 100 };
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    url = databaseUrl(name, base.toString());
    app = await buildApp({ database: url, postgres, logger: false, clock });
    await applySeedText(app.tokend.store, clock, SEED);
  });
  after(async () => {
    await app?.close();
    if (created) {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  const issue = () =>
    app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(service.id, service.secret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'grant_type=client_credentials',
    });
  /** A connection as tokend's role, as the node would open one. */
  async function connectAsRole(): Promise<void> {
    const client = new pg.Client(url);
    client.on('error', () => {});
    await client.connect();
    await client.end();
  }
  const me = (token: string) => app.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) });
  const ready = async () => (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode;

  /** Refuses new connections with `refuse`, ends the live ones, checks the answers, then allows again with `allow`. */
  async function refusedThenAllowed(refuse: string, allow: string, sqlstate: string): Promise<void> {
    const store = app.tokend.store as PgStore;
    const issued = await issue();
    assert.equal(issued.statusCode, 200, issued.body);
    const token = issued.json().access_token as string;
    assert.equal((await me(token)).statusCode, 200);
    assert.equal(await ready(), 200);

    await admin(refuse);
    try {
      await assert.rejects(connectAsRole(), (error: { code?: string }) => error.code === sqlstate, `PostgreSQL refuses with ${sqlstate}`);
      await refused(store, token);
    } finally {
      // Allowed again even when a check failed, so that the next test starts from a serving node.
      await admin(allow);
    }
    const recovered = await until(async () => (await ready()) === 200, 10_000, 'ready again');
    await until(() => store.notificationsTrusted, 10_000, 'notifications trusted again');
    assert.equal((await me(token)).statusCode, 200, 'the token is served again, without a restart');
    assert.equal((await issue()).statusCode, 200, 'and tokens are issued again');
    process.stdout.write(`# ${refuse}: 503 throughout; ready again ${recovered.toFixed(0)} ms after: ${allow}\n`);
  }

  /** With new connections refused: 503 and Retry-After everywhere, readiness 503. */
  async function refused(store: PgStore, token: string): Promise<void> {
    // Limits hold for new connections only: end the node's pooled and LISTEN connections.
    await admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
    await until(() => !store.notificationsTrusted, 5000, 'the LISTEN connection is seen to be lost');

    const statuses = new Map<number, number>();
    for (let i = 0; i < 20; i++) {
      for (const response of [await me(token), await issue(), await app.inject({ method: 'GET', url: '/health/ready' })]) {
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      }
    }
    assert.deepEqual(Object.fromEntries(statuses), { 503: 60 }, 'every request needing the database is a 503, none a 500');
    const api = await me(token);
    assert.equal(api.json().code, 'service.unavailable');
    assert.equal(api.json().status, 503);
    assert.equal(api.headers['retry-after'], '1');
    const oauth = await issue();
    assert.equal(oauth.json().error, 'temporarily_unavailable');
    assert.equal(oauth.headers['retry-after'], '1');
  }

  test('ALTER DATABASE ... ALLOW_CONNECTIONS false (55000): 503, then serving again', async () => {
    await refusedThenAllowed(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`, `ALTER DATABASE ${name} ALLOW_CONNECTIONS true`, '55000');
  });

  test('ALTER ROLE ... CONNECTION LIMIT 0 (53300): 503, then serving again', async () => {
    await refusedThenAllowed(`ALTER ROLE ${role} CONNECTION LIMIT 0`, `ALTER ROLE ${role} CONNECTION LIMIT -1`, '53300');
  });

  test('ALTER DATABASE ... CONNECTION LIMIT 0 (53300): 503, then serving again', async () => {
    await refusedThenAllowed(`ALTER DATABASE ${name} CONNECTION LIMIT 0`, `ALTER DATABASE ${name} CONNECTION LIMIT -1`, '53300');
  });
});
