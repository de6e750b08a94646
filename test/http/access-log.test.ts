/**
 * The access log (issue 15, "Logs that cost little"): one line per request, of one shape, with
 * the route's template, the status, the correlation id and the client only once it proved who
 * it is; a flood of 4xx writes nothing else; slow requests and 5xx are logged with detail.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import pino from 'pino';
import { AccessLog } from '../../src/http/access-log.js';
import { basic, bearer, startTestApp } from '../helpers/app.js';
import { captureLog } from '../helpers/log-capture.js';
import { pkceSignIn } from '../helpers/browser-flow.js';
import { ACME, clients, users } from '../helpers/fixture.js';

const ACCESS_KEYS = ['level', 'time', 'pid', 'hostname', 'reqId', 'method', 'route', 'statusCode', 'responseTime', 'msg'];
const AUTHENTICATED_KEYS = [...ACCESS_KEYS.slice(0, -1), 'client', 'msg'];

/** Asserts `line` is the access line of a request answered `statusCode` with correlation id `reqId`. */
function assertAccessLine(
  line: Record<string, unknown> | undefined,
  expected: { reqId: unknown; method: string; route: string | null; statusCode: number; client?: string },
) {
  assert.ok(line, 'an access line');
  assert.deepEqual(Object.keys(line), expected.client ? AUTHENTICATED_KEYS : ACCESS_KEYS);
  const { level, time, pid, hostname, responseTime, ...rest } = line;
  assert.equal(level, 30);
  assert.equal(typeof time, 'number');
  assert.equal(pid, process.pid);
  assert.equal(typeof hostname, 'string');
  assert.ok(typeof responseTime === 'number' && responseTime >= 0 && responseTime < 10_000, `responseTime ${String(responseTime)}`);
  assert.deepEqual(rest, { ...expected, ...(expected.client ? { client: expected.client } : {}), msg: 'request completed' });
}

const FORM = 'application/x-www-form-urlencoded';
/** Slow hashes on a busy machine can take a second: these tests count lines, so nothing is slow here. */
const SLOW_NEVER = 3_600_000;

test('one access line per request: route template, status, correlation id, and the client only once authenticated', async () => {
  const log = captureLog();
  const t = await startTestApp({ logger: { level: 'info', stream: log.stream }, slowRequestMs: SLOW_NEVER });
  try {
    const issued = await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(clients.admin.id, clients.admin.secret), 'content-type': FORM },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(issued.statusCode, 200);
    const token = issued.json().access_token as string;
    const requests = [
      {
        expect: { method: 'GET', route: '/api/v2/tokens/me', statusCode: 200, client: clients.admin.id },
        response: await t.inject({ method: 'GET', url: '/api/v2/tokens/me?preserveIdleTTL=true', headers: bearer(token) }),
      },
      // A caller naming a client it cannot prove is no client of the log.
      {
        expect: { method: 'POST', route: '/oauth/token', statusCode: 401 },
        response: await t.inject({
          method: 'POST',
          url: '/oauth/token',
          headers: { authorization: basic(clients.admin.id, 'wrong-secret-value'), 'content-type': FORM },
          payload: 'grant_type=client_credentials',
        }),
      },
      {
        expect: { method: 'GET', route: '/api/v2/tokens/me', statusCode: 401 },
        response: await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(`${token}x`) }),
      },
      {
        expect: { method: 'DELETE', route: '/api/v2/tokens/:userId', statusCode: 401 },
        response: await t.inject({ method: 'DELETE', url: '/api/v2/tokens/secret-looking-user-id' }),
      },
      { expect: { method: 'GET', route: null, statusCode: 404 }, response: await t.inject({ method: 'GET', url: '/no/such/route?access_token=abc' }) },
      { expect: { method: 'GET', route: null, statusCode: 400 }, response: await t.inject({ method: 'GET', url: '/api/v2/%zz' }) },
      {
        expect: { method: 'PUT', route: '/api/v2/tokens/timeout', statusCode: 400, client: clients.admin.id },
        response: await t.inject({
          method: 'PUT',
          url: '/api/v2/tokens/timeout',
          headers: { ...bearer(token), 'content-type': 'application/json' },
          payload: '{bad json',
        }),
      },
    ];
    // Beside the access lines, the one audit line (test/http/audit.test.ts): the admin's refused
    // change. The anonymous DELETE writes none, and neither its path nor any token is logged.
    const all = log.lines();
    const lines = all.filter((line) => line.msg !== 'audit');
    assert.deepEqual(
      all.filter((line) => line.msg === 'audit').map((line) => line.audit),
      [
        {
          action: 'putTokensTimeout',
          actor: { kind: 'token', clientId: clients.admin.id, userId: null, organizationId: ACME },
          target: {},
          result: 'refused',
          status: 400,
          code: 'bad.request',
        },
      ],
    );
    assert.equal(lines.length, 1 + requests.length, `one line per request, nothing else:\n${log.text()}`);
    assertAccessLine(lines[0], {
      reqId: issued.headers['inin-correlation-id'],
      method: 'POST',
      route: '/oauth/token',
      statusCode: 200,
      client: clients.admin.id,
    });
    requests.forEach(({ expect, response }, index) => {
      assert.equal(response.statusCode, expect.statusCode, `request ${index}: ${response.body}`);
      assertAccessLine(lines[index + 1], { reqId: response.headers['inin-correlation-id'], ...expect });
    });
    for (const secret of [token, clients.admin.secret, 'wrong-secret-value', 'secret-looking-user-id', 'access_token', 'preserveIdleTTL']) {
      assert.ok(!log.text().includes(secret), `the log must not hold ${secret}`);
    }
  } finally {
    await t.close();
  }
});

