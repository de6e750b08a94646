/**
 * `node bench/admin-writes.mjs`: what a stream of admin writes costs the hot path (issue 14).
 * GET /api/v2/tokens/me with a random one of BENCH_TOKENS (default 10,000) cached tokens, on
 * SQLite, measured twice for BENCH_SECONDS (default 8) each: quiet, then while BENCH_UPDATES
 * (default 100) client updates go through the API (PUT /api/v2/oauth/clients/{id}, one every
 * BENCH_UPDATE_MS, default 50, round-robin over a few clients that hold none of the load's
 * tokens), as a Terraform run would make them. Prints req/s, p50 and p99 of each, the server's
 * main-thread CPU per GET, the PUTs' latencies, and what each update cost the server in CPU:
 * its main-thread time from the start of the loaded run until the last update answered, less
 * the quiet run's CPU per GET times the GETs answered meanwhile, divided by the updates. That
 * last figure (the PUT's own work plus the cache reloads it caused) is the least noisy on a
 * shared machine: other processes take wall-clock time from a server, not CPU time.
 *
 * TOKEND_CLI names the tokend build to serve (default this tree's dist/src/cli/main.js), so two
 * builds run on the same prepared store; the store and the admin seed are written with this
 * tree's dist/ (the schema must be the same).
 */
import { dist, CLI } from './paths.mjs';
import { drive } from './drive.mjs';
import { preparedStore, SEED } from './prepare.mjs';
import { startTokend } from './servers.mjs';
import { basic, everyTokenOnce, validate } from './workloads.mjs';

const env = process.env;
const N = Number(env.BENCH_TOKENS ?? 10_000);
const SECONDS = Number(env.BENCH_SECONDS ?? 8);
const UPDATES = Number(env.BENCH_UPDATES ?? 100);
const UPDATE_MS = Number(env.BENCH_UPDATE_MS ?? 50);
const cli = env.TOKEND_CLI ?? CLI;
const log = (line) => process.stderr.write(`${line}\n`);

const ADMIN = { id: 'b3c0a000-0000-4000-8000-00000000ad01', secret: 'bench-client-admin-secret' };
const TARGETS = Array.from({ length: 5 }, (_, i) => `b3c0a000-0000-4000-8000-00000000ee0${i}`);

/** The bench seed plus a client admin and the clients the updates change. */
function adminSeed() {
  const organization = SEED.organizations[0];
  return JSON.stringify({
    organizations: [
      {
        ...organization,
        roles: [...organization.roles, { name: 'Client admin', permissions: ['oauth:client:view', 'oauth:client:edit'] }],
        clients: [
          ...organization.clients,
          { id: ADMIN.id, name: 'Bench client admin', secret: ADMIN.secret, authorizedGrantType: 'CLIENT-CREDENTIALS', roles: ['Client admin'] },
          ...TARGETS.map((id, i) => ({
            id,
            name: `Terraform target ${i}`,
            secret: `target-secret-${i}`,
            authorizedGrantType: 'CLIENT-CREDENTIALS',
            roles: ['Service'],
          })),
        ],
      },
    ],
  });
}

async function seedAdmin(database) {
  const { SqliteStore } = await import(dist('store/sqlite/sqlite-store.js'));
  const { applySeedText } = await import(dist('core/seed/apply.js'));
  const { systemClock } = await import(dist('core/clock.js'));
  const store = new SqliteStore(database);
  try {
    await applySeedText(store, systemClock, adminSeed());
  } finally {
    await store.close();
  }
}

async function adminToken(port) {
  const response = await fetch(`http://127.0.0.1:${port}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(ADMIN.id, ADMIN.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  if (response.status !== 200) throw new Error(`admin token: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

/** UPDATES PUTs, one every UPDATE_MS (or right after the previous one when it took longer); their latencies. */
async function updateClients(port, token) {
  const latencies = [];
  const start = performance.now();
  for (let i = 0; i < UPDATES; i++) {
    const wait = start + i * UPDATE_MS - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const began = performance.now();
    const response = await fetch(`http://127.0.0.1:${port}/api/v2/oauth/clients/${TARGETS[i % TARGETS.length]}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `Terraform target ${i % TARGETS.length} (${i})`, authorizedGrantType: 'CLIENT-CREDENTIALS' }),
    });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`PUT ${i}: ${response.status}`);
    latencies.push(performance.now() - began);
  }
  return latencies.sort((a, b) => a - b);
}

const fmt = (r) =>
  `${Math.round(r.rps)} req/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.cpuUs.toFixed(1)} us CPU/GET (${r.count} requests, statuses ${JSON.stringify(r.statuses)}, errors ${r.errors})`;

/** `run` with the server's main-thread CPU time per response added. */
async function withCpu(server, run) {
  const before = server.cpuNs();
  const result = await run();
  return { ...result, cpuUs: (server.cpuNs() - before) / 1000 / result.count };
}

const { database, tokens } = await preparedStore(N, { kind: 'sqlite' }, log, 'admin-writes');
await seedAdmin(database);
const tokend = await startTokend(database, { cli, name: 'tokend' });
try {
  const admin = await adminToken(tokend.port);
  await drive(tokend.port, everyTokenOnce(tokens, 'GET'), { amount: N });
  await drive(tokend.port, validate(tokens), { duration: 2 });
  const quiet = await withCpu(tokend, () => drive(tokend.port, validate(tokens), { duration: SECONDS }));
  const cpuBefore = tokend.cpuNs();
  const started = performance.now();
  const [writes, [puts, updatesMs]] = await Promise.all([
    withCpu(tokend, () => drive(tokend.port, validate(tokens), { duration: SECONDS })),
    new Promise((resolve) => setTimeout(resolve, 1000)).then(async () => [await updateClients(tokend.port, admin), performance.now() - started]),
  ]);
  const perUpdateMs = ((tokend.cpuNs() - cpuBefore) / 1000 - quiet.cpuUs * writes.count) / UPDATES / 1000;
  const at = (q) => puts[Math.min(puts.length - 1, Math.floor(q * puts.length))].toFixed(1);
  process.stdout.write(
    `build ${cli}\n  ${N} tokens, quiet:                ${fmt(quiet)}\n  during ${UPDATES} client updates: ${fmt(writes)}\n  the updates: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, the last one answered ${(updatesMs / 1000).toFixed(1)} s in; server CPU per update ${perUpdateMs.toFixed(2)} ms\n`,
  );
} finally {
  await tokend.stop();
}
