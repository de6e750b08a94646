/**
 * The admin commands get the care `serve` has at start-up (startup-checks.ts): a database
 * setting that is no file and no postgres:// URL names the typo, a misspelt TOKEND_* variable
 * is refused naming the real one, a PostgreSQL that refuses says what failed and what to do,
 * and `tokend seed` given a folder says it wants a file. Each is one line on stderr, exit 1.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { storeFailure } from '../../src/cli/startup-checks.js';
import { databaseUrl, postgresUnavailable } from '../helpers/postgres.js';
import { cliHome, closedPort } from './helpers.js';

const cli = cliHome();
const dir = mkdtempSync(join(tmpdir(), 'tokend-admin-care-'));
after(() => {
  cli.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The commands that open the store, one of each kind: a listing, a change, the seed, a backup. */
const STORE_COMMANDS = [
  ['users', 'list'],
  ['clients', 'disable', 'Demo service'],
  ['tokens', 'list', '--user', 'sam@demo.example'],
  ['seed', 'seed/demo.json'],
  ['backup', join(dir, 'never.db')],
];

test('a database URL with a misspelt scheme names the typo, from TOKEND_DATABASE or --database, its password hidden', async () => {
  const expected = 'is not valid: expected a file path (a SQLite store) or a postgres:// or postgresql:// URL - did you mean postgres://?';
  for (const args of STORE_COMMANDS) {
    const run = await cli.run(args, { env: { TOKEND_DATABASE: 'postgress://tokend:s3cret@127.0.0.1/tokend' } });
    assert.deepEqual(
      [run.code, run.stdout, run.stderr],
      [1, '', `tokend: TOKEND_DATABASE=postgress://tokend:***@127.0.0.1/tokend ${expected}\n`],
      args.join(' '),
    );
  }
  const flag = await cli.run(['orgs', 'list', '--database', 'postgre://127.0.0.1/tokend']);
  assert.deepEqual([flag.code, flag.stderr], [1, `tokend: --database=postgre://127.0.0.1/tokend ${expected}\n`]);
});

test('a TOKEND_* variable a letter or two from a real one is refused naming it, for every command that opens the store', async () => {
  for (const args of STORE_COMMANDS) {
    const run = await cli.run(args, { env: { TOKEND_DATABSE: join(dir, 'meant.db') } });
    assert.deepEqual(
      [run.code, run.stdout, run.stderr],
      [1, '', 'tokend: TOKEND_DATABSE is not a setting of tokend: did you mean TOKEND_DATABASE? (a misspelt setting would be ignored)\n'],
      args.join(' '),
    );
  }
  const other = await cli.run(['orgs', 'list'], { env: { TOKEND_PG_POOL_MAXX: '4', TOKEND_DATABASE: join(dir, 'none.db') } });
  assert.equal(
    other.stderr,
    'tokend: TOKEND_PG_POOL_MAXX is not a setting of tokend: did you mean TOKEND_PG_POOL_MAX? (a misspelt setting would be ignored)\n',
  );
});

test('tokend seed given a folder, or a file that is not there, says it wants a seed file; no store is made', async () => {
  const folder = join(dir, 'seeds');
  mkdirSync(folder);
  const database = join(dir, 'seeded.db');
  const run = await cli.run(['seed', folder], { env: { TOKEND_DATABASE: database } });
  assert.deepEqual(
    [run.code, run.stdout, run.stderr],
    [
      1,
      '',
      `tokend: the seed file ${folder} cannot be read: it is a folder, not a file (EISDIR); tokend seed takes a seed file (JSON, such as seed/demo.json)\n`,
    ],
  );
  const missing = join(dir, 'no-such.json');
  const absent = await cli.run(['seed', missing], { env: { TOKEND_DATABASE: database } });
  assert.deepEqual(
    [absent.code, absent.stderr],
    [1, `tokend: the seed file ${missing} cannot be read: no such file (ENOENT); tokend seed takes a seed file (JSON, such as seed/demo.json)\n`],
  );
  assert.ok(!existsSync(database), 'the store was not opened');
});

test('PostgreSQL: nothing listening, an unknown database, an unknown role: what failed and what to do, for the admin commands', async (t) => {
  const port = await closedPort();
  const refused = await cli.run(['users', 'list'], { env: { TOKEND_DATABASE: `postgres://tokend:s3cret@127.0.0.1:${port}/tokend` } });
  assert.deepEqual(
    [refused.code, refused.stdout, refused.stderr],
    [
      1,
      '',
      `tokend: TOKEND_DATABASE=postgres://tokend:***@127.0.0.1:${port}/tokend cannot be used: nothing accepts connections at that host and port (ECONNREFUSED) - is PostgreSQL running there? Start it, or fix the host and port in the URL\n`,
    ],
  );
  const reason = await postgresUnavailable();
  if (reason !== null) return t.skip(reason);
  const unknownDatabase = databaseUrl('tokend_no_such_database');
  const missing = await cli.run(['clients', 'list'], { env: { TOKEND_DATABASE: unknownDatabase } });
  assert.deepEqual(
    [missing.code, missing.stderr],
    [
      1,
      `tokend: TOKEND_DATABASE=${unknownDatabase} cannot be used: database "tokend_no_such_database" does not exist (3D000) - create it (createdb tokend_no_such_database; tokend makes its tables on first use) or fix the database name in the URL\n`,
    ],
  );
  const unknownRole = new URL(databaseUrl('postgres'));
  unknownRole.username = 'tokend_no_such_role';
  const role = await cli.run(['seed', 'seed/demo.json'], { env: { TOKEND_DATABASE: unknownRole.toString() } });
  assert.deepEqual(
    [role.code, role.stderr],
    [
      1,
      `tokend: TOKEND_DATABASE=${unknownRole} cannot be used: role "tokend_no_such_role" does not exist (28000) - check the user name in the URL, or create the role (createuser tokend_no_such_role); if it exists, pg_hba.conf must let it connect from this host\n`,
    ],
  );
});

test('a wrong PostgreSQL password says to check the user and password (the test server trusts every login, so the error is built here)', () => {
  const error = Object.assign(new Error('password authentication failed for user "tokend"'), { code: '28P01' });
  assert.equal(
    storeFailure(error, 'postgres://tokend:x@db/tokend'),
    'password authentication failed for user "tokend" (28P01) - check the user name and password in the URL (a password with @, : or / in it must be percent-encoded)',
  );
});
