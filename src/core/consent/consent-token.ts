/**
 * The CSRF token of the consent form (CONTRACT.md, "Consent"): an HMAC, keyed by the sign-in
 * session's secret (an HttpOnly cookie a cross-site page cannot read), of the exact request the
 * page asked about. An Allow posted from anywhere else, for another session, or with any of the
 * request's parameters changed (another redirect URI, state, PKCE challenge, response type or
 * scope) does not match, so it allows nothing. Nothing is stored, and every node can check it.
 */
import { createHmac } from 'node:crypto';
import type { AuthorizeRequest } from '../authorize/request.js';
import { constantTimeEqual } from '../secrets.js';

const LABEL = 'tokend-consent-v1';

type Bound = Pick<AuthorizeRequest, 'client' | 'redirectUri' | 'responseType' | 'state' | 'codeChallenge' | 'scopes'>;

export function consentTokenFor(sessionSecret: string, request: Bound): string {
  const bound = [LABEL, request.client.id, request.redirectUri, request.responseType, request.state ?? null, request.codeChallenge, [...request.scopes].sort()];
  return createHmac('sha256', sessionSecret).update(JSON.stringify(bound)).digest('base64url');
}

export function consentTokenMatches(sessionSecret: string, request: Bound, formToken: string | undefined): boolean {
  if (!formToken) return false;
  return constantTimeEqual(Buffer.from(consentTokenFor(sessionSecret, request)), Buffer.from(formToken));
}
