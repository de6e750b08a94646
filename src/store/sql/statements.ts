/**
 * The SQL every backend runs, written once with `?` placeholders (drivers that number their
 * parameters rewrite them). Only portable SQL here: ON CONFLICT upserts and CASE, no MAX(a, b).
 */
const UPSERT_CLIENT_SET = `name = excluded.name, secret_hash = excluded.secret_hash,
  authorized_grant_type = excluded.authorized_grant_type, scope = excluded.scope, redirect_uris = excluded.redirect_uris,
  access_token_validity_seconds = excluded.access_token_validity_seconds, state = excluded.state,
  date_modified_ms = excluded.date_modified_ms, modified_by = excluded.modified_by, date_to_delete_ms = excluded.date_to_delete_ms,
  description = excluded.description, pre_authorized = excluded.pre_authorized`;

const TOKEN_COLUMNS = `hash, kind, organization_id, client_id, user_id, scopes, grant_type,
    issued_at_ms, expires_at_ms, last_used_at_ms, revoked_at_ms, family_id, code_hash`;
// INSERT ... SELECT gives PostgreSQL no column to infer a parameter's type from: each is cast.
const TOKEN_VALUES = `CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),
    CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT)`;
/**
 * A token is written only while its client, and its user if it has one, are active, read in the
 * write's own transaction (mappers.ts `issuerParams`: the client id, then the user id twice). A
 * grant checks both before it mints; a disable that commits before the write has revoked what
 * was there, and this condition keeps the write from putting a live token behind it, which an
 * enable would bring back (CONTRACT.md, "Control plane"). SQLite has one writer, so the
 * condition reads the last committed state; PostgreSQL holds the rows first (pg-issuance.ts).
 */
const ISSUER_ACTIVE = `EXISTS (SELECT 1 FROM clients WHERE id = ? AND state = 'active')
    AND (CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = ? AND state = 'active'))`;

