/**
 * Prepared stores: a database holding N live client-credentials access tokens, and the raw
 * tokens beside it for the load generator. Writing a million tokens through the HTTP API would
 * take longer than the benchmark, so rows are written directly, in one transaction, with the
 * same hashing code tokend uses (dist/src/core/secrets.js). Cached under bench/.cache/, keyed by
 * N, the schema, the seed and this file, so a second run starts at once.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ROOT, CACHE, dist } from './paths.mjs';

const SEED_FILE = join(ROOT, 'bench', 'seed.json');
export const SEED = JSON.parse(readFileSync(SEED_FILE, 'utf8'));
export const CLIENT = SEED.organizations[0].clients[0];
const ORGANIZATION_ID = SEED.organizations[0].id;
/** Prepared tokens stay valid this long, so a cache is good for months of runs. */
const LIFETIME_MS = 365 * 24 * 3600 * 1000;
/** A cache older than this is rebuilt, so no prepared token is near its expiry. */
const MAX_CACHE_AGE_MS = 300 * 24 * 3600 * 1000;

async function cacheKey(n, backend) {
  const { MIGRATIONS } = await import(dist('store/sql/migrations.js'));
  const hash = createHash('sha256');
  hash.update(`${backend}:${n}`).update(JSON.stringify(MIGRATIONS)).update(readFileSync(SEED_FILE));
  hash.update(readFileSync(new URL(import.meta.url)));
  return hash.digest('hex').slice(0, 12);
}

/** A client-credentials access token's row, in the column order of SQL.insertToken: no user, sign-in family or code. */
export function clientCredentialsRow(hash, organizationId, clientId, now, expiresAtMs, scopes = '[]') {
  return [hash, 'access', organizationId, clientId, null, scopes, 'client_credentials', now, expiresAtMs, now, null, null, null];
}

/** Yields `{raw, row}` for n new tokens, row in the column order of SQL.insertToken. */
async function* tokenRows(n, now) {
  const { newToken, hashToken } = await import(dist('core/secrets.js'));
  for (let i = 0; i < n; i++) {
    const raw = newToken();
    yield { raw, row: clientCredentialsRow(hashToken(raw), ORGANIZATION_ID, CLIENT.id, now, now + LIFETIME_MS) };
  }
}

async function seedStore(store) {
  const { applySeedText } = await import(dist('core/seed/apply.js'));
  const { systemClock } = await import(dist('core/clock.js'));
  await store.migrate();
  await applySeedText(store, systemClock, readFileSync(SEED_FILE, 'utf8'));
}

/**
 * A SQLite store with n tokens, cached. Returns the cached file (never served directly: a
 * run works on a copy, since issuance and revocation change it) and the raw tokens.
 */
