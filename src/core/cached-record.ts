/**
 * A token record as the cache keeps it: the same fields, sharing every value that other cached
 * tokens hold too. A record read from the store holds strings of its own for its hash, kind,
 * organization, client, user and grant type, and an array of its own for its scopes; at a
 * million cached tokens they were more than a third of the cache's memory (docs/performance.md).
 * Here they are the cache key, the directory's own ids, one string per grant type and one array
 * per scope list.
 */
import type { Client, Organization, TokenRecord, User } from './models.js';

/** Grant types as tokend writes them (token records' `grant_type`): one string each. */
const GRANT_TYPE_NAMES = new Map(
  ['client_credentials', 'authorization_code', 'password', 'refresh_token', 'implicit', 'urn:ietf:params:oauth:grant-type:saml2-bearer'].map((name) => [
    name,
    name,
  ]),
);

/** Scope lists shared by cached tokens, by the list joined; bounded, whatever lists clients ask for. */
const MAX_SCOPE_LISTS = 4096;
const scopeLists = new Map<string, string[]>();

function sharedScopes(scopes: string[]): string[] {
  // Scopes never contain a space (RFC 6749 scope-token), so the joined list names the list in its order.
  const key = scopes.length === 0 ? '' : scopes.join(' ');
  const known = scopeLists.get(key);
  if (known !== undefined) return known;
  if (scopeLists.size < MAX_SCOPE_LISTS) scopeLists.set(key, scopes);
  return scopes;
}

/**
 * `token` with shared values: `hash` is the cache's key for it, and `organization`, `client`
 * and `user` are its own, from the directory. Nothing reads a cached record's scopes to change
 * them: each is a list every token of that list shares.
 */
export function cachedRecord(hash: string, token: TokenRecord, organization: Organization, client: Client, user: User | null): TokenRecord {
  return {
    hash,
    kind: 'access',
    organizationId: organization.id,
    clientId: client.id,
    userId: user === null ? null : user.id,
    scopes: sharedScopes(token.scopes),
    grantType: GRANT_TYPE_NAMES.get(token.grantType) ?? token.grantType,
    issuedAt: token.issuedAt,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
    familyId: token.familyId,
    codeHash: token.codeHash,
  };
}
