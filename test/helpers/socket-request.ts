/**
 * One HTTP/1.1 request over a real socket with the request target written exactly as given:
 * node:http puts `path` into the request line verbatim, so an absolute-form target
 * (`http://host/path`) reaches the server as a proxy would send it, which `app.inject` cannot do.
 */
import { request } from 'node:http';

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
