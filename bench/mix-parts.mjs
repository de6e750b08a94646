/**
 * The mixed workload beside its parts, on one tokend (issue: "mixed load costs what its parts
 * cost"): GET alone, issuance alone, then the mix, each for DURATION seconds, with server CPU
 * per request split by thread (the event loop, SQLite's checkpointer, libuv's pool, V8's
 * helpers) and the store's and token cache's counters from /metrics. Prints the mix's cost
 * beside the weighted sum of its parts. Usage (after `npm run build`):
 *   DURATION=5 SIZE=10000 PIN=1 taskset -c 0 node bench/mix-parts.mjs
 * PIN: the core tokend is pinned to (the load generator belongs on another one).
 * PROFILE=1: tokend writes a V8 CPU profile to bench/.cache/profiles/ (one server per workload then).
 * WORKLOADS: comma-separated, default get,issue,mixed. TOKEND_BENCH_DATABASE: a postgres:// URL.
 * BUILD: the root of another build (a worktree) to run instead of this one.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { drive } from './drive.mjs';
import { mixed } from './mixed.mjs';
import { CACHE } from './paths.mjs';
import { CLIENT, preparedStore } from './prepare.mjs';
import { startTokend } from './servers.mjs';
import { everyTokenOnce, issue, validate } from './workloads.mjs';

const env = process.env;
const duration = Number(env.DURATION ?? 5);
const size = Number(env.SIZE ?? 10000);
const names = (env.WORKLOADS ?? 'get,issue,mixed').split(',');
const backend = env.TOKEND_BENCH_DATABASE ? { kind: 'postgres', url: env.TOKEND_BENCH_DATABASE } : { kind: 'sqlite' };
const log = (message) => process.stderr.write(`[mix-parts] ${message}\n`);

/** CPU nanoseconds of each thread of `pid`, by thread name (threads of one name summed). */
function threadCpu(pid) {
  const byName = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const ns = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      byName[tid === String(pid) ? 'main' : name] = (byName[tid === String(pid) ? 'main' : name] ?? 0) + ns;
    } catch {
      // The thread ended while being read.
    }
  }
  return byName;
}

async function metrics(port) {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const picked = {};
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    if (
      /^tokend_(token_cache_(hits|misses|evictions)|store_operation_duration_seconds_count|token_validations|token_revocations|tokens_issued|fast_lane)/.test(
        line,
      )
    ) {
      const space = line.lastIndexOf(' ');
      picked[line.slice(0, space)] = Number(line.slice(space + 1));
    }
  }
  return picked;
}

const workloads = {
  get: (tokens) => validate(tokens),
  issue: () => issue(CLIENT),
  mixed: (tokens) => mixed(tokens, CLIENT, { check: true }),
  // The mix without its revocations, and GET with revoked tokens' share of failures left out: to tell the parts' costs apart.
  'get+issue': (tokens) => mixed(tokens, CLIENT, { check: true, shares: { validate: 0.9, issue: 0.1 } }),
  // The same, but validating only prepared tokens (none just issued): whether a fresh token costs its validations more.
  'get+issue-prepared': (tokens) => mixed(tokens, CLIENT, { check: false, shares: { validate: 0.9, issue: 0.1 } }),
  // Every request a cache miss (each prepared token once, on a server that has not seen them), or a revoked token's 401.
  cold: (tokens) => everyTokenOnce(tokens, 'GET'),
  revoked: (tokens) => validate(tokens.slice(0, REVOKED)),
  // Each prepared token revoked once (DELETE /api/v2/tokens/me), cached beforehand as in the mix.
  delete: (tokens) => everyTokenOnce(tokens, 'DELETE'),
  // A warm GET through Fastify (a query string is handed on by the fast lane), alone and as a tenth
  // of the GETs: whether mixing the lane with Fastify alone costs more than its parts, no write involved.
  'get-fastify': (tokens) => validatePath(tokens, () => true),
  'get+fastify': (tokens) => validatePath(tokens, () => Math.random() < 0.1),
};

