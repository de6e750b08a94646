/**
 * A SQLite file whose write lock another connection holds: a write waits for it without holding
 * up other requests, and answers 503 (never a 500) once the busy timeout has passed.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { clientCredentialsRequest, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { hashToken } from '../../src/core/secrets.js';

const sqliteOnly = { skip: process.env.TOKEND_TEST_DATABASE === 'postgres' };

/** A test app whose database another connection has just locked for writing (`other`, in BEGIN IMMEDIATE). */
async function withWriteLockHeldElsewhere(run: (t: TestApp, other: Database.Database) => Promise<void>): Promise<void> {
  const t = await startTestApp();
  const other = new Database(t.database);
  try {
    await t.token(clients.admin); // warm the client's verified secret
    other.exec('BEGIN IMMEDIATE');
    await run(t, other);
  } finally {
    other.close();
    await t.close();
  }
}

test('issuance while another process holds the write lock answers 503 temporarily_unavailable', sqliteOnly, () =>
  withWriteLockHeldElsewhere(async (t, other) => {
    const response = await clientCredentialsRequest(t, clients.admin);
    assert.equal(response.statusCode, 503);
    assert.equal(response.json().error, 'temporarily_unavailable');
    assert.equal(response.headers['retry-after'], '1');
    other.exec('ROLLBACK');
    assert.equal(typeof (await t.token(clients.admin)), 'string', 'works again once the lock is gone');
  }),
);

test('a write behind a lock held elsewhere for a moment waits for it without holding up other requests', sqliteOnly, () =>
  withWriteLockHeldElsewhere(async (t, other) => {
    const released = new Promise<number>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        resolve(performance.now());
      }, 300),
    );
    const started = performance.now();
    // Three at once: their inserts wait as one group commit (several rows in one transaction).
    const issuances = Promise.all([1, 2, 3].map(() => clientCredentialsRequest(t, clients.admin)));
    const live = await t.inject({ method: 'GET', url: '/health/live' });
    const liveMs = performance.now() - started;
    assert.equal(live.statusCode, 200);
    assert.ok(liveMs < 250, `/health/live answered in ${liveMs.toFixed(0)} ms while the issuances waited for the lock`);
    const responses = await issuances;
    const answeredAt = performance.now();
    assert.deepEqual(
      responses.map((response) => response.statusCode),
      [200, 200, 200],
    );
    assert.ok(answeredAt >= (await released), 'the issuances were answered once the lock was gone');
    // Answered only once stored: each token is in the file, as another connection reads it.
    const stored = new Database(t.database, { readonly: true });
    try {
      for (const response of responses) {
        const hash = hashToken(response.json().access_token);
        assert.deepEqual(stored.prepare('SELECT count(*) AS n FROM tokens WHERE hash = ?').get(hash), { n: 1 });
      }
    } finally {
      stored.close();
    }
  }),
);
