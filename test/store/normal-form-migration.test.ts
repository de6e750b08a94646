/**
 * Migration 9 keys emails and organization names by core's normal form, on SQLite and on
 * PostgreSQL: it fills the keys of the rows that exist (computed in JavaScript: SQL has no NFKC),
 * makes them unique, and stops, naming both rows and changing nothing, where two rows are one in
 * that form (rows the schema before it let in: `BOB@x` and fullwidth `ＢＯＢ@x`).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import { MIGRATIONS, RECORD_MIGRATION, SCHEMA_MIGRATIONS_TABLE } from '../../src/store/sql/migrations.js';
import { numberPlaceholders } from '../../src/store/postgres/placeholders.js';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createDatabase, postgresUnavailable } from '../helpers/postgres.js';
import { rawRows } from '../helpers/raw-sql.js';

const BEFORE = MIGRATIONS.filter((m) => m.version < 9);
const ORG = 'org-1';

interface OldDatabase {
  database: string;
  /** Runs statements on the schema before migration 9. */
  exec(statements: Array<[string, unknown[]]>): Promise<void>;
  open(): Store;
  dispose(): Promise<void>;
}

async function sqliteBefore9(): Promise<OldDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'tokend-migration-9-'));
  const database = join(dir, 'tokend.db');
  const db = new Database(database);
  db.exec(SCHEMA_MIGRATIONS_TABLE);
  for (const m of BEFORE) {
    db.exec(m.sql);
    db.prepare(RECORD_MIGRATION).run(m.version, m.name, 0);
  }
  db.close();
  return {
    database,
    async exec(statements) {
      const connection = new Database(database);
      for (const [sql, params] of statements) connection.prepare(sql).run(...params);
      connection.close();
    },
    open: () => new SqliteStore(database),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresBefore9(): Promise<OldDatabase> {
  const created = await createDatabase();
  const run = async (statements: Array<[string, unknown[]]>) => {
    const client = new pg.Client(created.url);
    await client.connect();
    try {
      for (const [sql, params] of statements) await client.query(numberPlaceholders(sql), params);
    } finally {
      await client.end();
    }
  };
  await run([
    [SCHEMA_MIGRATIONS_TABLE, []],
    ...BEFORE.flatMap(
      (m): Array<[string, unknown[]]> => [
        [m.sql, []],
        [RECORD_MIGRATION, [m.version, m.name, 0]],
      ],
    ),
  ]);
  return { database: created.url, exec: run, open: () => new PgStore(created.url), dispose: () => created.drop() };
}

const organization = (id: string, name: string): [string, unknown[]] => [
  "INSERT INTO organizations (id, name, home_division_id, idle_token_timeout) VALUES (?, ?, 'division', '{}')",
  [id, name],
];
const user = (id: string, email: string, organizationId = ORG): [string, unknown[]] => [
  "INSERT INTO users (id, organization_id, name, email, password_hash, state, date_created_ms, date_modified_ms) VALUES (?, ?, 'N', ?, NULL, 'active', 0, 0)",
  [id, organizationId, email],
];

const versions = async (database: string) =>
  (await rawRows<{ version: number }>(database, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) => Number(r.version));

for (const [name, before9, unavailable] of [
  ['SQLite', sqliteBefore9, async () => null],
  ['PostgreSQL', postgresBefore9, postgresUnavailable],
] as const) {
  describe(`migration 9 on ${name}`, async () => {
    const skip = await unavailable();
    test('fills every key from what was typed, keeps what was typed, and finds by the key', { skip: skip ?? false }, async () => {
      const old = await before9();
      try {
        await old.exec([
          organization(ORG, 'Ａｃｍｅ Corp'),
          organization('org-2', 'Globex'),
          user('u1', 'Greta.Straße@Acme.test'),
          user('u2', 'ＢＯＢ@acme.test'),
          user('u3', 'bob@acme.test', 'org-2'),
        ]);
        const store = old.open();
        try {
          await store.migrate();
          assert.equal((await store.findUserByEmail(ORG, 'GRETA.STRAẞE@ACME.TEST'))?.email, 'Greta.Straße@Acme.test');
          assert.equal((await store.findUserByEmail(ORG, 'bob@ACME.test'))?.id, 'u2');
          assert.equal((await store.findUserByEmail('org-2', 'ｂｏｂ@acme.test'))?.id, 'u3');
          assert.equal((await store.findOrganizationByName('acme corp'))?.name, 'Ａｃｍｅ Corp');
          assert.equal(await store.findUserByEmail(ORG, 'greta.strasse@acme.test'), null);
        } finally {
          await store.close();
        }
        const keys = await rawRows<{ id: string; email_key: string }>(old.database, 'SELECT id, email_key FROM users ORDER BY id');
        assert.deepEqual(
          keys.map((r) => [r.id, r.email_key]),
          [
            ['u1', 'greta.straße@acme.test'],
            ['u2', 'bob@acme.test'],
            ['u3', 'bob@acme.test'],
          ],
        );
        assert.ok((await versions(old.database)).includes(9));
      } finally {
        await old.dispose();
      }
    });

    test('two rows one in the normal form: the migration stops naming both, and changes nothing', { skip: skip ?? false }, async () => {
      const old = await before9();
      try {
        await old.exec([organization(ORG, 'Acme'), organization('org-2', 'ACME'), user('u1', 'BOB@acme.test'), user('u2', 'ｂｏｂ@acme.test')]);
        const store = old.open();
        try {
          await assert.rejects(store.migrate(), (error: Error) => {
            assert.equal(
              error.message,
              'migration 9 (emails and organization names in one normal form) stopped, nothing was changed: ' +
                'organizations org-1 ("Acme") and org-2 ("ACME") are both "acme" in the normal form; ' +
                'users u1 ("BOB@acme.test") and u2 ("ｂｏｂ@acme.test") of organization org-1 are both "bob@acme.test" in the normal form; ' +
                'emails and organization names are now compared in one normal form (NFKC, then lower case): rename one of each pair with the version of tokend that made them, then start again',
            );
            return true;
          });
        } finally {
          await store.close();
        }
        assert.deepEqual(
          await versions(old.database),
          BEFORE.map((m) => m.version),
        );
        // The columns were not added: the transaction rolled back whole.
        await assert.rejects(rawRows(old.database, 'SELECT email_key FROM users'));
      } finally {
        await old.dispose();
      }
    });
  });
}