/** Sends a flood of refused requests (bad tokens, bad secrets, throttled sign-ins, unknown routes); returns how many. */
async function floodOf4xx(t: Awaited<ReturnType<typeof startTestApp>>): Promise<number> {
  let sent = 0;
  for (let i = 0; i < 40; i++) {
    const responses = [
      await t.inject({ method: 'GET', url: '/api/v2/tokens/me', headers: bearer(`not-a-token-${i}`) }),
      await t.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { authorization: basic(clients.admin.id, 'wrong'), 'content-type': FORM },
        payload: 'grant_type=client_credentials',
      }),
      await t.inject({ method: 'GET', url: `/missing/${i}` }),
      await t.inject({ method: 'POST', url: '/oauth/token', headers: { 'content-type': 'application/json' }, payload: '{}' }),
    ];
    for (const response of responses) assert.ok(response.statusCode >= 400 && response.statusCode < 500, `${response.statusCode} ${response.body}`);
    sent += responses.length;
  }
  return sent;
}

test('a flood of 4xx writes its access lines and nothing else; at level warn, nothing', async () => {
  for (const level of ['info', 'warn']) {
    const log = captureLog();
    const t = await startTestApp({ logger: { level, stream: log.stream }, slowRequestMs: SLOW_NEVER });
    let sent = 0;
    try {
      sent = await floodOf4xx(t);
    } finally {
      await t.close();
    }
    const lines = log.lines();
    assert.equal(lines.length, level === 'info' ? sent : 0, `at ${level}`);
    assert.ok(lines.every((line) => line.msg === 'request completed' && line.level === 30));
  }
});

test('a request slower than the setting is also logged at warn, with its figures', () => {
  const log = captureLog();
  const logger = pino({ level: 'info' }, log.stream);
  const accessLog = new AccessLog({ stream: log.stream, logger, slowRequestMs: 1000 });
  accessLog.record('8a1c2f4e-0000-4000-8000-000000000001', 'GET', '/api/v2/tokens/me', 200, 999.5, 'client-a');
  accessLog.record('8a1c2f4e-0000-4000-8000-000000000002', 'POST', '/oauth/token', 200, 1500.25, null);
  const [fast, slow, slowWarning, ...rest] = log.lines();
  assert.deepEqual(rest, []);
  assert.equal(fast?.reqId, '8a1c2f4e-0000-4000-8000-000000000001');
  assert.equal(slow?.reqId, '8a1c2f4e-0000-4000-8000-000000000002');
  assert.equal(slow?.responseTime, 1500.25);
  const { time, pid, hostname, ...warning } = slowWarning ?? {};
  assert.deepEqual(warning, {
    level: 40,
    reqId: '8a1c2f4e-0000-4000-8000-000000000002',
    method: 'POST',
    route: '/oauth/token',
    statusCode: 200,
    responseTime: 1500.25,
    client: null,
    slowRequestMs: 1000,
    msg: 'slow request',
  });
});

