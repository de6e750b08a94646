/**
 * Versioned schema migrations, shared by every SQL backend. Times are epoch milliseconds in
 * BIGINT columns; lists are JSON text. A migration is applied once, in order, in a transaction,
 * and recorded in `schema_migrations`. Never edit a released migration: add the next one.
 */
import { normalForm } from '../../core/normal-form.js';

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

export type MigrationRow = Record<string, unknown>;

/**
 * New values SQL cannot compute (a Unicode normal form): the rows of `select` are read, `params`
 * gives the `update` parameters of each, and each is written back, in the migration's transaction.
 */
export interface RowRewrite {
  select: string;
  update: string;
  /** Throws {@link MigrationStopped} to stop the migration: its transaction then changes nothing. */
  params(rows: readonly MigrationRow[]): unknown[][];
}

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** Run after `sql`, in order. */
  rewrites?: readonly RowRewrite[];
  /** Run after the rewrites (indexes on what they wrote). */
  finish?: string;
}

/** Data a migration cannot migrate as it is: what is wrong with which rows, and what to do. */
export class MigrationStopped extends Error {
  override name = 'MigrationStopped';
  constructor(
    readonly problems: readonly string[],
    readonly remedy: string,
  ) {
    super(`${problems.join('; ')}; ${remedy}`);
  }
}

/**
 * The `update` parameters of each rewrite of `migration`, from the rows its `select` read (in
 * order); the problems every rewrite found, together, in one error that stops the migration.
 */
export function planRewrites(migration: Migration, rowsOfEach: readonly (readonly MigrationRow[])[]): unknown[][][] {
  const problems: string[] = [];
  let remedy = '';
  const plans = (migration.rewrites ?? []).map((rewrite, i) => {
    try {
      return rewrite.params(rowsOfEach[i] ?? []);
    } catch (error) {
      if (!(error instanceof MigrationStopped)) throw error;
      problems.push(...error.problems);
      remedy = error.remedy;
      return [];
    }
  });
  if (problems.length > 0) {
    throw new MigrationStopped(
      [`migration ${migration.version} (${migration.name}) stopped, nothing was changed: ${problems[0]}`, ...problems.slice(1)],
      remedy,
    );
  }
  return plans;
}

/**
 * Each row's key in core's normal form; stops, naming them, when two rows of one `scope` share
 * a key (two accounts a person could not tell apart, which the new unique index could not hold).
 */
