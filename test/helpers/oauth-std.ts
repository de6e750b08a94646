/**
 * The standard OAuth endpoints (RFC 8414, 7662, 7009) as their clients call them: a tokend
 * listening on a port its `TOKEND_PUBLIC_URL` names (the issuer a library checks), and
 * openid-client, a well-kept library of that ecosystem, configured by discovery.
 */
import { createServer } from 'node:net';
import * as oidc from 'openid-client';
import type { TokendConfig } from '../../src/config.js';
import { basic, startTestApp, type TestApp } from './app.js';
import { FORM } from './browser-flow.js';

export interface ListeningTokend {
  t: TestApp;
  /** The public URL, which is also where it listens. */
  url: string;
}

/** A free loopback port: tokend's issuer must be known before it listens. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function listeningTokend(overrides: Partial<TokendConfig> = {}): Promise<ListeningTokend> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const t = await startTestApp({ publicUrl: url, ...overrides });
  await t.app.listen({ host: '127.0.0.1', port });
  return { t, url };
}

/** openid-client configured from tokend's metadata: HTTP Basic with a secret, `none` without. */
export function discover(url: string, client: { id: string; secret?: string }): Promise<oidc.Configuration> {
  const auth = client.secret === undefined ? oidc.None() : oidc.ClientSecretBasic(client.secret);
  // tokend speaks plain HTTP in tests (TLS is in front of it in production).
  return oidc.discovery(new URL(url), client.id, undefined, auth, { algorithm: 'oauth2', execute: [oidc.allowInsecureRequests] });
}

/** A form POST to an /oauth/ endpoint, in process; `client` authenticates by HTTP Basic. */
export function formPost(t: TestApp, url: string, form: Record<string, string>, client?: { id: string; secret: string }, remoteAddress = '127.0.0.1') {
  return t.inject({
    method: 'POST',
    url,
    remoteAddress,
    headers: { ...FORM, ...(client ? { authorization: basic(client.id, client.secret) } : {}) },
    payload: new URLSearchParams(form).toString(),
  });
}

export const INVALID_CLIENT_BODY = JSON.stringify({
  error: 'invalid_client',
  description: 'authentication failed',
  error_description: 'authentication failed',
});
