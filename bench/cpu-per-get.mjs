/**
 * Server CPU per warm GET /api/v2/tokens/me of several servers, measured alternately: each
 * server is warmed (every token once, then 2 s of load), then in each round every server gets a
 * 1-second burst, the order rotating, so that the slowly varying load of a shared machine falls
 * on all alike. Main-thread CPU from /proc (each server's `cpuNs`), summed over every round; a
 * burst with an answer other than 200 stops the measurement. Used by ab-cpu.mjs and
 * request-parts.mjs.
 */
import { execSync } from 'node:child_process';
import { drive } from './drive.mjs';
import { everyTokenOnce, validate } from './workloads.mjs';

/**
 * `servers`: name → `{ port, child, cpuNs() }`, measured in the order of `names`; `pin`: the core
 * the servers are pinned to (the load generator then belongs on another one). Resolves to
 * name → `{ us, count }`: µs of CPU per GET, and the GETs it was measured over.
 */
export async function cpuPerGet(servers, names, tokens, { rounds, pin }) {
  if (pin) for (const name of names) execSync(`taskset -a -p -c ${pin} ${servers[name].child.pid}`);
  for (const name of names) {
    await drive(servers[name].port, everyTokenOnce(tokens), { amount: tokens.length });
    await drive(servers[name].port, validate(tokens), { duration: 2 });
  }
  const cpu = Object.fromEntries(names.map((name) => [name, { ns: 0, count: 0 }]));
  for (let i = 0; i < rounds; i++) {
    for (const name of names.map((_, j) => names[(i + j) % names.length])) {
      const server = servers[name];
      const before = server.cpuNs();
      const run = await drive(server.port, validate(tokens), { duration: 1 });
      if (run.statuses[200] !== run.count) throw new Error(`${name}: ${JSON.stringify(run.statuses)}`);
      cpu[name].ns += server.cpuNs() - before;
      cpu[name].count += run.count;
    }
  }
  return Object.fromEntries(names.map((name) => [name, { us: cpu[name].ns / 1000 / cpu[name].count, count: cpu[name].count }]));
}
