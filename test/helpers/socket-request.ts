/**
 * Requests over a real socket, where `app.inject` cannot go. One HTTP/1.1 request with the request target written exactly as given:
 * node:http puts `path` into the request line verbatim, so an absolute-form target
 * (`http://host/path`) reaches the server as a proxy would send it, which `app.inject` cannot do.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './app.js';

export interface SocketResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export function socketRequest(
  port: number,
  { method = 'GET', target, headers = {}, body }: { method?: string; target: string; headers?: Record<string, string>; body?: string },
): Promise<SocketResponse> {
  return new Promise((resolve, reject) => {
    const sent = body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) };
    const outgoing = request({ host: '127.0.0.1', port, method, path: target, headers: sent, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** An answer with its headers as sent: names in lower case, in order, repeated ones kept. */
export interface OrderedAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string;
}

/**
 * One request over a real socket whose answer keeps its headers' order (the fast lanes must send
 * them as Fastify does). `body` is sent as it is, node adding Content-Length unless `headers`
 * asks for chunked encoding.
 */
export function orderedRequest(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<OrderedAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        const raw = response.rawHeaders;
        const pairs: Array<[string, string]> = [];
        for (let i = 0; i < raw.length; i += 2) pairs.push([raw[i]!.toLowerCase(), raw[i + 1]!]);
        resolve({ status: response.statusCode ?? 0, headers: pairs, body: text });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

/** The first value of header `name` in an ordered answer. */
export const headerOf = (answer: OrderedAnswer, name: string) => answer.headers.find(([key]) => key === name)?.[1];

/** Starts a test app listening on a free loopback port, and returns the port. */
export async function listenOnLoopback(t: TestApp): Promise<number> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return (t.app.server.address() as AddressInfo).port;
}
