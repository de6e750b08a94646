/**
 * What an Allow was given to (CONTRACT.md, "Consent"): the app as it was, its redirect URIs
 * (where its codes and tokens go) and its scopes (what it may ask for). Changing either voids
 * the Allows given to it, so an Allow remembers their digest: the store deletes the Allows whose
 * digest differs from a changed client's, and an Allow whose digest no longer matches its client
 * (recorded while the client was being changed) counts as none.
 */
import { createHash } from 'node:crypto';
import type { Client } from '../models.js';

/** SHA-256 of the client's redirect URIs and scopes, each sorted: reordering is not a change. */
export function consentTerms(client: Pick<Client, 'registeredRedirectUri' | 'scope'>): string {
  const terms = JSON.stringify([[...client.registeredRedirectUri].sort(), [...client.scope].sort()]);
  return createHash('sha256').update(terms).digest('base64url');
}
