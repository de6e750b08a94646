/**
 * One measured run: autocannon against one server (keep-alive, 50 connections, no
 * pipelining), every request built by `setupRequest` so that each carries its own token.
 * Latency percentiles are computed here from every response's own time (autocannon's histogram
 * keeps whole milliseconds, too coarse for sub-millisecond servers).
 */
import { createRequire } from 'node:module';
import autocannon from 'autocannon';

// autocannon's own parser, to tell it which responses answer a HEAD (see skipBodies).
const requireFromAutocannon = createRequire(createRequire(import.meta.url).resolve('autocannon'));
const { HTTPParser } = requireFromAutocannon('http-parser-js');

export const CONNECTIONS = 50;

/**
 * Runs `workload` (from workloads.mjs) against `port` for `duration` seconds, or until
 * `amount` responses. Resolves to `{ rps, p50, p99, count, statuses, errors }`.
 */
export function drive(port, workload, { duration, amount, connections = CONNECTIONS }) {
  const latencies = [];
  const statuses = {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections,
        pipelining: 1,
        ...(amount ? { amount } : { duration }),
        requests: [{ setupRequest: workload.setupRequest, onResponse: workload.onResponse }],
        ...(workload.method === 'HEAD' ? { setupClient: skipBodies } : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        latencies.sort((a, b) => a - b);
        const seconds = (result.finish - result.start) / 1000;
        resolve({
          rps: result.requests.total / seconds,
          p50: percentile(latencies, 0.5),
          p99: percentile(latencies, 0.99),
          count: result.requests.total,
          statuses,
          errors: result.errors + result.timeouts,
        });
      },
    );
    instance.on('response', (_client, status, _bytes, ms) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
}

/**
 * autocannon parses every response as if it answered a GET, so a HEAD answer without a
 * Content-Length (RFC 9110 §9.3.2 allows that, and tokend's 200 has none) would be read until
 * the connection closes. As Node's own client does, its parser is told to expect no body:
 * `kOnHeadersComplete` returning true means "skip the body" in http-parser-js.
 */
function skipBodies(client) {
  const parser = client.parser;
  let handler;
  Object.defineProperty(parser, HTTPParser.kOnHeadersComplete, {
    get: () => (info) => {
      handler?.(info);
      return true;
    },
    set: (fn) => {
      handler = fn;
    },
  });
}

function percentile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
