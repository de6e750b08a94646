/**
 * Server CPU per GET /api/v2/tokens/me with a revoked token, answered by the fast lane (the
 * bare path) and by Fastify (the same path with an empty query string, which the lane hands on),
 * beside a good token's GET through the lane: one server, 1-second bursts alternating for ROUNDS
 * rounds, so that what the machine does meanwhile falls on all three alike. A revoked token's
 * 401 is 5% of the mixed workload's validations (mixed.mjs). Usage (after `npm run build`):
 *   PIN=0 ROUNDS=10 taskset -c 1 node bench/refusal-cost.mjs
 */
import { execFileSync } from 'node:child_process';
import { drive } from './drive.mjs';
import { preparedStore } from './prepare.mjs';
import { startTokend } from './servers.mjs';

const REVOKED = 500;
const { database, tokens } = await preparedStore(10000, { kind: 'sqlite' }, () => {}, 'refusal-cost');
const server = await startTokend(database, { name: 'refusal-cost' });
if (process.env.PIN) execFileSync('taskset', ['-a', '-p', '-c', process.env.PIN, String(server.child.pid)]);
const revoked = tokens.slice(0, REVOKED);
for (const token of revoked) {
  await fetch(`http://127.0.0.1:${server.port}/api/v2/tokens/me`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];
const get = (path, list, status) => ({
  status,
  setupRequest(request) {
    request.method = 'GET';
    request.path = path;
    request.headers = { authorization: `Bearer ${pick(list)}` };
    return request;
  },
});
const kinds = {
  'revoked, lane': get('/api/v2/tokens/me', revoked, 401),
  'revoked, Fastify': get('/api/v2/tokens/me?', revoked, 401),
  'good, lane': get('/api/v2/tokens/me', tokens.slice(REVOKED), 200),
};
// Warm: every kind for 2 s (the good tokens are cached as they are first used).
for (const workload of Object.values(kinds)) await drive(server.port, workload, { duration: 2 });
const cpu = Object.fromEntries(Object.keys(kinds).map((kind) => [kind, { ns: 0, count: 0 }]));
for (let round = 0; round < Number(process.env.ROUNDS ?? 10); round++) {
  for (const [kind, workload] of Object.entries(kinds)) {
    const before = server.cpuNs();
    const run = await drive(server.port, workload, { duration: 1 });
    if (run.statuses[workload.status] !== run.count) throw new Error(`${kind}: ${JSON.stringify(run.statuses)}`);
    cpu[kind].ns += server.cpuNs() - before;
    cpu[kind].count += run.count;
  }
}
await server.stop();
for (const [kind, { ns, count }] of Object.entries(cpu))
  console.log(`${kind}: ${(ns / 1000 / count).toFixed(1)} µs main-thread CPU per GET over ${count} requests`);
