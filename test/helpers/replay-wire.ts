/**
 * The wire of a Genesys tool, as its public source writes it, against a listening tokend: the
 * token request and the API GETs, with the headers that tool sends. The replays in
 * test/interop/*-replay.test.ts use it; each names the file and function it follows.
 */
import assert from 'node:assert/strict';
import { basic } from './app.js';

export type Json = Record<string, unknown>;

export interface ToolWire {
  /** POST /oauth/token, Basic, grant_type=client_credentials (form): the access token. */
  clientCredentials(client: { id: string; secret: string }): Promise<string>;
  /** A GET as the tool sends it: the status and the parsed body. */
  get(path: string, token: string): Promise<{ status: number; body: Json }>;
  /** A GET the tool needs a 2xx for: the body (the failure names the path, status and body). */
  ok(path: string, token: string): Promise<Json>;
}

/**
 * The Go SDK (platformclientv2 `Configuration.AuthorizeClientCredentials`, `APIClient.CallAPI`):
 * `Accept` and `Content-Type: application/json` on every call, GETs included. The gc CLI
 * (`build/gc/restclient/restclient.go`, `callAPI` and `authorize`) adds `Cache-Control: no-cache`
 * and its own `User-Agent` and `purecloud-sdk`.
 */
export function toolWire(origin: string, headers: Record<string, string>): ToolWire {
  const get = async (path: string, token: string) => {
    const response = await fetch(`${origin}${path}`, { headers: { ...headers, authorization: `Bearer ${token}` } });
    const text = await response.text();
    return { status: response.status, body: (text === '' ? {} : JSON.parse(text)) as Json };
  };
  return {
    async clientCredentials(client) {
      const response = await fetch(`${origin}/oauth/token`, {
        method: 'POST',
        headers: {
          ...headers,
          authorization: basic(client.id, client.secret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
      const body = (await response.json()) as Json;
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(typeof body.access_token, 'string');
      assert.equal(typeof body.expires_in, 'number');
      return body.access_token as string;
    },
    get,
    async ok(path, token) {
      const { status, body } = await get(path, token);
      assert.ok(status >= 200 && status < 300, `${path}: ${status} ${JSON.stringify(body).slice(0, 400)}`);
      return body;
    },
  };
}

export const GO_SDK_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

/** `build/gc/restclient/restclient.go`, `callAPI` (a GET carries a JSON content type and no body). */
export const GC_HEADERS = {
  'content-type': 'application/json',
  'cache-control': 'no-cache',
  'user-agent': 'PureCloud SDK/go-cli',
  'purecloud-sdk': '104.0.0',
};

/** Asserts `value` is a string, naming what dereferences it. */
export function isString(value: unknown, derefs: string): asserts value is string {
  assert.equal(typeof value, 'string', `${derefs}: ${JSON.stringify(value)}`);
}

/** Asserts `value` is an array, naming what dereferences it. */
export function isArray(value: unknown, derefs: string): asserts value is Json[] {
  assert.ok(Array.isArray(value), `${derefs}: ${JSON.stringify(value)}`);
}
