/**
 * Seeded PostgreSQL databases for HTTP tests. Seeding hashes secrets with scrypt (seconds), so a
 * template database is seeded once per version of the seed, schema and seeding code, and each
 * test gets a copy (CREATE DATABASE ... TEMPLATE, milliseconds).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ManualClock } from '../../src/core/clock.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { MIGRATIONS } from '../../src/store/sql/migrations.js';
import { SEED_FILE } from './fixture.js';
import { admin, createDatabase, type TestDatabase } from './postgres.js';

let template: Promise<string> | undefined;

/** A fresh database of its own: a copy of the seeded template, or (`seeded` false) only migrated. */
export async function pgTestDatabase(seeded: boolean): Promise<TestDatabase> {
  if (!seeded) return createDatabase();
  template ??= seededTemplate();
  return createDatabase(await template);
}

async function seededTemplate(): Promise<string> {
  const seedText = readFileSync(SEED_FILE, 'utf8');
  const codeFiles = [
    '../../src/core/seed/apply.js',
    '../../src/core/seed/planning.js',
    '../../src/core/seed/plan-client.js',
    '../../src/core/seed/seed-memory.js',
    '../../src/store/postgres/notify-triggers.js',
  ];
  const hash = createHash('sha256').update(seedText).update(JSON.stringify(MIGRATIONS));
  for (const file of codeFiles) hash.update(readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8'));
  const name = `tokend_tpl_${hash.digest('hex').slice(0, 16)}`;
  if ((await admin('SELECT 1 FROM pg_database WHERE datname = $1', [name])).length > 0) return name;
  const building = await createDatabase();
  const store = new PgStore(building.url);
  await store.migrate();
  await applySeedText(store, new ManualClock(Date.UTC(2026, 0, 1)), seedText);
  await store.close();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(`ALTER DATABASE ${building.name} RENAME TO ${name}`);
      break;
    } catch (error) {
      const message = (error as Error).message;
      if (/already exists/.test(message)) {
        await building.drop();
        break;
      }
      if (attempt >= 50 || !/being accessed by other users/.test(message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return name;
}