/** GET /api/v2/tokens/me with a random token, with a query string (so through Fastify) when `viaFastify()`. */
function validatePath(tokens, viaFastify) {
  const plain = validate(tokens);
  return {
    setupRequest(request, context) {
      plain.setupRequest(request, context);
      if (viaFastify()) request.path = `${request.path}?via=fastify`;
      return request;
    },
  };
}

// Each workload on a fresh copy of the store (PostgreSQL: the one prepared database), as the runs of bench/run.mjs.
const { tokens } = await preparedStore(size, backend, log);
const profileDir = env.PROFILE === '1' ? join(CACHE, 'profiles') : undefined;
let server = null;
const results = {};
/** Tokens the "revoked" workload revokes first (DELETE /api/v2/tokens/me), then sends. */
const REVOKED = 500;
for (const name of names) {
  // A server of its own for each workload, warmed as bench/run.mjs leaves tokend before its runs:
  // every prepared token used once, then a second of the workload ("cold" excepted).
  await server?.stop();
  const { database } = await preparedStore(size, backend, () => {});
  // BUILD: the root of another build of tokend to measure (default this one).
  const cli = env.BUILD ? join(env.BUILD, 'dist', 'src', 'cli', 'main.js') : undefined;
  server = await startTokend(database, { profileDir, name: `mix-parts-${name}`, ...(cli ? { cli } : {}) });
  if (env.PIN) execFileSync('taskset', ['-a', '-p', '-c', env.PIN, String(server.child.pid)]);
  if (name === 'revoked') {
    for (const token of tokens.slice(0, REVOKED)) {
      await fetch(`http://127.0.0.1:${server.port}/api/v2/tokens/me`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    }
  }
  if (name !== 'cold') await drive(server.port, everyTokenOnce(tokens), { amount: tokens.length });
  if (name !== 'cold' && name !== 'delete') await drive(server.port, workloads[name](tokens), { duration: 1 });
  const workload = workloads[name](tokens);
  const metricsBefore = await metrics(server.port);
  const before = threadCpu(server.child.pid);
  // CONNECTIONS: fewer connections than the benchmark's 50, e.g. 1 to see issuance committed one token at a time.
  const connections = env.CONNECTIONS ? { connections: Number(env.CONNECTIONS) } : {};
  const run = await drive(
    server.port,
    workload,
    name === 'cold' || name === 'delete' ? { amount: tokens.length, ...connections } : { duration, ...connections },
  );
  const after = threadCpu(server.child.pid);
  const metricsAfter = await metrics(server.port);
  const perThread = {};
  for (const [thread, ns] of Object.entries(after)) {
    const us = (ns - (before[thread] ?? 0)) / 1000 / run.count;
    if (us >= 0.05) perThread[thread] = Number(us.toFixed(2));
  }
  const counters = {};
  for (const [key, value] of Object.entries(metricsAfter)) {
    const delta = value - (metricsBefore[key] ?? 0);
    if (delta !== 0) counters[key] = Number((delta / run.count).toFixed(4));
  }
  results[name] = { rps: Math.round(run.rps), count: run.count, statuses: run.statuses, perThread, countersPerRequest: counters, stats: workload.stats };
  log(`${name}: ${Math.round(run.rps)} req/s, main ${perThread.main} µs/req, threads ${JSON.stringify(perThread)}`);
}
await server?.stop();
console.log(JSON.stringify(results, null, 2));
if (results.get && results.issue && results.mixed) {
  const main = (name) => results[name].perThread.main;
  const weighted = 0.9 * main('get') + 0.1 * main('issue'); // the 1% DELETE counted as an issuance: an upper bound
  log(`mix ${main('mixed')} µs/req main thread against ${weighted.toFixed(1)} weighted from its parts (${((main('mixed') / weighted - 1) * 100).toFixed(0)}%)`);
}