function keysOrStop(rows: readonly MigrationRow[], column: string, scope: string | null, what: string): unknown[][] {
  const seen = new Map<string, MigrationRow>();
  const clashes: string[] = [];
  const params: unknown[][] = [];
  for (const row of rows) {
    const key = normalForm(String(row[column]));
    const at = `${scope === null ? '' : String(row[scope])}\u0000${key}`;
    const earlier = seen.get(at);
    if (earlier === undefined) seen.set(at, row);
    else
      clashes.push(
        `${what} ${String(earlier.id)} (${JSON.stringify(earlier[column])}) and ${String(row.id)} (${JSON.stringify(row[column])})` +
          `${scope === null ? '' : ` of organization ${String(row[scope])}`} are both ${JSON.stringify(key)} in the normal form`,
      );
    params.push([key, row.id]);
  }
  if (clashes.length > 0) {
    throw new MigrationStopped(
      clashes,
      'emails and organization names are now compared in one normal form (NFKC, then lower case): rename one of each pair with the version of tokend that made them, then start again',
    );
  }
  return params;
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
    // The OAuth clients API: a client's description (OAuthClientRequest.description),
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
  {
    // Consent (CONTRACT.md, "Consent"): a person's Allow for an app, remembered per person and
    // client with the scopes allowed and a digest of the client's redirect URIs and scopes as
    // they were (core/consent/terms.ts), so that changing them voids it; and the flag a seed or
    // the command line (never the API) sets on a first-party client whose sign-ins skip the page.
    // Deleting the client or the person deletes their authorizations.
    version: 8,
    name: 'consent: oauth authorizations, pre-authorized clients',
    sql: `
ALTER TABLE clients ADD COLUMN pre_authorized INTEGER NOT NULL DEFAULT 0;
CREATE TABLE oauth_authorizations (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL,
  scopes TEXT NOT NULL,
  client_terms TEXT NOT NULL,
  date_created_ms BIGINT NOT NULL,
  date_modified_ms BIGINT NOT NULL,
  created_by TEXT,
  modified_by TEXT,
  PRIMARY KEY (user_id, client_id)
);
CREATE INDEX oauth_authorizations_by_client ON oauth_authorizations (client_id);
`,
  },
  {
    // Emails and organization names keyed by core's normal form (core/normal-form.ts): SQL's
    // lower() folded them differently from the sign-in throttle, and differently on each
    // backend, so sixteen spellings of one email were sixteen throttle counts of one account.
    // The displayed value keeps what was typed; the key is what the store finds and is unique by.
    version: 9,
    name: 'emails and organization names in one normal form',
    sql: `
ALTER TABLE organizations ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email_key TEXT NOT NULL DEFAULT '';
`,
    rewrites: [
      {
        select: 'SELECT id, name FROM organizations ORDER BY id',
        update: 'UPDATE organizations SET name_key = ? WHERE id = ?',
        params: (rows) => keysOrStop(rows, 'name', null, 'organizations'),
      },
      {
        select: 'SELECT id, organization_id, email FROM users ORDER BY organization_id, id',
        update: 'UPDATE users SET email_key = ? WHERE id = ?',
        params: (rows) => keysOrStop(rows, 'email', 'organization_id', 'users'),
      },
    ],
    finish: `
CREATE UNIQUE INDEX organizations_by_name_key ON organizations (name_key);
CREATE UNIQUE INDEX users_by_email_key ON users (organization_id, email_key);
`,
  },
  {
    // The groups API (GroupsApi) and the password policy (OrganizationApi's authentication
    // settings). A group gains the fields of the SDK's Group that tokend answers as given, a
    // version that every write moves (a stale one is refused), the time of its last change (null
    // for a group written before: never shown), and a write token that lets the statements of
    // one batch act only when that batch's own version check passed (sql/group-writes.ts).
    // Fields tokend only keeps to answer back (images, addresses, owners, ...) are one JSON text.
    // A user's groups are read with the user (on every token cache miss): the primary key of
    // group_members leads with the group, so they get an index of their own.
    // An organization's OrgAuthSettings are one JSON text too; no row means the defaults.
    version: 12,
    name: 'groups api and password policy: group fields and version, organization auth settings',
    sql: `
ALTER TABLE directory_groups ADD COLUMN description TEXT;
ALTER TABLE directory_groups ADD COLUMN group_type TEXT NOT NULL DEFAULT 'official';
ALTER TABLE directory_groups ADD COLUMN visibility TEXT NOT NULL DEFAULT 'public';
ALTER TABLE directory_groups ADD COLUMN rules_visible INTEGER NOT NULL DEFAULT 1;
ALTER TABLE directory_groups ADD COLUMN state TEXT NOT NULL DEFAULT 'active';
ALTER TABLE directory_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE directory_groups ADD COLUMN date_modified_ms BIGINT;
ALTER TABLE directory_groups ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE directory_groups ADD COLUMN write_token TEXT;
CREATE INDEX group_members_by_user ON group_members (user_id);
CREATE TABLE organization_auth_settings (
  organization_id TEXT PRIMARY KEY REFERENCES organizations (id),
  settings TEXT NOT NULL
);
`,
  },
  {
    // The users API (UsersApi). A person gains a version that every write through the admin core
    // moves (a stale PATCH is refused), the fields of the SDK's User that tokend answers as given
    // (one JSON text), a write token that lets the statements of one batch act only when that
    // batch's own version check passed (sql/user-writes.ts), and their name in core's normal form
    // (core/normal-form.ts): the listing pages by it, so that a page of 10,000 people is read
    // from an index, never sorted (docs/performance-users.md). A listing filters by state or not
    // ("any"): one index for each. A deleted person keeps their row, email and roles (an admin
    // may restore them).
    version: 13,
    name: 'users api: user version, kept fields, listing order',
    sql: `
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
ALTER TABLE users ADD COLUMN write_token TEXT;
ALTER TABLE users ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
`,
    rewrites: [
      {
        select: 'SELECT id, name FROM users ORDER BY id',
        update: 'UPDATE users SET name_key = ? WHERE id = ?',
        params: (rows) => rows.map((row) => [normalForm(String(row.name)), row.id]),
      },
    ],
    finish: `
CREATE INDEX users_by_state_and_name ON users (organization_id, state, name_key, id);
CREATE INDEX users_by_name ON users (organization_id, name_key, id);
`,
  },
  {
    // Divisions (AuthorizationApi): each organization's home division becomes a row of its own,
    // named "Home" as Genesys names it, so that it can be listed with the others and its
    // description changed. The key is (organization, id): an id is unique within its organization
    // only, as organizations made before this table may share a home division id. `name_key` is
    // the name in core's normal form, unique per organization; `version` is never shown (the
    // SDK's AuthzDivision has none): a write to a division moves it, which takes the row's lock,
    // so that a grant in a division and the division's delete are never both let through
    // (sql/grant-writes.ts).
    version: 14,
    name: 'divisions',
    sql: `
CREATE TABLE divisions (
  id TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  description TEXT,
  home INTEGER NOT NULL DEFAULT 0,
  version INTEGER NOT NULL DEFAULT 1,
  date_created_ms BIGINT NOT NULL,
  PRIMARY KEY (organization_id, id)
);
CREATE UNIQUE INDEX divisions_by_name_key ON divisions (organization_id, name_key);
INSERT INTO divisions (id, organization_id, name, name_key, description, home, version, date_created_ms)
  SELECT home_division_id, id, 'Home', 'home', NULL, 1, 1, 0 FROM organizations;
`,
  },
  {
    // Grants of a role in a division other than the home one (AuthorizationApi's subjects). A
    // person's grants in the home division stay the rows of user_roles, which the users API, the
    // seed and the command line have always read and written: a grant is a user_roles row when its
    // division is the home one, a user_grants row otherwise, never both. What a token may do is
    // the union of the roles of every grant (core/permissions.ts). Looked up by person (every
    // token cache miss), by division (a delete checks that none is left) and by role (a role's
    // delete takes it from its holders).
    version: 15,
    name: 'grants in divisions',
    sql: `
CREATE TABLE user_grants (
  user_id TEXT NOT NULL REFERENCES users (id),
  role_id TEXT NOT NULL REFERENCES roles (id),
  division_id TEXT NOT NULL,
  granted_at_ms BIGINT NOT NULL,
  PRIMARY KEY (user_id, role_id, division_id)
);
CREATE INDEX user_grants_by_division ON user_grants (division_id);
CREATE INDEX user_grants_by_role ON user_grants (role_id);
`,
  },
  {
    // The roles API's writes (AuthorizationApi): the fields of the SDK's DomainOrganizationRole
    // that tokend answers as given (description, defaultRoleId, the labels of the permission
    // policies it was given) are one JSON text; the permissions stay where every decision reads
    // them. A role's holders are listed by role: user_roles leads with the user.
    version: 16,
    name: 'roles api: kept role fields, holders by role',
    sql: `
ALTER TABLE roles ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
CREATE INDEX user_roles_by_role ON user_roles (role_id);
`,
  },
  {
    // SAML identity providers (IdentityProviderApi) and the SAML2 bearer grant's redeemed
    // assertions. A provider sits in a slot of its organization: a vendor path's name
    // (`generic`, `okta`, ...) holds one provider, `custom:<id>` each of the others. Its SAML
    // fields are one JSON text; its issuer and disabled flag have columns for the grant's
    // lookup. A redeemed assertion is remembered by issuer and ID until it expires, on every
    // node alike: the primary key makes a second redemption lose.
    version: 17,
    name: 'identity providers and redeemed saml assertions',
    sql: `
CREATE TABLE identity_providers (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organizations (id),
  slot TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  issuer_uri TEXT NOT NULL,
  fields TEXT NOT NULL,
  date_modified_ms BIGINT NOT NULL,
  UNIQUE (organization_id, slot)
);
CREATE TABLE saml_assertions_redeemed (
  issuer TEXT NOT NULL,
  assertion_id TEXT NOT NULL,
  expires_at_ms BIGINT NOT NULL,
  PRIMARY KEY (issuer, assertion_id)
);
CREATE INDEX saml_assertions_by_expiry ON saml_assertions_redeemed (expires_at_ms);
`,
  },
  {
    // The test clock's offset (core/test-clock.ts): one row, read only by a server started with
    // test controls on, so that every node of one database moves its clock together.
    version: 18,
    name: 'test clock offset',
    sql: `
CREATE TABLE test_clock (id INTEGER PRIMARY KEY, offset_ms BIGINT NOT NULL);
INSERT INTO test_clock (id, offset_ms) VALUES (1, 0);
`,
  },
  {
    // The organization API (OrganizationApi's putOrganizationsMe) and OAuth client usage
    // (OAuthApi's usage queries). An organization gains a version that every PUT moves (a stale
    // one is refused) and the fields of the SDK's Organization that tokend keeps to answer back
    // (one JSON text). Client usage is one row per client, UTC day, person, method and route
    // template, with a count per status class: nodes count in memory and add their counts to
    // these rows at most once a minute (core/client-usage.ts); rows older than 30 days are
    // deleted, by day, so the day leads an index of its own.
    version: 19,
    name: 'organization api and oauth client usage: organization version and fields, usage counts',
    sql: `
ALTER TABLE organizations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE organizations ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
CREATE TABLE oauth_client_usage (
  client_id TEXT NOT NULL,
  day TEXT NOT NULL,
  user_id TEXT NOT NULL,
  http_method TEXT NOT NULL,
  template_uri TEXT NOT NULL,
  organization_id TEXT NOT NULL,
  status200 BIGINT NOT NULL DEFAULT 0,
  status300 BIGINT NOT NULL DEFAULT 0,
  status400 BIGINT NOT NULL DEFAULT 0,
  status429 BIGINT NOT NULL DEFAULT 0,
  status500 BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (client_id, day, user_id, http_method, template_uri)
);
CREATE INDEX oauth_client_usage_by_day ON oauth_client_usage (day);
`,
  },
];
