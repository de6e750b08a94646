/**
 * The start-up checks of `tokend serve`. Before listening, the configured store is opened,
 * migrated and made to take a write, so that a store tokend cannot use stops start-up with one
 * line that names the setting, the store (a URL's password hidden) and the cause, instead of a
 * server that answers 503 to everything or a stack trace. A seed file or an address that cannot
 * be used is named the same way.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { ServeConfig } from '../config.js';
import { StoreUnavailableError } from '../core/errors.js';
import { systemClock } from '../core/clock.js';
import { isPostgresUrl, redactUrl } from '../store/database-location.js';
import { BUSY_TIMEOUT_MS } from '../store/sqlite/busy-wait.js';
import type { Store } from '../store/store.js';
import { CliError } from './output.js';

/** A seed file that cannot be read or applied (nothing of it was applied), named by its setting; anything else unchanged. */
export function seedFailure(error: unknown, config: ServeConfig): unknown {
  if (config.seedFile === undefined) return error;
  const code = (error as { code?: unknown }).code;
  const name = `${config.settingNames?.seed ?? 'TOKEND_SEED'}=${config.seedFile}`;
  if ((error as Error).name === 'SeedError') return new CliError(`${name} was refused, nothing of it was applied: ${(error as Error).message}`);
  if (code === 'ENOENT') return new CliError(`${name} cannot be read: no such file (ENOENT)`);
  if (code === 'EISDIR') return new CliError(`${name} cannot be read: it is a folder, not a file (EISDIR)`);
  if (code === 'EACCES') return new CliError(`${name} cannot be read: permission denied (EACCES)`);
  return error;
}

const LISTEN_CAUSES: Record<string, [setting: 'host' | 'port', cause: string]> = {
  EADDRINUSE: ['port', 'another process listens on it (EADDRINUSE)'],
  EACCES: ['port', 'ports below 1024 need privileges this process does not have (EACCES)'],
  EADDRNOTAVAIL: ['host', 'no network interface of this machine has that address (EADDRNOTAVAIL)'],
  ENOTFOUND: ['host', 'the host name does not resolve (ENOTFOUND)'],
  EAI_AGAIN: ['host', 'the host name does not resolve now (EAI_AGAIN)'],
};

/** An address tokend cannot listen on, named by the setting at fault; anything else unchanged. */
export function listenFailure(error: unknown, config: ServeConfig): unknown {
  const found = LISTEN_CAUSES[String((error as { code?: unknown }).code)];
  if (found === undefined) return error;
  const [setting, cause] = found;
  const names = { host: config.settingNames?.host ?? 'HOST', port: config.settingNames?.port ?? 'PORT' };
  return new CliError(`${names[setting]}=${config[setting]} cannot be used to listen on ${config.host}:${config.port}: ${cause}`);
}

/** Opens the store as the server will, proves it takes a write, and counts its clients (none: a new or unseeded store). */
export async function checkStoreAtStart(config: ServeConfig): Promise<{ clients: number }> {
  const { openStore } = await import('../store/open-store.js');
  let store: Store | undefined;
  try {
    store = openStore(config.database, config.postgres);
    await store.migrate();
    await store.probeWrite();
    const { createCore } = await import('../core/services.js');
    return { clients: (await createCore(store, { clock: systemClock, tokenCacheSize: 1 }).reads.clients()).length };
  } catch (error) {
    const setting = config.settingNames?.database ?? 'TOKEND_DATABASE';
    throw new CliError(`${setting}=${redactUrl(config.database)} cannot be used: ${storeFailure(error, config.database, config.postgres?.connectTimeoutMs)}`);
  } finally {
    await store?.close().catch(() => {});
  }
}

/** The cause of a store failure in words, with the code it came from (ENOTDIR, SQLITE_BUSY, 3D000...). */
export function storeFailure(error: unknown, database: string, connectTimeoutMs?: number): string {
  const root = rootCause(error);
  const code = typeof (root as { code?: unknown }).code === 'string' ? (root as { code: string }).code : undefined;
  const message = root instanceof Error ? root.message : String(root);
  if (!isPostgresUrl(database)) {
    const found = sqliteCause(code, database);
    if (found) return found;
  } else if (code === 'ECONNREFUSED') {
    return `nothing accepts connections at that host and port (ECONNREFUSED)`;
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `the host name does not resolve (${code})`;
  } else if (/timeout/i.test(message)) {
    return `no connection within TOKEND_PG_CONNECT_TIMEOUT_MS=${connectTimeoutMs ?? 'its default'} ms (${message})`;
  }
  return code === undefined ? message : `${message} (${code})`;
}

const SQLITE_CAUSES: Record<string, string> = {
  SQLITE_BUSY: `another connection holds its write lock and did not release it within ${BUSY_TIMEOUT_MS / 1000} s (SQLITE_BUSY)`,
  SQLITE_LOCKED: 'another connection holds a lock on it (SQLITE_LOCKED)',
  SQLITE_NOTADB: 'the file is not a SQLite database (SQLITE_NOTADB)',
  SQLITE_CORRUPT: 'the database file is damaged (SQLITE_CORRUPT)',
  SQLITE_READONLY: 'the file cannot be written (SQLITE_READONLY)',
  SQLITE_FULL: 'the disk is full (SQLITE_FULL)',
  EACCES: 'permission denied (EACCES)',
  EROFS: 'the file system is read-only (EROFS)',
};

/** Why a SQLite path cannot be used; SQLITE_CANTOPEN and ENOTDIR say too little, so the path is looked at. */
function sqliteCause(code: string | undefined, database: string): string | undefined {
  const path = resolve(database);
  if (code === 'SQLITE_CANTOPEN' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'EISDIR') {
    if (existsSync(path) && statSync(path).isDirectory()) return 'it is a folder, not a file (EISDIR)';
    const blocker = fileInTheWay(dirname(path));
    if (blocker !== undefined) return `its folder cannot be created: ${blocker} is a file, not a folder (ENOTDIR)`;
    return code === 'SQLITE_CANTOPEN' ? 'the file cannot be opened (SQLITE_CANTOPEN)' : undefined;
  }
  return code === undefined ? undefined : SQLITE_CAUSES[code];
}

/** The nearest existing ancestor of `folder` when it is not a folder. */
function fileInTheWay(folder: string): string | undefined {
  for (let at = folder; ; at = dirname(at)) {
    if (existsSync(at)) return statSync(at).isDirectory() ? undefined : at;
    if (dirname(at) === at) return undefined;
  }
}

/** What StoreUnavailableError wraps, and the first of an AggregateError (localhost's IPv6 and IPv4 attempts). */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth++) {
    if (current instanceof StoreUnavailableError && current.cause !== undefined) current = current.cause;
    else if (current instanceof AggregateError && current.errors.length > 0) current = current.errors[0];
    else break;
  }
  return current;
}
