/**
 * `tokend serve` with a store it cannot use: it exits 1 before listening, with one line on
 * stderr naming the setting, the store (a URL's password hidden) and the cause, and no stack
 * trace (issue 15). The tests run as root, where file modes stop nothing: the refusals come from
 * a parent that is a regular file, a folder where the file should be, a file that is not SQLite,
 * a write lock held by another connection, and PostgreSQL servers that refuse or never answer.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { createDatabase, databaseUrl, postgresUnavailable } from '../helpers/postgres.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokend-refusals-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Ended {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `tokend serve` with only the given tokend settings, to its end (killed after 30 s). */
function serve(env: Record<string, string>, args: string[] = []): Promise<Ended> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(base)) if (name === 'NODE_TEST_CONTEXT' || name === 'HOST' || name.startsWith('TOKEND_')) delete base[name];
  const started = performance.now();
  const child = spawn(process.execPath, [MAIN, 'serve', ...args], { env: { ...base, PORT: '0', TOKEND_DEMO: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('close', (status) => {
      clearTimeout(killer);
      resolve({ status, stdout, stderr, ms: performance.now() - started });
    }),
  );
}

async function assertRefused(env: Record<string, string>, stderr: string, args: string[] = []): Promise<Ended> {
  const ended = await serve(env, args);
  assert.equal(ended.stderr, `${stderr}\n`);
  assert.equal(ended.status, 1);
  assert.equal(ended.stdout, '', 'nothing was served, nothing logged');
  return ended;
}

test('SQLite: a folder that cannot be created (its parent is a regular file) is refused, naming the file in the way', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'not a folder');
  const database = join(file, 'data', 'tokend.db');
  await assertRefused(
    { TOKEND_DATABASE: database },
    `tokend: TOKEND_DATABASE=${database} cannot be used: its folder cannot be created: ${file} is a file, not a folder (ENOTDIR)`,
  );
});

test('SQLite: a folder where the file should be is refused; --database is named when it was the flag', async () => {
  const folder = join(dir, 'a-folder.db');
  mkdirSync(folder);
  await assertRefused({ TOKEND_DATABASE: folder }, `tokend: TOKEND_DATABASE=${folder} cannot be used: it is a folder, not a file (EISDIR)`);
  await assertRefused({}, `tokend: --database=${folder} cannot be used: it is a folder, not a file (EISDIR)`, ['--database', folder]);
});

test('SQLite: a file that is not a SQLite database is refused and left as it was', async () => {
  const database = join(dir, 'random.db');
  const bytes = randomBytes(8192);
  writeFileSync(database, bytes);
  await assertRefused({ TOKEND_DATABASE: database }, `tokend: TOKEND_DATABASE=${database} cannot be used: the file is not a SQLite database (SQLITE_NOTADB)`);
});

