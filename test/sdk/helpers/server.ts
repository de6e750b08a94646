import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the test server received it. */
export interface Received {
  method: string;
  /** Path and query, as sent. */
  url: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Handler = (request: Received, response: ServerResponse) => void | Promise<void>;

export interface TestServer {
  baseUrl: string;
  received: Received[];
  /** The requests to one path. */
  to(path: string): Received[];
  close(): Promise<void>;
}

/** Starts a node:http server on 127.0.0.1, port 0, that records every request. */
export async function startServer(handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://test');
      const request: Received = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      Promise.resolve(handler(request, res)).catch((error: unknown) => {
        res.statusCode = 599;
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    to: (path) => received.filter((request) => request.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with JSON and the headers tokend sends. */
export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** Answers with an ErrorBody whose contextId equals the ININ-Correlation-Id header. */
export function apiError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const contextId = `ctx-${status}-${code}`;
  json(res, status, { message, code, status, contextId, details: [], errors: [] }, { 'inin-correlation-id': contextId, ...headers });
}

/** Answers 401 bad.credentials, as tokend does for an unknown or expired token. */
export function badCredentials(res: ServerResponse): void {
  apiError(res, 401, 'bad.credentials', 'Invalid login credentials.', {
    'www-authenticate': 'Bearer realm="tokend", error="invalid_token"',
  });
}

/** The bearer token of a request, if any. */
export function bearerOf(request: Received): string | undefined {
  return /^bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** A form-encoded body as a plain object. */
export function formOf(request: Received): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}
