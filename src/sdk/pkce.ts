import { base64url, utf8 } from './encoding.js';
import type { LoginOptions } from './client.js';
import { joinUrl } from './environment.js';

/**
 * A fresh PKCE code verifier (RFC 7636 section 4.1): `length` characters (43 to 128) of
 * base64url, drawn from `crypto.getRandomValues`. Keep it until the code comes back.
 *
 * @example
 * ```ts
 * const verifier = generatePKCECodeVerifier(); // 128 characters
 * ```
 */
export function generatePKCECodeVerifier(length = 128): string {
  if (!Number.isInteger(length) || length < 43 || length > 128) {
    throw new RangeError(`a PKCE code verifier has 43 to 128 characters, not ${length}`);
  }
  // Every base64url character is an unreserved one, and encoding whole bytes has no
  // modulo bias, unlike picking characters by `random % alphabet.length`.
  const bytes = crypto.getRandomValues(new Uint8Array(Math.ceil((length * 3) / 4)));
  return base64url(bytes).slice(0, length);
}

/**
 * The S256 code challenge of a verifier: `BASE64URL(SHA256(verifier))` (RFC 7636 section
 * 4.2), computed with Web Crypto.
 *
 * @example
 * ```ts
 * await computePKCECodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
 * // 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' (RFC 7636 appendix B)
 * ```
 */
export async function computePKCECodeChallenge(verifier: string): Promise<string> {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) {
    throw new RangeError('a PKCE code verifier has 43 to 128 unreserved characters (RFC 7636 section 4.1)');
  }
  const digest = await crypto.subtle.digest('SHA-256', utf8(verifier));
  return base64url(new Uint8Array(digest));
}

/** The query of `GET /oauth/authorize`. */
export interface AuthorizeUrlOptions {
  clientId: string;
  /** Must equal one of the client's registered redirect URIs. */
  redirectUri: string;
  /** `code` (the default) or `token` (implicit grant). */
  responseType?: 'code' | 'token';
  /** The S256 challenge of a PKCE verifier. */
  codeChallenge?: string;
  /** Echoed back on the redirect; use it against CSRF. */
  state?: string;
  /** The organization name, where the login page should not ask for it. */
  org?: string;
  /** `login` forces the login page even with a live sign-in session. */
  prompt?: string;
}

/**
 * The URL to send a person's browser to for signing in.
 *
 * @example
 * ```ts
 * buildAuthorizeUrl('https://login.mypurecloud.com/', { clientId, redirectUri, codeChallenge, state });
 * ```
 */
export function buildAuthorizeUrl(loginBase: string, options: AuthorizeUrlOptions): string {
  const url = joinUrl(loginBase, '/oauth/authorize');
  const query = url.searchParams;
  query.set('client_id', options.clientId);
  query.set('redirect_uri', options.redirectUri);
  query.set('response_type', options.responseType ?? 'code');
  if (options.codeChallenge !== undefined) {
    query.set('code_challenge', options.codeChallenge);
    query.set('code_challenge_method', 'S256');
  }
  if (options.state !== undefined) query.set('state', options.state);
  if (options.org !== undefined) query.set('org', options.org);
  if (options.prompt !== undefined) query.set('prompt', options.prompt);
  return url.href;
}

/** `ApiClient.authorizePKCEGrant`'s options. */
export interface PKCELoginOptions extends LoginOptions {
  /**
   * The secret of a Code Authorization client that has one (Genesys gives each such client a
   * secret). The exchange does not send it (the verifier and `client_id` suffice), but the
   * session's refreshes do: a client with a secret authenticates to refresh (RFC 6749 section 6,
   * CONTRACT.md's refresh row). Leave it out for a public client, which refreshes by `client_id`.
   */
  clientSecret?: string;
}
