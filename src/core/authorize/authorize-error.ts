/**
 * A refused authorization request (RFC 6749 §4.1.2.1). With a `redirect` the error goes back to
 * the client's registered redirect URI; without one (the client or the redirect URI itself is
 * bad) it is shown to the person, since redirecting there could hand an attacker the error.
 */
import type { OAuthErrorCode } from '../errors.js';

export interface ErrorRedirect {
  uri: string;
  mode: 'query' | 'fragment';
  state: string | undefined;
}

export class AuthorizeError extends Error {
  readonly error: OAuthErrorCode;
  readonly redirect: ErrorRedirect | null;

  constructor(error: OAuthErrorCode, description: string, redirect: ErrorRedirect | null) {
    super(description);
    this.name = 'AuthorizeError';
    this.error = error;
    this.redirect = redirect;
  }
}
