/**
 * An acknowledged revocation or admin write survives a power loss. A power cut cannot be
 * simulated here, so this holds what decides it: on SQLite every transaction commits at
 * `synchronous = NORMAL` (read inside each through the store's own `onCommit` report), and those
 * writes are answered only once an fsync of the WAL covering their commit returned (the report's
 * `synced`, set when it did: sqlite/wal-sync.ts), while token inserts and last-use writes are
 * answered without one (they survive a process crash only; docs/operations.md, "Durability"). On
 * PostgreSQL, every commit waits for its WAL flush unless `synchronous_commit` is off: the store's
 * connections see it on.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { ManualClock } from '../../src/core/clock.js';
import { DEFAULT_IDLE_TOKEN_TIMEOUT } from '../../src/core/models.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { connectionConfig } from '../../src/store/postgres/pg-driver.js';
import { PG_DEFAULTS } from '../../src/store/postgres/pg-settings.js';
import { CONSENT_SQL } from '../../src/store/sql/consent-statements.js';
import { SQL } from '../../src/store/sql/statements.js';
import { type ObservedCommit, SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { basic, bearer, startTestApp, type TestApp } from '../helpers/app.js';
import { Browser, hiddenField, tokenRequest } from '../helpers/browser-flow.js';
import { ACME, clients, SEED_FILE, users } from '../helpers/fixture.js';
import { createDatabase, postgresUnavailable } from '../helpers/postgres.js';

const NORMAL = 1;

const commits: ObservedCommit[] = [];
let dir: string;
let store: SqliteStore;
let t: TestApp;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tokend-durability-'));
  const database = join(dir, 'tokend.db');
  // A first start lays the seeded store in `dir`; the app under test then runs on it with a store that reports its commits.
  await (await startTestApp({ dir, database })).close();
  store = new SqliteStore(database, { onCommit: (commit) => commits.push(commit) });
  t = await startTestApp({ dir, database, store });
});
after(async () => {
  await t.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The write transactions `action` committed. */
async function commitsOf(action: () => Promise<unknown>): Promise<ObservedCommit[]> {
  commits.length = 0;
  await action();
  return commits.splice(0);
}

/** Every transaction was committed durably, and among them one ran each of `statements`. */
function assertDurable(seen: ObservedCommit[], ...statements: string[]): void {
  for (const sql of statements)
    assert.ok(
      seen.some((c) => c.statements.includes(sql)),
      `no transaction ran ${sql}`,
    );
  for (const commit of seen) {
    assert.equal(commit.synchronous, NORMAL, `the commit itself waited for the disk: ${commit.statements.join('; ')}`);
    // Checked when the action's answer has come: the WAL was synced before it.
    assert.equal(commit.synced, true, `answered before the WAL was synced: ${commit.statements.join('; ')}`);
  }
}

function assertNotDurable(seen: ObservedCommit[], ...statements: string[]): void {
  for (const sql of statements)
    assert.ok(
      seen.some((c) => c.statements.includes(sql)),
      `no transaction ran ${sql}`,
    );
  for (const commit of seen) {
    assert.equal(commit.synchronous, NORMAL, `durable, needlessly: ${commit.statements.join('; ')}`);
    assert.equal(commit.synced, false, `waited for a sync, needlessly: ${commit.statements.join('; ')}`);
  }
}

const codeAuth = { authorization: basic(clients.codeApp.id, clients.codeApp.secret) };

async function codeSignIn(): Promise<{ code: string; access_token: string; refresh_token: string }> {
  const code = await new Browser(t).code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
  const response = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, codeAuth);
  assert.equal(response.statusCode, 200, response.body);
  return { code, ...response.json() };
}

