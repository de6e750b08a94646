/**
 * A real `tokend serve` process for one attack: its own temporary folder, SQLite file and seed,
 * listening on 127.0.0.1 only. The campaign reads the server's memory and CPU from /proc (Linux)
 * and can kill it with SIGKILL and start it again on the same file. Every child is killed when
 * the campaign ends, even by a crash.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatabase, ON_POSTGRES } from './postgres.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// ATTACK_CLI: another build's dist/src/cli/main.js, to attack it with this campaign.
export const CLI = process.env.ATTACK_CLI || join(ROOT, 'dist', 'src', 'cli', 'main.js');
const READY_WITHIN_MS = 60_000;
// A stopped server drains what is in flight; an attack's backlog is not worth waiting for.
const STOP_GRACE_MS = 2000;
// Linux reports utime and stime in clock ticks of 1/100 s (USER_HZ, the same on every architecture Node runs on).
const TICKS_PER_SECOND = 100;

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A port free right now on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * A temporary folder with the seed written into it, and the store: a SQLite file in the folder,
 * or with ATTACK_POSTGRES (an admin URL) a PostgreSQL database of its own, which several nodes
 * can share. `remove()` deletes both.
 */
export async function workspace(name, seed) {
  const dir = mkdtempSync(join(tmpdir(), `tokend-attack-${name}-`));
  const seedFile = join(dir, 'seed.json');
  writeFileSync(seedFile, JSON.stringify(seed, null, 2));
  const pg = ON_POSTGRES ? await createDatabase(`tokend_attack_${name}_${randomBytes(4).toString('hex')}`) : null;
  return {
    dir,
    seedFile,
    database: pg?.url ?? join(dir, 'tokend.db'),
    async remove() {
      rmSync(dir, { recursive: true, force: true });
      await pg?.drop();
    },
  };
}

/** Several nodes on one store (PostgreSQL); `nodes[i % n]` spreads callers over them. */
export async function startNodes(count, options) {
  const nodes = [];
  for (let i = 0; i < count; i++) nodes.push(await startTokend(i === 0 ? options : { ...options, seedFile: undefined }));
  return nodes;
}

/**
 * Starts tokend on `database` and waits for /health/ready. `env` adds settings (TOKEND_*);
 * the log level is warn so that a log line per request does not become the bottleneck.
 */
export async function startTokend({ database, seedFile, env = {}, port }) {
  const listenPort = port ?? (await freePort());
  const child = spawn(process.execPath, [CLI, 'serve'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(listenPort),
      TOKEND_DATABASE: database,
      TOKEND_LOG_LEVEL: 'warn',
      ...(seedFile ? { TOKEND_SEED: seedFile } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => children.delete(child));
  const server = {
    pid: child.pid,
    port: listenPort,
    base: `http://127.0.0.1:${listenPort}`,
    output: () => output,
    alive: () => child.exitCode === null && child.signalCode === null,
    exited,
    /** Resident memory in bytes (VmRSS). */
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
    },
    /** CPU seconds of the whole process (every thread: scrypt runs in libuv's pool), user + system. */
    cpuSeconds() {
      const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
      // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!server.alive()) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + READY_WITHIN_MS;
  for (;;) {
    if (!server.alive()) throw new Error(`tokend exited before it was ready:\n${output}`);
    try {
      if ((await fetch(`${server.base}/health/ready`)).ok) return server;
    } catch {}
    if (Date.now() > deadline) {
      await server.kill9();
      throw new Error(`tokend was not ready within ${READY_WITHIN_MS / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
