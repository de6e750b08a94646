/**
 * Backups and what a restore brings back (issue 15, docs/operations.md "Backups"): `tokend backup`
 * copies a live SQLite store while the server writes; restoring the copy brings back a token
 * revoked after it was taken; `tokend tokens revoke-all --yes` ends that, on either backend.
 * The backup tests use a SQLite file under both suites: a PostgreSQL store is backed up with pg_dump.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { bearer, otherNodeChange, startTestApp, type TestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';
import { rawRows } from '../helpers/raw-sql.js';
import { cliHome, json } from './helpers.js';

const cli = cliHome();
after(() => cli.dispose());

const head = async (t: TestApp, token: string) => (await t.inject({ method: 'HEAD', url: '/api/v2/tokens/me', headers: bearer(token) })).statusCode;
const liveTokens = async (database: string) =>
  Number((await rawRows<{ n: number | string }>(database, 'SELECT count(*) AS n FROM tokens WHERE revoked_at_ms IS NULL', []))[0]?.n);

describe('tokend backup, a restore, and revoke-all (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokend-backup-'));
  const database = join(dir, 'tokend.db');
  const copy = join(dir, 'copy.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a backup taken while the server issues tokens restores a store where a token revoked since is live again, until revoke-all', async () => {
    let t = await startTestApp({ dir, database });
    const revokedLater = await t.token(clients.admin);
    // The server keeps writing while the copy runs.
    const issuing = Promise.all(Array.from({ length: 40 }, () => t.token(clients.plain)));
    const backup = await cli.run(['backup', copy, '--database', database]);
    await issuing;
    assert.equal(backup.code, 0, backup.stderr);
    const printed = json<{ database: string; backup: string; pages: number }>(backup);
    assert.deepEqual([printed.database, printed.backup], [database, copy]);
    assert.ok(printed.pages > 0);
    assert.equal(backup.stderr, `Copied ${database} to ${copy}.\n`);

    assert.equal((await t.inject({ method: 'DELETE', url: '/api/v2/tokens/me', headers: bearer(revokedLater) })).statusCode, 200);
    assert.equal(await head(t, revokedLater), 401);
    await t.app.close();

    // Restore: the copy replaces the file (and its WAL) while no server runs.
    for (const suffix of ['-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true });
    copyFileSync(copy, database);
    t = await startTestApp({ dir, database, clock: t.clock });
    try {
      assert.equal(await head(t, revokedLater), 200, 'the restore brought the revoked token back');
      const live = await liveTokens(database);
      assert.ok(live >= 1);

      const unconfirmed = await cli.run(['tokens', 'revoke-all', '--database', database]);
      assert.deepEqual(
        [unconfirmed.code, unconfirmed.stdout, unconfirmed.stderr],
        [1, '', 'tokend: revoke-all ends every token and sign-in session in the store: add --yes to go ahead\n'],
      );
      assert.equal(await head(t, revokedLater), 200, 'nothing changed without --yes');

      const revoked = await cli.run(['tokens', 'revoke-all', '--yes', '--database', database]);
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.deepEqual(json(revoked), { endedSessions: 0, revokedTokens: live });
      assert.equal(revoked.stderr, `Revoked everyone's access: ended 0 sign-in sessions, revoked ${live} token${live === 1 ? '' : 's'}.\n`);
      assert.equal(await head(t, revokedLater), 401, 'the running server refuses it from the next request');
      assert.equal(await liveTokens(database), 0);
      assert.equal(await head(t, await t.token(clients.admin)), 200, 'a new token works');
    } finally {
      await t.close();
    }
  });

  test('a backup never overwrites a file, and says where a store is not a SQLite file to copy', async () => {
    const taken = join(dir, 'taken.db');
    writeFileSync(taken, 'keep me');
    const overwrite = await cli.run(['backup', taken, '--database', database]);
    assert.deepEqual(
      [overwrite.code, overwrite.stderr],
      [1, `tokend: backup of ${database} to ${taken} failed: ${taken} exists: a backup never overwrites a file\n`],
    );
    const missing = await cli.run(['backup', join(dir, 'b.db'), '--database', join(dir, 'nothing.db')]);
    assert.deepEqual(
      [missing.code, missing.stderr],
      [1, `tokend: no database at ${join(dir, 'nothing.db')}: pass --database or set TOKEND_DATABASE to the store the server uses\n`],
    );
    const postgres = await cli.run(['backup', join(dir, 'c.db')], { env: { TOKEND_DATABASE: 'postgres://tokend:secret@127.0.0.1:5432/tokend' } });
    assert.deepEqual([postgres.code, postgres.stderr], [1, 'tokend: the store is PostgreSQL: back it up with pg_dump (docs/operations.md, "Backups")\n']);
    assert.equal(existsSync(join(dir, 'b.db')) || existsSync(join(dir, 'c.db')), false);
  });
});

describe("tokend tokens revoke-all on the suite's store", () => {
  test('ends every live token of every organization in one step; a running server refuses them', async () => {
    const t = await startTestApp();
    try {
      const tokens = [await t.token(clients.admin), await t.token(clients.plain), await t.token(clients.globex)];
      const live = await liveTokens(t.database);
      const revoked = await cli.run(['tokens', 'revoke-all', '--yes'], { env: { TOKEND_DATABASE: t.database } });
      assert.equal(revoked.code, 0, revoked.stderr);
      assert.deepEqual(json(revoked), { endedSessions: 0, revokedTokens: live });
      await otherNodeChange();
      for (const token of tokens) assert.equal(await head(t, token), 401);
    } finally {
      await t.close();
    }
  });
});
