import type { ServerResponse } from 'node:http';
import { badCredentials, bearerOf, formOf, json, type Received, startServer, type TestServer } from './server.js';

/**
 * A tiny stand-in for tokend's token endpoint and `GET/HEAD /api/v2/tokens/me`, with
 * tokens the test can expire at will. Everything else goes to `fallback`.
 */
export interface FakeTokend extends TestServer {
  /** Tokens the API accepts. */
  valid: Set<string>;
  /** Refresh tokens the token endpoint accepts; each is spent on use. */
  refreshable: Set<string>;
  issued: string[];
}

export interface FakeTokendOptions {
  expiresIn?: number;
  /** Issue refresh tokens for the code, password and refresh grants. */
  refreshTokens?: boolean;
  /** Answers /oauth/token before the default handling when it returns true. */
  token?: (request: Received, res: ServerResponse) => boolean;
  fallback?: (request: Received, res: ServerResponse) => void;
}

export async function startFakeTokend(options: FakeTokendOptions = {}): Promise<FakeTokend> {
  const valid = new Set<string>();
  const refreshable = new Set<string>();
  const issued: string[] = [];
  let serial = 0;
  const server = await startServer((request, res) => {
    if (request.path === '/oauth/token') {
      if (options.token?.(request, res)) return;
      const form = formOf(request);
      if (form.grant_type === 'refresh_token') {
        if (!refreshable.delete(form.refresh_token ?? '')) {
          json(res, 400, { error: 'invalid_grant', description: 'refresh token revoked', error_description: 'refresh token revoked' });
          return;
        }
      }
      serial++;
      const access = `access-${serial}`;
      valid.add(access);
      issued.push(access);
      const body: Record<string, unknown> = { access_token: access, token_type: 'bearer', expires_in: options.expiresIn ?? 300 };
      if (options.refreshTokens && form.grant_type !== 'client_credentials') {
        body.refresh_token = `refresh-${serial}`;
        refreshable.add(`refresh-${serial}`);
      }
      json(res, 200, body, { 'cache-control': 'no-store' });
      return;
    }
    if (request.path === '/api/v2/tokens/me' && (request.method === 'GET' || request.method === 'HEAD')) {
      const token = bearerOf(request);
      if (token === undefined || !valid.has(token)) {
        if (request.method === 'HEAD') {
          res.writeHead(401, { 'www-authenticate': 'Bearer realm="tokend", error="invalid_token"' }).end();
        } else badCredentials(res);
        return;
      }
      json(res, 200, { organization: { id: 'org-1', name: 'Org' }, authorizedScope: [token] });
      return;
    }
    if (options.fallback) options.fallback(request, res);
    else json(res, 404, { code: 'not.found', message: 'not found', status: 404 });
  });
  return Object.assign(server, { valid, refreshable, issued });
}
