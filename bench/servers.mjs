/**
 * The servers under test, each its own process: tokend (the real CLI, `serve`), the bare
 * node:http baseline and the oidc-provider peer. Every child is ended when the benchmark ends,
 * even by a crash.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE, CLI, ROOT } from './paths.mjs';

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A port free right now on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The last `bytes` of a file. */
function tail(path, bytes) {
  const size = statSync(path).size;
  const buffer = Buffer.alloc(Math.min(size, bytes));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buffer, 0, buffer.length, size - buffer.length);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

/** `logFile`: the child's stdout goes to this file (truncated), as an operator's would, not to a pipe this process reads. */
function start(name, args, env = {}, { logFile } = {}) {
  const stdoutFd = logFile ? openSync(logFile, 'w') : 'pipe';
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', stdoutFd, 'pipe'] });
  if (logFile) closeSync(stdoutFd);
  children.add(child);
  let kept = '';
  const keep = (chunk) => {
    kept = (kept + chunk).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr.on('data', keep);
  const output = () => (logFile ? `${tail(logFile, 4000)}\n${kept}` : kept);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  void exited.then(() => children.delete(child));
  return {
    name,
    child,
    output,
    exited,
    /**
     * CPU time of the main thread (the event loop) in nanoseconds, from /proc (Linux). Divided
     * by the requests served it is the least noisy figure on a shared machine: other processes
     * take wall-clock time from a server, not the CPU time each request costs it.
     */
    cpuNs() {
      return Number(readFileSync(`/proc/${child.pid}/schedstat`, 'utf8').split(' ')[0]);
    },
    /**
     * Resident memory in bytes, from /proc (Linux): `anon` is the process's own (heap, caches),
     * `file` pages of files it maps (SQLite's memory-mapped database: the kernel's page cache,
     * shared and reclaimable, not memory of tokend's).
     */
    rss() {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const bytes = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]) * 1024;
      return { anon: bytes('RssAnon'), file: bytes('RssFile') };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function until(server, ready, what) {
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${server.name} exited before ${what}:\n${server.output()}`);
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${server.name}: no ${what} within 3 minutes:\n${server.output()}`);
}

const printedReady = (server) => () => server.output().includes('ready\n');

/**
 * tokend on `database` at its default settings, as `npm start` runs it: logging at info, one
 * access line per request, its stdout written to a file on disk (bench/.cache/run/<name>.log,
 * rewritten at each start), so that the benchmark pays for the log as an operator's server does.
 * Only the rate limits are out of reach: the per-token one (the load sends far more than 300 a
 * minute per token) and the per-client issuance one (the issuance workloads ask one client for
 * thousands of tokens a second, where the default allows 1,200 a minute). Log and slow-request
 * settings of the caller's environment are left out, so they cannot turn the log down unseen.
 */
export async function startTokend(database, { profileDir, cli = CLI, name = 'tokend', env = {} } = {}) {
  const port = await freePort();
  const flags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  // Node or V8 flags for tokend, e.g. BENCH_NODE_FLAGS='--trace-gc' (NODE_OPTIONS refuses most V8
  // flags); in `env` for one server only (ab-cpu.mjs's BUILD_ENV), else for all.
  const nodeFlags = env.BENCH_NODE_FLAGS ?? process.env.BENCH_NODE_FLAGS;
  if (nodeFlags) flags.push(...nodeFlags.split(' ').filter(Boolean));
  const logDir = join(CACHE, 'run');
  mkdirSync(logDir, { recursive: true });
  const server = start(
    name,
    [...flags, cli, 'serve'],
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      TOKEND_DATABASE: database,
      TOKEND_LOG_LEVEL: undefined,
      TOKEND_SLOW_REQUEST_MS: undefined,
      TOKEND_RATE_LIMIT: String(1e9),
      TOKEND_ISSUE_RATE_LIMIT: String(1e9),
      ...env,
    },
    { logFile: join(logDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.log`) },
  );
  const ready = async () => {
    try {
      return (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok;
    } catch {
      return false;
    }
  };
  await until(server, ready, 'readiness');
  return { ...server, port };
}

/** The bare node:http server answering `routes` ({"METHOD /path": {status, body}}). */
export async function startBaseline(routes) {
  const port = await freePort();
  const server = start('baseline', [fileURLToPath(new URL('servers/baseline.mjs', import.meta.url)), String(port), JSON.stringify(routes)]);
  await until(server, printedReady(server), 'listening');
  return { ...server, port };
}

/** oidc-provider with `count` client-credentials tokens issued; returns them with the server. */
export async function startPeer(count) {
  const port = await freePort();
  const tokensFile = join(CACHE, 'run', `peer-tokens-${count}.txt`);
  const script = fileURLToPath(new URL('servers/peer-oidc.mjs', import.meta.url));
  const server = start('oidc-provider', [script, String(port), String(count), tokensFile]);
  await until(server, printedReady(server), 'listening');
  return { ...server, port, tokens: readFileSync(tokensFile, 'utf8').split('\n') };
}