describe('revocations are answered once the WAL is synced (SQLite)', () => {
  test('logout: DELETE /api/v2/tokens/me', async () => {
    const token = await t.token(clients.passwordApp, users.alice);
    const seen = await commitsOf(async () => {
      assert.equal((await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
    });
    assertDurable(seen, SQL.revokeToken, SQL.revokeFamily);
  });

  test('revoke-user: DELETE /api/v2/tokens/{userId}', async () => {
    await t.token(clients.passwordApp, users.bob);
    const admin = await t.token(clients.admin);
    const seen = await commitsOf(async () => {
      assert.equal((await t.inject({ method: 'DELETE', url: `/api/v2/tokens/${users.bob.id}`, headers: bearer(admin) })).statusCode, 204);
    });
    assertDurable(seen, SQL.revokeUserTokens);
  });

  test('ending a sign-in session: /logout', async () => {
    const browser = new Browser(t);
    await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.alice);
    const seen = await commitsOf(async () => {
      const response = await browser.get(`/logout?${new URLSearchParams({ client_id: clients.codeApp.id, redirect_uri: clients.codeApp.redirectUri })}`);
      assert.equal(response.statusCode, 302);
    });
    assertDurable(seen, SQL.revokeSession, SQL.revokeSessionTokens);
  });

  test("Remove access on the account page: the app's tokens for the person and the Allow, together", async () => {
    const browser = new Browser(t);
    await browser.code(clients.codeApp, clients.codeApp.redirectUri, users.carol);
    const csrf = hiddenField((await browser.get('/account')).body, 'csrf') as string;
    const seen = await commitsOf(async () => {
      const response = await browser.post('/account/remove-access', { client: clients.codeApp.id, csrf });
      assert.equal(response.statusCode, 303);
    });
    assertDurable(seen, CONSENT_SQL.revokeUserClientTokens, CONSENT_SQL.deleteAuthorization);
  });

  test('code replay: the family of a code redeemed twice', async () => {
    const { code } = await codeSignIn();
    const seen = await commitsOf(async () => {
      const replay = await tokenRequest(t, { grant_type: 'authorization_code', code, redirect_uri: clients.codeApp.redirectUri }, codeAuth);
      assert.equal(replay.statusCode, 400);
    });
    assertDurable(seen, SQL.revokeCodeTokens, SQL.revokeFamily);
  });

  test('refresh reuse: the family of a rotated refresh token used again', async () => {
    const first = await codeSignIn();
    assert.equal((await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, codeAuth)).statusCode, 200);
    const seen = await commitsOf(async () => {
      const reuse = await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, codeAuth);
      assert.equal(reuse.statusCode, 400);
    });
    assertDurable(seen, SQL.revokeFamily);
  });
});

describe('admin writes return once the WAL is synced (SQLite: the CLI and the seed call these)', () => {
  const at = Date.UTC(2026, 0, 1, 13);
  const writes: Array<[name: string, write: () => Promise<unknown>, sql: string]> = [
    ['disable a user', () => store.setUserState(users.dave.id, 'inactive', at), SQL.setUserState],
    ['end a user’s sessions', () => store.endUserSessions(users.dave.id, at), SQL.revokeUserSessions],
    ['set a password', () => store.setUserPasswordHash(users.dave.id, 'scrypt$not-a-real-hash', at), SQL.setUserPasswordHash],
    ['disable a client', () => store.setClientState(clients.plain.id, 'disabled', at), SQL.setClientState],
    ['rotate a client secret', () => store.setClientSecretHash(clients.plain.id, 'scrypt$not-a-real-hash', at), SQL.setClientSecretHash],
    ['change the idle timeout', () => store.setIdleTokenTimeout(ACME, DEFAULT_IDLE_TOKEN_TIMEOUT), SQL.setIdleTokenTimeout],
  ];
  for (const [name, write, sql] of writes) {
    test(name, async () => assertDurable(await commitsOf(write), sql));
  }

  test('apply a seed', async () => {
    const seen = await commitsOf(() => applySeedText(store, new ManualClock(at), readFileSync(SEED_FILE, 'utf8')));
    assertDurable(seen, SQL.upsertOrganization, SQL.upsertClient, SQL.upsertUser);
  });
});

describe('ordinary writes wait for no sync (SQLite)', () => {
  test('token issuance, every grant', async () => {
    const seen = await commitsOf(async () => {
      // The admin client: the admin writes above disabled and rotated the plain one.
      await Promise.all([t.token(clients.admin), t.token(clients.admin), t.token(clients.passwordApp, users.carol)]);
      const first = await codeSignIn();
      assert.equal((await tokenRequest(t, { grant_type: 'refresh_token', refresh_token: first.refresh_token }, codeAuth)).statusCode, 200);
    });
    assertNotDurable(seen, SQL.insertTokenIfActive, SQL.insertCode, SQL.insertSession, SQL.consumeCode, SQL.claimRotation);
  });

  test('last use (the idle clock’s flush)', async () => {
    const token = await t.token(clients.admin);
    t.clock.advance(5000);
    assert.equal((await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode, 200);
    const seen = await commitsOf(() => t.app.tokend.idleClock.flush(t.clock.now(), true));
    assertNotDurable(seen, SQL.touchToken);
  });
});

describe('PostgreSQL', () => {
  test('the store’s connections commit with synchronous_commit on (a commit returns once its WAL is flushed)', async (context) => {
    const unavailable = await postgresUnavailable();
    if (unavailable) return context.skip(unavailable);
    const database = await createDatabase();
    // The options the store's pool connects with (pg-driver.ts): same role, same database, no per-session settings.
    const client = new pg.Client(connectionConfig(database.url, PG_DEFAULTS, 'tokend'));
    try {
      await client.connect();
      const { rows } = await client.query<{ setting: string }>("SELECT current_setting('synchronous_commit') AS setting");
      assert.equal(rows[0]?.setting, 'on');
      const fsync = await client.query<{ setting: string }>("SELECT current_setting('fsync') AS setting");
      assert.equal(fsync.rows[0]?.setting, 'on');
    } finally {
      await client.end();
      await database.drop();
    }
  });
});
