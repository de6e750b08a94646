/**
 * Issuance against a disable that is under way on another PostgreSQL connection (CONTRACT.md,
 * "Control plane": the disable and the issuance cannot interleave, on every node). Another
 * connection opens the disable's transaction as the store writes it (the state, then the
 * revocation) and holds it open; an issuance written meanwhile must wait for it and, once it
 * commits, store nothing. Under READ COMMITTED an insert that only reads the client's state sees
 * it still active, and the revocation, whose snapshot predates the insert, misses the new
 * token: it would be live again after an enable.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { createDatabase, type TestDatabase } from '../helpers/postgres.js';
import { codeOf } from '../store/codes.js';
import { T0, tokenOf, world, type World } from '../store/fixtures.js';
import { pgSkip } from './pg-gate.js';

const skip = await pgSkip();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long an issuance is given to (wrongly) finish while the disable is open. */
const OPEN_MS = 300;

/** What a disable of the client, or of the user, runs in its transaction (sql-admin-store.ts). */
const DISABLES: Record<'client' | 'user', (w: World) => Array<[string, unknown[]]>> = {
  client: (w) => [
    ['UPDATE clients SET state = $1, date_modified_ms = $2 WHERE id = $3', ['disabled', T0 + 1, w.client.id]],
    ['UPDATE tokens SET revoked_at_ms = $1 WHERE client_id = $2 AND revoked_at_ms IS NULL', [T0 + 1, w.client.id]],
    ['UPDATE authorization_codes SET consumed_at_ms = $1 WHERE client_id = $2 AND consumed_at_ms IS NULL', [T0 + 1, w.client.id]],
  ],
  user: (w) => [
    ['UPDATE users SET state = $1, date_modified_ms = $2 WHERE id = $3', ['inactive', T0 + 1, w.user.id]],
    ['UPDATE sign_in_sessions SET revoked_at_ms = $1 WHERE user_id = $2 AND revoked_at_ms IS NULL', [T0 + 1, w.user.id]],
    ['UPDATE tokens SET revoked_at_ms = $1 WHERE user_id = $2 AND revoked_at_ms IS NULL', [T0 + 1, w.user.id]],
  ],
};

