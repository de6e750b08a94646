/** A SQLite file locked by another writer for longer than the busy timeout: 503, never a 500. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { clientCredentialsRequest, startTestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';

test('issuance while another process holds the write lock answers 503 temporarily_unavailable', {
  skip: process.env.TOKEND_TEST_DATABASE === 'postgres',
}, async () => {
  const t = await startTestApp();
  const other = new Database(t.database);
  try {
    await t.token(clients.admin); // warm the client's verified secret
    other.exec('BEGIN IMMEDIATE');
    const response = await clientCredentialsRequest(t, clients.admin);
    assert.equal(response.statusCode, 503);
    assert.equal(response.json().error, 'temporarily_unavailable');
    assert.equal(response.headers['retry-after'], '1');
    other.exec('ROLLBACK');
    assert.equal(typeof (await t.token(clients.admin)), 'string', 'works again once the lock is gone');
  } finally {
    other.close();
    await t.close();
  }
});

test('a write behind a lock held elsewhere for a moment waits for it without holding up other requests', {
  skip: process.env.TOKEND_TEST_DATABASE === 'postgres',
}, async () => {
  const t = await startTestApp();
  const other = new Database(t.database);
  try {
    await t.token(clients.admin); // warm the client's verified secret
    other.exec('BEGIN IMMEDIATE');
    const released = new Promise<number>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        resolve(performance.now());
      }, 300),
    );
    const started = performance.now();
    const issuance = clientCredentialsRequest(t, clients.admin);
    const live = await t.inject({ method: 'GET', url: '/health/live' });
    const liveMs = performance.now() - started;
    assert.equal(live.statusCode, 200);
    assert.ok(liveMs < 250, `/health/live answered in ${liveMs.toFixed(0)} ms while the issuance waited for the lock`);
    const response = await issuance;
    assert.equal(response.statusCode, 200, response.body);
    assert.ok(performance.now() >= (await released), 'the issuance was answered once the lock was gone');
  } finally {
    other.close();
    await t.close();
  }
});
