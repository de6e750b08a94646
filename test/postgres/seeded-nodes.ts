/**
 * Two tokend nodes (two apps, each with its own pool, LISTEN connection and caches) on one
 * PostgreSQL database of their own, seeded from a file: what the directory's two-node tests
 * (groups-nodes, users-nodes) share. Registers its own `before` and `after` in the calling suite.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { TokendConfig } from '../../src/config.js';
import type { Clock } from '../../src/core/clock.js';
import { applySeedText } from '../../src/core/seed/apply.js';
import { buildApp } from '../../src/server/build-app.js';
import { PgStore } from '../../src/store/postgres/pg-store.js';
import { basic } from '../helpers/app.js';
import { createDatabase, type TestDatabase } from '../helpers/postgres.js';

export interface SeededNodes {
  a: FastifyInstance;
  b: FastifyInstance;
}

/** Nodes A and B, set once the suite's `before` has run (read them inside a test). */
export function seededNodes(seedFile: string, clock: Clock, config: Partial<TokendConfig> = {}): SeededNodes {
  let database: TestDatabase | undefined;
  const nodes = {} as SeededNodes;
  before(async () => {
    database = await createDatabase();
    const store = new PgStore(database.url);
    await store.migrate();
    await applySeedText(store, clock, readFileSync(seedFile, 'utf8'));
    await store.close();
    const url = database.url;
    [nodes.a, nodes.b] = await Promise.all([
      buildApp({ ...config, database: url, clock, logger: false }),
      buildApp({ ...config, database: url, clock, logger: false }),
    ]);
  });
  after(async () => {
    await Promise.all([nodes.a?.close(), nodes.b?.close()]);
    await database?.drop();
  });
  return nodes;
}

/** A client-credentials token of `client` from `node`, or a password-grant one for `person`. */
export async function nodeToken(node: FastifyInstance, client: { id: string; secret: string }, person?: { email: string; password: string }): Promise<string> {
  const response = await node.inject({
    method: 'POST',
    url: '/oauth/token',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    payload: person
      ? `grant_type=password&username=${encodeURIComponent(person.email)}&password=${encodeURIComponent(person.password)}`
      : 'grant_type=client_credentials',
  });
  assert.equal(response.statusCode, 200, response.body);
  return response.json().access_token as string;
}
