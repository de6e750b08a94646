/**
 * `node bench/introspect.mjs [SECONDS] [TOKENS]`: POST /oauth/introspect against GET
 * /api/v2/tokens/me on one tokend (dist/, SQLite, logging off, rate limit out of reach),
 * TOKENS cached client-credentials tokens (default 1000), each workload SECONDS long (default
 * 10) with autocannon's 50 keep-alive connections. tokend runs in a child process so that the
 * load generator does not share its event loop. Prints requests per second, latencies, and the
 * server's CPU time per request (user + system), the figure that holds on a busy machine.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drive } from './drive.mjs';
import { dist } from './paths.mjs';

const SEED = fileURLToPath(new URL('../test/fixtures/seed.json', import.meta.url));
const ADMIN = { id: '11111111-0000-4000-8000-00000000d001', secret: 'admin-service-secret' };
const PLAIN = { id: '11111111-0000-4000-8000-00000000d002', secret: 'plain-service-secret' };

if (process.argv[2] === '--serve') {
  const { buildApp } = await import(dist('server/build-app.js'));
  const app = await buildApp({
    database: process.argv[3],
    seedFile: SEED,
    logger: false,
    rateLimitPerMinute: 1e9,
    issueRateLimitPerMinute: 1e9,
    fastLane: process.env.BENCH_FAST_LANE !== '0',
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.send({ port: Number(new URL(address).port) });
  // The server's own CPU time, asked for around each workload: on a shared machine it says
  // more about the cost of a request than requests per second do.
  process.on('message', () => process.send(process.cpuUsage()));
} else {
  const seconds = Number(process.argv[2] ?? 10);
  const count = Number(process.argv[3] ?? 1000);
  const dir = mkdtempSync(join(tmpdir(), 'tokend-introspect-bench-'));
  const server = fork(fileURLToPath(import.meta.url), ['--serve', join(dir, 'tokend.db')]);
  try {
    const { port } = await new Promise((resolve) => server.once('message', resolve));
    const base = `http://127.0.0.1:${port}`;
    const serverCpu = () =>
      new Promise((resolve) => {
        server.once('message', resolve);
        server.send('cpu');
      });
    const basic = (c) => `Basic ${Buffer.from(`${c.id}:${c.secret}`).toString('base64')}`;
    const tokens = [];
    for (let i = 0; i < count; i++) {
      const response = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { authorization: basic(PLAIN), 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      tokens.push((await response.json()).access_token);
    }
    let next = 0;
    const pick = () => tokens[next++ % tokens.length];
    const workloads = {
      'GET /api/v2/tokens/me': {
        setupRequest: (request) => ({ ...request, method: 'GET', path: '/api/v2/tokens/me', headers: { authorization: `Bearer ${pick()}` } }),
      },
      'POST /oauth/introspect': {
        setupRequest: (request) => ({
          ...request,
          method: 'POST',
          path: '/oauth/introspect',
          headers: { authorization: basic(ADMIN), 'content-type': 'application/x-www-form-urlencoded' },
          body: `token=${pick()}&token_type_hint=access_token`,
        }),
      },
    };
    for (const round of [1, 2, 3]) {
      for (const [name, workload] of Object.entries(workloads)) {
        // A first request of each kind warms the caches (the token cache, the remembered client secret).
        await drive(port, workload, { amount: 200 });
        const cpuBefore = await serverCpu();
        const result = await drive(port, workload, { duration: seconds });
        const cpuAfter = await serverCpu();
        const cpuPerRequest = (cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system) / result.count;
        const bad = Object.entries(result.statuses).filter(([status]) => status !== '200');
        process.stdout.write(
          `round ${round} ${name}: ${Math.round(result.rps)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms, server CPU ${cpuPerRequest.toFixed(1)} µs/request${bad.length ? `, non-200: ${JSON.stringify(Object.fromEntries(bad))}` : ''}\n`,
        );
      }
    }
  } finally {
    server.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