describe('PostgreSQL: an issuance waits for a disable under way, then stores nothing', { skip }, () => {
  let database: TestDatabase;
  let store: PgStore;
  let other: pg.Client;
  before(async () => {
    database = await createDatabase();
    store = new PgStore(database.url);
    await store.migrate();
    other = new pg.Client(database.url);
    await other.connect();
  });
  after(async () => {
    await other?.end();
    await store?.close();
    await database?.drop();
  });

  /**
   * Opens the disable on the other connection, starts `issue` while it is open, then commits
   * the disable and enables again. Returns whether the issuance finished while the disable was
   * open (it must not: it waits for it) and what it answered.
   */
  async function duringDisable<T>(w: World, who: keyof typeof DISABLES, issue: () => Promise<T>) {
    await other.query('BEGIN');
    for (const [sql, params] of DISABLES[who](w)) await other.query(sql, params);
    let committed = false;
    let finishedEarly = false;
    const issuing = issue().then((answer) => {
      finishedEarly = !committed;
      return answer;
    });
    await sleep(OPEN_MS);
    committed = true;
    await other.query('COMMIT');
    const answer = await issuing;
    if (who === 'client') await store.setClientState(w.client.id, 'active', T0 + 2);
    else await store.setUserState(w.user.id, 'active', T0 + 2);
    return { finishedEarly, answer };
  }

  async function seeded(): Promise<World> {
    const w = world();
    await store.applySeed(w.plan);
    return w;
  }

  for (const who of ['client', 'user'] as const) {
    test(`insertToken during a ${who} disable: waits, stores nothing, nothing comes back with the enable`, async () => {
      const w = await seeded();
      const tokens = [tokenOf(w), tokenOf(w), ...(who === 'client' ? [tokenOf(w, { userId: null })] : [])];
      const { finishedEarly, answer } = await duringDisable(w, who, () => Promise.all(tokens.map((token) => store.insertToken(token))));
      assert.equal(finishedEarly, false, 'the insert waited for the disable');
      assert.deepEqual(
        answer,
        tokens.map(() => false),
      );
      for (const token of tokens) assert.equal(await store.findTokenByHash(token.hash), null);
    });

    test(`refresh rotation during a ${who} disable: waits, rotates nothing`, async () => {
      const w = await seeded();
      const familyId = randomUUID();
      const refresh = tokenOf(w, { kind: 'refresh', familyId });
      await store.insertToken(refresh);
      const replacements = [tokenOf(w, { familyId }), tokenOf(w, { familyId, kind: 'refresh' })];
      const { finishedEarly, answer } = await duringDisable(w, who, () => store.rotateRefreshToken(refresh.hash, T0 + 1, replacements));
      assert.equal(finishedEarly, false, 'the rotation waited for the disable');
      assert.equal(answer, false);
      for (const token of replacements) assert.equal(await store.findTokenByHash(token.hash), null);
    });

    test(`code redemption during a ${who} disable: waits, yields no token`, async () => {
      const w = await seeded();
      const code = codeOf(w);
      await store.insertCode(code);
      const familyId = randomUUID();
      const tokens = [tokenOf(w, { familyId, codeHash: code.hash }), tokenOf(w, { familyId, codeHash: code.hash, kind: 'refresh' })];
      const { finishedEarly, answer } = await duringDisable(w, who, () => store.consumeCode(code.hash, T0 + 1, familyId, tokens));
      assert.equal(finishedEarly, false, 'the redemption waited for the disable');
      assert.equal(answer, false);
      for (const token of tokens) assert.equal(await store.findTokenByHash(token.hash), null);
    });
  }

  test('an issuance under way holds a disable back until it commits; the disable then revokes what it wrote', async () => {
    const w = await seeded();
    // Hold the client and user as an issuance's insert holds them, with a token written.
    const issuing = new pg.Client(database.url);
    await issuing.connect();
    try {
      const token = tokenOf(w);
      await issuing.query('BEGIN');
      await issuing.query("SELECT id FROM users WHERE id = $1 AND state = 'active' FOR SHARE", [w.user.id]);
      await issuing.query("SELECT id FROM clients WHERE id = $1 AND state = 'active' FOR SHARE", [w.client.id]);
      await issuing.query(
        `INSERT INTO tokens (hash, kind, organization_id, client_id, user_id, scopes, grant_type, issued_at_ms, expires_at_ms, last_used_at_ms)
         VALUES ($1, 'access', $2, $3, $4, '[]', 'password', $5, $6, $5)`,
        [token.hash, w.organization.id, w.client.id, w.user.id, T0, T0 + 60_000],
      );
      let disabled = false;
      const disabling = store.setClientState(w.client.id, 'disabled', T0 + 5).then((ended) => {
        disabled = true;
        return ended;
      });
      await sleep(OPEN_MS);
      assert.equal(disabled, false, 'the disable waits for the issuance');
      await issuing.query('COMMIT');
      assert.deepEqual(await disabling, { revokedTokens: 1 });
      assert.equal((await store.findTokenByHash(token.hash))?.revokedAt, T0 + 5);
    } finally {
      await issuing.end();
    }
  });

  test('a batch of inserts for several clients is not held by a disable of a client it does not carry', async () => {
    const [a, b] = [await seeded(), await seeded()];
    await other.query('BEGIN');
    for (const [sql, params] of DISABLES.client(a)) await other.query(sql, params);
    try {
      const started = performance.now();
      assert.equal(await store.insertToken(tokenOf(b, { userId: null })), true);
      assert.ok(performance.now() - started < OPEN_MS, 'not held');
    } finally {
      await other.query('ROLLBACK');
    }
  });
});
