/**
 * `node bench/users-listing.mjs`: what a page of `GET /api/v2/users` costs with BENCH_PEOPLE
 * (default 10,000) people in one organization (issue 23: under 50 ms). The people are written in
 * one seed transaction (no passwords: nothing to hash), each with a role and a group; the app is
 * built in process (`buildApp`, no socket: the figure is the server's, not the network's) and
 * asked BENCH_ROUNDS (default 200) times for each page shape: the first, middle and last page of
 * 25 by name (the last one reads past 9,975 index entries), descending, a state filter, pages of
 * 500, an id filter, and `expand=authorization,groups`. Prints the median, p95 and worst of each.
 *
 * SQLite by default; BENCH_DATABASE=postgres://... runs it on PostgreSQL (a database of its own:
 * the schema is created there). Not a timed test: docs/performance-users.md keeps the figures.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dist } from './paths.mjs';

const env = process.env;
const PEOPLE = Number(env.BENCH_PEOPLE ?? 10_000);
const ROUNDS = Number(env.BENCH_ROUNDS ?? 200);
const log = (line) => process.stderr.write(`${line}\n`);

const { ManualClock } = await import(dist('core/clock.js'));
const { hashSecret } = await import(dist('core/secrets.js'));
const { buildApp } = await import(dist('server/build-app.js'));
const { openStore } = await import(dist('store/open-store.js'));

const ORG = randomUUID();
const ROLE = randomUUID();
const GROUP = randomUUID();
const CLIENT = { id: randomUUID(), secret: 'bench-users-listing-secret' };
const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));

const dir = mkdtempSync(join(tmpdir(), 'tokend-bench-users-'));
const database = env.BENCH_DATABASE ?? join(dir, 'tokend.db');

/** A seed plan of PEOPLE people (names in no order, a tenth inactive), a role, a group and a client-credentials admin. */
async function seed() {
  const store = openStore(database);
  await store.migrate();
  const now = clock.now();
  const users = Array.from({ length: PEOPLE }, (_, i) => ({
    id: randomUUID(),
    organizationId: ORG,
    // Scrambled so that name order is not insertion order.
    name: `Person ${((i * 7919) % PEOPLE).toString().padStart(6, '0')} ${i % 3 === 0 ? 'adams' : 'Baker'}`,
    email: `person${i}@bench.test`,
    passwordHash: null,
    state: i % 10 === 9 ? 'inactive' : 'active',
    roleIds: [ROLE],
    groupIds: i % 2 === 0 ? [GROUP] : [],
    dateCreated: now,
    dateModified: now,
  }));
  const started = performance.now();
  await store.applySeed({
    at: now,
    organizations: [
      {
        organization: {
          id: ORG,
          name: `Bench ${ORG.slice(0, 8)}`,
          homeDivisionId: randomUUID(),
          idleTokenTimeout: {
            enableIdleTokenTimeout: false,
            idleTokenTimeoutSeconds: 900,
            inactivityTimeoutUnit: 'Minutes',
            inactivityTimeoutGroupsEnabled: false,
            inactivityTimeoutGroupBundles: [],
          },
        },
        roles: [{ id: ROLE, organizationId: ORG, name: 'People admin', permissions: ['directory:user:*', 'authorization:grant:*'] }],
        groups: [{ id: GROUP, organizationId: ORG, name: 'Half' }],
        users,
        clients: [
          {
            id: CLIENT.id,
            organizationId: ORG,
            name: 'Bench people admin',
            secretHash: await hashSecret(CLIENT.secret),
            authorizedGrantType: 'CLIENT-CREDENTIALS',
            scope: [],
            registeredRedirectUri: [],
            roleDivisions: [{ roleId: ROLE, divisionId: 'home' }],
            accessTokenValiditySeconds: 86_400,
            state: 'active',
            dateCreated: now,
            dateModified: now,
            createdBy: null,
            modifiedBy: null,
            dateToDelete: null,
          },
        ],
      },
    ],
  });
  await store.close();
  log(`seeded ${PEOPLE} people in ${(performance.now() - started).toFixed(0)} ms (${database.startsWith('postgres') ? 'PostgreSQL' : 'SQLite'})`);
  return users;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

async function main() {
  const users = await seed();
  // One token asks thousands of times: no per-token rate limit in the way.
  const app = await buildApp({ database, clock, logger: false, rateLimitPerMinute: 1e9 });
  try {
    const issued = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: {
        authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      payload: 'grant_type=client_credentials',
    });
    const token = issued.json().access_token;
    const active = users.filter((u) => u.state === 'active').length;
    const last = Math.ceil(active / 25);
    const ids = users.slice(0, 100).map((u) => u.id);
    const shapes = [
      ['first page of 25', '/api/v2/users'],
      ['middle page of 25', `/api/v2/users?pageNumber=${Math.ceil(last / 2)}`],
      ['last page of 25', `/api/v2/users?pageNumber=${last}`],
      ['last page of 25, descending', `/api/v2/users?pageNumber=${last}&sortOrder=DESC`],
      ['last page of 25, state=any', `/api/v2/users?pageNumber=${Math.ceil(PEOPLE / 25)}&state=any`],
      ['page of 500 (the middle one)', `/api/v2/users?pageSize=500&pageNumber=${Math.ceil(active / 1000)}`],
      ['100 ids, one page of 100', `/api/v2/users?pageSize=100&id=${ids.join(',')}`],
      ['last page of 25, expand=authorization,groups', `/api/v2/users?pageNumber=${last}&expand=authorization,groups`],
    ];
    process.stdout.write(`| page (${PEOPLE} people, ${active} active) | median ms | p95 ms | worst ms |\n|---|---|---|---|\n`);
    for (const [what, url] of shapes) {
      const check = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      if (check.statusCode !== 200) throw new Error(`${url}: ${check.statusCode} ${check.body}`);
      const times = [];
      for (let i = 0; i < ROUNDS; i++) {
        const started = performance.now();
        const response = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
        times.push(performance.now() - started);
        if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
      }
      times.sort((a, b) => a - b);
      const ms = (v) => v.toFixed(2);
      process.stdout.write(`| ${what} | ${ms(quantile(times, 0.5))} | ${ms(quantile(times, 0.95))} | ${ms(times.at(-1))} |\n`);
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
