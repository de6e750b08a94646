/**
 * CPU profiles of several builds under the same warm GET load as ab-cpu.mjs, to see where the
 * difference between them goes. Usage (after `npm run build` in each tree):
 *   BUILDS='{"new":".","base":"/tmp/base"}' PIN=1 ROUNDS=10 taskset -c 0 node bench/profile-ab.mjs
 * Writes one .cpuprofile per build under bench/.cache/profiles/<name>/; read each with
 * `node bench/profile-top.mjs FILE 30`.
 */
import { join } from 'node:path';
import { cpuPerGet } from './cpu-per-get.mjs';
import { preparedStore } from './prepare.mjs';
import { startTokend } from './servers.mjs';

const builds = JSON.parse(process.env.BUILDS);
const servers = {};
let tokens;
for (const [name, root] of Object.entries(builds)) {
  const a = await preparedStore(10000, { kind: 'sqlite' }, () => {}, `profile-${name}`);
  tokens = a.tokens;
  const profileDir = join(import.meta.dirname, '.cache', 'profiles', name);
  servers[name] = await startTokend(a.database, { cli: `${root}/dist/src/cli/main.js`, name, profileDir });
  console.log(`${name}: profiles in ${profileDir}`);
}
const names = Object.keys(servers);
const cpu = await cpuPerGet(servers, names, tokens, { rounds: Number(process.env.ROUNDS ?? 10), pin: process.env.PIN });
for (const s of Object.values(servers)) await s.stop();
for (const n of names) console.log(`${n}: ${cpu[n].us.toFixed(2)} µs main-thread CPU per GET over ${cpu[n].count} requests`);
