/**
 * Reads a test database directly, whatever its backend (a SQLite file or a PostgreSQL URL),
 * for tests that check what is stored (only hashes, counts). `?` placeholders, as in the
 * shared SQL.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { numberPlaceholders } from '../../src/store/postgres/placeholders.js';

export async function rawRows<T = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
  if (/^postgres(ql)?:\/\//.test(database)) {
    const client = new pg.Client(database);
    await client.connect();
    try {
      return (await client.query(numberPlaceholders(sql), params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(database, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
