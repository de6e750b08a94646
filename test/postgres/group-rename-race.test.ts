/**
 * A rename racing another to the same name on PostgreSQL: each transaction's NOT EXISTS sees
 * only what was committed when it began, so the later one meets the unique index (23505) once
 * the earlier commits. The store answers `name-taken` (a 400 at the API), never an error (a 500).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import pg from 'pg';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { createDatabase } from '../helpers/postgres.js';
import { groupOf, world } from '../store/fixtures.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip();

describe('PostgreSQL: racing renames', { skip }, () => {
  test('a rename to a name another transaction is taking waits for it, then is told the name is taken', async () => {
    const database = await createDatabase();
    const store = new PgStore(database.url);
    const other = new pg.Client(database.url);
    try {
      await store.migrate();
      const w = world();
      await store.applySeed(w.plan);
      const [a, b] = [groupOf(randomUUID(), w.organization.id, 'A'), groupOf(randomUUID(), w.organization.id, 'B')];
      await store.insertGroup(a, []);
      await store.insertGroup(b, []);
      await other.connect();
      // Another node renames A and has not committed yet: its new name is in the unique index, uncommitted.
      await other.query('BEGIN');
      await other.query("UPDATE directory_groups SET name = 'Finish line', version = version + 1 WHERE id = $1", [a.id]);
      const renaming = store.updateGroup({ ...b, name: 'Finish line' }, null, 1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await other.query('COMMIT');
      assert.equal(await renaming, 'name-taken');
      assert.deepEqual((await store.findGroup(b.id))?.name, 'B', 'nothing changed');
    } finally {
      await other.end().catch(() => {});
      await store.close();
      await database.drop();
    }
  });
});
