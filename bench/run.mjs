/**
 * `npm run bench`: tokend against a bare node:http baseline and the oidc-provider peer, on
 * prepared stores of N tokens, runs alternated (baseline, tokend, peer, baseline, ...) and
 * reported as medians. Writes bench/RESULTS.md and prints it. Exits non-zero if any run saw a
 * wrong status, and loudly if a revoked token was ever accepted.
 *
 * Settings (environment): BENCH_SIZES (default 10000,1000000), BENCH_DURATION seconds per run
 * (default 5), BENCH_ROUNDS (default 3), BENCH_WARMUP seconds (default 1), BENCH_PROFILE=1
 * (tokend writes a V8 CPU profile to bench/.cache/profiles/), BENCH_ONLY (comma-separated
 * workload keys: get, head, issue, mixed), BENCH_FIRST_PASS=0 (skip the warm-up pass over every
 * token and the memory figures, e.g. to profile one workload), TOKEND_BENCH_DATABASE (a postgres:// URL: run
 * tokend on PostgreSQL too; BENCH_PG_SIZES, default 10000, the sizes run there), BENCH_COMPARE_CLI (the dist/src/cli/main.js of another build of
 * tokend, e.g. a worktree of main: it runs as "tokend (compare)" beside this one, on its own
 * copy of the store, in the same alternation, to measure one change).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { drive } from './drive.mjs';
import { mixed, sweep } from './mixed.mjs';
import { CACHE, ROOT } from './paths.mjs';
import { CLIENT, preparedStore } from './prepare.mjs';
import { collectMachine, renderResults } from './report.mjs';
import { PEER_CLIENT } from './servers/peer-client.mjs';
import { startBaseline, startPeer, startTokend } from './servers.mjs';
import { everyTokenOnce, introspect, issue, validate } from './workloads.mjs';

const env = process.env;
const settings = {
  sizes: (env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number),
  duration: Number(env.BENCH_DURATION ?? 5),
  rounds: Number(env.BENCH_ROUNDS ?? 3),
  warmup: Number(env.BENCH_WARMUP ?? 1),
  profile: env.BENCH_PROFILE === '1',
  only: env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(',')) : null,
  compareCli: env.BENCH_COMPARE_CLI,
  firstPass: env.BENCH_FIRST_PASS !== '0',
  pgSizes: (env.BENCH_PG_SIZES ?? '10000').split(',').map(Number),
};
const backends = [{ kind: 'sqlite' }];
if (env.TOKEND_BENCH_DATABASE) backends.push({ kind: 'postgres', url: env.TOKEND_BENCH_DATABASE });

const log = (message) => process.stderr.write(`[bench] ${message}\n`);
const failures = [];

/** What the servers answer, sampled from tokend itself so the baseline sends the same bytes. */
async function sample(tokend, peer, token) {
  const base = `http://127.0.0.1:${tokend.port}`;
  const get = await fetch(`${base}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${token}` } });
  const getBody = await get.text();
  const issued = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  const issuedBody = await issued.text();
  if (get.status !== 200 || issued.status !== 200) throw new Error(`tokend sample failed: GET ${get.status} ${getBody}, POST ${issued.status} ${issuedBody}`);
  if (peer) {
    const response = await fetch(`http://127.0.0.1:${peer.port}/token/introspection`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${PEER_CLIENT.client_id}:${PEER_CLIENT.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: `token=${peer.tokens[0]}`,
    });
    const body = await response.json();
    if (response.status !== 200 || body.active !== true) throw new Error(`oidc-provider introspection sample failed: ${JSON.stringify(body)}`);
  }
  return {
    'GET /api/v2/tokens/me': { status: 200, body: getBody },
    'HEAD /api/v2/tokens/me': { status: 200, body: '' },
    'POST /oauth/token': { status: 200, body: issuedBody },
    'DELETE /api/v2/tokens/me': { status: 200, body: '' },
  };
}

