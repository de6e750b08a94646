/**
 * What each part of a logged GET /api/v2/tokens/me costs the server, on a ladder of bare
 * node:http servers (servers/parts.mjs), each rung adding one part of tokend's fast lane to the
 * one below, then tokend itself: main-thread CPU per request of each, measured alternately in
 * 1-second bursts (as ab-cpu.mjs), so a rung's increase over the one below is its part's cost.
 * Usage, after `npm run build`: `PIN=1 ROUNDS=16 taskset -c 0 node bench/request-parts.mjs`;
 * LEVELS (comma-separated rung names) runs only some rungs.
 * (PIN: the core the servers are pinned to; the load generator belongs on another one).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuPerGet } from './cpu-per-get.mjs';
import { CACHE, ROOT } from './paths.mjs';
import { preparedStore } from './prepare.mjs';
import { freePort, startTokend } from './servers.mjs';

const LEVELS = (process.env.LEVELS ?? 'bare,headers read,tokend headers,token lookup,correlation id,access line').split(',');
const rounds = Number(process.env.ROUNDS ?? 16);
const dir = join(CACHE, 'request-parts');
mkdirSync(dir, { recursive: true });

const { database, tokens } = await preparedStore(10000, { kind: 'sqlite' }, () => {}, 'request-parts');
const tokend = await startTokend(database, { name: 'tokend' });
const sample = await fetch(`http://127.0.0.1:${tokend.port}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${tokens[0]}` } });
writeFileSync(join(dir, 'body.json'), await sample.text());
writeFileSync(join(dir, 'tokens.json'), JSON.stringify(tokens));

const servers = { tokend };
for (const level of LEVELS) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'bench/servers/parts.mjs'),
      String(port),
      level,
      join(dir, 'tokens.json'),
      join(dir, 'body.json'),
      join(dir, `${level.replace(/ /g, '-')}.log`),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve) => child.stdout.once('data', resolve));
  servers[level] = { port, child, cpuNs: () => Number(readFileSync(`/proc/${child.pid}/schedstat`, 'utf8').split(' ')[0]), stop: async () => child.kill() };
}
const names = [...LEVELS, 'tokend'];
const cpu = await cpuPerGet(servers, names, tokens, { rounds, pin: process.env.PIN });
for (const s of Object.values(servers)) await s.stop();
console.log('| server | main-thread CPU µs per GET | added by this part | requests |\n|---|---|---|---|');
let below = null;
for (const n of names) {
  const { us } = cpu[n];
  console.log(`| ${n} | ${us.toFixed(2)} | ${below === null ? '' : (us - below).toFixed(2)} | ${cpu[n].count} |`);
  below = us;
}
process.exit(0);
