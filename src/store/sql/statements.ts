/**
 * The SQL every backend runs, written once with `?` placeholders (drivers that number their
 * parameters rewrite them). Only portable SQL here: ON CONFLICT upserts and CASE, no MAX(a, b).
 */
const UPSERT_CLIENT_SET = `name = excluded.name, secret_hash = excluded.secret_hash,
  authorized_grant_type = excluded.authorized_grant_type, scope = excluded.scope, redirect_uris = excluded.redirect_uris,
  access_token_validity_seconds = excluded.access_token_validity_seconds, state = excluded.state,
  date_modified_ms = excluded.date_modified_ms, modified_by = excluded.modified_by, date_to_delete_ms = excluded.date_to_delete_ms`;

export const SQL = {
  findOrganization: 'SELECT * FROM organizations WHERE id = ?',
  findClient: 'SELECT * FROM clients WHERE id = ?',
  findClientRoles: 'SELECT role_id, division_id FROM client_roles WHERE client_id = ? ORDER BY role_id',
  listClients: 'SELECT * FROM clients ORDER BY organization_id, name',
  listClientsOfOrganization: 'SELECT * FROM clients WHERE organization_id = ? ORDER BY name',
  findUser: 'SELECT * FROM users WHERE id = ?',
  findUserByEmail: 'SELECT * FROM users WHERE organization_id = ? AND lower(email) = lower(?)',
  findUserRoles: 'SELECT role_id FROM user_roles WHERE user_id = ? ORDER BY role_id',
  findUserGroups: 'SELECT group_id FROM group_members WHERE user_id = ? ORDER BY group_id',
  findRole: 'SELECT * FROM roles WHERE id = ?',
  listGroups: 'SELECT * FROM directory_groups WHERE organization_id = ? ORDER BY name',

  setIdleTokenTimeout: 'UPDATE organizations SET idle_token_timeout = ? WHERE id = ?',
  upsertOrganization: `INSERT INTO organizations (id, name, home_division_id, idle_token_timeout) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, idle_token_timeout = excluded.idle_token_timeout`,
  upsertRole: `INSERT INTO roles (id, organization_id, name, permissions) VALUES (?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, permissions = excluded.permissions`,
  upsertGroup: `INSERT INTO directory_groups (id, organization_id, name) VALUES (?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name`,
  upsertUser: `INSERT INTO users (id, organization_id, name, email, password_hash, state, date_created_ms, date_modified_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email, password_hash = excluded.password_hash,
      state = excluded.state, date_modified_ms = excluded.date_modified_ms`,
  deleteUserRoles: 'DELETE FROM user_roles WHERE user_id = ?',
  insertUserRole: 'INSERT INTO user_roles (user_id, role_id) VALUES (?, ?)',
  deleteUserGroups: 'DELETE FROM group_members WHERE user_id = ?',
  insertUserGroup: 'INSERT INTO group_members (group_id, user_id) VALUES (?, ?)',
  insertClient: `INSERT INTO clients (id, organization_id, name, secret_hash, authorized_grant_type, scope, redirect_uris,
    access_token_validity_seconds, state, date_created_ms, date_modified_ms, created_by, modified_by, date_to_delete_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  upsertClient: `INSERT INTO clients (id, organization_id, name, secret_hash, authorized_grant_type, scope, redirect_uris,
    access_token_validity_seconds, state, date_created_ms, date_modified_ms, created_by, modified_by, date_to_delete_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET ${UPSERT_CLIENT_SET}`,
  deleteClientRoles: 'DELETE FROM client_roles WHERE client_id = ?',
  insertClientRole: 'INSERT INTO client_roles (client_id, role_id, division_id) VALUES (?, ?, ?)',
  setClientState: 'UPDATE clients SET state = ?, date_modified_ms = ? WHERE id = ?',
  setClientSecretHash: 'UPDATE clients SET secret_hash = ?, date_modified_ms = ? WHERE id = ?',
  insertUser: `INSERT INTO users (id, organization_id, name, email, password_hash, state, date_created_ms, date_modified_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  setUserState: 'UPDATE users SET state = ?, date_modified_ms = ? WHERE id = ?',
  setUserPasswordHash: 'UPDATE users SET password_hash = ?, date_modified_ms = ? WHERE id = ?',

  insertToken: `INSERT INTO tokens (hash, kind, organization_id, client_id, user_id, scopes, grant_type,
    issued_at_ms, expires_at_ms, last_used_at_ms, revoked_at_ms, family_id, code_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  findTokenByHash: 'SELECT * FROM tokens WHERE hash = ?',
  // Only forward, only while live (store.ts: touch never revives a revoked token).
  touchToken: `UPDATE tokens SET last_used_at_ms = ? WHERE hash = ? AND revoked_at_ms IS NULL AND last_used_at_ms < ?`,
  revokeToken: 'UPDATE tokens SET revoked_at_ms = ? WHERE hash = ? AND revoked_at_ms IS NULL',
  revokeUserTokens: 'UPDATE tokens SET revoked_at_ms = ? WHERE user_id = ? AND revoked_at_ms IS NULL',
  revokeFamily: 'UPDATE tokens SET revoked_at_ms = ? WHERE family_id = ? AND revoked_at_ms IS NULL',
  deleteExpired: 'DELETE FROM tokens WHERE expires_at_ms < ?',
} as const;
