/**
 * The PostgreSQL the tests use: 127.0.0.1:5432, trust authentication (override with
 * TOKEND_TEST_PG_URL, an admin URL). Each caller creates and drops its own database with a
 * random name, so tests never touch anyone's data. Without a reachable server the PostgreSQL
 * tests skip and say so; under CI (CI=true) they fail instead.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_ADMIN_URL = process.env.TOKEND_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string, base = PG_ADMIN_URL): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

let reachable: Promise<string | null> | undefined;

/** Null when PostgreSQL answers; otherwise why not. Throws under CI, where skipping is not allowed. */
export async function postgresUnavailable(): Promise<string | null> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (error) {
      return `PostgreSQL at ${PG_ADMIN_URL} is not reachable (${(error as Error).message})`;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  const reason = await reachable;
  if (reason !== null && process.env.CI === 'true') throw new Error(`${reason}; CI must run the PostgreSQL tests`);
  if (reason !== null) process.stderr.write(`\n# PostgreSQL part skipped: ${reason}\n`);
  return reason;
}

/** Runs `sql` on the admin database. */
export async function admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A new empty database (or a copy of `template`), with a random name. */
export async function createDatabase(template?: string): Promise<TestDatabase> {
  const name = `tokend_test_${randomBytes(6).toString('hex')}`;
  const from = template === undefined ? '' : ` TEMPLATE ${template}`;
  // A template still closing its last connection refuses to be copied for a moment.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin(`CREATE DATABASE ${name}${from}`);
      break;
    } catch (error) {
      if (attempt >= 50 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { name, url: databaseUrl(name), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => {}) };
}
