/**
 * Which PostgreSQL failures mean "the database cannot be reached" (the store then throws
 * StoreUnavailableError, answered 503 and never a 500), as opposed to a statement the
 * database refused (a bug: left as it is).
 */
import { StoreUnavailableError } from '../../core/errors.js';

/**
 * SQLSTATE classes and codes of a server that cannot serve us now: connection exceptions (08),
 * refused logins (28: a rotated password), a missing database (3D000), insufficient resources
 * (53: too many connections), shutdown and restart (57P01-57P04), system errors (58), and a
 * database that takes no write now (25006: read-only, as a standby behind the URL). Any failure
 * to open a connection is unavailability too, whatever its code (pg-driver.ts): that is how a
 * database that is not accepting connections (55000) is told from a statement's 55000.
 */
const UNAVAILABLE_SQLSTATE = /^(08|28|3D000|25006|53|57P0[1-4]|58)/;
/** Messages node-postgres uses for a lost connection, a pool wait or a query that timed out. */
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|timeout expired|Query read timeout|connection timeout|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end|not queryable/i;
/** Socket errors from Node itself. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || (code.length === 5 && UNAVAILABLE_SQLSTATE.test(code)))) return true;
  // statement_timeout (57014 query_canceled) means the server is too slow to answer in time.
  if (code === '57014') return true;
  if (error instanceof AggregateError) return error.errors.some(isUnavailable);
  return UNAVAILABLE_MESSAGE.test(error.message);
}

/** Rethrows a connection failure as StoreUnavailableError, anything else unchanged. */
export function translate(error: unknown): never {
  if (isUnavailable(error) && !(error instanceof StoreUnavailableError)) throw new StoreUnavailableError(error);
  throw error;
}