/** The workload groups; each run in a group alternates with the others, baseline first. */
function groups({ tokens, tokend, baseline, peer, compare }) {
  const other = (workload, extra = {}) => (compare ? [{ server: 'tokend (compare)', target: compare, workload, ...extra }] : []);
  const all = [
    {
      key: 'get',
      title: 'GET /api/v2/tokens/me',
      systems: [
        { server: 'baseline', target: baseline, workload: () => validate(tokens) },
        { server: 'tokend', target: tokend, workload: () => validate(tokens) },
        ...other(() => validate(tokens)),
        ...(peer ? [{ server: 'oidc-provider introspection', target: peer, workload: () => introspect(peer.tokens, PEER_CLIENT) }] : []),
      ],
    },
    {
      key: 'head',
      title: 'HEAD /api/v2/tokens/me',
      systems: [
        { server: 'baseline', target: baseline, workload: () => validate(tokens, 'HEAD') },
        { server: 'tokend', target: tokend, workload: () => validate(tokens, 'HEAD') },
        ...other(() => validate(tokens, 'HEAD')),
      ],
    },
    {
      key: 'issue',
      title: 'POST /oauth/token (client credentials)',
      systems: [
        { server: 'baseline', target: baseline, workload: () => issue(CLIENT) },
        { server: 'tokend', target: tokend, workload: () => issue(CLIENT) },
        ...other(() => issue(CLIENT)),
      ],
    },
    {
      key: 'mixed',
      title: 'mixed: 90% GET, 9% issuance, 1% DELETE',
      systems: [
        { server: 'baseline', target: baseline, workload: () => mixed(tokens, CLIENT, { check: false }), mixed: true },
        { server: 'tokend', target: tokend, workload: () => mixed(tokens, CLIENT, { check: true }), mixed: true, check: true },
        ...other(() => mixed(tokens, CLIENT, { check: true }), { mixed: true, check: true }),
      ],
    },
  ];
  return all.filter((group) => !settings.only || settings.only.has(group.key));
}

/** One run; checks its statuses (and, for the checked mixed run, revocation) afterwards. */
async function measure(label, system, seconds) {
  const workload = system.workload();
  const cpuBefore = system.target.cpuNs();
  const result = await drive(system.target.port, workload, { duration: seconds });
  result.cpuUs = (system.target.cpuNs() - cpuBefore) / 1000 / result.count;
  const wrong = Object.entries(result.statuses).filter(([status]) => status !== '200' && !system.mixed);
  if (wrong.length > 0 || result.errors > 0) failures.push(`${label}: statuses ${JSON.stringify(result.statuses)}, ${result.errors} socket errors or timeouts`);
  if (system.check) {
    const { stats } = workload;
    const violations = [...stats.violations, ...(await sweep(system.target.port, workload.revoked))];
    result.mixed = { ...stats, violations: violations.length, sweep: workload.revoked.length };
    if (Object.keys(stats.unexpected).length > 0) failures.push(`${label}: unexpected answers ${JSON.stringify(stats.unexpected)}`);
    if (violations.length > 0) {
      const message = `${label}: A REVOKED TOKEN WAS ACCEPTED (${violations.length} times): ${JSON.stringify(violations.slice(0, 5))}`;
      log(`\n\n!!!!!!!!!!!!!!!!\n${message}\n!!!!!!!!!!!!!!!!\n`);
      failures.push(message);
    }
  }
  log(`${label}: ${Math.round(result.rps)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, ${result.cpuUs.toFixed(1)} µs CPU/req`);
  return result;
}

/**
 * Waits until tokend is idle after the first pass (at least 2 s): the pass used every token for
 * the first time, and writing their last use back (a million rows at that size) is warm-up,
 * not part of the runs measured next. Returns how long it took.
 */
async function settled(server) {
  const started = Date.now();
  let cpu = server.cpuNs();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = server.cpuNs();
    const busy = (now - cpu) / 1e9;
    cpu = now;
    if (Date.now() - started >= 2000 && busy < 0.05) return Date.now() - started;
    if (Date.now() - started > 600_000) throw new Error('tokend did not settle within 10 minutes of the first pass');
  }
}

