/**
 * A real tokend for a test: a fresh SQLite file in a temporary folder, the fixture seed, a
 * manual clock, driven in process with `app.inject` (no socket) unless `listen` is asked for.
 * With TOKEND_TEST_DATABASE=postgres the store is instead a fresh PostgreSQL database of its own
 * (`npm run test:postgres` runs the HTTP suites that way).
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TokendConfig } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { buildApp } from '../../src/server/build-app.js';
import { MIGRATIONS } from '../../src/store/sql/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { SEED_FILE } from './fixture.js';
import { pgTestDatabase } from './pg-template.js';
import type { TestDatabase } from './postgres.js';

export interface TestApp {
  app: FastifyInstance;
  clock: ManualClock;
  dir: string;
  database: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** A client-credentials (or, with `user`, password-grant) access token. */
  token(client: { id: string; secret: string }, user?: { email: string; password: string }): Promise<string>;
  close(): Promise<void>;
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/**
 * Seeding hashes every secret with scrypt, which takes seconds; tests start from a copy of a
 * database seeded once per version of the seed, the schema and the seeding code.
 */
async function seededTemplate(): Promise<string> {
  const seedText = readFileSync(SEED_FILE, 'utf8');
  const applyCode = ['apply.js', 'plan-client.js', 'seed-memory.js']
    .map((file) => readFileSync(fileURLToPath(new URL(`../../src/core/seed/${file}`, import.meta.url)), 'utf8'))
    .join('');
  const key = createHash('sha256').update(seedText).update(JSON.stringify(MIGRATIONS)).update(applyCode).digest('hex').slice(0, 16);
  const template = join(tmpdir(), `tokend-test-template-${key}.db`);
  if (existsSync(template)) return template;
  const building = `${template}.${process.pid}.tmp`;
  const store = new SqliteStore(building);
  await store.migrate();
  await applySeedText(store, new ManualClock(Date.UTC(2026, 0, 1)), seedText);
  await store.close();
  renameSync(building, template);
  return template;
}

const pgDatabases = new Map<string, TestDatabase>();

export async function startTestApp(overrides: Partial<TokendConfig> & { dir?: string } = {}): Promise<TestApp> {
  const dir = overrides.dir ?? mkdtempSync(join(tmpdir(), 'tokend-test-'));
  const clock = (overrides.clock as ManualClock | undefined) ?? new ManualClock(Date.UTC(2026, 0, 1, 12));
  const pg = process.env.TOKEND_TEST_DATABASE === 'postgres' && !overrides.database && !overrides.store;
  // A restart (same `dir`) reopens the same PostgreSQL database, as it would the same SQLite file.
  const pgDatabase = pg ? (pgDatabases.get(dir) ?? (await pgTestDatabase(overrides.seedFile === undefined))) : null;
  if (pgDatabase) pgDatabases.set(dir, pgDatabase);
  const database = pgDatabase?.url ?? join(dir, 'tokend.db');
  if (!pgDatabase && !existsSync(database) && overrides.seedFile === undefined) {
    copyFileSync(await seededTemplate(), database);
    // As tokend creates a store (a template cached by an older build may be 0644).
    chmodSync(database, 0o600);
  }
  const app = await buildApp({ database, logger: false, ...overrides, clock });
  const inject = (options: InjectOptions) => app.inject(options);
  return {
    app,
    clock,
    dir,
    database,
    inject,
    async token(client, user) {
      const payload = user
        ? `grant_type=password&username=${encodeURIComponent(user.email)}&password=${encodeURIComponent(user.password)}`
        : 'grant_type=client_credentials';
      const response = await inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
      if (response.statusCode !== 200) throw new Error(`token request failed: ${response.statusCode} ${response.body}`);
      return response.json().access_token as string;
    },
    async close() {
      await app.close();
      if (pgDatabase) {
        pgDatabases.delete(dir);
        await pgDatabase.drop();
      }
      if (!overrides.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Waits for a change made through another connection (another node, the CLI) to reach the
 * test app: at once on SQLite (`PRAGMA data_version` is read on every request), within the
 * cross-node bound on PostgreSQL, where it travels as a notification (docs/several-nodes.md).
 */
export async function otherNodeChange(): Promise<void> {
  if (process.env.TOKEND_TEST_DATABASE === 'postgres') await new Promise((resolve) => setTimeout(resolve, 150));
}

/** `POST /oauth/token` for a client-credentials token of `client`, as a service sends it: the raw answer. */
export function clientCredentialsRequest(app: Pick<TestApp, 'inject'>, client: { id: string; secret: string }): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'grant_type=client_credentials',
  });
}
