/**
 * What logging a request costs, part by part, measured in process (steadier than req/s on a
 * shared machine): `node bench/log-cost.mjs` after `npm run build`. Each variant logs 200,000
 * requests of the fast lane's shape to a file in bench/.cache (as `npm run bench` does), three
 * alternating rounds, medians; CPU of the event-loop thread (from /proc, Linux) and of the whole
 * process (the buffered destination writes from libuv's thread pool), in µs per request.
 *
 * - `before`: what tokend did until the access log (a child logger, 'incoming request' and
 *   'request completed', a synchronous write per line);
 * - `access line, buffered`: what it does now (one line built as a string, handed on 4 KiB at a
 *   time to a 4 KiB buffer written asynchronously);
 * - `access line, sync write`: the same line, one write per line (the buffer's share);
 * - `access line, built only`: the line built, written nowhere (the formatting's share).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { CACHE, dist } from './paths.mjs';

const { AccessLog } = await import(dist('http/access-log.js'));
const { loggerOptions, flushLog, bufferedDestination } = await import(dist('http/logging.js'));

const N = Number(process.env.LOG_COST_REQUESTS ?? 200_000);
const ROUTE = '/api/v2/tokens/me';
/** Requests answered per turn of the event loop: 50 connections' worth of a benchmark run, roughly. */
const REQUESTS_PER_TURN = 20;
const CLIENT = '3f1c2b7a-9d8e-4a6b-8c5d-2e1f0a9b8c01';
const dir = join(CACHE, 'log-cost');
mkdirSync(dir, { recursive: true });

const threadNs = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);

function pinoLogger(stream) {
  const { stream: _unused, ...options } = loggerOptions({ level: 'info' });
  return pino(options, stream);
}

const variants = {
  before(file) {
    const stream = pino.destination({ dest: file, sync: true });
    const logger = pinoLogger(stream);
    return {
      stream,
      log(id, started) {
        const child = logger.child({ reqId: id });
        child.info({ req: { method: 'GET', url: ROUTE, id } }, 'incoming request');
        child.info({ res: { statusCode: 200 }, responseTime: performance.now() - started }, 'request completed');
      },
    };
  },
  'access line, buffered'(file) {
    const stream = bufferedDestination(file);
    const accessLog = new AccessLog({ stream, logger: pinoLogger(stream), slowRequestMs: 1000 });
    return { stream, accessLog, log: (id, started) => accessLog.record(id, 'GET', ROUTE, 200, performance.now() - started, CLIENT) };
  },
  'access line, sync write'(file) {
    const stream = pino.destination({ dest: file, sync: true });
    const accessLog = new AccessLog({ stream, logger: pinoLogger(stream), slowRequestMs: 1000 });
    return { stream, log: (id, started) => accessLog.record(id, 'GET', ROUTE, 200, performance.now() - started, CLIENT) };
  },
  'access line, built only'() {
    const stream = { write() {} };
    const accessLog = new AccessLog({ stream, logger: pino({ level: 'info' }, stream), slowRequestMs: 1000 });
    return { stream, log: (id, started) => accessLog.record(id, 'GET', ROUTE, 200, performance.now() - started, CLIENT) };
  },
  'no log (the loop: a UUID, a clock read)'() {
    return { stream: null, log() {} };
  },
};

async function run(name) {
  const file = join(dir, 'requests.log');
  rmSync(file, { force: true });
  const { stream, log, accessLog } = variants[name](file);
  if (stream?.fd === -1) await new Promise((resolve) => stream.once('ready', resolve));
  const thread = threadNs();
  const cpu = process.cpuUsage();
  // As a server does, the event loop turns between a few requests (the buffer's writes complete then).
  for (let i = 0; i < N; i++) {
    log(randomUUID(), performance.now());
    if (i % REQUESTS_PER_TURN === 0) await new Promise(setImmediate);
  }
  accessLog?.close();
  if (stream) await flushLog(stream);
  const used = process.cpuUsage(cpu);
  const result = { thread: (threadNs() - thread) / 1000 / N, process: (used.user + used.system) / N };
  stream?.end?.();
  return result;
}

const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
const results = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
for (const name of Object.keys(variants)) await run(name); // warm-up
for (let round = 0; round < 3; round++) for (const name of Object.keys(variants)) results[name].push(await run(name));
console.log(`| per logged request (${N} requests, median of 3) | event-loop thread CPU µs | process CPU µs |`);
console.log('|---|---|---|');
for (const [name, runs] of Object.entries(results)) {
  console.log(`| ${name} | ${median(runs.map((r) => r.thread)).toFixed(2)} | ${median(runs.map((r) => r.process)).toFixed(2)} |`);
}
rmSync(dir, { recursive: true, force: true });