export const SQL = {
  findOrganization: 'SELECT * FROM organizations WHERE id = ?',
  findClient: 'SELECT * FROM clients WHERE id = ?',
  findClientRoles: 'SELECT role_id, division_id FROM client_roles WHERE client_id = ? ORDER BY role_id',
  listClients: 'SELECT * FROM clients ORDER BY organization_id, name',
  listClientsOfOrganization: 'SELECT * FROM clients WHERE organization_id = ? ORDER BY name',
  findUser: 'SELECT * FROM users WHERE id = ?',
  // Emails and organization names are found by core's normal form (core/normal-form.ts, migration 9), never by SQL's lower().
  findUserByEmail: 'SELECT * FROM users WHERE organization_id = ? AND email_key = ?',
  findUserRoles: 'SELECT role_id FROM user_roles WHERE user_id = ? ORDER BY role_id',
  findUserGroups: 'SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id',
  findRole: 'SELECT * FROM roles WHERE id = ?',
  listRoles: 'SELECT * FROM roles WHERE organization_id = ? ORDER BY name',
  listGroups: 'SELECT * FROM directory_groups WHERE organization_id = ? ORDER BY name',
  listOrganizations: 'SELECT * FROM organizations ORDER BY name_key, id',
  listUsers: 'SELECT * FROM users ORDER BY organization_id, email_key, id',
  listUsersOfOrganization: 'SELECT * FROM users WHERE organization_id = ? ORDER BY email_key, id',

  setIdleTokenTimeout: 'UPDATE organizations SET idle_token_timeout = ? WHERE id = ?',
  findAuthSettings: 'SELECT settings FROM organization_auth_settings WHERE organization_id = ?',
  saveAuthSettings: `INSERT INTO organization_auth_settings (organization_id, settings) SELECT id, CAST(? AS TEXT) FROM organizations WHERE id = ?
    ON CONFLICT (organization_id) DO UPDATE SET settings = excluded.settings`,
  // A seed's rename moves the organization's version, as a PUT would (migration 19).
  upsertOrganization: `INSERT INTO organizations (id, name, name_key, home_division_id, idle_token_timeout) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, idle_token_timeout = excluded.idle_token_timeout,
    version = organizations.version + CASE WHEN organizations.name = excluded.name THEN 0 ELSE 1 END`,
  upsertRole: `INSERT INTO roles (id, organization_id, name, permissions) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, permissions = excluded.permissions`,
  // A seed's change of name, email or state moves the person's version, as an admin's would (migration 13).
  upsertUser: `INSERT INTO users (id, organization_id, name, name_key, email, email_key, password_hash, state, date_created_ms, date_modified_ms, details)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, email = excluded.email, email_key = excluded.email_key,
      password_hash = excluded.password_hash, state = excluded.state, date_modified_ms = excluded.date_modified_ms,
      version = CASE WHEN users.name = excluded.name AND users.email = excluded.email AND users.state = excluded.state
        THEN users.version ELSE users.version + 1 END`,
  deleteUserRoles: 'DELETE FROM user_roles WHERE user_id = ?',
  insertUserRole: 'INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)',
  deleteUserGroups: 'DELETE FROM group_members WHERE user_id = ?',
  insertUserGroup: 'INSERT INTO group_members (group_id, user_id) VALUES (?, ?)',
  insertClient: `INSERT INTO clients (id, organization_id, name, secret_hash, authorized_grant_type, scope, redirect_uris,
    access_token_validity_seconds, state, date_created_ms, date_modified_ms, created_by, modified_by, date_to_delete_ms, description,
    pre_authorized)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // The seed plans each field (seed/plan-client.ts): a description an admin gave holds until the file changes it.
  upsertClient: `INSERT INTO clients (id, organization_id, name, secret_hash, authorized_grant_type, scope, redirect_uris,
    access_token_validity_seconds, state, date_created_ms, date_modified_ms, created_by, modified_by, date_to_delete_ms, description,
    pre_authorized)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET ${UPSERT_CLIENT_SET}`,
  // Everything an admin's PUT replaces; the id, organization, secret and creation stay. The API
  // never changes pre_authorized: its PUT passes the stored value on (admin/clients.ts).
  updateClient: `UPDATE clients SET name = ?, description = ?, authorized_grant_type = ?, scope = ?, redirect_uris = ?,
    access_token_validity_seconds = ?, state = ?, date_modified_ms = ?, modified_by = ?, date_to_delete_ms = ?, pre_authorized = ?
    WHERE id = ?`,
  // Conditional on the client row, so a PUT racing a DELETE cannot leave roles of a deleted client.
  insertClientRoleIfClient: `INSERT INTO client_roles (client_id, role_id, division_id)
    SELECT id, CAST(? AS TEXT), CAST(? AS TEXT) FROM clients WHERE id = ?`,
  tombstoneClient: `INSERT INTO deleted_clients (id, organization_id, deleted_at_ms)
    SELECT id, organization_id, CAST(? AS BIGINT) FROM clients WHERE id = ?
    ON CONFLICT (id) DO UPDATE SET deleted_at_ms = excluded.deleted_at_ms`,
  deleteClient: 'DELETE FROM clients WHERE id = ?',
  // First in a delete: takes the client's row before the revocation, as a disable's UPDATE does,
  // so that an issuance holding it (pg-issuance.ts) commits first and is revoked with the rest.
  touchClient: 'UPDATE clients SET date_modified_ms = ? WHERE id = ?',
  findDeletedClient: 'SELECT id FROM deleted_clients WHERE id = ?',
  forgetDeletedClient: 'DELETE FROM deleted_clients WHERE id = ?',
  findSeedApplied: 'SELECT field, value FROM seed_applied WHERE entity_kind = ? AND entity_id = ?',
  rememberSeedApplied: `INSERT INTO seed_applied (entity_kind, entity_id, field, value, applied_at_ms) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (entity_kind, entity_id, field) DO UPDATE SET value = excluded.value, applied_at_ms = excluded.applied_at_ms`,
  deleteClientRoles: 'DELETE FROM client_roles WHERE client_id = ?',
  insertClientRole: 'INSERT INTO client_roles (client_id, role_id, division_id) VALUES (?, ?, ?)',
  setClientState: 'UPDATE clients SET state = ?, date_modified_ms = ? WHERE id = ?',
  setClientSecretHash: 'UPDATE clients SET secret_hash = ?, date_modified_ms = ?, modified_by = COALESCE(?, modified_by) WHERE id = ?',
  insertUser: `INSERT INTO users (id, organization_id, name, name_key, email, email_key, password_hash, state, date_created_ms, date_modified_ms, details)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  // A disable, an enable or a delete is a change of the person: it moves their version.
  setUserState: 'UPDATE users SET state = ?, date_modified_ms = ?, version = version + 1 WHERE id = ?',
  setUserPasswordHash: 'UPDATE users SET password_hash = ?, date_modified_ms = ? WHERE id = ?',

  /** A token as it is, whatever its client: for loading tokens in bulk (bench/prepare.mjs), never for issuing. */
  insertToken: `INSERT INTO tokens (hash, kind, organization_id, client_id, user_id, scopes, grant_type,
    issued_at_ms, expires_at_ms, last_used_at_ms, revoked_at_ms, family_id, code_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  insertTokenIfActive: `INSERT INTO tokens (${TOKEN_COLUMNS}) SELECT ${TOKEN_VALUES} WHERE ${ISSUER_ACTIVE}`,
  findTokenByHash: 'SELECT * FROM tokens WHERE hash = ?',
  // Only forward, only while live (store.ts: touch never revives a revoked token).
  touchToken: `UPDATE tokens SET last_used_at_ms = ? WHERE hash = ? AND revoked_at_ms IS NULL AND last_used_at_ms < ?`,
  revokeToken: 'UPDATE tokens SET revoked_at_ms = ? WHERE hash = ? AND revoked_at_ms IS NULL',
  revokeUserTokens: 'UPDATE tokens SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL',
  revokeFamily: 'UPDATE tokens SET revoked_at_ms = ? WHERE family_id = ? AND revoked_at_ms IS NULL',
  deleteExpired: 'DELETE FROM tokens WHERE expires_at_ms < ?',
  // No index by client (each would cost every issuance a B-tree insert, migration 3): disabling a
  // client is a rare admin action and scans the table (docs/performance.md, "Revoking a client's tokens").
  revokeClientTokens: 'UPDATE tokens SET revoked_at_ms = ? WHERE client_id = ? AND revoked_at_ms IS NULL',
  // A code not yet redeemed is burnt as a failed redemption would burn it: enabling the client
  // again within the code's five minutes must not turn it into tokens.
  burnClientCodes: 'UPDATE authorization_codes SET consumed_at_ms = ? WHERE client_id = ? AND consumed_at_ms IS NULL',
  revokeAllTokens: 'UPDATE tokens SET revoked_at_ms = ? WHERE revoked_at_ms IS NULL',
  burnAllCodes: 'UPDATE authorization_codes SET consumed_at_ms = ? WHERE consumed_at_ms IS NULL',

  // Browser sign-in (migration 2). The two races (code redemption, refresh rotation) are each
  // one batch whose first statement claims and whose others are conditional on that claim, so
  // the batch's writes happen for the claimant alone (store.ts).
  findOrganizationByName: 'SELECT * FROM organizations WHERE name_key = ?',
  listUserTokens: 'SELECT * FROM tokens WHERE user_id = ? AND revoked_at_ms IS NULL AND expires_at_ms > ? ORDER BY issued_at_ms DESC, hash',
  // No index by client (every issuance would pay for one): a scan, as revokeClientTokens is, for the command line only.
  listClientTokens: 'SELECT * FROM tokens WHERE client_id = ? AND revoked_at_ms IS NULL AND expires_at_ms > ? ORDER BY issued_at_ms DESC, hash',
  revokeCodeTokens: 'UPDATE tokens SET revoked_at_ms = ? WHERE code_hash = ? AND revoked_at_ms IS NULL',

  insertCode: `INSERT INTO authorization_codes (hash, client_id, user_id, organization_id, session_hash, redirect_uri, scopes,
    code_challenge, issued_at_ms, expires_at_ms, consumed_at_ms, family_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  findCodeByHash: 'SELECT * FROM authorization_codes WHERE hash = ?',
  // The claim: only one caller's UPDATE finds the code unconsumed and writes its family id.
  consumeCode: 'UPDATE authorization_codes SET consumed_at_ms = ?, family_id = ? WHERE hash = ? AND consumed_at_ms IS NULL',
  insertTokenIfCodeRedeemed: `INSERT INTO tokens (${TOKEN_COLUMNS}) SELECT ${TOKEN_VALUES}
    WHERE EXISTS (SELECT 1 FROM authorization_codes WHERE hash = ? AND family_id = ?) AND ${ISSUER_ACTIVE}`,
  linkCodeSession: `INSERT INTO session_families (session_hash, family_id)
    SELECT session_hash, family_id FROM authorization_codes WHERE hash = ? AND family_id = ? AND session_hash IS NOT NULL
    ON CONFLICT (session_hash, family_id) DO NOTHING`,

  // The claim: the primary key lets one successor per refresh token in, whoever races.
  claimRotation: `INSERT INTO refresh_rotations (hash, successor_hash, rotated_at_ms)
    SELECT hash, CAST(? AS TEXT), CAST(? AS BIGINT) FROM tokens
    WHERE hash = ? AND kind = 'refresh' AND revoked_at_ms IS NULL AND expires_at_ms > ?
    ON CONFLICT (hash) DO NOTHING`,
  revokeRotated: `UPDATE tokens SET revoked_at_ms = ? WHERE hash = ? AND revoked_at_ms IS NULL
    AND EXISTS (SELECT 1 FROM refresh_rotations WHERE hash = ? AND successor_hash = ?)`,
  insertTokenIfRotated: `INSERT INTO tokens (${TOKEN_COLUMNS}) SELECT ${TOKEN_VALUES}
    WHERE EXISTS (SELECT 1 FROM refresh_rotations WHERE hash = ? AND successor_hash = ?) AND ${ISSUER_ACTIVE}`,

  insertSession: `INSERT INTO sign_in_sessions (hash, user_id, organization_id, created_at_ms, expires_at_ms, revoked_at_ms)
    VALUES (?, ?, ?, ?, ?, ?)`,
  findSessionByHash: 'SELECT * FROM sign_in_sessions WHERE hash = ?',
  revokeSession: 'UPDATE sign_in_sessions SET revoked_at_ms = ? WHERE hash = ? AND revoked_at_ms IS NULL',
  revokeUserSessions: 'UPDATE sign_in_sessions SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL',
  revokeAllSessions: 'UPDATE sign_in_sessions SET revoked_at_ms = ? WHERE revoked_at_ms IS NULL',
  linkSessionFamily: 'INSERT INTO session_families (session_hash, family_id) VALUES (?, ?) ON CONFLICT (session_hash, family_id) DO NOTHING',
  listSessionFamilies: 'SELECT family_id FROM session_families WHERE session_hash = ? ORDER BY family_id',
  // "family_id IS NOT NULL" lets PostgreSQL look each family up in the partial tokens_by_family
  // (migration 3): a join condition alone does not prove the index's predicate there.
  revokeSessionTokens: `UPDATE tokens SET revoked_at_ms = ? WHERE revoked_at_ms IS NULL AND family_id IS NOT NULL
    AND family_id IN (SELECT family_id FROM session_families WHERE session_hash = ?)`,

  // A fixed window per key, opened by its first attempt. The conditional upsert is the whole
  // reservation: SQLite runs it under its write lock and PostgreSQL re-checks the WHERE clause
  // on the locked row, so of N racing callers on any number of nodes at most `limit` get a row.
  reserveAttempt: `INSERT INTO sign_in_failures (throttle_key, window_start_ms, failures) VALUES (?, ?, 1)
    ON CONFLICT (throttle_key) DO UPDATE SET
      failures = CASE WHEN sign_in_failures.window_start_ms <= ? THEN 1 ELSE sign_in_failures.failures + 1 END,
      window_start_ms = CASE WHEN sign_in_failures.window_start_ms <= ? THEN excluded.window_start_ms ELSE sign_in_failures.window_start_ms END
      WHERE sign_in_failures.window_start_ms <= ? OR sign_in_failures.failures < ?
    RETURNING failures, window_start_ms`,
  releaseAttempt: 'UPDATE sign_in_failures SET failures = failures - 1 WHERE throttle_key = ? AND window_start_ms = ? AND failures > 0',
  findSignInFailures: 'SELECT failures, window_start_ms FROM sign_in_failures WHERE throttle_key = ?',
  clearSignInFailures: 'DELETE FROM sign_in_failures WHERE throttle_key = ?',
  findClientAddress: 'SELECT last_success_ms FROM client_addresses WHERE client_id = ? AND address = ?',
  // Moves only forward, and only by a day or more: a remembered address costs one write a day.
  rememberClientAddress: `INSERT INTO client_addresses (client_id, address, last_success_ms) VALUES (?, ?, ?)
    ON CONFLICT (client_id, address) DO UPDATE SET last_success_ms = excluded.last_success_ms
      WHERE client_addresses.last_success_ms <= excluded.last_success_ms - ?`,
  deleteOldClientAddresses: 'DELETE FROM client_addresses WHERE last_success_ms < ?',

  deleteExpiredCodes: 'DELETE FROM authorization_codes WHERE expires_at_ms < ?',
  deleteOldRotations: 'DELETE FROM refresh_rotations WHERE rotated_at_ms < ?',
  deleteExpiredSessionFamilies: `DELETE FROM session_families WHERE session_hash IN
    (SELECT hash FROM sign_in_sessions WHERE expires_at_ms < ?)`,
  deleteExpiredSessions: 'DELETE FROM sign_in_sessions WHERE expires_at_ms < ?',
  deleteOldSignInFailures: 'DELETE FROM sign_in_failures WHERE window_start_ms < ?',

  insertDevice: 'INSERT INTO sign_in_devices (hash, user_id, created_at_ms, expires_at_ms) VALUES (?, ?, ?, ?)',
  findDeviceByHash: 'SELECT * FROM sign_in_devices WHERE hash = ?',
  deleteExpiredDevices: 'DELETE FROM sign_in_devices WHERE expires_at_ms < ?',
} as const;