async function benchSize(backend, n, withPeer) {
  const label = `${backend.kind} ${n}`;
  const { database, tokens } = await preparedStore(n, backend, log);
  const profileDir = settings.profile ? join(CACHE, 'profiles') : undefined;
  const tokend = await startTokend(database, { profileDir });
  let peer;
  let baseline;
  let compare;
  try {
    if (settings.compareCli) {
      const copy = await preparedStore(n, backend, log, 'compare');
      compare = await startTokend(copy.database, { cli: settings.compareCli, name: 'tokend (compare)' });
    }
    if (withPeer) {
      log(`${label}: starting oidc-provider and issuing ${n} tokens in it...`);
      peer = await startPeer(n);
    }
    baseline = await startBaseline(await sample(tokend, peer, tokens[0]));

    // Memory: resident size once started, then after every token has been used once.
    const rssStarted = tokend.rss();
    if (!settings.firstPass) return { runs: await rounds(backend, n, { tokens, tokend, baseline, peer, compare }), memory: null };
    log(`${label}: first pass over every token (HEAD, each once)...`);
    const firstPass = await drive(tokend.port, everyTokenOnce(tokens), { amount: n });
    if (firstPass.statuses[200] !== n) failures.push(`${label} first pass: statuses ${JSON.stringify(firstPass.statuses)}`);
    const settledMs = await settled(tokend);
    const memory = { n, rssStarted, rssWarm: tokend.rss(), firstPass };
    const mib = ({ anon, file }) => `${(anon / 2 ** 20).toFixed(0)} MiB (+${(file / 2 ** 20).toFixed(0)} MiB file-mapped)`;
    log(
      `${label}: RSS ${mib(memory.rssStarted)} started, ${mib(memory.rssWarm)} warm; first pass ${Math.round(firstPass.rps)} req/s; settled ${(settledMs / 1000).toFixed(1)} s later`,
    );

    if (compare) await drive(compare.port, everyTokenOnce(tokens), { amount: n });
    return { runs: await rounds(backend, n, { tokens, tokend, baseline, peer, compare }), memory: { backend: backend.kind, ...memory } };
  } finally {
    await tokend.stop();
    await baseline?.stop();
    await peer?.stop();
    await compare?.stop();
  }
}

/** The measured runs: every workload group, its servers alternating, round after round. */
async function rounds(backend, n, ctx) {
  const label = `${backend.kind} ${n}`;
  const runs = [];
  const list = groups(ctx);
  for (const group of list) for (const system of group.systems) await drive(system.target.port, system.workload(), { duration: settings.warmup });
  for (let round = 1; round <= settings.rounds; round++) {
    for (const group of list) {
      for (const system of group.systems) {
        const result = await measure(`${label} ${group.key} ${system.server} #${round}`, system, settings.duration);
        runs.push({ backend: backend.kind, n, group: group.key, title: group.title, server: system.server, round, ...result });
      }
    }
  }
  return runs;
}

const machine = collectMachine(settings);
const allRuns = [];
const memories = [];
for (const backend of backends) {
  for (const n of settings.sizes) {
    // Writing a million tokens through the PostgreSQL store takes many minutes: by default
    // PostgreSQL runs the smaller sizes only (BENCH_PG_SIZES overrides).
    if (backend.kind === 'postgres' && !settings.pgSizes.includes(n)) continue;
    // A store that cannot be prepared or served fails the benchmark, not the figures already measured.
    try {
      const { runs, memory } = await benchSize(backend, n, backend.kind === 'sqlite');
      allRuns.push(...runs);
      if (memory) memories.push(memory);
    } catch (error) {
      failures.push(`${backend.kind} ${n}: ${error instanceof Error ? error.message : String(error)}`);
      log(`${backend.kind} ${n} failed: ${error instanceof Error ? error.stack : String(error)}`);
    }
  }
}
machine.loadAfter = (await import('node:os')).loadavg();
const markdown = renderResults({ machine, settings, runs: allRuns, memories, failures });
mkdirSync(join(ROOT, 'bench'), { recursive: true });
writeFileSync(join(ROOT, 'bench', 'RESULTS.md'), markdown);
process.stdout.write(markdown);
if (failures.length > 0) {
  log(`FAILED:\n${failures.join('\n')}`);
  process.exit(1);
}
process.exit(0);
