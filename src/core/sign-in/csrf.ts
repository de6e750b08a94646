/**
 * CSRF tokens for the sign-in and account forms, derived from a cookie the attacker cannot read
 * (HttpOnly, SameSite=Lax): the form carries SHA-256 of a label and the cookie's secret. Nothing
 * is stored, every node can check it, and it differs from the stored hash of a session secret.
 */
import { createHash } from 'node:crypto';
import { constantTimeEqual } from '../secrets.js';

const LABEL = 'tokend-csrf-v1\u0000';

export function csrfTokenFor(cookieSecret: string): string {
  return createHash('sha256').update(LABEL).update(cookieSecret).digest('base64url');
}

export function csrfTokenMatches(cookieSecret: string | undefined, formToken: string | undefined): boolean {
  if (!cookieSecret || !formToken) return false;
  return constantTimeEqual(Buffer.from(csrfTokenFor(cookieSecret)), Buffer.from(formToken));
}
