/**
 * Server CPU per client-credentials issuance (POST /oauth/token) of several builds, measured
 * alternately as ab-cpu.mjs measures GETs: each build on its own copy of the 10,000-token store
 * (SQLite), or all on one PostgreSQL database (TOKEND_BENCH_DATABASE), warmed for 2 s, then in
 * each round a 1-second burst per build, the order rotating, so that the slowly varying load of
 * a shared machine falls on all alike. Main-thread CPU from /proc, summed over every round; a
 * burst with an answer other than 200 stops the measurement. Name a build twice to see the noise
 * between two servers of one build. Usage (after `npm run build` in each tree):
 *   BUILDS='{"new":".","base":"/tmp/base","new2":".","base2":"/tmp/base"}' ROUNDS=20 node bench/ab-issue.mjs
 * PIN: the core the servers are pinned to (the load generator then belongs on another one:
 * `PIN=1 taskset -c 0 node bench/ab-issue.mjs`).
 */
import { execFileSync } from 'node:child_process';
import { drive } from './drive.mjs';
import { CLIENT, preparedStore } from './prepare.mjs';
import { startTokend } from './servers.mjs';
import { issue } from './workloads.mjs';

const builds = JSON.parse(process.env.BUILDS);
const backend = process.env.TOKEND_BENCH_DATABASE ? { kind: 'postgres', url: process.env.TOKEND_BENCH_DATABASE } : { kind: 'sqlite' };
const servers = {};
for (const [name, root] of Object.entries(builds)) {
  const { database } = await preparedStore(10000, backend, () => {}, `issue-${name}`);
  servers[name] = await startTokend(database, { cli: `${root}/dist/src/cli/main.js`, name });
  if (process.env.PIN) execFileSync('taskset', ['-a', '-p', '-c', process.env.PIN, String(servers[name].child.pid)], { stdio: 'ignore' });
}
const names = Object.keys(servers);
for (const name of names) await drive(servers[name].port, issue(CLIENT), { duration: 2 });
const cpu = Object.fromEntries(names.map((name) => [name, { ns: 0, count: 0 }]));
const rounds = Number(process.env.ROUNDS ?? 20);
for (let i = 0; i < rounds; i++) {
  for (const name of names.map((_, j) => names[(i + j) % names.length])) {
    const server = servers[name];
    const before = server.cpuNs();
    const run = await drive(server.port, issue(CLIENT), { duration: 1 });
    if (run.statuses[200] !== run.count) throw new Error(`${name}: ${JSON.stringify(run.statuses)}`);
    cpu[name].ns += server.cpuNs() - before;
    cpu[name].count += run.count;
  }
}
for (const s of Object.values(servers)) await s.stop();
for (const n of names)
  console.log(
    `${n}: ${(cpu[n].ns / 1000 / cpu[n].count).toFixed(2)} µs main-thread CPU per issuance over ${cpu[n].count} issuances (${(cpu[n].count / rounds).toFixed(0)}/s)`,
  );
