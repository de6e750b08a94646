/**
 * Server CPU per warm GET /api/v2/tokens/me of several builds, measured alternately: each build
 * runs on its own copy of the 10,000-token store, and in each round every build gets a 1-second
 * burst (the order rotates), so that the slowly varying load of a shared machine falls on all
 * alike. Main-thread CPU from /proc, summed over every round. Name a build twice to see the
 * noise between two servers of one build. Usage (after `npm run build` in each tree):
 *   BUILDS='{"new":".","base":"/tmp/base","new2":".","base2":"/tmp/base"}' PIN=1 ROUNDS=30 \
 *     taskset -c 0 node bench/ab-cpu.mjs
 * PIN: the core the servers are pinned to (the load generator then belongs on another one).
 */
import { execSync } from 'node:child_process';
import { preparedStore } from './prepare.mjs';
import { startTokend } from './servers.mjs';
import { drive } from './drive.mjs';
import { validate, everyTokenOnce } from './workloads.mjs';
const builds = JSON.parse(process.env.BUILDS);
const servers = {};
let tokens;
for (const [name, root] of Object.entries(builds)) {
  const a = await preparedStore(10000, { kind: 'sqlite' }, () => {}, `multi-${name}`);
  tokens = a.tokens;
  servers[name] = await startTokend(a.database, { cli: `${root}/dist/src/cli/main.js`, name });
  if (process.env.PIN) execSync(`taskset -a -p -c ${process.env.PIN} ${servers[name].child.pid}`);
}
for (const s of Object.values(servers)) {
  await drive(s.port, everyTokenOnce(tokens), { amount: 10000 });
  await drive(s.port, validate(tokens), { duration: 2 });
}
const names = Object.keys(servers);
const cpu = Object.fromEntries(names.map((n) => [n, { ns: 0, count: 0 }]));
const rounds = Number(process.env.ROUNDS ?? 24);
for (let i = 0; i < rounds; i++) {
  const order = names.map((_, j) => names[(i + j) % names.length]);
  for (const name of order) {
    const s = servers[name];
    const before = s.cpuNs();
    const r = await drive(s.port, validate(tokens), { duration: 1 });
    cpu[name].ns += s.cpuNs() - before;
    cpu[name].count += r.count;
  }
}
for (const s of Object.values(servers)) await s.stop();
for (const n of names) console.log(`${n}: ${(cpu[n].ns / 1000 / cpu[n].count).toFixed(2)} µs main-thread CPU per GET over ${cpu[n].count} requests`);
