/**
 * The campaign on PostgreSQL (ATTACK_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres, an
 * admin URL): each attack gets a database of its own with a random name, dropped afterwards.
 */
import pg from 'pg';

const ADMIN_URL = process.env.ATTACK_POSTGRES;
export const ON_POSTGRES = ADMIN_URL !== undefined && ADMIN_URL !== '';

async function admin(sql) {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new empty database; `drop()` ends its connections and drops it. */
export async function createDatabase(name) {
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
