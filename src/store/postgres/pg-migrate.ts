/**
 * Migrations on PostgreSQL: the shared MIGRATIONS in one transaction under a transaction-scoped
 * advisory lock, so when several nodes start at once one migrates and the others wait for its
 * COMMIT, then find nothing left to do. The same transaction installs the notification
 * triggers (notify-triggers.ts), which are PostgreSQL's own and not part of the shared schema.
 */
import pg from 'pg';
import { MIGRATIONS, type MigrationRow, planRewrites, RECORD_MIGRATION, SCHEMA_MIGRATIONS_TABLE, SELECT_APPLIED_MIGRATIONS } from '../sql/migrations.js';
import { installNotifyTriggers } from './notify-triggers.js';
import { translate } from './pg-errors.js';
import { numberPlaceholders } from './placeholders.js';

/** An arbitrary constant naming "tokend migrates" among the database's advisory locks. */
const MIGRATION_LOCK = 7_400_513_204_771;

/**
 * Migrates on a connection of its own, without the pool's statement and query timeouts: a
 * migration of a large table, or the wait for another node's, may take longer than a request may.
 */
export async function migrateDatabase(config: pg.ClientConfig): Promise<void> {
  const client = new pg.Client({ ...config, application_name: 'tokend-migrate', statement_timeout: 0, query_timeout: 0 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('BEGIN');
    await migrate(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    translate(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function migrate(client: pg.ClientBase): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await client.query(SCHEMA_MIGRATIONS_TABLE);
  const applied = new Set((await client.query<{ version: number }>(SELECT_APPLIED_MIGRATIONS)).rows.map((r) => Number(r.version)));
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue;
    await client.query(migration.sql);
    const rewrites = migration.rewrites ?? [];
    const read: MigrationRow[][] = [];
    for (const rewrite of rewrites) read.push((await client.query(rewrite.select)).rows);
    const plans = planRewrites(migration, read);
    for (const [i, rewrite] of rewrites.entries()) {
      for (const params of plans[i] ?? []) await client.query(numberPlaceholders(rewrite.update), params);
    }
    if (migration.finish) await client.query(migration.finish);
    await client.query(numberPlaceholders(RECORD_MIGRATION), [migration.version, migration.name, Date.now()]);
  }
  await installNotifyTriggers(client);
}