test('SQLite: a write lock held by another connection past the busy timeout is refused after a bounded wait', async () => {
  const database = join(dir, 'locked.db');
  const other = new Database(database);
  other.pragma('journal_mode = WAL');
  other.exec('BEGIN EXCLUSIVE');
  try {
    const ended = await assertRefused(
      { TOKEND_DATABASE: database },
      `tokend: TOKEND_DATABASE=${database} cannot be used: another connection holds its write lock and did not release it within 5 s (SQLITE_BUSY)`,
    );
    assert.ok(ended.ms >= 5000 && ended.ms < 20_000, `gave up after ${ended.ms.toFixed(0)} ms`);
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
});

test('a database that is neither a file path nor a postgres:// URL is refused, the password hidden', async () => {
  const expected = 'is not valid: expected a file path (a SQLite store) or a postgres:// or postgresql:// URL';
  await assertRefused(
    { TOKEND_DATABASE: 'postgress://tokend:s3cret@127.0.0.1/tokend' },
    `tokend: TOKEND_DATABASE=postgress://tokend:***@127.0.0.1/tokend ${expected} - did you mean postgres://?`,
  );
});

test('other wrong settings name the setting and the accepted values', async () => {
  await assertRefused(
    { TOKEND_LOG_LEVEL: 'verbose' },
    'tokend: TOKEND_LOG_LEVEL=verbose is not valid: expected one of fatal, error, warn, info, debug, trace, silent',
  );
  await assertRefused(
    { HOST: 'http://0.0.0.0' },
    'tokend: HOST=http://0.0.0.0 is not valid: expected an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or a hostname (localhost)',
  );
  await assertRefused(
    { TOKEND_PG_CONNECT_TIMEOUT_MS: '5s' },
    'tokend: TOKEND_PG_CONNECT_TIMEOUT_MS=5s is not valid: expected a whole number from 100 to 600000',
  );
});

test('a seed file that cannot be read or applied, an address in use or not of this machine: named by the setting', async () => {
  const database = join(dir, 'listen.db');
  const missing = join(dir, 'no-such-seed.json');
  await assertRefused({ TOKEND_DATABASE: database, TOKEND_SEED: missing }, `tokend: TOKEND_SEED=${missing} cannot be read: no such file (ENOENT)`);
  const broken = join(dir, 'broken-seed.json');
  writeFileSync(broken, '{"organizations": [');
  await assertRefused(
    { TOKEND_DATABASE: database },
    `tokend: --seed=${broken} was refused, nothing of it was applied: the seed is not valid JSON (Unexpected end of JSON input)`,
    ['--seed', broken],
  );

  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const port = (taken.address() as { port: number }).port;
  try {
    await assertRefused(
      { TOKEND_DATABASE: database, PORT: String(port) },
      `tokend: PORT=${port} cannot be used to listen on 127.0.0.1:${port}: another process listens on it (EADDRINUSE)`,
    );
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
  // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): no interface of a test machine has it.
  await assertRefused(
    { TOKEND_DATABASE: database, HOST: '192.0.2.1' },
    'tokend: HOST=192.0.2.1 cannot be used to listen on 192.0.2.1:0: no network interface of this machine has that address (EADDRNOTAVAIL)',
  );
});

test('PostgreSQL: a port nobody listens on, an unknown database, an unknown role, a server that never answers', async (t) => {
  const reason = await postgresUnavailable();
  if (reason !== null) return t.skip(reason);
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as { port: number }).port;
  await new Promise((resolve) => closed.close(resolve));
  const refusedUrl = `postgres://tokend:s3cret@127.0.0.1:${closedPort}/tokend`;
  await assertRefused(
    { TOKEND_DATABASE: refusedUrl },
    `tokend: TOKEND_DATABASE=postgres://tokend:***@127.0.0.1:${closedPort}/tokend cannot be used: nothing accepts connections at that host and port (ECONNREFUSED) - is PostgreSQL running there? Start it, or fix the host and port in the URL`,
  );

  const unknownDatabase = databaseUrl('tokend_no_such_database');
  await assertRefused(
    { TOKEND_DATABASE: unknownDatabase },
    `tokend: TOKEND_DATABASE=${unknownDatabase} cannot be used: database "tokend_no_such_database" does not exist (3D000) - create it (createdb tokend_no_such_database; tokend makes its tables on first use) or fix the database name in the URL`,
  );

  const unknownRole = new URL(databaseUrl('postgres'));
  unknownRole.username = 'tokend_no_such_role';
  unknownRole.password = 's3cret';
  const shown = unknownRole.toString().replace(':s3cret@', ':***@');
  await assertRefused(
    { TOKEND_DATABASE: unknownRole.toString() },
    `tokend: TOKEND_DATABASE=${shown} cannot be used: role "tokend_no_such_role" does not exist (28000) - check the user name in the URL, or create the role (createuser tokend_no_such_role); if it exists, pg_hba.conf must let it connect from this host`,
  );

  // A seed refused on a reachable database: tokend closes its connections and exits, it does not hang.
  const database = await createDatabase();
  try {
    const broken = join(dir, 'broken-pg-seed.json');
    writeFileSync(broken, '{');
    await assertRefused(
      { TOKEND_DATABASE: database.url, TOKEND_SEED: broken },
      `tokend: TOKEND_SEED=${broken} was refused, nothing of it was applied: the seed is not valid JSON (Expected property name or '}' in JSON at position 1)`,
    );
  } finally {
    await database.drop();
  }

  // Accepts the connection and never answers: the connect timeout bounds the wait.
  const sockets = new Set<Socket>();
  const silent = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const silentPort = (silent.address() as { port: number }).port;
  try {
    const ended = await assertRefused(
      { TOKEND_DATABASE: `postgres://tokend@127.0.0.1:${silentPort}/tokend`, TOKEND_PG_CONNECT_TIMEOUT_MS: '500' },
      `tokend: TOKEND_DATABASE=postgres://tokend@127.0.0.1:${silentPort}/tokend cannot be used: no connection within TOKEND_PG_CONNECT_TIMEOUT_MS=500 ms (timeout expired) - check that the host and port are PostgreSQL's and reachable from here, or raise TOKEND_PG_CONNECT_TIMEOUT_MS`,
    );
    assert.ok(ended.ms < 15_000, `gave up after ${ended.ms.toFixed(0)} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});
