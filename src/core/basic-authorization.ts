/**
 * HTTP Basic client credentials (RFC 6749 §2.3.1), as `/oauth/token`, `/oauth/introspect` and
 * `/oauth/revoke` receive them.
 */
/** Parses `Authorization: Basic base64(id:secret)`; null when absent or malformed. */
export function parseBasicAuthorization(header: string | undefined): { clientId: string; secret: string } | null {
  if (!header) return null;
  const match = /^basic[ \t]+([A-Za-z0-9+/=_-]+)[ \t]*$/i.exec(header);
  if (!match?.[1]) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const clientId = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  // RFC 6749 §2.3.1 asks clients to form-urlencode id and secret first, and libraries that follow
  // it (openid-client) encode every '-' of a UUID as %2D; the Genesys SDKs send both raw, and a
  // raw secret may contain '%'. Client ids are UUIDs, which never hold '%': an id with one was
  // encoded, and its secret with it.
  if (!clientId.includes('%')) return { clientId, secret };
  const id = formDecode(clientId);
  const password = formDecode(secret);
  return id === null || password === null || id === '' ? null : { clientId: id, secret: password };
}

/** application/x-www-form-urlencoded decoding of one value; null when malformed. */
function formDecode(value: string): string | null {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return null;
  }
}
