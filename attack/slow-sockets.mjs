/**
 * Attack 6, slow sockets (issue 13, item 8): a few hundred connections that send their headers a
 * byte a second, and some that send a body a byte a second. Each must be closed within the
 * configured limit + 2 s, and a normal request (a new connection each time) meanwhile answers
 * fast. The limits are lowered from the defaults (10 s for headers, 30 s for a whole request) to
 * keep the run short; the table says which were used.
 */
import { connect } from 'node:net';
import { clientCredentials } from './lib/client-auth.mjs';
import { address, percentile, send, sleep } from './lib/http.mjs';
import { log, ms, tally } from './lib/report.mjs';
import { campaignSeed } from './lib/seed.mjs';
import { startTokend, workspace } from './lib/tokend.mjs';

const BLOCK = 6;
const HEADERS_TIMEOUT_MS = 3000;
const REQUEST_TIMEOUT_MS = 6000;
const ENFORCED_WITHIN_MS = 2000;
const HEADER_SOCKETS = 300;
const BODY_SOCKETS = 20;
const ADDRESSES = 10;
// Long enough to see the slowest limit enforced with its margin and a little more; what is still open then has failed.
const OBSERVE_MS = REQUEST_TIMEOUT_MS + ENFORCED_WITHIN_MS + 4000;
const NORMAL_LIMIT_MS = 100;

export const key = 'slow';
export const title = '6 slow sockets';

export async function run(findings) {
  const { seed, service } = campaignSeed();
  const ws = await workspace(key, seed);
  const server = await startTokend({
    database: ws.database,
    seedFile: ws.seedFile,
    env: { TOKEND_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), TOKEND_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS), TOKEND_RATE_LIMIT: String(1e9) },
  });
  const sockets = [];
  try {
    const issued = await clientCredentials(server, address(BLOCK, 0), service.id, service.secret);
    if (issued.outcome !== 'issued') throw new Error(`no token for the normal requests: ${issued.outcome}`);
    const label = `${title} (headers ${HEADERS_TIMEOUT_MS / 1000} s, request ${REQUEST_TIMEOUT_MS / 1000} s)`;

    for (let i = 0; i < HEADER_SOCKETS; i++) sockets.push(trickle(server, address(BLOCK, 1 + (i % ADDRESSES)), 'headers'));
    for (let i = 0; i < BODY_SOCKETS; i++) sockets.push(trickle(server, address(BLOCK, 1 + (i % ADDRESSES)), 'body'));
    const latencies = [];
    const observeUntil = Date.now() + OBSERVE_MS;
    while (Date.now() < observeUntil) {
      const response = await send(server, {
        path: '/api/v2/tokens/me',
        headers: { authorization: `Bearer ${issued.token}` },
        useAgent: false,
        timeoutMs: 5000,
      });
      latencies.push(response.status === 200 ? response.ms : Number.POSITIVE_INFINITY);
      await sleep(100);
    }
    for (const socket of sockets) socket.stop();

    for (const [kind, limit, count] of [
      ['headers', HEADERS_TIMEOUT_MS, HEADER_SOCKETS],
      ['body', REQUEST_TIMEOUT_MS, BODY_SOCKETS],
    ]) {
      const mine = sockets.filter((s) => s.kind === kind);
      const closed = mine.filter((s) => s.closedAfter !== null);
      const late = mine.filter((s) => s.closedAfter === null || s.closedAfter > limit + ENFORCED_WITHIN_MS);
      const slowest = closed.length ? Math.max(...closed.map((s) => s.closedAfter)) : Number.NaN;
      const answers = Object.entries(tally(closed.map((s) => s.answer ?? 'none'))).map(
        ([answer, n]) => `${n} ${answer === 'none' ? 'without an answer' : `answered ${answer}`}`,
      );
      findings.check(
        label,
        `${count} sockets sending ${kind === 'headers' ? 'headers' : 'a body'} 1 byte/s: closed within ${(limit + ENFORCED_WITHIN_MS) / 1000} s`,
        `${closed.length - late.filter((s) => s.closedAfter !== null).length} (slowest ${closed.length ? ms(slowest) : 'none closed'}${answers.length ? `, ${answers.join(', ')}` : ''}; ${mine.length - closed.length} open after ${OBSERVE_MS / 1000} s)`,
        `${count}`,
        late.length === 0,
      );
    }
    const p95 = percentile(latencies, 95);
    findings.check(
      label,
      `normal GET /api/v2/tokens/me meanwhile, new connection each (${latencies.length})`,
      `p50 ${ms(percentile(latencies, 50))}, p95 ${ms(p95)}, max ${ms(Math.max(...latencies))}`,
      `p95 < ${NORMAL_LIMIT_MS} ms`,
      p95 < NORMAL_LIMIT_MS,
    );
    log(`${title}: done`);
  } finally {
    for (const socket of sockets) socket.stop();
    await server.stop();
    await ws.remove();
  }
}

/** A connection that sends a request a byte a second: its headers, or (`body`) full headers then the body. */
function trickle(server, from, kind) {
  const head = 'GET /api/v2/tokens/me HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ';
  const bodyHead =
    'POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000\r\n\r\ngrant_type=';
  const state = { kind, closedAfter: null, answer: null, stop: () => {} };
  const opened = performance.now();
  const socket = connect({ host: '127.0.0.1', port: server.port, localAddress: from });
  let timer;
  socket.on('connect', () => {
    if (kind === 'body') socket.write(bodyHead);
    else socket.write(head.slice(0, 1));
    let sent = 1;
    timer = setInterval(() => {
      if (kind === 'body' || sent >= head.length) socket.write('a');
      else socket.write(head[sent++]);
    }, 1000);
  });
  socket.on('data', (chunk) => {
    state.answer ??= /^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 'other';
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    clearInterval(timer);
    state.closedAfter ??= performance.now() - opened;
  });
  state.stop = () => {
    clearInterval(timer);
    socket.destroy();
  };
  return state;
}
