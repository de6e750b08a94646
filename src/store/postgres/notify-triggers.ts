/**
 * Cross-node invalidation is written by the database itself: triggers send NOTIFY on the
 * channel {@link CHANGES_CHANNEL} in the same transaction as the change, so a notification is
 * delivered if and only if the change commits, whichever node (or tool, or psql session) made it.
 *
 * Payloads: `t:<token hash>` when a token is revoked (one per row, so other nodes drop just
 * that token), `*` when anything of the directory changes (organizations, clients, users, roles,
 * groups and their links: rare, and other nodes then drop every cache). Last-use writes
 * (touchTokens) never notify: they only move `last_used_at_ms`.
 */
import type pg from 'pg';

export const CHANGES_CHANNEL = 'tokend_changes';
export const DIRECTORY_CHANGED = '*';
export const TOKEN_REVOKED_PREFIX = 't:';

const DIRECTORY_TABLES = ['organizations', 'roles', 'directory_groups', 'users', 'user_roles', 'group_members', 'clients', 'client_roles'];

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
END $$;`;

/**
 * Creates the triggers that are missing. Existing ones are left alone: re-creating a trigger
 * locks its table, which would stall the other nodes' traffic on every rolling restart.
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
  for (const table of DIRECTORY_TABLES) {
    if (have.has(`${table}.tokend_directory_changed`)) continue;
    await client.query(`CREATE TRIGGER tokend_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION tokend_notify_directory_changed()`);
  }
}
