/**
 * Instructions per warm GET /api/v2/tokens/me of one build, counted by valgrind's callgrind on
 * the server's main thread, in libuv's poll phase only. A count of instructions does not move
 * with the load of a shared machine as CPU time does (two servers of one build differ by 8-9% in
 * CPU per GET), so it was tried as a sharper A/B. The server runs under valgrind (some 50 times
 * slower): it is warmed with every token once and WARM requests, then COUNT requests are sent in
 * CHUNKS, each zeroed and dumped apart, and the median chunk is printed beside every chunk.
 * Usage (after `npm run build` in the tree; SIZE tokens, default 2,000):
 *   BUILD=/tmp/base COUNT=3000 WARM=20000 node bench/callgrind-get.mjs
 * Not yet a sharp A/B (docs/performance.md, "Counting instructions"): two runs of 5dc3e7e counted
 * 104,259 and 104,245 per GET over 5,000 at once, but the chunks of one run fall by up to a third from the first to
 * the last, more in newer builds, for a reason not found (not the timers, left out here), so
 * read the chunks, not the median alone. Instructions are not time either: a cache miss costs
 * more than an add.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drive } from './drive.mjs';
import { preparedStore } from './prepare.mjs';
import { freePort } from './servers.mjs';
import { everyTokenOnce, validate } from './workloads.mjs';

const build = process.env.BUILD ?? '.';
const count = Number(process.env.COUNT ?? 4000);
const warm = Number(process.env.WARM ?? 20000);
const size = Number(process.env.SIZE ?? 2000);
const connections = Number(process.env.CONNECTIONS ?? 10);

const { database, tokens } = await preparedStore(size, { kind: 'sqlite' }, () => {}, `callgrind-${process.pid}`);
const outDir = mkdtempSync(join(tmpdir(), 'callgrind-'));
const port = await freePort();
const child = spawn(
  'valgrind',
  [
    '--tool=callgrind',
    '--smc-check=all-non-file', // V8 writes its machine code into anonymous memory
    '--separate-threads=yes',
    '--dump-instr=no',
    // Only what libuv's poll phase runs (reading requests, answering them, their promises): not
    // the work on timers (the last-use flush each second, the purge, the log flush), which
    // valgrind's slowdown would put on a few requests where at full speed it is spread over
    // thousands.
    '--collect-atstart=no',
    '--toggle-collect=uv__io_poll',
    `--callgrind-out-file=${join(outDir, 'out')}`,
    process.execPath,
    join(build, 'dist', 'src', 'cli', 'main.js'),
    'serve',
  ],
  {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      TOKEND_DATABASE: database,
      TOKEND_RATE_LIMIT: String(1e9),
      TOKEND_ISSUE_RATE_LIMIT: String(1e9),
      TOKEND_LOG_LEVEL: undefined,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
);
let stderr = '';
child.stderr.on('data', (chunk) => {
  stderr = (stderr + chunk).slice(-4000);
});
process.on('exit', () => child.kill('SIGKILL'));

/**
 * Runs callgrind_control with `option` on the server. valgrind reads its commands only while the
 * program runs, so an idle server is sent a request until the command is done (a fraction of
 * one request beside the thousands measured).
 */
async function control(option) {
  const done = new Promise((resolve, reject) =>
    // vgdb names its pipes after $HOST, which is also tokend's listen address here: both ends must agree.
    execFile('callgrind_control', [option, String(child.pid)], { env: { ...process.env, HOST: '127.0.0.1' } }, (error) => (error ? reject(error) : resolve())),
  );
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await done;
}

for (let waited = 0; ; waited += 500) {
  if (waited > 600_000 || child.exitCode !== null) throw new Error(`not ready:\n${stderr}`);
  try {
    if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) break;
  } catch {}
  await new Promise((resolve) => setTimeout(resolve, 500));
}
await drive(port, everyTokenOnce(tokens), { amount: tokens.length, connections });
await drive(port, validate(tokens), { amount: warm, connections });
// In chunks, each zeroed and dumped apart: a periodic task (the last-use flush, a purge) that
// falls in one chunk is seen as that chunk's outlier, and the median chunk is the request's cost.
const chunks = Number(process.env.CHUNKS ?? 5);
const perChunk = Math.ceil(count / chunks);
const seen = new Set();
const results = [];
for (let i = 0; i < chunks; i++) {
  await control('-z');
  const run = await drive(port, validate(tokens), { amount: perChunk, connections });
  if (run.statuses[200] !== perChunk) throw new Error(JSON.stringify(run.statuses));
  await control('-d');
  results.push((await mainThreadTotal()) / perChunk);
}
child.kill('SIGKILL');

/** The main thread's total of the dump just asked for (the new file numbered -01), once written. */
async function mainThreadTotal() {
  for (let size = -1, file; ; ) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    file ??= readdirSync(outDir).find((name) => name.endsWith('-01') && !seen.has(name));
    if (!file) continue;
    const now = statSync(join(outDir, file)).size;
    if (now > 0 && now === size) {
      seen.add(file);
      return Number(/^(?:summary|totals): (\d+)/m.exec(readFileSync(join(outDir, file), 'utf8'))[1]);
    }
    size = now;
  }
}
const sorted = [...results].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(
  `${build}: ${median.toFixed(0)} instructions per GET on the main thread, median of ${chunks} chunks of ${perChunk} (${results.map((r) => r.toFixed(0)).join(', ')}; ${warm} warm-up)`,
);
rmSync(outDir, { recursive: true, force: true });
rmSync(database, { force: true });
