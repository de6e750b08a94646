/**
 * Migration 3: the token indexes by user, family and code leave NULLs out (client-credentials
 * tokens have none of the three), on a store created by the previous schema as on a new one.
 * What must hold: the indexes are partial, the lookups by user, family and code still use them, and
 * tokens stored before the upgrade are found and revoked as before.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TokenRecord } from '../../src/core/models.js';
import { numberPlaceholders } from '../../src/store/postgres/placeholders.js';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { MIGRATIONS, RECORD_MIGRATION, SCHEMA_MIGRATIONS_TABLE } from '../../src/store/sql/migrations.js';
import { SQL } from '../../src/store/sql/statements.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { createDatabase, postgresUnavailable, type TestDatabase } from '../helpers/postgres.js';
import { T0, tokenOf, world } from './fixtures.js';

// Every migration but 3: the tokens are written by today's store code (applySeed and the
// rest need the tables of the later migrations), and migration 3 alone touches the token
// indexes, so applying it last is the upgrade this test is about.
const BEFORE_PARTIAL_INDEXES = MIGRATIONS.filter((m) => m.version !== 3);
const PARTIAL = {
  tokens_by_user: 'user_id IS NOT NULL',
  tokens_by_family: 'family_id IS NOT NULL',
  tokens_by_code: 'code_hash IS NOT NULL',
};
/** The lookups by user, family and code, and the index each must search. */
const LOOKUPS = {
  revokeUserTokens: 'tokens_by_user',
  listUserTokens: 'tokens_by_user',
  revokeFamily: 'tokens_by_family',
  revokeCodeTokens: 'tokens_by_code',
} as const;

/** Tokens stored under the previous schema: one of each kind of owner, and one of none. */
function oldTokens() {
  const w = world();
  const ofUser = tokenOf(w);
  const ofFamily = tokenOf(w, { userId: null, familyId: 'family-1' });
  const ofCode = tokenOf(w, { userId: null, familyId: 'family-2', codeHash: 'code-1' });
  const ofClient = tokenOf(w, { userId: null, grantType: 'client_credentials' });
  return { w, ofUser, ofFamily, ofCode, ofClient, all: [ofUser, ofFamily, ofCode, ofClient] };
}

/** After the upgrade: each lookup finds and revokes exactly the old token it should, nothing else. */
async function revokesAsBefore(store: Store, tokens: ReturnType<typeof oldTokens>): Promise<void> {
  const later = T0 + 1000;
  assert.deepEqual(
    (await store.listUserTokens(tokens.ofUser.userId as string, T0)).map((t: TokenRecord) => t.hash),
    [tokens.ofUser.hash],
  );
  assert.equal(await store.revokeUserTokens(tokens.ofUser.userId as string, later), 1);
  assert.equal(await store.revokeFamily('family-1', later), 1);
  assert.equal(await store.revokeCodeTokens('code-1', later), 1);
  for (const token of [tokens.ofUser, tokens.ofFamily, tokens.ofCode]) assert.equal((await store.findTokenByHash(token.hash))?.revokedAt, later, token.hash);
  assert.equal((await store.findTokenByHash(tokens.ofClient.hash))?.revokedAt, null, 'the client-credentials token is untouched');
}

describe('token indexes on SQLite (migration 3)', () => {
  let dir: string;
  let path: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tokend-indexes-'));
    path = join(dir, 'tokend.db');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a store of the previous schema upgrades: partial indexes, searched by the lookups by user, family and code, old tokens revoked as before', async () => {
    const db = new Database(path);
    db.exec(SCHEMA_MIGRATIONS_TABLE);
    for (const m of BEFORE_PARTIAL_INDEXES) {
      db.exec(m.sql);
      db.prepare(RECORD_MIGRATION).run(m.version, m.name, T0);
    }
    db.close();
    const tokens = oldTokens();
    const old = new SqliteStore(path);
    await old.applySeed(tokens.w.plan);
    for (const token of tokens.all) await old.insertToken(token);
    await old.close();

    const store = new SqliteStore(path);
    try {
      await store.migrate();
      const inspect = new Database(path, { readonly: true });
      try {
        for (const [index, predicate] of Object.entries(PARTIAL)) {
          const sql = inspect.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(index) as string;
          assert.ok(sql.endsWith(`WHERE ${predicate}`), sql);
        }
        for (const [lookup, index] of Object.entries(LOOKUPS)) {
          const statement = SQL[lookup as keyof typeof LOOKUPS];
          const plan = inspect.prepare(`EXPLAIN QUERY PLAN ${statement}`).all(
            ...statement
              .split('?')
              .slice(1)
              .map(() => 'x'),
          ) as Array<{ detail: string }>;
          assert.ok(
            plan.some((step) => step.detail.startsWith(`SEARCH tokens USING INDEX ${index} `)),
            `${lookup}: ${JSON.stringify(plan)}`,
          );
        }
        const sessionPlan = inspect.prepare(`EXPLAIN QUERY PLAN ${SQL.revokeSessionTokens}`).all(1, 'x') as Array<{ detail: string }>;
        assert.ok(
          sessionPlan.some((step) => step.detail.startsWith('SEARCH tokens USING INDEX tokens_by_family (family_id=?)')),
          JSON.stringify(sessionPlan),
        );
      } finally {
        inspect.close();
      }
      await revokesAsBefore(store, tokens);
    } finally {
      await store.close();
    }
  });
});

describe('token indexes on PostgreSQL (migration 3)', { skip: (await postgresUnavailable()) ?? false }, () => {
  let database: TestDatabase;
  before(async () => {
    database = await createDatabase();
  });
  after(async () => database?.drop());

  test('a store of the previous schema upgrades: partial indexes, searched by the lookups by user, family and code, old tokens revoked as before', async () => {
    const client = new pg.Client(database.url);
    await client.connect();
    try {
      await client.query(SCHEMA_MIGRATIONS_TABLE);
      for (const m of BEFORE_PARTIAL_INDEXES) {
        await client.query(m.sql);
        await client.query(numberPlaceholders(RECORD_MIGRATION), [m.version, m.name, T0]);
      }
      const tokens = oldTokens();
      const old = new PgStore(database.url);
      await old.applySeed(tokens.w.plan);
      for (const token of tokens.all) await old.insertToken(token);
      await old.close();

      const store = new PgStore(database.url);
      try {
        await store.migrate();
        for (const [index, predicate] of Object.entries(PARTIAL)) {
          const { rows } = await client.query<{ indexdef: string }>('SELECT indexdef FROM pg_indexes WHERE indexname = $1', [index]);
          assert.ok(rows[0]?.indexdef.endsWith(`WHERE (${predicate})`), rows[0]?.indexdef);
        }
        // With sequential scans off, a plan that can use the partial index does.
        await client.query('SET enable_seqscan = off');
        for (const [lookup, index] of Object.entries(LOOKUPS)) {
          const params = lookup === 'listUserTokens' ? ['x', 0] : [0, 'x'];
          const { rows } = await client.query(`EXPLAIN ${numberPlaceholders(SQL[lookup as keyof typeof LOOKUPS])}`, params);
          const plan = rows.map((row) => row['QUERY PLAN'] as string);
          assert.ok(
            plan.some((line) => new RegExp(`Index Scan (using|on) ${index}\\b`).test(line)),
            `${lookup}: ${plan.join(' | ')}`,
          );
        }
        await revokesAsBefore(store, tokens);
      } finally {
        await store.close();
      }
    } finally {
      await client.end();
    }
  });
});
