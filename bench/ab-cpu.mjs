/**
 * Server CPU per warm GET /api/v2/tokens/me of several builds, measured alternately: each build
 * runs on its own copy of the 10,000-token store, and in each round every build gets a 1-second
 * burst (the order rotates), so that the slowly varying load of a shared machine falls on all
 * alike. Main-thread CPU from /proc, summed over every round. Name a build twice to see the
 * noise between two servers of one build. Usage (after `npm run build` in each tree):
 *   BUILDS='{"new":".","base":"/tmp/base","new2":".","base2":"/tmp/base"}' PIN=1 ROUNDS=30 \
 *     taskset -c 0 node bench/ab-cpu.mjs
 * PIN: the core the servers are pinned to (the load generator then belongs on another one).
 * BUILD_ENV: settings for some builds by name, e.g. '{"on":{"TOKEND_TEST_CONTROLS":"1"}}' with
 * BUILDS naming "on" as the same tree as "new": the cost of a setting, beside its default.
 */
import { cpuPerGet } from './cpu-per-get.mjs';
import { preparedStore } from './prepare.mjs';
import { startTokend } from './servers.mjs';
const builds = JSON.parse(process.env.BUILDS);
const buildEnv = JSON.parse(process.env.BUILD_ENV ?? '{}');
const servers = {};
let tokens;
for (const [name, root] of Object.entries(builds)) {
  const a = await preparedStore(10000, { kind: 'sqlite' }, () => {}, `multi-${name}`);
  tokens = a.tokens;
  servers[name] = await startTokend(a.database, { cli: `${root}/dist/src/cli/main.js`, name, env: buildEnv[name] ?? {} });
}
const names = Object.keys(servers);
const cpu = await cpuPerGet(servers, names, tokens, { rounds: Number(process.env.ROUNDS ?? 24), pin: process.env.PIN });
for (const s of Object.values(servers)) await s.stop();
for (const n of names) console.log(`${n}: ${cpu[n].us.toFixed(2)} µs main-thread CPU per GET over ${cpu[n].count} requests`);
