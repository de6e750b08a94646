/**
 * System calls per warm GET /api/v2/tokens/me of several builds (strace -c on each server while
 * a fixed number of GETs is sent), to tell a difference in CPU per request that lies in the
 * kernel from one in JavaScript. Usage (after `npm run build` in each tree; strace installed):
 *   BUILDS='{"new":".","base":"/tmp/base"}' node bench/syscalls-ab.mjs
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { drive } from './drive.mjs';
import { preparedStore } from './prepare.mjs';
import { startTokend } from './servers.mjs';
import { everyTokenOnce, validate } from './workloads.mjs';

const builds = JSON.parse(process.env.BUILDS);
const REQUESTS = 50_000;
for (const [name, root] of Object.entries(builds)) {
  const { database, tokens } = await preparedStore(10000, { kind: 'sqlite' }, () => {}, `syscalls-${name}`);
  const server = await startTokend(database, { cli: `${root}/dist/src/cli/main.js`, name });
  await drive(server.port, everyTokenOnce(tokens), { amount: tokens.length });
  await drive(server.port, validate(tokens), { duration: 2 });
  const out = `/tmp/strace-${name}.txt`;
  const strace = spawn('strace', ['-c', '-f', '-o', out, '-p', String(server.child.pid)], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await drive(server.port, validate(tokens), { amount: REQUESTS });
  strace.kill('SIGINT');
  await new Promise((resolve) => strace.on('exit', resolve));
  await server.stop();
  const rows = readFileSync(out, 'utf8')
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 5 && /^\d+$/.test(cols[3]));
  const calls = rows.map((cols) => [cols.at(-1), Number(cols[3]) / REQUESTS]).filter(([, n]) => n >= 0.01);
  console.log(`${name}: ${calls.map(([call, n]) => `${call} ${n.toFixed(2)}`).join(', ')}`);
}