async function prepareSqlite(n, log) {
  const dir = join(CACHE, `sqlite-${n}-${await cacheKey(n, 'sqlite')}`);
  const meta = join(dir, 'meta.json');
  if (existsSync(meta) && Date.now() - JSON.parse(readFileSync(meta, 'utf8')).preparedAt < MAX_CACHE_AGE_MS) {
    log(`using cached SQLite store of ${n} tokens (${dir})`);
    return { file: join(dir, 'tokend.db'), tokens: readTokens(join(dir, 'tokens.txt')) };
  }
  log(`preparing a SQLite store of ${n} tokens (cached for later runs)...`);
  const started = Date.now();
  rmSync(dir, { recursive: true, force: true });
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const file = join(building, 'tokend.db');
  const { SqliteStore } = await import(dist('store/sqlite/sqlite-store.js'));
  const store = new SqliteStore(file);
  await seedStore(store);
  await store.close();

  const { SQL } = await import(dist('store/sql/statements.js'));
  const db = new Database(file);
  const insert = db.prepare(SQL.insertToken);
  const raws = [];
  const now = Date.now();
  db.exec('BEGIN');
  for await (const { raw, row } of tokenRows(n, now)) {
    insert.run(...row);
    raws.push(raw);
  }
  db.exec('COMMIT');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  writeFileSync(join(building, 'tokens.txt'), raws.join('\n'));
  writeFileSync(join(building, 'meta.json'), JSON.stringify({ n, preparedAt: now }));
  renameSync(building, dir);
  log(`prepared ${n} tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { file: join(dir, 'tokend.db'), tokens: raws };
}

/** The database of `url`, created (through the server's `postgres` database) if it does not exist. */
async function createDatabaseIfMissing(url, log) {
  const { default: pg } = await import('pg');
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.href });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      log(`creating PostgreSQL database ${name}`);
      await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
    }
  } finally {
    await client.end();
  }
}

/**
 * A PostgreSQL store (TOKEND_BENCH_DATABASE) with n tokens, written through tokend's own
 * store (dist/src/store/open-store.js). The database is not copied: its tokens are reused
 * while the marker file says they are there and the first and last of them are still live.
 */
async function preparePostgres(n, url, log) {
  await createDatabaseIfMissing(url, log);
  const { openStore } = await import(dist('store/open-store.js'));
  const key = createHash('sha256').update(url).digest('hex').slice(0, 8);
  const dir = join(CACHE, `postgres-${n}-${key}-${await cacheKey(n, 'postgres')}`);
  const tokensFile = join(dir, 'tokens.txt');
  const store = openStore(url);
  try {
    if (existsSync(tokensFile)) {
      const tokens = readTokens(tokensFile);
      if (await allLive(store, [tokens[0], tokens.at(-1)])) {
        log(`using the ${n} tokens already in PostgreSQL (${dir})`);
        return { url, tokens };
      }
    }
    log(`preparing ${n} tokens in PostgreSQL (cached for later runs)...`);
    const started = Date.now();
    await seedStore(store);
    const raws = [];
    let batch = [];
    const flush = async () => {
      await Promise.all(batch.map((token) => store.insertToken(token)));
      batch = [];
    };
    for await (const { raw, row } of tokenRows(n, Date.now())) {
      raws.push(raw);
      batch.push(rowToRecord(row));
      if (batch.length === 500) await flush();
    }
    await flush();
    mkdirSync(dir, { recursive: true });
    writeFileSync(tokensFile, raws.join('\n'));
    log(`prepared ${n} tokens in PostgreSQL in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { url, tokens: raws };
  } finally {
    await store.close();
  }
}

function rowToRecord([hash, kind, organizationId, clientId, userId, scopes, grantType, issuedAt, expiresAt, lastUsedAt, revokedAt, familyId, codeHash]) {
  return {
    hash,
    kind,
    organizationId,
    clientId,
    userId,
    scopes: JSON.parse(scopes),
    grantType,
    issuedAt,
    expiresAt,
    lastUsedAt,
    revokedAt,
    familyId,
    codeHash,
  };
}

async function allLive(store, raws) {
  const { hashToken } = await import(dist('core/secrets.js'));
  for (const raw of raws) {
    if (raw === undefined) return false;
    const token = await store.findTokenByHash(hashToken(raw));
    if (!token || token.revokedAt !== null || token.expiresAt < Date.now() + 86_400_000) return false;
  }
  return true;
}

function readTokens(file) {
  return readFileSync(file, 'utf8').split('\n');
}

/**
 * The store a run serves: `{ database, tokens }`, `database` being what TOKEND_DATABASE takes.
 * SQLite runs get a fresh copy of the cached file in bench/.cache/run/.
 */
export async function preparedStore(n, backend, log, copyName = 'tokend') {
  if (backend.kind === 'postgres') {
    const { url, tokens } = await preparePostgres(n, backend.url, log);
    return { database: url, tokens };
  }
  const { file, tokens } = await prepareSqlite(n, log);
  const runDir = join(CACHE, 'run');
  mkdirSync(runDir, { recursive: true });
  const database = join(runDir, `${copyName}-${n}.db`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });
  copyFileSync(file, database);
  return { database, tokens };
}
