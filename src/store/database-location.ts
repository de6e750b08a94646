/**
 * What a database setting may name, and how it is shown in messages. Kept apart from
 * open-store.ts so that reading the configuration does not load the database drivers.
 */
import { resolve } from 'node:path';
import { closest, didYouMean } from '../did-you-mean.js';

/** `postgres://` and `postgresql://` (the spellings libpq accepts) open PostgreSQL. */
const POSTGRES_URL = /^postgres(ql)?:\/\//i;
/**
 * Anything that starts like a URL (a scheme of two letters or more and a colon: `mysql://`,
 * `file:`, or `postgres:user:pw@host/db` with its slashes forgotten) and is not PostgreSQL's.
 */
const OTHER_URL = /^[a-z][a-z0-9+.-]+:/i;

export function isPostgresUrl(database: string): boolean {
  return POSTGRES_URL.test(database);
}

/**
 * Refuses a database that is neither a PostgreSQL URL nor a file path: `postgress://db/tokend`
 * would otherwise become a SQLite file in a folder named `postgress:`. `setting` names where
 * the value came from (`TOKEND_DATABASE`, `--database`).
 */
export function checkDatabaseSetting(setting: string, database: string): string {
  if (isPostgresUrl(database)) {
    if (!URL.canParse(database)) {
      throw new Error(`${setting}=${redactUrl(database)} is not valid: expected a URL such as postgres://user:password@host:5432/database`);
    }
    return database;
  }
  if (OTHER_URL.test(database)) {
    throw new Error(
      `${setting}=${redactUrl(database)} is not valid: expected a file path (a SQLite store) or a postgres:// or postgresql:// URL${schemeTypo(database)}`,
    );
  }
  return database;
}

/** " - did you mean postgres://?" for a scheme a letter or two from PostgreSQL's (`postgress://`, `postgre://`, `postgresq:`); else nothing. */
function schemeTypo(database: string): string {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(database)?.[1] ?? '';
  return didYouMean(
    closest(scheme, ['postgres', 'postgresql'])
      .slice(0, 1)
      .map((name) => `${name}://`),
  );
}

/** A database URL with its password hidden (`postgres://user:***@host/db`, `?password=***`), for messages. */
export function redactUrl(url: string): string {
  const scheme = /^[a-z][a-z0-9+.-]+:(\/\/)?/i.exec(url)?.[0];
  if (scheme === undefined) return url;
  let rest = url.slice(scheme.length);
  // The last '@' ends the user information: a password may hold an unencoded '@' of its own.
  const at = rest.lastIndexOf('@');
  const colon = rest.indexOf(':');
  // Without the slashes it is no URL, and what comes before '@' may be a password alone: all of it is hidden.
  if (at > 0 && !scheme.endsWith('//')) rest = `***${rest.slice(at)}`;
  else if (at > 0 && colon !== -1 && colon < at) rest = `${rest.slice(0, colon)}:***${rest.slice(at)}`;
  return scheme + rest.replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** Which store a setting opens, for the start-up lines: the SQLite file's full path, or the URL without its password. */
export function describeStore(database: string): string {
  return isPostgresUrl(database) ? `PostgreSQL at ${redactUrl(database)}` : `SQLite file ${resolve(database)}`;
}
