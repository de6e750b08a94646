/** Picks the backend from the configured database location. */
import { PgStore } from './postgres/pg-store.js';
import { PG_DEFAULTS, type PgSettings } from './postgres/pg-settings.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

/**
 * `postgres://` or `postgresql://` URLs open the PostgreSQL store; anything else is a SQLite
 * file. `server`: the store of a long-running server (SQLite then checkpoints on a worker thread).
 */
export function openStore(database: string, postgres: PgSettings = PG_DEFAULTS, { server = false } = {}): Store {
  if (/^postgres(ql)?:\/\//.test(database)) return new PgStore(database, postgres);
  return new SqliteStore(database, { backgroundCheckpoints: server });
}

/** A database URL with its password removed, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
