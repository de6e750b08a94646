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
import type { PgSettings } from '../store/postgres/pg-settings.js';
import type { Store } from '../store/store.js';
import { demoSecretWorks } from './demo.js';
import { CliError } from './output.js';

/** A seed file that cannot be read or applied (nothing of it was applied), named by its setting; anything else unchanged. */
export function seedFailure(error: unknown, config: ServeConfig): unknown {
  if (config.seedFile === undefined) return error;
  const name = `${config.settingNames?.seed ?? 'TOKEND_SEED'}=${config.seedFile}`;
  if ((error as Error).name === 'SeedError') return new CliError(`${name} was refused, nothing of it was applied: ${(error as Error).message}`);
  return seedFileFailure(error, name);
}

const UNREADABLE: Record<string, string> = {
  ENOENT: 'no such file (ENOENT)',
  EISDIR: 'it is a folder, not a file (EISDIR)',
  EACCES: 'permission denied (EACCES)',
};

/** "<name> cannot be read: it is a folder, not a file (EISDIR)[; <hint>]" for a seed file that cannot be read; anything else unchanged. */
export function seedFileFailure(error: unknown, name: string, hint?: string): unknown {
  const cause = UNREADABLE[String((error as { code?: unknown }).code)];
  if (cause === undefined) return error;
  return new CliError(`${name} cannot be read: ${cause}${hint === undefined ? '' : `; ${hint}`}`);
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
export async function checkStoreAtStart(config: ServeConfig): Promise<{ clients: number; demoSecretWorks: boolean }> {
  const { openStore } = await import('../store/open-store.js');
  let store: Store | undefined;
  try {
    store = openStore(config.database, config.postgres);
    await store.migrate();
    await store.probeWrite();
    const { createCore } = await import('../core/services.js');
    const core = createCore(store, { clock: systemClock, tokenCacheSize: 1 });
    return { clients: (await core.reads.clients()).length, demoSecretWorks: await demoSecretWorks(core) };
  } catch (error) {
    throw storeRefusal(config.settingNames?.database ?? 'TOKEND_DATABASE', config.database, error, config.postgres?.connectTimeoutMs);
  } finally {
    await store?.close().catch(() => {});
  }
}

/**
 * Opens and migrates the store for a command (`tokend seed`, the admin commands); a store it
 * cannot use is the same one line as at `serve`'s start, naming `setting`.
 */
export async function openUsableStore(setting: string, database: string, postgres: PgSettings | undefined): Promise<Store> {
  const { openStore } = await import('../store/open-store.js');
  let store: Store | undefined;
  try {
    store = openStore(database, postgres);
    await store.migrate();
    return store;
  } catch (error) {
    await store?.close().catch(() => {});
    throw storeRefusal(setting, database, error, postgres?.connectTimeoutMs);
  }
}

/** "TOKEND_DATABASE=postgres://u:***@h/db cannot be used: <cause> - <what to do>". */
export function storeRefusal(setting: string, database: string, error: unknown, connectTimeoutMs?: number): CliError {
  return new CliError(`${setting}=${redactUrl(database)} cannot be used: ${storeFailure(error, database, connectTimeoutMs)}`);
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
    return 'nothing accepts connections at that host and port (ECONNREFUSED) - is PostgreSQL running there? Start it, or fix the host and port in the URL';
  } else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return `the host name does not resolve (${code}) - fix the host in the URL`;
  } else if (/timeout/i.test(message)) {
    return `no connection within TOKEND_PG_CONNECT_TIMEOUT_MS=${connectTimeoutMs ?? 'its default'} ms (${message}) - check that the host and port are PostgreSQL's and reachable from here, or raise TOKEND_PG_CONNECT_TIMEOUT_MS`;
  } else if (code !== undefined && PG_REMEDIES[code] !== undefined) {
    return `${message} (${code}) - ${(PG_REMEDIES[code] as (url: URL | null) => string)(parsedUrl(database))}`;
  }
  return code === undefined ? message : `${message} (${code})`;
}

/** What to do about PostgreSQL's refusals of a connection, by SQLSTATE (the server's message names what it refused). */
const PG_REMEDIES: Record<string, (url: URL | null) => string> = {
  // invalid_password: a wrong password, or a user the server knows only under password authentication.
  '28P01': () => 'check the user name and password in the URL (a password with @, : or / in it must be percent-encoded)',
  // invalid_authorization_specification: no such role, or no pg_hba.conf line lets it in.
  '28000': (url) =>
    `check the user name in the URL, or create the role (createuser ${url?.username ? decodeURIComponent(url.username) : 'NAME'}); if it exists, pg_hba.conf must let it connect from this host`,
  // invalid_catalog_name: the database does not exist.
  '3D000': (url) => {
    const name = url?.pathname.slice(1) ? decodeURIComponent(url.pathname.slice(1)) : 'NAME';
    return `create it (createdb ${name}; tokend makes its tables on first use) or fix the database name in the URL`;
  },
};

function parsedUrl(database: string): URL | null {
  return URL.canParse(database) ? new URL(database) : null;
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
