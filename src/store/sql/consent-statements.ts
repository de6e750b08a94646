/**
 * The SQL of consent (migration 8), apart from statements.ts because the client writes use it
 * too: {@link voidChangedAuthorizations} runs in the batch of every write that may change a
 * client's redirect URIs or scopes (sql-admin-store.ts: updateClient, applySeed), and a deleted
 * client takes its Allows with it.
 */
import { consentTerms } from '../../core/consent/terms.js';
import type { Client } from '../../core/models.js';
import type { Statement } from './sql-driver.js';

const WHERE_ALLOWED = 'EXISTS (SELECT 1 FROM oauth_authorizations WHERE user_id = ? AND client_id = ?)';

export const CONSENT_SQL = {
  findAuthorization: 'SELECT * FROM oauth_authorizations WHERE user_id = ? AND client_id = ?',
  listUserAuthorizations: 'SELECT * FROM oauth_authorizations WHERE user_id = ? ORDER BY date_created_ms, client_id',
  // Conditional on the client and the person: an Allow racing their delete records nothing.
  saveAuthorization: `INSERT INTO oauth_authorizations (user_id, client_id, organization_id, scopes, client_terms,
      date_created_ms, date_modified_ms, created_by, modified_by)
    SELECT CAST(? AS TEXT), id, organization_id, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT),
      CAST(? AS TEXT), CAST(? AS TEXT)
    FROM clients WHERE id = ? AND EXISTS (SELECT 1 FROM users WHERE id = ?)
    ON CONFLICT (user_id, client_id) DO UPDATE SET scopes = excluded.scopes, client_terms = excluded.client_terms,
      date_created_ms = excluded.date_created_ms, date_modified_ms = excluded.date_modified_ms,
      created_by = excluded.created_by, modified_by = excluded.modified_by`,
  // "Remove access": conditional on the Allow, so that a form naming another client changes nothing.
  revokeUserClientTokens: `UPDATE tokens SET revoked_at_ms = ? WHERE user_id = ? AND client_id = ? AND revoked_at_ms IS NULL
    AND ${WHERE_ALLOWED}`,
  burnUserClientCodes: `UPDATE authorization_codes SET consumed_at_ms = ? WHERE user_id = ? AND client_id = ? AND consumed_at_ms IS NULL
    AND ${WHERE_ALLOWED}`,
  deleteAuthorization: 'DELETE FROM oauth_authorizations WHERE user_id = ? AND client_id = ?',
  voidChangedAuthorizations: 'DELETE FROM oauth_authorizations WHERE client_id = ? AND client_terms <> ?',
  deleteClientAuthorizations: 'DELETE FROM oauth_authorizations WHERE client_id = ?',
} as const;

/** The statement that deletes the Allows a client's new redirect URIs or scopes void (none when they did not change). */
export function voidChangedAuthorizations(client: Client): Statement {
  return [CONSENT_SQL.voidChangedAuthorizations, [client.id, consentTerms(client)]];
}
