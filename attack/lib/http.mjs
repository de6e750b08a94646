/**
 * HTTP over loopback as many callers: every request names the local address it comes from
 * (127.0.0.0/8 all routes to the loopback device on Linux), so the server sees a distinct
 * client address per caller without any proxy header.
 */
import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512 });

/** The Nth address of a caller block, e.g. address(1, 7) = 127.1.0.7 (distinct blocks per attack). */
export function address(block, n) {
  return `127.${block}.${Math.floor(n / 250)}.${(n % 250) + 1}`;
}

export function basic(id, secret) {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

export function form(fields) {
  return new URLSearchParams(fields).toString();
}

/**
 * One request; resolves { status, headers, body (string), ms } or { error, ms } (never rejects).
 * `useAgent: false` sends it on a connection of its own (no keep-alive).
 */
export function send(server, { from = '127.0.0.1', method = 'GET', path = '/', headers = {}, body, timeoutMs, useAgent = true }) {
  timeoutMs ??= 30_000;
  // node:http sends a GET, HEAD, DELETE or OPTIONS body with neither length nor chunking unless told the length.
  if (body !== undefined && headers['content-length'] === undefined) headers = { ...headers, 'content-length': String(Buffer.byteLength(body)) };
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (result) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ...result, ms: performance.now() - started });
    };
    const timer = setTimeout(() => {
      request.destroy(new Error('timeout'));
    }, timeoutMs);
    let request;
    try {
      request = http.request(
        { host: '127.0.0.1', port: server.port, method, path, headers, localAddress: from, agent: useAgent ? agent : false },
        (response) => {
          const chunks = [];
          response.on('data', (chunk) => chunks.push(chunk));
          response.on('end', () => finish({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', (error) => finish({ error: error.code ?? error.message }));
        },
      );
    } catch (error) {
      // Node refuses some headers or paths before sending (invalid characters): not the server's answer.
      clearTimeout(timer);
      resolve({ error: `client refused: ${error.code ?? error.message}`, refused: true, ms: 0 });
      return;
    }
    request.on('error', (error) => finish({ error: error.code ?? error.message }));
    if (body !== undefined) request.end(body);
    else request.end();
  });
}

/** Form POST to /oauth/token with Basic client authentication. */
export function tokenRequest(server, from, clientId, secret, fields, timeoutMs) {
  return send(server, {
    from,
    timeoutMs,
    method: 'POST',
    path: '/oauth/token',
    headers: { authorization: basic(clientId, secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: form(fields),
  });
}

/** Parses a JSON body, or undefined. */
export function json(response) {
  try {
    return JSON.parse(response.body);
  } catch {
    return undefined;
  }
}

/** Runs `task(i)` for i < count with at most `concurrency` at once; stops starting new ones past `deadline` (ms epoch). */
export async function pool(count, concurrency, task, deadline = Number.POSITIVE_INFINITY) {
  let next = 0;
  let started = 0;
  const worker = async () => {
    while (next < count && Date.now() < deadline) {
      const i = next++;
      started++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return started;
}

/** Median and a percentile of a list of numbers. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
