/**
 * Issuing on PostgreSQL against a concurrent disable (CONTRACT.md, "Control plane": a token being
 * issued while its client or user is disabled is never live after a later re-enable, on every
 * node). Under READ COMMITTED a write conditional on the client being active reads the state
 * committed when the statement began: a disable committing meanwhile revokes with a snapshot that
 * does not hold the new token, which then stays live behind it. So every write of new tokens
 * first takes a FOR SHARE lock on the user's and the client's rows, still active:
 * - a disable under way (its UPDATE holds the row) makes the lock wait; PostgreSQL then re-reads
 *   the row as committed, finds it no longer active, and nothing is written;
 * - a disable arriving while the lock is held waits at its UPDATE until the issuance commits,
 *   and its revocation, a later statement, sees the new token and revokes it.
 * Every disable writes the row before it revokes (sql-admin-store.ts). Locks are taken users
 * first, then clients, each in id order, as a seed writes them, so that the two do not deadlock
 * over one organization; should a rarer order deadlock (a seed over several organizations),
 * PostgreSQL ends one of the two and group commit retries its tokens one by one.
 * A share lock conflicts with no other share lock: issuances of one client, on any node, do
 * not wait for each other.
 */
import type { TokenRecord } from '../../core/models.js';
import type { Statement } from '../sql/sql-driver.js';

/**
 * Many tokens in one statement, one array per column (`columnsOf`): one text for any number of
 * rows, so it is prepared once. Writes the tokens whose user (if any) and client are active,
 * holding those rows until the commit, and returns the hashes it wrote. `live_clients` reads
 * the count of `live_users` so that users are always locked before clients.
 */
export const INSERT_TOKENS_IF_ACTIVE = `WITH batch AS MATERIALIZED (
    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
      ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::text[], ?::text[])
      AS b (hash, kind, organization_id, client_id, user_id, scopes, grant_type,
        issued_at_ms, expires_at_ms, last_used_at_ms, revoked_at_ms, family_id, code_hash)),
  live_users AS MATERIALIZED (
    SELECT id FROM users WHERE id IN (SELECT user_id FROM batch) AND state = 'active' ORDER BY id FOR SHARE),
  live_clients AS MATERIALIZED (
    SELECT id FROM clients WHERE id IN (SELECT client_id FROM batch) AND state = 'active'
      AND (SELECT count(*) FROM live_users) >= 0 ORDER BY id FOR SHARE)
  INSERT INTO tokens (hash, kind, organization_id, client_id, user_id, scopes, grant_type,
    issued_at_ms, expires_at_ms, last_used_at_ms, revoked_at_ms, family_id, code_hash)
  SELECT b.* FROM batch b
  WHERE b.client_id IN (SELECT id FROM live_clients) AND (b.user_id IS NULL OR b.user_id IN (SELECT id FROM live_users))
  RETURNING hash`;

const LOCK_ACTIVE_USER = "SELECT id FROM users WHERE id = ? AND state = 'active' FOR SHARE";
const LOCK_ACTIVE_CLIENT = "SELECT id FROM clients WHERE id = ? AND state = 'active' FOR SHARE";

/**
 * The first statements of a batch that issues `token` with other writes (code redemption,
 * refresh rotation): the same locks, before any other row is written, so that a disable, which
 * takes the client's or user's row first, never waits on this batch while it waits on the disable.
 */
export function issuanceLocks(token: TokenRecord): Statement[] {
  const client: Statement = [LOCK_ACTIVE_CLIENT, [token.clientId]];
  return token.userId === null ? [client] : [[LOCK_ACTIVE_USER, [token.userId]], client];
}

/** The parameters of single-token inserts (`tokenParams`), turned into one array per column. */
export function columnsOf(statements: readonly Statement[]): unknown[][] {
  const columns: unknown[][] = statements[0]![1].map(() => []);
  for (const [, params] of statements) params.forEach((value, i) => columns[i]!.push(value));
  return columns;
}
