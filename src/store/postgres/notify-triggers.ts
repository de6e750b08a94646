/**
 * Cross-node invalidation is written by the database itself: triggers send NOTIFY on the
 * channel {@link CHANGES_CHANNEL} in the same transaction as the change, so a notification is
 * delivered if and only if the change commits, whichever node (or tool, or psql session) made it.
 *
 * Payloads: `t:<token hash>` when a token is revoked (one per row, so other nodes drop just
 * that token); for the directory, which entity changed, one per row: `o:<organization id>`,
 * `c:<client id>` (a client row or its role grants), `u:<user id>` (a user row, its roles, its grants
 * in other divisions or its groups), `r:<role id>`, `g:<group id>` (a group row: nothing is cached by group, since a
 * group's members are `u:` rows), so that an admin API's stream of changes (a Terraform run)
 * drops only what each one touches on every node. `*` says "something changed" and drops every
 * cache: a TRUNCATE.
 * PostgreSQL folds identical payloads of one transaction into one notification. Last-use writes
 * (touchTokens) never notify: they only move `last_used_at_ms`.
 */
import type pg from 'pg';

export const CHANGES_CHANNEL = 'tokend_changes';
/**
 * Throttle keys that just counted a failure, space-separated (PgStore.announceFailures). A
 * channel of its own, so that a node of an older release, which does not listen on it, is not
 * told to drop its caches by a payload it does not understand.
 */
export const FAILURES_CHANNEL = 'tokend_failures';
/**
 * The test clock's offset in milliseconds, sent by the node that stored it (PgStore), so every
 * node moves its clock together (core/test-clock.ts). A channel of its own, as above.
 */
export const TEST_CLOCK_CHANNEL = 'tokend_test_clock';
export const DIRECTORY_CHANGED = '*';
export const TOKEN_REVOKED_PREFIX = 't:';

/** The payload prefix of each kind of directory entity (change-listener.ts reads them back). */
export const ENTITY_PREFIXES = { organization: 'o:', client: 'c:', user: 'u:', role: 'r:', group: 'g:' } as const;

/** Each table whose rows name an entity: the payload prefix and the column holding its id. */
const ENTITY_TABLES: ReadonlyArray<readonly [table: string, prefix: string, column: string]> = [
  ['organizations', ENTITY_PREFIXES.organization, 'id'],
  ['roles', ENTITY_PREFIXES.role, 'id'],
  ['users', ENTITY_PREFIXES.user, 'id'],
  ['user_roles', ENTITY_PREFIXES.user, 'user_id'],
  ['user_grants', ENTITY_PREFIXES.user, 'user_id'],
  ['group_members', ENTITY_PREFIXES.user, 'user_id'],
  ['clients', ENTITY_PREFIXES.client, 'id'],
  ['client_roles', ENTITY_PREFIXES.client, 'client_id'],
  ['directory_groups', ENTITY_PREFIXES.group, 'id'],
];

const FUNCTIONS = `
CREATE OR REPLACE FUNCTION tokend_notify_token_revoked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${CHANGES_CHANNEL}', '${TOKEN_REVOKED_PREFIX}' || NEW.hash);
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION tokend_notify_directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('${CHANGES_CHANNEL}', '${DIRECTORY_CHANGED}');
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION tokend_notify_entity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('${CHANGES_CHANNEL}', TG_ARGV[0] || (to_jsonb(OLD) ->> TG_ARGV[1])); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('${CHANGES_CHANNEL}', TG_ARGV[0] || (to_jsonb(NEW) ->> TG_ARGV[1])); END IF;
  RETURN NULL;
END $$;`;

/**
 * Creates the triggers that are missing. Existing ones are left alone: re-creating a trigger
 * locks its table, which would stall the other nodes' traffic on every rolling restart. A
 * database set up before entity payloads (or, for directory_groups, before the groups API) has
 * one statement trigger per table sending `*`: it is replaced once, in the migration's transaction (pg-migrate.ts) that creates the row
 * triggers; older nodes still running read the new payloads as `*`, as they read anything but `t:`.
 */
export async function installNotifyTriggers(client: pg.ClientBase): Promise<void> {
  await client.query(FUNCTIONS);
  const existing = await client.query<{ name: string }>(
    `SELECT c.relname || '.' || t.tgname AS name FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE c.relnamespace = current_schema()::regnamespace AND t.tgname LIKE 'tokend_%'`,
  );
  const have = new Set(existing.rows.map((r) => r.name));
  if (!have.has('tokens.tokend_token_revoked')) {
    await client.query(`CREATE TRIGGER tokend_token_revoked AFTER UPDATE OF revoked_at_ms ON tokens FOR EACH ROW
      WHEN (OLD.revoked_at_ms IS NULL AND NEW.revoked_at_ms IS NOT NULL) EXECUTE FUNCTION tokend_notify_token_revoked()`);
  }
  for (const [table, prefix, column] of ENTITY_TABLES) {
    if (have.has(`${table}.tokend_entity_changed`)) continue;
    await client.query(`DROP TRIGGER IF EXISTS tokend_directory_changed ON ${table}`);
    await client.query(`CREATE TRIGGER tokend_entity_changed AFTER INSERT OR UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION tokend_notify_entity_changed('${prefix}', '${column}')`);
    await client.query(`CREATE TRIGGER tokend_entity_truncated AFTER TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION tokend_notify_directory_changed()`);
  }
}