test('at log level warn, only the slow request is logged', () => {
  const log = captureLog();
  const accessLog = new AccessLog({ stream: log.stream, logger: pino({ level: 'warn' }, log.stream), slowRequestMs: 50 });
  accessLog.record('8a1c2f4e-0000-4000-8000-000000000003', 'GET', '/api/v2/tokens/me', 200, 49, null);
  accessLog.record('8a1c2f4e-0000-4000-8000-000000000004', 'GET', '/api/v2/tokens/me', 200, 50, null);
  assert.deepEqual(
    log.lines().map((line) => [line.level, line.reqId, line.msg]),
    [[40, '8a1c2f4e-0000-4000-8000-000000000004', 'slow request']],
  );
});

test('a 5xx is logged with its error, joined to its access line by the correlation id', { skip: process.env.TOKEND_TEST_DATABASE === 'postgres' }, async () => {
  const log = captureLog();
  const t = await startTestApp({ logger: { level: 'info', stream: log.stream }, slowRequestMs: SLOW_NEVER });
  const other = new Database(t.database);
  try {
    await t.token(clients.admin); // warm the client's verified secret
    other.exec('BEGIN IMMEDIATE');
    const response = await t.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { authorization: basic(clients.admin.id, clients.admin.secret), 'content-type': FORM },
      payload: 'grant_type=client_credentials',
    });
    assert.equal(response.statusCode, 503);
    other.exec('ROLLBACK');
  } finally {
    other.close();
    await t.close();
  }
  // The warm-up token's access line, then the failed request's error and access lines.
  const reqId = log.lines()[1]?.reqId;
  assert.equal(log.lines().length, 3);
  const lines = log.lines().filter((line) => line.reqId === reqId);
  assert.deepEqual(
    lines.map((line) => [line.level, line.msg, line.statusCode]),
    [
      [50, 'token endpoint failed', undefined],
      [30, 'request completed', 503],
    ],
  );
  const error = lines[0]?.err as { type: string; message: string; stack: string };
  assert.equal(typeof error.message, 'string');
  assert.match(error.stack, /\n\s+at /, 'the stack, as detail');
});

test("/oauth/revoke: a public client's client_id alone is not logged, until one of its own tokens ended", async () => {
  const log = captureLog();
  const t = await startTestApp({ logger: { level: 'info', stream: log.stream }, slowRequestMs: SLOW_NEVER });
  try {
    const issued = await pkceSignIn(t, users.alice);
    const revoke = (token: string) =>
      t.inject({ method: 'POST', url: '/oauth/revoke', headers: { 'content-type': FORM }, payload: `token=${token}&client_id=${clients.pkceApp.id}` });
    const bogus = await revoke('not-a-token-of-anyone');
    const own = await revoke(issued.refresh_token);
    assert.deepEqual([bogus.statusCode, own.statusCode], [200, 200]);
    const revokeLines = log.lines().filter((line) => line.route === '/oauth/revoke');
    assert.equal(revokeLines.length, 2);
    assertAccessLine(revokeLines[0], { reqId: bogus.headers['inin-correlation-id'], method: 'POST', route: '/oauth/revoke', statusCode: 200 });
    assertAccessLine(revokeLines[1], {
      reqId: own.headers['inin-correlation-id'],
      method: 'POST',
      route: '/oauth/revoke',
      statusCode: 200,
      client: clients.pkceApp.id,
    });
  } finally {
    await t.close();
  }
});
