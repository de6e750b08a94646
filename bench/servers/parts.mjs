/**
 * One rung of the ladder that bench/request-parts.mjs climbs: a bare node:http server that
 * answers GET /api/v2/tokens/me doing the parts of tokend's fast lane up to `LEVEL`, each rung
 * adding one part to the one below it, so that the CPU a rung adds is the cost of its part.
 * `node parts.mjs PORT LEVEL TOKENS_FILE BODY_FILE LOG_FILE`; prints "ready" once listening.
 */
import { hash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import pino from 'pino';
import { dist } from '../paths.mjs';

const { AccessLog } = await import(dist('http/access-log.js'));
const { bufferedDestination } = await import(dist('http/logging.js'));
const { NO_CACHE } = await import(dist('http/response-headers.js'));

const [port, level, tokensFile, bodyFile, logFile] = process.argv.slice(2);
const LEVELS = ['bare', 'headers read', 'tokend headers', 'token lookup', 'correlation id', 'access line'];
const rung = LEVELS.indexOf(level);
if (rung < 0) throw new Error(`unknown level ${level}: one of ${LEVELS.join(', ')}`);

const body = readFileSync(bodyFile, 'utf8');
const bodyBytes = Buffer.from(body);
const principals = new Map(
  JSON.parse(readFileSync(tokensFile, 'utf8')).map((token) => [hash('sha256', token, 'base64url'), { client: { id: 'bench-client' } }]),
);
const BEARER = /^bearer[ \t]+([\x21-\x7e]+)[ \t]*$/i;
const NO_CACHE_LIST = Object.entries(NO_CACHE).flat();
const stream = bufferedDestination(logFile);
const logger = pino({ level: 'info' }, stream);
const accessLog = new AccessLog({ stream, logger, slowRequestMs: 1000 });

const server = createServer({ headersTimeout: 60_000, requestTimeout: 300_000, connectionsCheckingInterval: 1000 }, (request, response) => {
  request.resume();
  if (rung === 0) {
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': bodyBytes.length });
    response.end(bodyBytes);
    return;
  }
  const started = performance.now();
  if (request.headers.origin !== undefined) throw new Error('no Origin in this benchmark');
  const token = BEARER.exec(request.headers.authorization ?? '')?.[1] ?? '';
  let principal = { client: { id: 'bench-client' } };
  if (rung >= 3) principal = principals.get(hash('sha256', token, 'base64url'));
  const id = rung >= 4 ? randomUUID() : 'b5f8a3c2-7d1e-4f6a-9b0c-2e3d4f5a6b7c';
  const headers =
    rung >= 2
      ? [
          ...NO_CACHE_LIST,
          'inin-correlation-id',
          id,
          'genesys-correlation-id',
          id,
          'inin-ratelimit-count',
          '1',
          'inin-ratelimit-allowed',
          '300',
          'inin-ratelimit-reset',
          '60',
          'content-type',
          'application/json; charset=utf-8',
          'content-length',
          String(Buffer.byteLength(body)),
        ]
      : ['content-type', 'application/json; charset=utf-8', 'content-length', String(bodyBytes.length)];
  response.writeHead(200, headers);
  response.end(body);
  if (rung >= 5) accessLog.record(id, 'GET', '/api/v2/tokens/me', 200, performance.now() - started, principal.client.id);
});
server.keepAliveTimeout = 72_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));
