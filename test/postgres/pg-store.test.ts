/**
 * What only the PostgreSQL store has: migrations under an advisory lock when several nodes
 * start at once, the LISTEN connection's trust rules, StoreUnavailableError for an unreachable
 * server, and pool settings from the environment.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { StoreUnavailableError } from '../../src/core/errors.js';
import { PG_DEFAULTS, pgSettingsFromEnvironment } from '../../src/store/postgres/pg-settings.js';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { MIGRATIONS } from '../../src/store/sql/migrations.js';
import { admin, createDatabase, databaseUrl } from '../helpers/postgres.js';
import { T0, tokenOf, world } from '../store/fixtures.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL store', { skip }, () => {
  test('eight nodes starting at once: one migrates, the others wait, each migration applied once', async () => {
    const database = await createDatabase();
    const stores = Array.from({ length: 8 }, () => new PgStore(database.url));
    try {
      await Promise.all(stores.map((s) => s.migrate()));
      const { default: pg } = await import('pg');
      const client = new pg.Client(database.url);
      await client.connect();
      const applied = await client.query<{ version: number; n: string }>(
        'SELECT version, count(*) AS n FROM schema_migrations GROUP BY version ORDER BY version',
      );
      const triggers = await client.query<{ n: string }>("SELECT count(*) AS n FROM pg_trigger WHERE tgname = 'tokend_token_revoked'");
      await client.end();
      assert.deepEqual(
        applied.rows.map((r) => [Number(r.version), Number(r.n)]),
        MIGRATIONS.map((m) => [m.version, 1]),
      );
      assert.equal(Number(triggers.rows[0]?.n), 1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      await database.drop();
    }
  });

  test('a lost LISTEN connection: no cache is trusted until it is back, then one resync', async () => {
    const database = await createDatabase();
    const store = new PgStore(database.url, { ...PG_DEFAULTS, heartbeatMs: 100 });
    const other = new PgStore(database.url);
    try {
      await store.migrate();
      await other.migrate();
      const heard: string[] = [];
      store.watchRevocations((hash) => heard.push(hash));
      assert.equal(store.changeVersion(), store.changeVersion(), 'stable while listening');

      await admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'tokend-listen' AND datname = $1", [database.name]);
      const deaf = Date.now();
      while (store.notificationsTrusted && Date.now() - deaf < 2000) await sleep(5);
      assert.equal(store.notificationsTrusted, false);
      assert.notEqual(store.changeVersion(), store.changeVersion(), 'moves on every read while deaf');

      const w = world();
      await other.applySeed(w.plan);
      const token = tokenOf(w);
      await other.insertToken(token);
      while (!store.notificationsTrusted && Date.now() - deaf < 5000) await sleep(5);
      assert.equal(store.notificationsTrusted, true, 'reconnected by itself');
      const version = store.changeVersion();
      assert.equal(store.changeVersion(), version, 'stable again');

      await other.revokeToken(token.hash, T0);
      const until = Date.now() + 2000;
      while (!heard.includes(token.hash) && Date.now() < until) await sleep(5);
      assert.ok(heard.includes(token.hash), 'notifications flow again after the reconnect');
    } finally {
      await other.close();
      await store.close();
      await database.drop();
    }
  });

  test('an unreachable server: StoreUnavailableError, never a raw driver error', async () => {
    const store = new PgStore(databaseUrl('nowhere', 'postgres://postgres@127.0.0.1:1/'), { ...PG_DEFAULTS, connectTimeoutMs: 200 });
    try {
      await assert.rejects(store.ping(), StoreUnavailableError);
      await assert.rejects(store.findTokenByHash('x'), StoreUnavailableError);
      await assert.rejects(store.touchTokens([{ hash: 'x', lastUsedAt: 1 }]), StoreUnavailableError);
      await assert.rejects(store.migrate(), StoreUnavailableError);
      assert.notEqual(store.changeVersion(), store.changeVersion());
    } finally {
      await store.close();
    }
  });

  test('a database that does not exist is unavailable too (and a statement error is not)', async () => {
    const missing = new PgStore(databaseUrl('tokend_no_such_database'));
    await assert.rejects(missing.ping(), StoreUnavailableError);
    await missing.close();
    const database = await createDatabase();
    const store = new PgStore(database.url);
    try {
      await store.migrate();
      const w = world();
      await store.applySeed(w.plan);
      const token = tokenOf(w);
      assert.equal(await store.insertToken(token), true);
      await assert.rejects(store.insertToken(token), (error: Error) => !(error instanceof StoreUnavailableError));
    } finally {
      await store.close();
      await database.drop();
    }
  });
});

test('pool settings come from TOKEND_PG_* and a wrong value names its variable', () => {
  assert.deepEqual(pgSettingsFromEnvironment({}), PG_DEFAULTS);
  assert.equal(pgSettingsFromEnvironment({ TOKEND_PG_POOL_MAX: '25' }).poolMax, 25);
  assert.throws(() => pgSettingsFromEnvironment({ TOKEND_PG_POOL_MAX: '0' }), /TOKEND_PG_POOL_MAX=0/);
  assert.throws(() => pgSettingsFromEnvironment({ TOKEND_PG_HEARTBEAT_MS: 'soon' }), /TOKEND_PG_HEARTBEAT_MS/);
});
