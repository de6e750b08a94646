/**
 * What the PostgreSQL triggers tell other nodes (notify-triggers.ts): which organization, client,
 * user, role or group changed, whichever connection made the change, so that their caches drop
 * just that. A database set up with the older statement triggers gets the row triggers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import type { DirectoryChange } from '../../src/core/ports/changes-port.js';
import { ACME, clients, groups, users } from '../helpers/fixture.js';
import { pgTestDatabase } from '../helpers/pg-template.js';
import { createDatabase, type TestDatabase } from '../helpers/postgres.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip({ once: true });
const T = Date.UTC(2026, 0, 1, 12);
const ADMIN_ROLE = '11111111-0000-4000-8000-00000000a001';

async function sql(url: string, text: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await client.query(text, params);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL change notifications name the entity', { skip }, () => {
  let database: TestDatabase;
  let store: PgStore;
  let other: PgStore;
  const heard: DirectoryChange[] = [];

  before(async () => {
    database = await pgTestDatabase(true);
    store = new PgStore(database.url);
    other = new PgStore(database.url);
    await store.migrate();
    await other.migrate();
    store.watchDirectory((change) => heard.push(change));
  });
  after(async () => {
    await other?.close();
    await store?.close();
    await database?.drop();
  });

  /** What `store` hears after `change` runs elsewhere, and whether its version moved. */
  async function hear(change: () => Promise<unknown>): Promise<{ heard: DirectoryChange[]; versionMoved: boolean }> {
    heard.length = 0;
    const version = store.changeVersion();
    await change();
    // A notification marks the end of what the change sent: both travel on one connection, in order.
    await sql(database.url, "SELECT pg_notify('tokend_changes', 'u:end-marker')");
    const until = Date.now() + 2000;
    while (!heard.some((c) => c.id === 'end-marker') && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 5));
    return { heard: heard.filter((c) => c.id !== 'end-marker'), versionMoved: store.changeVersion() !== version };
  }

  test('a client, a user, an organization, a role: each named, and no cache dropped whole', async () => {
    assert.deepEqual(await hear(() => other.setClientState(clients.plain.id, 'disabled', T)), {
      heard: [{ kind: 'client', id: clients.plain.id }],
      versionMoved: false,
    });
    assert.deepEqual(await hear(() => other.setUserState(users.bob.id, 'inactive', T)), { heard: [{ kind: 'user', id: users.bob.id }], versionMoved: false });
    const acme = await other.findOrganization(ACME);
    assert.deepEqual(await hear(() => other.setIdleTokenTimeout(ACME, { ...acme!.idleTokenTimeout, idleTokenTimeoutSeconds: 1200 })), {
      heard: [{ kind: 'organization', id: ACME }],
      versionMoved: false,
    });
    assert.deepEqual(await hear(() => sql(database.url, 'UPDATE roles SET name = name WHERE id = $1', [ADMIN_ROLE])), {
      heard: [{ kind: 'role', id: ADMIN_ROLE }],
      versionMoved: false,
    });
  });

  test("a change of a user's roles or groups names the user, of a client's roles the client", async () => {
    assert.deepEqual(await hear(() => sql(database.url, 'DELETE FROM user_roles WHERE user_id = $1', [users.alice.id])), {
      heard: [{ kind: 'user', id: users.alice.id }],
      versionMoved: false,
    });
    assert.deepEqual(await hear(() => sql(database.url, 'DELETE FROM group_members WHERE user_id = $1', [users.carol.id])), {
      heard: [{ kind: 'user', id: users.carol.id }],
      versionMoved: false,
    });
    assert.deepEqual(await hear(() => sql(database.url, 'DELETE FROM client_roles WHERE client_id = $1', [clients.admin.id])), {
      heard: [{ kind: 'client', id: clients.admin.id }],
      versionMoved: false,
    });
  });

  test('a change to a group names the group, and no cache is dropped whole (the groups API writes them now)', async () => {
    assert.deepEqual(await hear(() => sql(database.url, 'UPDATE directory_groups SET name = name WHERE id = $1', [groups.nightShift])), {
      heard: [{ kind: 'group', id: groups.nightShift }],
      versionMoved: false,
    });
  });

  test('a database whose groups still send "*" gets the row triggers on directory_groups', async () => {
    const old = await createDatabase();
    const store = new PgStore(old.url);
    try {
      await store.migrate();
      await sql(
        old.url,
        `DROP TRIGGER tokend_entity_changed ON directory_groups; DROP TRIGGER tokend_entity_truncated ON directory_groups;
        CREATE TRIGGER tokend_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON directory_groups FOR EACH STATEMENT EXECUTE FUNCTION tokend_notify_directory_changed()`,
      );
      await store.migrate();
      const triggers = await sql(
        old.url,
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = 'directory_groups' AND t.tgname LIKE 'tokend_%' ORDER BY 1",
      );
      assert.deepEqual(
        triggers.rows.map((r) => r.tgname),
        ['tokend_entity_changed', 'tokend_entity_truncated'],
      );
    } finally {
      await store.close();
      await old.drop();
    }
  });

  test('a database with the older statement triggers gets the row triggers instead', async () => {
    const old = await createDatabase();
    const store = new PgStore(old.url);
    try {
      await store.migrate();
      await sql(
        old.url,
        `DROP TRIGGER tokend_entity_changed ON clients; DROP TRIGGER tokend_entity_truncated ON clients;
        CREATE TRIGGER tokend_directory_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON clients FOR EACH STATEMENT EXECUTE FUNCTION tokend_notify_directory_changed()`,
      );
      await store.migrate();
      const triggers = await sql(
        old.url,
        "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = 'clients' AND t.tgname LIKE 'tokend_%' ORDER BY 1",
      );
      assert.deepEqual(
        triggers.rows.map((r) => r.tgname),
        ['tokend_entity_changed', 'tokend_entity_truncated'],
      );
    } finally {
      await store.close();
      await old.drop();
    }
  });
});
