/**
 * Redirect URI matching (CONTRACT.md, "GET /oauth/authorize"): the URI must equal a registered
 * one exactly, as strings; only a loopback URI's port may differ (RFC 8252 §7.3: native apps
 * listen on whatever port the OS gives them).
 */
import type { Client } from '../models.js';

const LOOPBACK = /^http:\/\/(127\.0\.0\.1|\[::1\]|localhost)(?::(\d{1,5}))?(\/[^#]*)?$/;

/** The URI without its port when it is a loopback http URI, else null. */
function loopbackWithoutPort(uri: string): string | null {
  const match = LOOPBACK.exec(uri);
  if (!match) return null;
  return `http://${match[1]}${match[3] ?? ''}`;
}

export function isRegisteredRedirectUri(client: Client, uri: string): boolean {
  if (client.registeredRedirectUri.includes(uri)) return true;
  const wanted = loopbackWithoutPort(uri);
  if (wanted === null) return false;
  return client.registeredRedirectUri.some((registered) => loopbackWithoutPort(registered) === wanted);
}

/** `uri` with `params` added to its query (code flow, RFC 6749 §4.1.2) or fragment (implicit, §4.2.2). */
export function withParams(uri: string, params: Record<string, string | undefined>, mode: 'query' | 'fragment'): string {
  const encoded = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) encoded.set(name, value);
  const text = encoded.toString();
  if (mode === 'fragment') return `${uri.split('#')[0]}#${text}`;
  const [base, fragment] = uri.split('#', 2) as [string, string | undefined];
  const joined = `${base}${base.includes('?') ? '&' : '?'}${text}`;
  return fragment === undefined ? joined : `${joined}#${fragment}`;
}
