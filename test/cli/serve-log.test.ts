/**
 * `tokend serve` at its default log settings, as a real process with its stdout piped: every
 * request answered gets its access line, and none is lost in the buffer when tokend stops on
 * SIGTERM or SIGINT, or crashes on an uncaught exception (issue 15, "Logs that cost little").
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { basic, startTestApp } from '../helpers/app.js';
import { clients } from '../helpers/fixture.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const CRASH_ON_SIGUSR2 = fileURLToPath(new URL('../helpers/crash-on-signal.js', import.meta.url));
const REJECT_ON_SIGUSR2 = fileURLToPath(new URL('../helpers/reject-on-signal.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tokend-serve-log-'));
const database = join(dir, 'tokend.db');
after(() => rmSync(dir, { recursive: true, force: true }));
// The fixture's clients in a SQLite file, for the process to open.
before(async () => (await startTestApp({ dir, database })).app.close());

const ACCESS_KEYS = ['level', 'time', 'pid', 'hostname', 'reqId', 'method', 'route', 'statusCode', 'responseTime', 'client', 'msg'];

interface Served {
  child: ChildProcess;
  address: string;
  stdout: () => string;
  exited: Promise<number | null>;
}

/** tokend serve with the environment's log settings left out: the defaults (info, buffered stdout), unless `settings` gives some. */
function serve(preload: string[] = [], settings: NodeJS.ProcessEnv = {}): Promise<Served> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', TOKEND_DATABASE: database, TOKEND_DEMO: '0', TOKEND_RATE_LIMIT: '1000000' };
  for (const name of ['NODE_TEST_CONTEXT', 'TOKEND_LOG_LEVEL', 'TOKEND_SLOW_REQUEST_MS', 'TOKEND_SEED']) delete env[name];
  Object.assign(env, settings);
  const child = spawn(process.execPath, [...preload, MAIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`not listening: ${stdout}${stderr}`));
    }, 60_000);
    child.stdout?.on('data', () => {
      // Fastify's line at info; the start-up notice (text, whatever the level) below it.
      const match = /(?:Server listening at|tokend is serving on) (http:\/\/[\d.:]+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, address: match[1], stdout: () => stdout, exited });
      }
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${stdout}${stderr}`)));
  });
}

/** A token, then `count` GETs of /api/v2/tokens/me (the fast lane), 10 at a time; returns every correlation id and the token. */
async function traffic(address: string, count: number): Promise<{ ids: string[]; token: string }> {
  const issued = await fetch(`${address}/oauth/token`, {
    method: 'POST',
    headers: { authorization: basic(clients.admin.id, clients.admin.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  assert.equal(issued.status, 200);
  const token = ((await issued.json()) as { access_token: string }).access_token;
  const ids = [issued.headers.get('inin-correlation-id')!];
  for (let sent = 0; sent < count; sent += 10) {
    const responses = await Promise.all(
      Array.from({ length: Math.min(10, count - sent) }, () => fetch(`${address}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${token}` } })),
    );
    for (const response of responses) {
      assert.equal(response.status, 200);
      await response.arrayBuffer();
      ids.push(response.headers.get('inin-correlation-id')!);
    }
  }
  return { ids, token };
}

/** The log's JSON lines, each parsed (the start-up notice beside them is text for a person). */
function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function assertEveryAccessLine(stdout: string, ids: string[], token: string): void {
  const access = logLines(stdout).filter((line) => line.msg === 'request completed');
  assert.deepEqual(access.map((line) => line.reqId).sort(), [...ids].sort(), 'exactly one access line per request answered');
  for (const line of access) {
    assert.deepEqual(Object.keys(line), ACCESS_KEYS);
    assert.equal(line.level, 30);
    assert.equal(line.statusCode, 200);
    assert.equal(line.client, clients.admin.id);
    assert.ok(line.route === '/api/v2/tokens/me' || line.route === '/oauth/token', String(line.route));
  }
  assert.ok(!stdout.includes(token), 'no token in the output');
  const log = stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .join('\n');
  assert.ok(!/authorization/i.test(log), 'no Authorization header in the log');
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal}: every access line reaches stdout before tokend exits 0`, async () => {
    const served = await serve();
    const { ids, token } = await traffic(served.address, 300);
    served.child.kill(signal);
    assert.equal(await served.exited, 0);
    assertEveryAccessLine(served.stdout(), ids, token);
    assert.ok(logLines(served.stdout()).some((line) => line.msg === `${signal}: draining in-flight requests (send SIGINT or SIGTERM again to stop at once)`));
  });
}

test('at TOKEND_LOG_LEVEL=warn no access line is written, and the drain still says when it is done', async () => {
  // Slow-request warnings are not what this test is about: a loaded machine would add some.
  const served = await serve([], { TOKEND_LOG_LEVEL: 'warn', TOKEND_SLOW_REQUEST_MS: '3600000' });
  await traffic(served.address, 20);
  served.child.kill('SIGTERM');
  assert.equal(await served.exited, 0);
  assert.deepEqual(
    logLines(served.stdout()).map((line) => [line.level, line.msg]),
    [
      [40, 'SIGTERM: draining in-flight requests (send SIGINT or SIGTERM again to stop at once)'],
      [40, 'drained: every in-flight request was answered, the store is closed; stopped'],
    ],
  );
});

test('on every address without TOKEND_PUBLIC_URL, tokend warns that its metadata names an issuer no client can reach', async () => {
  // A port of its own: with PORT=0 the issuer could not name the port the system picks.
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  const served = await serve([], { HOST: '0.0.0.0', PORT: String(port) });
  const metadata = await fetch(`http://127.0.0.1:${port}/.well-known/oauth-authorization-server`);
  assert.equal(((await metadata.json()) as { issuer: string }).issuer, `http://0.0.0.0:${port}`);
  served.child.kill('SIGTERM');
  assert.equal(await served.exited, 0);
  const warnings = logLines(served.stdout()).filter((line) => line.level === 40);
  assert.deepEqual(
    warnings.map((line) => line.msg),
    [`TOKEND_PUBLIC_URL is not set: the OAuth metadata names http://0.0.0.0:${port} as its issuer, which no client can reach; set it to the URL clients use`],
  );
});

for (const { kind, preload, requests, message } of [
  { kind: 'uncaught exception', preload: CRASH_ON_SIGUSR2, requests: 300, message: 'an uncaught exception the test asked for' },
  { kind: 'unhandled rejection', preload: REJECT_ON_SIGUSR2, requests: 50, message: 'a rejection the test asked for' },
]) {
  test(`an ${kind}: tokend logs it as one, writes every access line, and exits 1`, async () => {
    const served = await serve(['--import', preload]);
    const { ids, token } = await traffic(served.address, requests);
    served.child.kill('SIGUSR2');
    assert.equal(await served.exited, 1);
    assertEveryAccessLine(served.stdout(), ids, token);
    const fatal = logLines(served.stdout()).filter((line) => line.level === 60);
    assert.deepEqual(
      fatal.map((line) => [line.msg, (line.err as { message?: string } | undefined)?.message]),
      [[`${kind}: tokend stops`, message]],
    );
  });
}
