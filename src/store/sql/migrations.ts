/**
 * Versioned schema migrations, shared by every SQL backend. Times are epoch milliseconds in
 * BIGINT columns; lists are JSON text. A migration is applied once, in order, in a transaction,
 * and recorded in `schema_migrations`. Never edit a released migration: add the next one.
 */
/** The ledger of applied migrations; every backend creates it before migrating. */
export const SCHEMA_MIGRATIONS_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)';
export const SELECT_APPLIED_MIGRATIONS = 'SELECT version FROM schema_migrations';
/**
 * A write that changes no row: it still takes the write lock (SQLite) and is still refused by a
 * read-only database or transaction (PostgreSQL checks before it looks for rows).
 */
export const PROBE_WRITE = 'UPDATE schema_migrations SET applied_at_ms = applied_at_ms WHERE version = -1';
export const RECORD_MIGRATION = 'INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'directory and tokens',
    sql: `
CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  home_division_id TEXT NOT NULL,
  idle_token_timeout TEXT NOT NULL
);
CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  permissions TEXT NOT NULL,
  UNIQUE (organization_id, name)
);
CREATE TABLE directory_groups (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  UNIQUE (organization_id, name)
);
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT,
  state TEXT NOT NULL,
  date_created_ms BIGINT NOT NULL,
  date_modified_ms BIGINT NOT NULL,
  UNIQUE (organization_id, email)
);
CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users (id),
  role_id TEXT NOT NULL REFERENCES roles (id),
  PRIMARY KEY (user_id, role_id)
);
CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES directory_groups (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  PRIMARY KEY (group_id, user_id)
);
CREATE TABLE clients (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  secret_hash TEXT,
  authorized_grant_type TEXT NOT NULL,
  scope TEXT NOT NULL,
  redirect_uris TEXT NOT NULL,
  access_token_validity_seconds INTEGER NOT NULL,
  state TEXT NOT NULL,
  date_created_ms BIGINT NOT NULL,
  date_modified_ms BIGINT NOT NULL,
  created_by TEXT,
  modified_by TEXT,
  date_to_delete_ms BIGINT
);
CREATE TABLE client_roles (
  client_id TEXT NOT NULL REFERENCES clients (id),
  role_id TEXT NOT NULL REFERENCES roles (id),
  division_id TEXT NOT NULL,
  PRIMARY KEY (client_id, role_id, division_id)
);
CREATE TABLE tokens (
  hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  user_id TEXT,
  scopes TEXT NOT NULL,
  grant_type TEXT NOT NULL,
  issued_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  last_used_at_ms BIGINT NOT NULL,
  revoked_at_ms BIGINT,
  family_id TEXT,
  code_hash TEXT
);
CREATE INDEX tokens_by_user ON tokens (user_id);
CREATE INDEX tokens_by_family ON tokens (family_id);
CREATE INDEX tokens_by_expiry ON tokens (expires_at_ms);
`,
  },
  {
    version: 2,
    name: 'browser sign-in: authorization codes, sessions, throttling',
    sql: `
CREATE TABLE authorization_codes (
  hash TEXT PRIMARY KEY,
  client_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  session_hash TEXT,
  redirect_uri TEXT NOT NULL,
  scopes TEXT NOT NULL,
  code_challenge TEXT,
  issued_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  consumed_at_ms BIGINT,
  family_id TEXT
);
CREATE INDEX authorization_codes_by_expiry ON authorization_codes (expires_at_ms);
CREATE TABLE sign_in_sessions (
  hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  revoked_at_ms BIGINT
);
CREATE INDEX sign_in_sessions_by_user ON sign_in_sessions (user_id);
CREATE INDEX sign_in_sessions_by_expiry ON sign_in_sessions (expires_at_ms);
CREATE TABLE session_families (
  session_hash TEXT NOT NULL,
  family_id TEXT NOT NULL,
  PRIMARY KEY (session_hash, family_id)
);
CREATE TABLE sign_in_failures (
  throttle_key TEXT PRIMARY KEY,
  window_start_ms BIGINT NOT NULL,
  failures INTEGER NOT NULL
);
CREATE TABLE refresh_rotations (
  hash TEXT PRIMARY KEY,
  successor_hash TEXT NOT NULL,
  rotated_at_ms BIGINT NOT NULL
);
CREATE INDEX tokens_by_code ON tokens (code_hash);
`,
  },
  {
    // Client-credentials tokens have no user, family or code, and are most of the tokens issued:
    // indexing their NULLs cost three B-tree inserts per issuance that no query ever reads (every
    // lookup is "column = ?", which implies NOT NULL, so both SQLite and PostgreSQL use these).
    version: 3,
    name: 'token indexes leave out NULL users, families and codes',
    sql: `
DROP INDEX tokens_by_user;
DROP INDEX tokens_by_family;
DROP INDEX tokens_by_code;
CREATE INDEX tokens_by_user ON tokens (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX tokens_by_family ON tokens (family_id) WHERE family_id IS NOT NULL;
CREATE INDEX tokens_by_code ON tokens (code_hash) WHERE code_hash IS NOT NULL;
`,
  },
  {
    // Browser sign-in's device cookies (CONTRACT.md, "Sign-in and client-authentication
    // throttling"): a browser that signed in to an account before is recognised by a random
    // cookie, stored here only as its SHA-256.
    version: 4,
    name: 'sign-in devices',
    sql: `
CREATE TABLE sign_in_devices (
  hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  expires_at_ms BIGINT NOT NULL
);
CREATE INDEX sign_in_devices_by_expiry ON sign_in_devices (expires_at_ms);
`,
  },
  {
    // What a seed file last applied, per entity and field, so that applying it again re-asserts
    // only what the file changed since (an admin's rotation or disable holds until then). Values
    // are canonical JSON; a secret or password is remembered as the scrypt hash the seed wrote,
    // never usable.
    version: 5,
    name: 'seed memory: the fields a seed last applied',
    sql: `
CREATE TABLE seed_applied (
  entity_kind TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT,
  applied_at_ms BIGINT NOT NULL,
  PRIMARY KEY (entity_kind, entity_id, field)
);
`,
  },
  {
    // The OAuth clients API (issue 14): a client's description (OAuthClientRequest.description),
    // the page order of an organization's clients, and a tombstone per deleted client so that a
    // seed applied again does not bring back a client an admin deleted (seed/apply.ts).
    version: 6,
    name: 'oauth clients api: description, listing order, deleted clients',
    sql: `
ALTER TABLE clients ADD COLUMN description TEXT;
CREATE INDEX clients_by_organization ON clients (organization_id, name, id);
CREATE TABLE deleted_clients (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL,
  deleted_at_ms BIGINT NOT NULL
);
`,
  },
  {
    // The addresses each client authenticated from (CONTRACT.md, "Sign-in and client-authentication
    // throttling"): once a client id is at its cap from all addresses together, only these are
    // still checked, so failures from elsewhere cannot shut a service out. Only a success writes a
    // row, at most once per client, address and day; rows are forgotten 30 days after the last one.
    version: 7,
    name: 'remembered client addresses',
    sql: `
CREATE TABLE client_addresses (
  client_id TEXT NOT NULL,
  address TEXT NOT NULL,
  last_success_ms BIGINT NOT NULL,
  PRIMARY KEY (client_id, address)
);
CREATE INDEX client_addresses_by_time ON client_addresses (last_success_ms);
`,
  },
];
