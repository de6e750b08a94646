/** Picks the backend from the configured database location. */
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export function openStore(database: string): Store {
  if (/^postgres(ql)?:\/\//.test(database)) {
    throw new Error(`TOKEND_DATABASE=${redactUrl(database)}: the PostgreSQL store is not available in this build`);
  }
  return new SqliteStore(database);
}

/** A database URL with its password removed, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
