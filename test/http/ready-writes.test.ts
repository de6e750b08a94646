/**
 * `/health/ready` turns 503 when the store stops accepting writes, naming the cause by its code,
 * and 200 again once it takes writes (issue 15). The write probe runs at most once a second,
 * whatever the rate of readiness checks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../src/core/errors.js';
import { buildApp } from '../../src/server/build-app.js';
import { startTestApp } from '../helpers/app.js';
import { admin, createDatabase } from '../helpers/postgres.js';
import { pgSkip } from '../postgres/pg-gate.js';

type Inject = (options: { method: 'GET'; url: string }) => Promise<{ statusCode: number; json(): unknown }>;

async function ready(inject: Inject): Promise<{ status: number; body: unknown }> {
  const response = await inject({ method: 'GET', url: '/health/ready' });
  return { status: response.statusCode, body: response.json() };
}

/** Polls readiness until it answers `status` with `body`; returns the milliseconds it took. */
async function readyBecomes(inject: Inject, status: number, body: unknown, ms = 10_000): Promise<number> {
  const started = performance.now();
  let last: { status: number; body: unknown } | undefined;
  while (performance.now() - started < ms) {
    last = await ready(inject);
    if (last.status === status && JSON.stringify(last.body) === JSON.stringify(body)) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return assert.fail(`readiness stayed ${JSON.stringify(last)}, expected ${status} ${JSON.stringify(body)}`);
}

test('SQLite: another connection holding the write lock turns readiness 503 (SQLITE_BUSY); released, 200 again', {
  skip: process.env.TOKEND_TEST_DATABASE === 'postgres',
}, async () => {
  const t = await startTestApp();
  const other = new Database(t.database);
  try {
    assert.deepEqual(await ready(t.inject), { status: 200, body: { status: 'ready' } });
    other.exec('BEGIN IMMEDIATE');
    await readyBecomes(t.inject, 503, { status: 'unavailable', reason: 'the store does not accept writes (SQLITE_BUSY)' });

    // Each probe waits for the lock a little; a flood of checks shares one probe a second.
    const started = performance.now();
    const flood = await Promise.all(Array.from({ length: 40 }, () => ready(t.inject)));
    const floodMs = performance.now() - started;
    assert.deepEqual(new Set(flood.map((answer) => answer.status)), new Set([503]));
    assert.ok(floodMs < 2000, `40 checks took ${floodMs.toFixed(0)} ms: they did not share the probe`);

    other.exec('ROLLBACK');
    await readyBecomes(t.inject, 200, { status: 'ready' });
  } finally {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await t.close();
  }
});

test('PostgreSQL: a database turned read-only turns readiness 503 (25006); writable again, 200', async (t) => {
  const skip = await pgSkip({ once: true });
  if (skip) return t.skip(skip);
  const database = await createDatabase();
  const app = await buildApp({ database: database.url, logger: false });
  const inject: Inject = (options) => app.inject(options);
  // Settings of a database hold for new connections: end the node's, and its pool opens new ones.
  const reconnect = () => admin('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database.name]);
  try {
    assert.deepEqual(await ready(inject), { status: 200, body: { status: 'ready' } });
    await admin(`ALTER DATABASE ${database.name} SET default_transaction_read_only = on`);
    await reconnect();
    await readyBecomes(inject, 503, { status: 'unavailable', reason: 'the store does not accept writes (25006)' });
    // A refused write is the store being unavailable (a 503 to the caller), not a bug (a 500).
    await assert.rejects(
      app.tokend.store.probeWrite(),
      (error: Error) => error instanceof StoreUnavailableError && (error.cause as { code?: string }).code === '25006',
    );
    await admin(`ALTER DATABASE ${database.name} RESET default_transaction_read_only`);
    await reconnect();
    await readyBecomes(inject, 200, { status: 'ready' });
  } finally {
    await app.close();
    await database.drop();
  }
});
