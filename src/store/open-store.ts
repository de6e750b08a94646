/** Picks the backend from the configured database location. */
import { checkDatabaseSetting, isPostgresUrl } from './database-location.js';
import { PgStore } from './postgres/pg-store.js';
import { PG_DEFAULTS, type PgSettings } from './postgres/pg-settings.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export { redactUrl } from './database-location.js';

/**
 * `postgres://` or `postgresql://` URLs open the PostgreSQL store; a file path, the SQLite store;
 * any other URL is refused (database-location.ts). `server`: the store of a long-running server
 * (SQLite then checkpoints on a worker thread).
 */
export function openStore(database: string, postgres: PgSettings = PG_DEFAULTS, { server = false } = {}): Store {
  if (isPostgresUrl(database)) return new PgStore(database, postgres);
  return new SqliteStore(checkDatabaseSetting('database', database), { backgroundCheckpoints: server });
}
