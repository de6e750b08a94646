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
